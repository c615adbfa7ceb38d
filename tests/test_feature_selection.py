import numpy as np
import pytest

from infokit import feature_selection as F

S = pytest.importorskip("sklearn.feature_selection")


@pytest.mark.parametrize("n", [10, 200, 3000])
@pytest.mark.parametrize("discrete", ["auto", [2], False])
def test_parity_with_sklearn(n, discrete):
    rng = np.random.default_rng(n)
    X = rng.standard_normal((n, 3))
    X[:, 2] = rng.integers(0, 4, n)
    y = X[:, 0] + rng.standard_normal(n)
    yc = (X[:, 1] > 0).astype(int) + (X[:, 0] > 1)
    for seed in (0, np.random.RandomState(3)):
        s2 = seed if isinstance(seed, int) else np.random.RandomState(3)
        a = F.mutual_info_regression(X, y, discrete_features=discrete, random_state=seed)
        b = S.mutual_info_regression(X, y, discrete_features=discrete, random_state=s2)
        np.testing.assert_allclose(a, b, atol=1e-10, rtol=0)
    a = F.mutual_info_classif(X, yc, discrete_features=discrete, random_state=1)
    b = S.mutual_info_classif(X, yc, discrete_features=discrete, random_state=1)
    np.testing.assert_allclose(a, b, atol=1e-10, rtol=0)


def test_ties_constant_and_small_classes():
    rng = np.random.default_rng(4)
    n = 300
    X = np.c_[rng.integers(0, 3, n).astype(float), np.zeros(n), rng.standard_normal(n)]
    y = rng.integers(0, 6, n).astype(float)
    y[:5] = 10 + np.arange(5)  # singleton classes
    for k in (1, 3, 5):
        np.testing.assert_allclose(F.mutual_info_regression(X, y, n_neighbors=k, random_state=0),
                                   S.mutual_info_regression(X, y, n_neighbors=k, random_state=0), atol=1e-10)
        np.testing.assert_allclose(F.mutual_info_classif(X, y, n_neighbors=k, random_state=0),
                                   S.mutual_info_classif(X, y, n_neighbors=k, random_state=0), atol=1e-10)


def test_parity_on_awkward_columns_at_scale():
    """Columns whose marginal counts defeat the kernel's guesses (heavy tails, clumps of
    duplicates, values on a coarse grid, a constant) at a size where the guessed windows and
    the fallbacks past them are all taken, against scikit-learn and across thread counts."""
    rng = np.random.default_rng(12)
    n = 20_000
    z = rng.standard_normal(n)
    X = np.c_[np.exp(3 * z), z[rng.integers(0, n // 50, n)], np.round(z, 1), np.full(n, 2.5)]
    y = z**3 + rng.standard_normal(n)
    a = F.mutual_info_regression(X, y, random_state=0, n_jobs=1)
    np.testing.assert_allclose(a, S.mutual_info_regression(X, y, random_state=0), atol=1e-10, rtol=0)
    assert np.array_equal(a, F.mutual_info_regression(X, y, random_state=0, n_jobs=2))
    for j in range(X.shape[1]):  # one feature: the threads work inside the kernel
        b = F.mutual_info_regression(X[:, [j]], y, random_state=0, n_jobs=1)
        assert np.array_equal(b, F.mutual_info_regression(X[:, [j]], y, random_state=0, n_jobs=2))


def test_sparse_discrete():
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(5)
    X = sp.random(200, 4, density=0.3, random_state=1, format="csr")
    X.data = np.round(X.data * 3)
    y = rng.integers(0, 3, 200)
    np.testing.assert_allclose(F.mutual_info_classif(X, y), S.mutual_info_classif(X, y), atol=1e-10)
    yr = rng.standard_normal(200)
    np.testing.assert_allclose(F.mutual_info_regression(X, yr, random_state=0),
                               S.mutual_info_regression(X, yr, random_state=0), atol=1e-10)


def test_threads_identical():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((20_000, 3))
    y = X[:, 0] + rng.standard_normal(20_000)
    a = F.mutual_info_regression(X, y, random_state=0, n_jobs=1)
    b = F.mutual_info_regression(X, y, random_state=0, n_jobs=2)
    assert np.array_equal(a, b)


def test_bad_input():
    X = np.ones((10, 2))
    X[0, 0] = np.nan
    for f in (F.mutual_info_regression, S.mutual_info_regression):
        with pytest.raises(ValueError, match="NaN"):
            f(X, np.arange(10.0))
    with pytest.raises(ValueError):
        F.mutual_info_regression(np.ones(10), np.arange(10.0))
    with pytest.raises(ValueError):
        F.mutual_info_regression(np.ones((10, 2)), np.arange(9.0))
    with pytest.raises(ValueError):
        F.mutual_info_classif(np.ones((10, 2)), np.linspace(0, 1, 10))
    with pytest.raises(ValueError):
        F.mutual_info_regression(np.ones((10, 2)), np.arange(10.0), n_neighbors=0)
