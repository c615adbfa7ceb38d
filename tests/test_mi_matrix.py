"""infokit.mutual_info_matrix against the pairwise reference, its threads, layouts and input checks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import infokit
from infokit import estimators as E
from infokit.reference import estimators as R

SETTINGS = settings(max_examples=25, deadline=None)


def _data(seed: int, n: int, d: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X[:, 1:] += 0.7 * X[:, :1]  # dependent columns
    return X


@SETTINGS
@given(st.integers(0, 2**31), st.integers(8, 60), st.integers(1, 4), st.integers(1, 4), st.booleans())
def test_matches_reference(seed, n, d, k, f32):
    X = _data(seed, n, d)
    if f32:
        X = X.astype(np.float32)
    ref64 = X.astype(np.float64)
    got = infokit.mutual_info_matrix(X, k=k)
    np.testing.assert_allclose(got, R.mutual_info_matrix(ref64, k, "knn"), rtol=0, atol=1e-10)
    got = infokit.mutual_info_matrix(X, method="hist", bins=5)
    np.testing.assert_allclose(got, R.mutual_info_matrix(ref64, method="hist", bins=5), rtol=0, atol=1e-12)
    got = infokit.mutual_info_matrix(X, method="gaussian")
    np.testing.assert_allclose(got, R.mutual_info_matrix(ref64, method="gaussian"), rtol=1e-9, atol=1e-12)


def test_knn_entries_are_mutual_info_knn_bit_for_bit():
    X = _data(1, 3000, 4)
    M = infokit.mutual_info_matrix(X, k=4)
    for i in range(4):
        for j in range(4):
            if i != j:
                assert M[i, j] == E.mutual_info_knn(X[:, i], X[:, j], k=4)
    assert np.all(np.isinf(np.diag(M)))


def test_hist_diagonal_and_gaussian_entries():
    X = _data(2, 2000, 3)
    M = infokit.mutual_info_matrix(X, method="hist", bins="fd")
    for i in range(3):
        assert M[i, i] == pytest.approx(E.mutual_info_hist(X[:, i], X[:, i], bins="fd"), abs=1e-12)
        for j in range(3):
            if i != j:
                assert M[i, j] == pytest.approx(E.mutual_info_hist(X[:, i], X[:, j], bins="fd"), abs=1e-12)
    G = infokit.mutual_info_matrix(X, method="gaussian")
    assert G[0, 2] == pytest.approx(E.mutual_info_gaussian(X[:, 0], X[:, 2]), rel=1e-9)
    # A constant column carries no information.
    G = infokit.mutual_info_matrix(np.c_[X, np.ones(2000)], method="gaussian")
    assert np.all(G[3, :3] == 0.0) and np.all(G[:3, 3] == 0.0)


@pytest.mark.parametrize("d", [2, 6])  # one pair (threads inside it), several (one per thread)
def test_threads_identical(d):
    X = _data(3, 5000, d)
    a = infokit.mutual_info_matrix(X, n_threads=1)
    b = infokit.mutual_info_matrix(X, n_threads=2)
    assert np.array_equal(a, b)
    assert np.array_equal(a, a.T)


def test_non_contiguous_and_base():
    wide = _data(4, 400, 8)
    X = wide[::2, ::2]  # strided in both axes
    ref = infokit.mutual_info_matrix(np.ascontiguousarray(X))
    assert np.array_equal(infokit.mutual_info_matrix(X), ref)
    assert np.array_equal(infokit.mutual_info_matrix(np.asfortranarray(X)), ref)
    np.testing.assert_allclose(infokit.mutual_info_matrix(X, base=2), ref / np.log(2))


def test_empty_inputs():
    assert infokit.mutual_info_matrix(np.empty((10, 0))).shape == (0, 0)
    for method in ("knn", "hist", "gaussian"):
        with pytest.raises(ValueError):
            infokit.mutual_info_matrix(np.empty((0, 3)), method=method)


def test_ties_warning_names_columns():
    rng = np.random.default_rng(5)
    X = np.c_[rng.standard_normal(1000), rng.integers(0, 5, 1000)]
    with pytest.warns(infokit.TiesWarning, match=r"X\[:, 1\]") as record:
        infokit.mutual_info_matrix(X)
    assert "X[:, 0]" not in str(record[0].message)
    infokit.mutual_info_matrix(X, method="hist")  # binning has no trouble with ties: no warning


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"method": "ksg"}, ValueError, "method"),
    ({"bins": 0}, ValueError, "bins"),
    ({"bins": 2.5}, TypeError, "bins"),
    ({"k": 0}, ValueError, "k"),
    ({"k": 50}, ValueError, "k"),
    ({"n_threads": 0}, ValueError, "n_threads"),
    ({"base": -1.0}, ValueError, "base"),
])
def test_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        infokit.mutual_info_matrix(_data(6, 50, 2), **kwargs)


def test_bad_samples():
    with pytest.raises(ValueError, match="X"):
        infokit.mutual_info_matrix(np.ones(10))
    with pytest.raises(ValueError, match="X"):
        infokit.mutual_info_matrix(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(TypeError, match="X"):
        infokit.mutual_info_matrix(np.ones((5, 2), dtype=complex))
