"""Pairwise mutual information of all columns of a sample matrix, each column's sort (or
binning) done once and shared by every pair it is in."""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from . import _core
from ._ties import warn_if_tied
from ._validation import check_base, check_threads, log_base
from .estimators import _check_k

__all__ = ["mutual_info_matrix"]

METHODS = ("knn", "hist", "gaussian")


def check_method(method: Any) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
    return str(method)


def check_bins(bins: Any) -> int | str:
    """One bin specification for every column: a positive count or a NumPy rule name."""
    if isinstance(bins, str):
        return bins
    if isinstance(bins, numbers.Integral) and not isinstance(bins, bool):
        if int(bins) < 1:
            raise ValueError(f"bins must be positive, got {bins}")
        return int(bins)
    raise TypeError(f"bins must be an int or the name of a NumPy bin rule, got {type(bins).__name__}")


def sample_matrix(X: Any) -> np.ndarray:
    """X as a finite float64 (n_samples, n_features) array."""
    a = np.asarray(X)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"X must be a real numeric array, got dtype {a.dtype}")
    if a.ndim != 2:
        raise ValueError(f"X must be 2-d (n_samples, n_features), got shape {a.shape}")
    a = a.astype(np.float64, copy=False)
    if not np.isfinite(a).all():
        raise ValueError("X must not contain NaN or infinity")
    return a


def bin_codes(col: np.ndarray, bins: int | str) -> tuple[np.ndarray, int]:
    """Each sample's bin (NumPy's edges over the column's range, last bin closed) and the count."""
    edges = np.histogram_bin_edges(col, bins=bins)
    nb = edges.size - 1
    codes = np.clip(np.searchsorted(edges, col, side="right") - 1, 0, nb - 1)
    return np.ascontiguousarray(codes, dtype=np.int64), nb


def c_log_c(counts: np.ndarray) -> float:
    """sum of c log c over the non-zero counts: the plug-in entropy's data term."""
    c = counts[counts > 0].astype(np.float64)
    return float(np.sum(c * np.log(c)))


def _knn(a: np.ndarray, k: Any, nt: int) -> np.ndarray:
    n, d = a.shape
    kk = _check_k(k, n)
    xt = np.ascontiguousarray(a.T)
    warn_if_tied({f"X[:, {j}]": xt[j][:, None] for j in range(d)}, stacklevel=3)
    out = _core.mutual_info_ksg_matrix(xt, kk, nt)
    np.fill_diagonal(out, np.inf)
    return out


def _hist(a: np.ndarray, bins: int | str, nt: int) -> np.ndarray:
    n, d = a.shape
    if n == 0:
        raise ValueError("X has no samples")
    coded = [bin_codes(a[:, j], bins) for j in range(d)]
    s_marg = [c_log_c(np.bincount(c, minlength=nb)) for c, nb in coded]
    log_n = math.log(n)
    out = np.empty((d, d))
    for i in range(d):
        out[i, i] = log_n - s_marg[i] / n  # H of the binned column: its MI with itself
        for j in range(i + 1, d):
            table = _core.contingency(coded[i][0], coded[j][0], coded[i][1], coded[j][1], nt)
            out[i, j] = out[j, i] = log_n + (c_log_c(table) - s_marg[i] - s_marg[j]) / n
    return out


def _gaussian(a: np.ndarray) -> np.ndarray:
    n, d = a.shape
    if n < 2:
        raise ValueError(f"method='gaussian' needs at least two samples, got {n}")
    c = a - a.mean(axis=0)
    cov = c.T @ c
    sd = np.sqrt(np.diag(cov))
    # A constant column carries no information about any other: its correlations are 0.
    scale = np.where(sd > 0, sd, np.inf)
    r = np.clip(cov / np.outer(scale, scale), -1.0, 1.0)
    with np.errstate(divide="ignore"):
        out: np.ndarray = -0.5 * np.log1p(-r * r)
    np.fill_diagonal(out, np.inf)
    return out


def mutual_info_matrix(X: Any, *, k: int = 3, method: str = "knn", bins: int | str = 10,
                       n_threads: int | None = None, base: float | None = None) -> np.ndarray:
    """Mutual information between every pair of columns of a sample matrix.

    ``M[i, j]`` estimates I(X_i; X_j) from the paired samples in columns i and j. Each column
    is prepared once and shared by every pair it is in, instead of once per pair:

    - ``"knn"``: KSG 1 (:func:`infokit.estimators.mutual_info_knn` with ``algorithm=1``), each
      column sorted once; the pairs run in parallel in C++, one per thread, and the result does
      not depend on the thread count. Warns with :class:`infokit.TiesWarning` naming the
      columns in which more than 10 % of the samples repeat.
    - ``"hist"``: the plug-in estimate of :func:`infokit.estimators.mutual_info_hist` with the
      same ``bins`` for every column over its own range; each column is binned once.
    - ``"gaussian"``: ``-0.5 log(1 - r_ij^2)`` from the sample correlations, as
      :func:`infokit.estimators.mutual_info_gaussian`; a constant column has MI 0 with all.

    The diagonal holds I(X_i; X_i) = H(X_i): +inf for ``"knn"`` and ``"gaussian"`` (a
    continuous variable has unbounded information about itself), and the plug-in entropy of
    the binned column for ``"hist"`` (what ``mutual_info_hist(x, x)`` gives).

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Samples, one variable a column.
    k : int, default 3
        Neighbour order for ``"knn"``, 1 <= k < n_samples.
    method : {"knn", "hist", "gaussian"}, default "knn"
        The estimator.
    bins : int or str, default 10
        For ``"hist"``: the number of equal-width bins, or a NumPy rule ("fd", "sturges",
        "auto", ...) applied to each column.
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.
    base : float, optional
        Logarithm base (default e: nats).

    Returns
    -------
    ndarray of shape (n_features, n_features)
        The symmetric matrix of estimates.

    Examples
    --------
    >>> import numpy as np
    >>> import infokit
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(5_000)
    >>> X = np.c_[x, 0.6 * x + 0.8 * rng.standard_normal(5_000), rng.standard_normal(5_000)]
    >>> M = infokit.mutual_info_matrix(X)
    >>> M.shape, bool(np.all(M == M.T)), float(M[0, 0])
    ((3, 3), True, inf)
    >>> round(float(M[0, 1]), 1)  # -0.5 log(1 - 0.36) = 0.22
    0.2
    >>> bool(abs(M[0, 2]) < 0.05 and abs(M[1, 2]) < 0.05)  # X2 is independent of both
    True
    """
    m = check_method(method)
    b = check_base(base)
    nt = check_threads(n_threads)
    bn = check_bins(bins)
    a = sample_matrix(X)
    if m == "knn":
        out = _knn(a, k, nt)
    elif m == "hist":
        out = _hist(a, bn, nt)
    else:
        out = _gaussian(a)
    return out / log_base(b)
