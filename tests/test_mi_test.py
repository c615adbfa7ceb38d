"""infokit.mutual_info_test: the permutation kernel against the reference, the p-value's
definition, its calibration under independence, determinism and input checks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import infokit
from infokit import _core
from infokit import estimators as E
from infokit.reference import estimators as R

SETTINGS = settings(max_examples=25, deadline=None)


def _pair(seed: int, n: int, coupling: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    return x, coupling * x + rng.standard_normal(n)


@SETTINGS
@given(st.integers(0, 2**31), st.integers(8, 40), st.integers(1, 4), st.integers(1, 4))
def test_permutation_kernel_matches_reference(seed, n, k, m):
    x, y = _pair(seed, n)
    rng = np.random.default_rng(seed)
    perms = np.stack([rng.permutation(n) for _ in range(m)]).astype(np.int64)
    got = _core.mutual_info_ksg_permutations(x, y, perms, k, 1)
    np.testing.assert_allclose(got, R.mutual_info_knn_permuted(x, y, perms, k), rtol=0, atol=1e-10)


def test_identity_permutation_is_the_statistic_bit_for_bit():
    x, y = _pair(1, 3000)
    ident = np.arange(3000, dtype=np.int64)[None, :]
    got = _core.mutual_info_ksg_permutations(x, y, ident, 3, 2)
    assert got[0] == _core.mutual_info_ksg(x[:, None], y[:, None], 3, 1, 1)


def test_permutation_kernel_refuses_non_permutations():
    x, y = _pair(2, 10)
    bad = np.arange(10, dtype=np.int64)
    bad[3] = bad[4]
    with pytest.raises(ValueError, match="permutation"):
        _core.mutual_info_ksg_permutations(x, y, bad[None, :], 3, 1)
    bad = np.arange(10, dtype=np.int64)
    bad[0] = 10
    with pytest.raises(ValueError, match="permutation"):
        _core.mutual_info_ksg_permutations(x, y, bad[None, :], 3, 1)


@pytest.mark.parametrize("method", ["knn", "hist", "gaussian"])
def test_pvalue_definition_and_determinism(method):
    x, y = _pair(3, 300, 0.1)
    res = infokit.mutual_info_test(x, y, n_permutations=50, method=method, random_state=7)
    assert res.null_distribution.shape == (50,)
    assert res.pvalue == (1 + np.count_nonzero(res.null_distribution >= res.statistic)) / 51
    again = infokit.mutual_info_test(x, y, n_permutations=50, method=method, random_state=7, n_threads=1)
    assert again.statistic == res.statistic and again.pvalue == res.pvalue
    assert np.array_equal(again.null_distribution, res.null_distribution)
    other = infokit.mutual_info_test(x, y, n_permutations=50, method=method, random_state=8)
    assert not np.array_equal(other.null_distribution, res.null_distribution)


def test_statistics_are_the_estimators():
    x, y = _pair(4, 500)
    assert infokit.mutual_info_test(x, y, n_permutations=3, k=4).statistic == E.mutual_info_knn(x, y, k=4)
    assert infokit.mutual_info_test(x, y, n_permutations=3, method="hist", bins=8).statistic == pytest.approx(
        E.mutual_info_hist(x, y, bins=8), abs=1e-12)
    assert infokit.mutual_info_test(x, y, n_permutations=3, method="gaussian").statistic == pytest.approx(
        E.mutual_info_gaussian(x, y), rel=1e-9)
    assert infokit.mutual_info_test(x, y, n_permutations=3, base=2).statistic == pytest.approx(
        E.mutual_info_knn(x, y) / np.log(2))


def test_null_is_the_documented_permutations():
    x, y = _pair(5, 60)
    res = infokit.mutual_info_test(x, y, n_permutations=5, random_state=11)
    rng = np.random.default_rng(11)
    perms = [rng.permutation(60) for _ in range(5)]
    np.testing.assert_allclose(res.null_distribution, R.mutual_info_knn_permuted(x, y, perms, 3), atol=1e-10)
    # Multivariate y takes the per-permutation path, with the same permutations.
    y2 = np.c_[y, np.random.default_rng(6).standard_normal(60)]
    res = infokit.mutual_info_test(x, y2, n_permutations=5, random_state=11)
    ref = [R.mutual_info_knn(x, y2[p], 3, 1) for p in perms]
    np.testing.assert_allclose(res.null_distribution, ref, atol=1e-10)


def test_threads_identical_float32_and_strided():
    x, y = _pair(6, 6000)
    a = infokit.mutual_info_test(x, y, n_permutations=8, random_state=0, n_threads=1)
    b = infokit.mutual_info_test(x, y, n_permutations=8, random_state=0, n_threads=2)
    assert a.statistic == b.statistic and np.array_equal(a.null_distribution, b.null_distribution)
    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    c = infokit.mutual_info_test(x32, y32, n_permutations=4, random_state=0)
    d = infokit.mutual_info_test(x32.astype(np.float64), y32.astype(np.float64), n_permutations=4, random_state=0)
    assert np.array_equal(c.null_distribution, d.null_distribution)
    wide = np.c_[x, y, x]
    e = infokit.mutual_info_test(wide[:, 0], wide[:, 1], n_permutations=4, random_state=0)
    f = infokit.mutual_info_test(x.copy(), y.copy(), n_permutations=4, random_state=0)
    assert np.array_equal(e.null_distribution, f.null_distribution)


@pytest.mark.parametrize("method", ["knn", "hist", "gaussian"])
def test_pvalues_roughly_uniform_under_independence(method):
    from scipy import stats

    p = []
    for seed in range(40):
        x, y = _pair(100 + seed, 200, 0.0)
        p.append(infokit.mutual_info_test(x, y, n_permutations=99, method=method, random_state=seed).pvalue)
    # A generous bound: a p-value stuck low or high (a biased null) fails it by orders of magnitude.
    assert stats.kstest(p, "uniform").pvalue > 1e-3


def test_tiny_pvalue_under_strong_dependence():
    x, y = _pair(7, 300, 1.0)
    for method in ("knn", "hist", "gaussian"):
        assert infokit.mutual_info_test(x, y, n_permutations=99, method=method, random_state=0).pvalue == 0.01


def test_ties_do_not_warn():
    # The permutation p-value is exact under independence whatever the ties do to the estimate.
    rng = np.random.default_rng(8)
    infokit.mutual_info_test(rng.integers(0, 3, 100), rng.integers(0, 3, 100), n_permutations=9, random_state=0)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"n_permutations": 0}, ValueError, "n_permutations"),
    ({"n_permutations": 2.5}, ValueError, "n_permutations"),
    ({"method": "mine"}, ValueError, "method"),
    ({"random_state": "seed"}, TypeError, "random_state"),
    ({"k": 100}, ValueError, "k"),
    ({"n_threads": 0}, ValueError, "n_threads"),
    ({"bins": -1, "method": "hist"}, ValueError, "bins"),
])
def test_bad_arguments(kwargs, exc, match):
    x, y = _pair(9, 50)
    with pytest.raises(exc, match=match):
        infokit.mutual_info_test(x, y, **kwargs)


def test_bad_samples():
    x, y = _pair(10, 50)
    with pytest.raises(ValueError, match="samples"):
        infokit.mutual_info_test(x, y[:40])
    with pytest.raises(ValueError, match="1-d"):
        infokit.mutual_info_test(np.c_[x, x], y, method="hist")
    with pytest.raises(ValueError):
        infokit.mutual_info_test(np.empty(0), np.empty(0), method="hist")
    with pytest.raises(ValueError, match="x"):
        infokit.mutual_info_test(np.r_[x[:-1], np.nan], y)
