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
