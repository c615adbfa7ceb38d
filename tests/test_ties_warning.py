"""TiesWarning: raised by the KSG-type estimators past the documented share of repeated
samples, naming the inputs; never by the scikit-learn drop-ins."""
import warnings

import numpy as np
import pytest

import infokit
from infokit import estimators as E
from infokit import feature_selection as FS
from infokit._ties import TIES_THRESHOLD, duplicate_fraction


def _with_repeats(share: float, n: int = 1000, seed: int = 0) -> np.ndarray:
    """Continuous samples of which the given share repeat an earlier sample."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    m = int(round(share * n))
    x[n - m:] = x[:m]
    return x


def test_is_a_user_warning_exported_at_top_level():
    assert issubclass(infokit.TiesWarning, UserWarning)


def test_duplicate_fraction():
    assert duplicate_fraction(np.array([[1.0], [2.0], [1.0], [1.0]])) == 0.5
    assert duplicate_fraction(np.array([[0.0], [-0.0]])) == 0.5  # equal values
    rows = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 2.0]])
    assert duplicate_fraction(rows) == pytest.approx(1 / 3)  # ties in one coordinate are not repeats
    assert duplicate_fraction(np.empty((0, 1))) == 0.0


def test_threshold_boundary():
    y = np.random.default_rng(1).standard_normal(1000)
    below = _with_repeats(TIES_THRESHOLD - 0.01)
    above = _with_repeats(TIES_THRESHOLD + 0.01)
    E.mutual_info_knn(below, y)  # filterwarnings=error: any warning would fail here
    with pytest.warns(infokit.TiesWarning, match=r"\bx \(11% of samples repeated\)"):
        E.mutual_info_knn(above, y)
    with pytest.warns(infokit.TiesWarning, match=r"\by \(11%"):
        E.mutual_info_knn(y, above)


def test_points_at_the_caller():
    with pytest.warns(infokit.TiesWarning) as record:
        E.mutual_info_knn(np.repeat(np.arange(50.0), 4), np.arange(200.0))
    assert record[0].filename == __file__


def test_conditional_mutual_info_warns_naming_z():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((2, 500))
    with pytest.warns(infokit.TiesWarning, match=r"\bz \("):
        E.conditional_mutual_info_knn(x, y, rng.integers(0, 4, 500))


def test_drop_ins_keep_scikit_learns_silence():
    rng = np.random.default_rng(3)
    X = rng.integers(0, 3, (300, 2)).astype(float)
    y = rng.integers(0, 3, 300).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FS.mutual_info_regression(X, y, discrete_features=False, random_state=0)
        FS.mutual_info_classif(X, y.astype(int), discrete_features=False, random_state=0)


def test_mixture_estimator_does_not_warn():
    x = np.repeat(np.arange(10.0), 20)
    E.mutual_info_mixture(x, x)
