import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from infokit import metrics as M

skm = pytest.importorskip("sklearn.metrics")
NAMES = ["mutual_info_score", "normalized_mutual_info_score", "adjusted_mutual_info_score"]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 200), st.integers(1, 8), st.integers(1, 8))
def test_parity_with_sklearn(seed, n, ka, kb):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, ka, n)
    b = (a + rng.integers(0, kb, n)) % max(ka, kb)
    for name in NAMES:
        assert getattr(M, name)(a, b) == pytest.approx(getattr(skm, name)(a, b), abs=1e-10)
    for avg in ("min", "max", "geometric"):
        assert M.adjusted_mutual_info_score(a, b, average_method=avg) == pytest.approx(
            skm.adjusted_mutual_info_score(a, b, average_method=avg), abs=1e-10)


@pytest.mark.parametrize("a,b", [([1], [2]), ([1, 1], [2, 3]), ([0, 1], [0, 1]), ([0, 0, 1, 1], [5, 5, 3, 3]),
                                 (["x", "y", "y"], [1.0, 2.0, 2.0]), ([7, 7, 7], [7, 7, 7]), ([], [])])
def test_edge_cases(a, b):
    for name in NAMES:
        try:
            want = getattr(skm, name)(a, b)
        except ValueError:
            with pytest.raises(ValueError):
                getattr(M, name)(a, b)
            continue
        assert getattr(M, name)(a, b) == pytest.approx(want, abs=1e-10)


def test_large_ami_and_threads():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 40, 100_000)
    b = (a + rng.integers(0, 10, 100_000)) % 40
    want = skm.adjusted_mutual_info_score(a, b)
    assert M.adjusted_mutual_info_score(a, b, n_threads=1) == pytest.approx(want, abs=1e-10)
    assert M.adjusted_mutual_info_score(a, b, n_threads=1) == M.adjusted_mutual_info_score(a, b, n_threads=2)
    big = a * 10**12  # sparse integer labels: the np.unique path
    assert M.mutual_info_score(big, b) == pytest.approx(skm.mutual_info_score(a, b), abs=1e-12)


def test_contingency_argument():
    c = np.array([[3, 1], [0, 4]])
    assert M.mutual_info_score(None, None, contingency=c) == pytest.approx(
        skm.mutual_info_score(None, None, contingency=c), abs=1e-14)


def test_bad_input():
    with pytest.raises(ValueError, match="inconsistent"):
        M.mutual_info_score([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="1D"):
        M.mutual_info_score([[1, 2]], [1, 2])
    with pytest.raises(ValueError, match="NaN"):
        M.mutual_info_score([1, np.nan], [1, 2])
    with pytest.raises(ValueError):
        M.adjusted_mutual_info_score([1, 2], [1, 2], average_method="median")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.warns(UserWarning):
            M.mutual_info_score([0.5, 1.5], [1, 2])


def test_entropy_and_vi():
    assert M.entropy_labels(["a", "b", "a", "b"], base=2) == pytest.approx(1.0)
    assert M.variation_of_information([0, 0, 1, 1], [0, 1, 0, 1], base=2) == pytest.approx(2.0)
    assert M.variation_of_information([0, 0, 1, 1], [1, 1, 0, 0]) == pytest.approx(0.0, abs=1e-15)


def labeling(n):
    """n labels from an alphabet of random size, or all distinct (every sample its own cluster)."""
    return st.one_of(st.permutations(list(range(n))), st.integers(0, n).flatmap(
        lambda k: st.lists(st.integers(0, k), min_size=n, max_size=n)))


labelings = st.integers(1, 12).flatmap(lambda n: st.tuples(labeling(n), labeling(n)))


@settings(max_examples=150, deadline=None)
@given(labelings)
def test_small_labelings_match_sklearn_for_every_average(pair):
    # Small labelings often make one side all singletons, where the adjusted score is 0/0 up
    # to rounding: scikit-learn's value there is decided by the last bits of its E[MI].
    a, b = pair
    for avg in ("min", "geometric", "arithmetic", "max"):
        assert M.adjusted_mutual_info_score(a, b, average_method=avg) == pytest.approx(
            skm.adjusted_mutual_info_score(a, b, average_method=avg), abs=1e-10)
        assert M.normalized_mutual_info_score(a, b, average_method=avg) == pytest.approx(
            skm.normalized_mutual_info_score(a, b, average_method=avg), abs=1e-10)


@pytest.mark.parametrize("a,b", [([0, 1, 1, 0], [5, 3, 4, 2]), ([0, 0, 1, 1, 1, 0], list(range(6))),
                                 (list(range(8)), [0, 1, 0, 1, 1, 1, 0, 2])])
def test_singleton_labelings_equal_sklearn(a, b):
    # The reported case: 'min' gave 1.0 where scikit-learn gives 0.667.
    for avg in ("min", "geometric", "arithmetic", "max"):
        assert M.adjusted_mutual_info_score(a, b, average_method=avg) == skm.adjusted_mutual_info_score(
            a, b, average_method=avg)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 12), min_size=1, max_size=5), st.integers(0, 2**31))
def test_expected_mi_kernels_match_reference(sizes, seed):
    from infokit import _core
    from infokit.reference.metrics import expected_mutual_info

    a = np.array(sizes, dtype=np.int64)
    n = int(a.sum())
    b = np.bincount(np.random.default_rng(seed).integers(0, 4, n)).astype(np.int64)
    b = b[b > 0]
    want = expected_mutual_info(a, b, n)
    assert M._expected_mi_in_order(a, b, n) == pytest.approx(want, rel=1e-12, abs=1e-15)
    assert _core.expected_mutual_info(a, b, n, 1) == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_expected_mi_in_order_checks_its_tables():
    from infokit import _core

    a = np.array([2, 2], dtype=np.int64)
    t = np.zeros((3, 3))
    with pytest.raises(ValueError, match="rows must have shape"):
        _core.expected_mutual_info_in_order(a, a, 4, np.zeros((3, 3)), np.zeros((3, 2)), t)
    with pytest.raises(ValueError, match="within the nij table"):
        _core.expected_mutual_info_in_order(a, a, 4, np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)))
