"""mutual_info_mixture (Gao et al. 2017) against the brute-force reference, and against the
truth on tied and mixed data where KSG is biased."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import infokit
from infokit import estimators as E
from infokit.reference import estimators as R

SETTINGS = settings(max_examples=30, deadline=None)


def _mixed(seed: int, n: int, noisy_share: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """X uniform on {0..3}; Y = X exactly, or X plus uniform noise in (0, 0.5) with the given share.
    Y determines X (the noisy values stay below X + 0.5), so I(X; Y) = H(X) = log 4."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, n).astype(float)
    noisy = rng.random(n) < noisy_share
    return x, np.where(noisy, x + rng.uniform(0, 0.5, n), x)


@SETTINGS
@given(st.integers(0, 2**31), st.integers(8, 60), st.integers(1, 4), st.integers(1, 2), st.booleans())
def test_matches_reference(seed, n, k, dy, f32):
    # Small integer alphabets tie heavily (both branches of the estimator run), plus a continuum.
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 3, n).astype(float)
    y = np.where(rng.random((n, dy)) < 0.5, x[:, None], x[:, None] + rng.standard_normal((n, dy)))
    if f32:
        x, y = x.astype(np.float32), y.astype(np.float32)
    got = E.mutual_info_mixture(x, y, k)
    assert got == pytest.approx(R.mutual_info_mixture(x, y, k), abs=1e-10)


def test_is_ksg1_without_ties():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3000, 2))
    y = x[:, :1] + rng.standard_normal((3000, 1))
    assert E.mutual_info_mixture(x, y) == pytest.approx(E.mutual_info_knn(x, y), abs=1e-12)
    assert E.mutual_info_mixture(x[:, 0], y) == pytest.approx(E.mutual_info_knn(x[:, 0], y), abs=1e-12)


def test_near_the_truth_on_a_mixture_where_ksg_is_biased():
    x, y = _mixed(2, 10_000)
    truth = np.log(4)
    assert E.mutual_info_mixture(x, y) == pytest.approx(truth, abs=0.03)
    with pytest.warns(infokit.TiesWarning):
        ksg = E.mutual_info_knn(x, y)
    assert abs(ksg - truth) > 1.0  # the tied half collapses KSG's radii: far off, and worse with n


def test_discrete_pair_is_the_plugin_estimate():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 5, 20_000)
    b = (a + rng.integers(0, 2, 20_000)) % 5
    plugin = E.mutual_info_hist(a, b, bins=5)
    assert E.mutual_info_mixture(a, b) == pytest.approx(plugin, abs=1e-3)


def test_threads_layouts_base():
    x, y = _mixed(4, 20_000)
    a = E.mutual_info_mixture(x, y, n_threads=1)
    assert a == E.mutual_info_mixture(x, y, n_threads=2)
    wide = np.c_[x, y, x]
    assert E.mutual_info_mixture(wide[:, 0], wide[:, 1]) == a  # strided columns
    assert E.mutual_info_mixture(x, y, base=2) == pytest.approx(a / np.log(2))
    assert infokit.mutual_info_mixture is E.mutual_info_mixture


def test_bad_input():
    x, y = _mixed(5, 20)
    with pytest.raises(ValueError, match="k"):
        E.mutual_info_mixture(x, y, k=20)
    with pytest.raises(ValueError, match="k"):
        E.mutual_info_mixture(np.empty(0), np.empty(0))
    with pytest.raises(ValueError, match="samples"):
        E.mutual_info_mixture(x, y[:10])
    with pytest.raises(ValueError, match="y"):
        E.mutual_info_mixture(x, np.r_[y[:-1], np.inf])
    with pytest.raises(TypeError, match="x"):
        E.mutual_info_mixture(x.astype(complex), y)
