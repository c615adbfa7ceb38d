"""scikit-learn's mutual-information feature scores, computed in C++: the same validation,
scaling, noise (drawn from the same random stream in the same order), neighbour radii and
digamma terms, so the results equal scikit-learn's for the same `random_state`.

Continuous features against a continuous target use KSG 1 with a KD-tree in the joint space
and the target's sorted marginal built once for all features; continuous features against a
discrete target use Ross's estimator with the class lists built once.
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import _core
from ._labels import codes
from ._validation import check_threads
from .metrics import mutual_info_score

__all__ = ["mutual_info_regression", "mutual_info_classif"]


def _check_random_state(seed: Any) -> np.random.RandomState:
    """scikit-learn's check_random_state: the legacy RandomState stream it draws from."""
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral):
        return np.random.RandomState(int(seed))
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"{seed!r} cannot be used to seed a numpy.random.RandomState instance")


def _assert_finite(a: np.ndarray, name: str) -> None:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        if np.isnan(a).any():
            raise ValueError(f"Input {name} contains NaN.")
        raise ValueError(f"Input {name} contains infinity or a value too large for {a.dtype!r}.")


def _check_X_y(X: Any, y: Any, y_numeric: bool) -> tuple[Any, np.ndarray]:
    if hasattr(X, "tocsc"):  # scipy sparse: kept sparse (only discrete features are allowed)
        X = X.tocsc()
        if X.ndim != 2:
            raise ValueError("Expected 2D array")
        _assert_finite(X.data, "X")
        n = X.shape[0]
    else:
        X = np.asarray(X)
        if X.dtype.kind == "O":
            X = X.astype(np.float64)
        if X.dtype.kind not in "biuf":
            raise ValueError(f"dtype='numeric' is not compatible with arrays of bytes/strings")
        if X.ndim != 2:
            raise ValueError(f"Expected 2D array, got {X.ndim}D array instead")
        _assert_finite(X, "X")
        n = X.shape[0]
    if n < 1:
        raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is required.")
    ya = np.asarray(y)
    if ya.ndim == 2 and ya.shape[1] == 1:
        ya = ya.ravel()
    if ya.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {ya.shape} instead.")
    _assert_finite(ya, "y")
    if y_numeric and ya.dtype.kind == "O":
        ya = ya.astype(np.float64)
    if ya.shape[0] != n:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: [{n}, {ya.shape[0]}]")
    return X, ya


def _discrete_mask(discrete_features: Any, n_features: int, sparse: bool) -> np.ndarray:
    if isinstance(discrete_features, (str, bool)):
        if isinstance(discrete_features, str):
            if discrete_features != "auto":
                raise ValueError("Invalid string value for discrete_features.")
            discrete_features = sparse
        return np.full(n_features, bool(discrete_features))
    df = np.asarray(discrete_features)
    if df.dtype != bool:
        mask = np.zeros(n_features, dtype=bool)
        mask[df] = True
        return mask
    return df


def _column(X: Any, i: int) -> np.ndarray:
    if hasattr(X, "indptr"):
        x = np.zeros(X.shape[0])
        start, end = X.indptr[i], X.indptr[i + 1]
        x[X.indices[start:end]] = X.data[start:end]
        return x
    return np.asarray(X[:, i])


def _scale_1d(y: np.ndarray) -> np.ndarray:
    y = y.astype(np.float64) if y.dtype.kind != "f" else y.copy()
    s = np.std(y, 0)  # scikit-learn's nanstd, operation for operation: y holds no NaN
    if s == 0.0:  # scikit-learn's guard for a scalar scale: only an exact zero
        s = 1.0
    y /= s
    return y


def _scaled_with_noise(X: np.ndarray, rng: np.random.RandomState, nt: int) -> np.ndarray | None:
    """The continuous features' scaling and noise below, done in C++ and transposed: (n_features,
    n_samples), the same values, and rng advanced the same. None where the C++ pass would not
    reproduce NumPy's summation order (it sums the rows of a C-ordered array with two or more
    columns in order) or rng is not the MT19937 stream it reproduces."""
    if not X.flags.c_contiguous or X.shape[1] < 2:  # X.astype keeps the layout, and with it the order
        return None
    st = rng.get_state(legacy=False)
    if st["bit_generator"] != "MT19937":
        return None
    Xc = np.ascontiguousarray(X, dtype=np.float64)
    key = np.array(st["state"]["key"], dtype=np.uint32)
    xt, pos, has_gauss, gauss = _core.scale_with_legacy_noise(Xc, key, int(st["state"]["pos"]), bool(st["has_gauss"]),
                                                              float(st["gauss"]), nt)
    rng.set_state(("MT19937", key, pos, int(has_gauss), gauss))
    return np.asarray(xt)


def _cd_features(ct: np.ndarray, d: np.ndarray, n_neighbors: int, nt: int) -> np.ndarray:
    """Ross's MI of each row of ct against labels d; zeros when no class has two samples."""
    code, sizes = codes(d, nt)
    if not np.any(sizes > 1):
        return np.zeros(ct.shape[0])
    return _core.mutual_info_mixed_features(ct, code, int(sizes.size), n_neighbors, nt)


def _cd(c: np.ndarray, d: np.ndarray, n_neighbors: int, nt: int) -> float:
    ct = np.ascontiguousarray(c, dtype=np.float64)[None, :]
    return float(_cd_features(ct, d, n_neighbors, nt)[0])


def _estimate_mi(X: Any, y: Any, *, discrete_features: Any, discrete_target: bool, n_neighbors: int,
                 copy: bool, random_state: Any, n_jobs: int | None) -> np.ndarray:
    if not isinstance(n_neighbors, numbers.Integral) or isinstance(n_neighbors, bool) or n_neighbors < 1:
        raise ValueError(f"The 'n_neighbors' parameter must be an int in the range [1, inf). "
                         f"Got {n_neighbors!r} instead.")
    nt = check_threads(n_jobs)
    X, y = _check_X_y(X, y, y_numeric=not discrete_target)
    sparse = hasattr(X, "indptr")
    n_samples, n_features = X.shape
    discrete_mask = _discrete_mask(discrete_features, n_features, sparse)
    continuous_mask = ~discrete_mask
    if np.any(continuous_mask) and sparse:
        raise ValueError("Sparse matrix `X` can't have continuous features.")

    rng = _check_random_state(random_state)
    xt = None
    if not sparse and n_features >= 2 and bool(continuous_mask.all()):
        xt = _scaled_with_noise(X, rng, nt)
    if xt is None and np.any(continuous_mask):
        X = X.astype(np.float64, copy=copy)
        every = bool(continuous_mask.all())
        Xc = X if every else X[:, continuous_mask]  # all continuous: scaled in place, no copies
        # np.std is scikit-learn's np.nanstd operation for operation (the same sums in the same
        # order) once NaN is ruled out, as _check_X_y did, without nanstd's masked copy.
        s = np.std(Xc, 0)
        s[s < 10 * np.finfo(s.dtype).eps] = 1.0  # scikit-learn's guard for near-constant columns
        Xc /= s
        means = np.maximum(1, np.mean(np.abs(Xc), axis=0))
        # The noise for X is drawn before y's, from the same stream, as scikit-learn does, and
        # scaled in place: (1e-10 * means) * noise, the same products as scikit-learn's.
        noise = rng.standard_normal(size=(n_samples, int(np.sum(continuous_mask))))
        noise *= 1e-10 * means
        Xc += noise
        if not every:
            X[:, continuous_mask] = Xc
    if not discrete_target:
        y = _scale_1d(y)
        y += 1e-10 * np.maximum(1, np.mean(np.abs(y))) * rng.standard_normal(size=n_samples)

    mi = np.zeros(n_features)
    cont = np.flatnonzero(continuous_mask)
    if cont.size and n_samples > 1:
        if xt is None:
            xt = np.ascontiguousarray((X if cont.size == n_features else X[:, cont]).T, dtype=np.float64)
        if discrete_target:
            mi[cont] = _cd_features(xt, y, int(n_neighbors), nt)
        else:
            if n_neighbors >= n_samples:
                raise ValueError(f"Expected n_neighbors < n_samples_fit, but n_neighbors = {n_neighbors + 1}, "
                                 f"n_samples_fit = {n_samples}, n_samples = {n_samples}")
            mi[cont] = _core.mutual_info_ksg_features(xt, np.ascontiguousarray(y), int(n_neighbors), nt)
    for i in np.flatnonzero(discrete_mask):
        x = _column(X, int(i))
        if discrete_target:
            mi[i] = mutual_info_score(x, y)
        else:
            mi[i] = _cd(y, x, int(n_neighbors), nt)
    return np.maximum(mi, 0.0)


def mutual_info_regression(X: Any, y: Any, *, discrete_features: Any = "auto", n_neighbors: int = 3,
                           copy: bool = True, random_state: Any = None,
                           n_jobs: int | None = None) -> np.ndarray:
    """Mutual information between each feature and a continuous target.

    A drop-in for :func:`sklearn.feature_selection.mutual_info_regression`: the same
    validation, scaling, 1e-10 noise from the same random stream (so the same `random_state`
    gives the same result, to 1e-10), KSG 1 for continuous features and Ross's estimator for
    discrete ones, negative estimates clipped to 0.

    Parameters
    ----------
    X : array_like or sparse matrix of shape (n_samples, n_features)
        Features.
    y : array_like of shape (n_samples,)
        Target.
    discrete_features : {'auto'} or bool or array_like, default 'auto'
        Which features are discrete ('auto': all for sparse X, none for dense X); a boolean
        mask or indices.
    n_neighbors : int, default 3
        Neighbours of the estimators.
    copy : bool, default True
        Whether X is copied before scaling (False may overwrite it).
    random_state : int, RandomState instance or None
        Seed of the noise, as in scikit-learn.
    n_jobs : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    ndarray of shape (n_features,)
        Estimated MI of each feature with the target, in nats.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.feature_selection import mutual_info_regression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((1000, 2))
    >>> y = X[:, 0] + 0.1 * rng.standard_normal(1000)
    >>> mi = mutual_info_regression(X, y, random_state=0)
    >>> bool(mi[0] > 1.0 and mi[1] < 0.1)
    True
    """
    return _estimate_mi(X, y, discrete_features=discrete_features, discrete_target=False,
                        n_neighbors=n_neighbors, copy=copy, random_state=random_state, n_jobs=n_jobs)


def _check_classification_targets(y: Any) -> None:
    a = np.asarray(y)
    if a.dtype.kind == "f" and a.size and bool(np.any(a != np.floor(a))):
        raise ValueError("Unknown label type: continuous. Maybe you are trying to fit a classifier, "
                         "which expects discrete classes on a regression target with continuous values.")


def mutual_info_classif(X: Any, y: Any, *, discrete_features: Any = "auto", n_neighbors: int = 3,
                        copy: bool = True, random_state: Any = None,
                        n_jobs: int | None = None) -> np.ndarray:
    """Mutual information between each feature and a discrete target.

    A drop-in for :func:`sklearn.feature_selection.mutual_info_classif`: Ross's estimator for
    continuous features (with scikit-learn's scaling and noise from the same random stream),
    the contingency-table MI for discrete ones, negative estimates clipped to 0.

    Parameters
    ----------
    X : array_like or sparse matrix of shape (n_samples, n_features)
        Features.
    y : array_like of shape (n_samples,)
        Class labels.
    discrete_features : {'auto'} or bool or array_like, default 'auto'
        Which features are discrete ('auto': all for sparse X, none for dense X).
    n_neighbors : int, default 3
        Neighbours of the estimator.
    copy : bool, default True
        Whether X is copied before scaling.
    random_state : int, RandomState instance or None
        Seed of the noise, as in scikit-learn.
    n_jobs : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    ndarray of shape (n_features,)
        Estimated MI of each feature with the target, in nats.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.feature_selection import mutual_info_classif
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 1000)
    >>> X = np.c_[y + 0.1 * rng.standard_normal(1000), rng.standard_normal(1000)]
    >>> mi = mutual_info_classif(X, y, random_state=0)
    >>> bool(mi[0] > 0.6 and mi[1] < 0.1)
    True
    """
    _check_classification_targets(y)
    return _estimate_mi(X, y, discrete_features=discrete_features, discrete_target=True,
                        n_neighbors=n_neighbors, copy=copy, random_state=random_state, n_jobs=n_jobs)
