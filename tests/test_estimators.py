import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from infokit import TiesWarning
from infokit import estimators as E
from infokit.reference import estimators as R

SETTINGS = settings(max_examples=25, deadline=None)


@SETTINGS
@given(st.integers(0, 2**31), st.integers(1, 300), st.integers(1, 20), st.booleans())
def test_mutual_info_hist_matches_numpy(seed, n, bins, f32):
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_normal(n), 1)  # values on bin edges too
    y = x + rng.standard_normal(n)
    if f32:
        x, y = x.astype(np.float32), y.astype(np.float32)
    rg = [(-1.0, 1.0), (-2.0, 2.0)]
    keep = (x >= -1) & (x <= 1) & (y >= -2) & (y <= 2)
    if not keep.any():
        with pytest.raises(ValueError):
            E.mutual_info_hist(x, y, bins=bins, range=rg)
        return
    got = E.mutual_info_hist(x, y, bins=bins, range=rg)
    assert got == pytest.approx(R.mutual_info_hist(x, y, bins=bins, range=rg), abs=1e-12)


def test_histogram_counts_equal_numpy_at_edges():
    from infokit import _core
    x = np.r_[np.linspace(-1, 1, 41), np.nan, 2.0, -1.5]
    e = np.histogram_bin_edges(x[np.isfinite(x)], bins=8, range=(-1, 1))
    got = _core.histogram([x], [e], [True], 1)
    assert np.array_equal(got, np.histogram(x, bins=8, range=(-1, 1))[0])
    edges = np.array([-1.0, -0.3, 0.0, 0.25, 1.0])
    got = _core.histogram([x], [edges], [False], 1)
    assert np.array_equal(got, np.histogram(x, bins=edges)[0])


@pytest.mark.parametrize("bins", [7, "fd", "sturges", "auto", [-3.0, -1.0, 0.0, 0.5, 3.0]])
def test_entropy_hist_bins_rules(bins):
    x = np.random.default_rng(1).standard_normal(2000)
    assert E.entropy_hist(x, bins=bins) == pytest.approx(R.entropy_hist(x, bins=bins), abs=1e-12)


def test_miller_madow_and_base():
    x = np.random.default_rng(2).integers(0, 4, 1000).astype(float)
    plain = E.mutual_info_hist(x, x, bins=4)
    mm = E.mutual_info_hist(x, x, bins=4, correction="miller_madow")
    assert mm == pytest.approx(plain + 3 / 2000)
    assert E.mutual_info_hist(x, x, bins=4, base=2) == pytest.approx(plain / np.log(2))
    with pytest.raises(ValueError):
        E.mutual_info_hist(x, x, correction="jackknife")


def test_hist_threads_identical_and_3d():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((300_000, 2))
    y = x[:, 0] + rng.standard_normal(300_000)
    a = E.mutual_info_hist(x, y, bins=16, range=[(-4, 4)] * 3, n_threads=1)
    b = E.mutual_info_hist(x, y, bins=16, range=[(-4, 4)] * 3, n_threads=2)
    assert a == b
    h, _ = np.histogramdd(np.c_[x, y], bins=16, range=[(-4, 4)] * 3)
    ref = R._plugin(h.sum(2)) + R._plugin(h.sum((0, 1))) - R._plugin(h)
    assert a == pytest.approx(ref, abs=1e-12)


@SETTINGS
@given(st.integers(0, 2**31), st.integers(8, 60), st.integers(1, 4))
def test_knn_estimators_match_reference(seed, n, k):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2))
    y = x[:, :1] + rng.standard_normal((n, 1))
    z = rng.standard_normal(n)
    d = rng.integers(0, 3, n)
    assert E.entropy_knn(x, k) == pytest.approx(R.entropy_knn(x, k), abs=1e-10)
    for alg in (1, 2):
        assert E.mutual_info_knn(x, y, k, algorithm=alg) == pytest.approx(R.mutual_info_knn(x, y, k, alg), abs=1e-10)
    assert E.conditional_mutual_info_knn(x[:, 0], y, z, k) == pytest.approx(
        R.conditional_mutual_info_knn(x[:, 0], y, z, k), abs=1e-10)
    if np.bincount(d).max() > 1:
        assert E.mutual_info_mixed(x, d, k) == pytest.approx(R.mutual_info_mixed(x, d, k), abs=1e-10)


def _awkward_pair(rng, n, kind):
    """1-D pairs that strain the rank grid of the 1-D KSG kernel: ties across cell edges,
    a constant margin (every column gap zero), wildly different scales, heavy tails."""
    x = rng.standard_normal(n)
    y = x + rng.standard_normal(n)
    if kind == "ties":
        x, y = np.round(x, 1), np.round(y)
    elif kind == "const_x":
        x = np.full(n, 2.5)
    elif kind == "scales":
        x = x * 1e-12
    elif kind == "tails":
        x, y = np.exp(3 * x), y**3
    elif kind == "dupes":
        idx = rng.integers(0, max(1, n // 4), n)
        x, y = x[idx], y[idx]
    return x, y


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(2, 2500), st.integers(1, 8),
       st.sampled_from(["gauss", "ties", "const_x", "scales", "tails", "dupes"]))
def test_ksg_1d_kernel_matches_reference_on_awkward_data(seed, n, k, kind):
    rng = np.random.default_rng(seed)
    x, y = _awkward_pair(rng, n, kind)
    k = min(k, n - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TiesWarning)
        got = E.mutual_info_knn(x, y, k, n_threads=1)
        assert E.mutual_info_knn(x, y, k, n_threads=2) == got
    assert got == pytest.approx(R.mutual_info_knn(x, y, k, 1), abs=1e-10)


@pytest.mark.parametrize("kind", ["hair_pairs", "hair_reversed", "hair_random", "dupes_offsets"])
def test_ksg_1d_sorts_of_values_tied_in_their_upper_bits(kind):
    """The 1-D kernel's sort orders by the upper half of each value's bits first and fixes
    ties in the lower half afterwards (falling back to a full sort when there are many): values
    a few ulps apart, in reverse order or shuffled, and duplicates with tiny offsets."""
    rng = np.random.default_rng(11)
    n = 3000
    if kind == "hair_pairs":  # each pair a few ulps apart, the larger first: a few moves
        x = np.repeat(rng.standard_normal(n // 2), 2)
        x[1::2] -= 4e-16 * np.abs(x[1::2])
    elif kind == "hair_reversed":  # all in one run of equal upper bits: the full sort
        x = 1.0 + np.arange(n, 0, -1) * 1e-15
    elif kind == "hair_random":
        x = 1.0 + rng.integers(0, 400, n) * 1e-15
    else:
        x = rng.integers(0, 5, n) + 1e-12 * rng.integers(0, 3, n)
    y = x + rng.standard_normal(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TiesWarning)
        got = E.mutual_info_knn(x, y, 3, n_threads=1)
        assert E.mutual_info_knn(x, y, 3, n_threads=2) == got
        assert E.mutual_info_knn(y, x, 3, n_threads=2) == got
    assert got == pytest.approx(R.mutual_info_knn(x, y, 3, 1), abs=1e-10)


def test_knn_ties_and_duplicates_match_reference():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 5, 80).astype(float)
    y = x + rng.integers(0, 3, 80)
    # KSG 1 depends only on the k-th distance; KSG 2 also on which tied neighbours are taken,
    # so only algorithm 1 is tie-break independent. Data this tied is what TiesWarning is for.
    with pytest.warns(TiesWarning):
        assert E.mutual_info_knn(x, y, 3) == pytest.approx(R.mutual_info_knn(x, y, 3, 1), abs=1e-10)


@pytest.mark.parametrize("rho", [0.0, 0.6, 0.9])
def test_ksg_bivariate_gaussian_within_3_standard_errors(rho):
    n, reps = 10_000, 4
    rng = np.random.default_rng(7)
    est = []
    for _ in range(reps):
        x = rng.standard_normal(n)
        y = rho * x + np.sqrt(1 - rho**2) * rng.standard_normal(n)
        est.append(E.mutual_info_knn(x, y, 3))
    truth = -0.5 * np.log(1 - rho**2)
    # Standard error from the replicates, floored at KSG's known spread at this N.
    se = max(np.std(est, ddof=1) / np.sqrt(reps), 0.003)
    assert abs(np.mean(est) - truth) < 3 * se + 0.005


def test_knn_threads_identical():
    rng = np.random.default_rng(8)
    x = rng.standard_normal(20_000)
    y = x + rng.standard_normal(20_000)
    d = rng.integers(0, 4, 20_000)
    for f in (lambda t: E.mutual_info_knn(x, y, n_threads=t), lambda t: E.entropy_knn(x, n_threads=t),
              lambda t: E.mutual_info_mixed(x, d, n_threads=t),
              lambda t: E.mutual_info_knn(x, y, algorithm=2, n_threads=t)):
        assert f(1) == f(2)


def test_bad_input():
    x = np.arange(10.0)
    with pytest.raises(ValueError):
        E.mutual_info_knn(x, x, k=10)
    with pytest.raises(ValueError):
        E.mutual_info_knn(x, x[:5])
    with pytest.raises(ValueError):
        E.mutual_info_knn(np.r_[x[:-1], np.nan], x)
    with pytest.raises(ValueError):
        E.entropy_knn(x, k=0)
    with pytest.raises(ValueError):
        E.mutual_info_mixed(x, np.arange(10))
    with pytest.raises(ValueError):
        E.mutual_info_hist(np.ones((10, 2)), np.ones((10, 2)))


def test_gaussian_mi():
    rng = np.random.default_rng(9)
    x = rng.standard_normal(50_000)
    y = 0.6 * x + 0.8 * rng.standard_normal(50_000)
    assert E.mutual_info_gaussian(x, y) == pytest.approx(-0.5 * np.log(1 - np.corrcoef(x, y)[0, 1] ** 2))


@pytest.mark.parametrize("n_threads", [1, 2])
def test_ksg_1d_kernel_error_inside_its_parallel_phases(n_threads):
    """A NaN reaches the C++ sorts (the Python layer rejects it first): the error raised
    inside the kernel's parallel region comes back as ValueError, and the later phases, which
    would read the unsorted arrays, never run."""
    from infokit import _core

    x = np.random.default_rng(0).standard_normal(5000)
    y = x.copy()
    x[100] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        _core.mutual_info_ksg_features(x[None, :].copy(), y, 3, n_threads)


def test_scratch_memory_kept_between_calls_is_bounded():
    from infokit import _core

    rng = np.random.default_rng(1)
    for n in (100_000, 1_000_000):
        x = rng.standard_normal(n)
        E.mutual_info_knn(x, x + rng.standard_normal(n), 3)
        assert 0 < _core.scratch_kept_bytes() <= _core.scratch_kept_limit
