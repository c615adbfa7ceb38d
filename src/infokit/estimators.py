"""Entropy and mutual information estimated from samples (nats unless `base` is given).

Histogram estimators bin the samples in one pass in C++ (NumPy's bin edges and edge rules)
and evaluate the plug-in formula on the counts, optionally with the Miller-Madow correction.
The k-nearest-neighbour estimators (Kozachenko-Leonenko, KSG, Ross, Frenzel-Pompe, and Gao et
al.'s for tied and mixed data) work in the max-norm with a KD-tree for the joint space and
sorted marginals for 1-D counts.
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Literal, Sequence, overload

import numpy as np

from . import _core
from ._subsample import subsample_std
from ._ties import warn_if_tied
from ._validation import check_base, check_threads, kernel_input, log_base

__all__ = [
    "entropy_hist", "mutual_info_hist", "entropy_knn", "mutual_info_knn", "mutual_info_mixed",
    "conditional_mutual_info_knn", "mutual_info_gaussian", "mutual_info_mixture",
]

_CORRECTIONS = (None, "miller_madow")


def _real_2d(x: Any, name: str, require_columns: bool) -> np.ndarray:
    """(n,) or (n, d) real samples as an (n, d) array: the checks both sample readers share."""
    a = np.asarray(x)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, got dtype {a.dtype}")
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or (require_columns and a.shape[1] < 1):
        raise ValueError(f"{name} must be 1-d or 2-d (n_samples, n_dims), got shape {a.shape}")
    return a


def _samples(x: Any, name: str, max_dims: int = 3) -> np.ndarray:
    """(n,) or (n, d) real samples as an (n, d) array of a kernel dtype (float32 stays)."""
    a = _real_2d(x, name, require_columns=False)
    if a.shape[1] < 1 or a.shape[1] > max_dims:
        raise ValueError(f"{name} must have 1 to {max_dims} dimensions, got {a.shape[1]}")
    dt = a.dtype if a.dtype in (np.float32, np.float64) else np.dtype(np.float64)
    return kernel_input(a, dt)


def _per_dim(spec: Any, d: int, name: str, is_single: Any) -> list[Any]:
    if is_single(spec):
        return [spec] * d
    if isinstance(spec, (list, tuple)) and len(spec) == d:
        return list(spec)
    raise ValueError(f"{name} must be one specification or a sequence of {d} of them")


def _is_single_bins(b: Any) -> bool:
    if isinstance(b, (str, numbers.Integral)):
        return True
    arr = np.asarray(b) if not isinstance(b, (list, tuple)) or all(isinstance(v, numbers.Real) for v in b) else None
    return arr is not None and arr.ndim == 1 and arr.dtype.kind in "biuf" and not (
        isinstance(b, (list, tuple)) and all(isinstance(v, numbers.Integral) for v in b) and len(b) <= 3)


def _is_single_range(r: Any) -> bool:
    return r is None or (isinstance(r, (list, tuple, np.ndarray)) and len(r) == 2
                         and all(isinstance(v, numbers.Real) for v in r))


def _joint_counts(columns: list[np.ndarray], bins: Any, range: Any, n_threads: int,
                  ) -> tuple[np.ndarray, list[np.ndarray]]:
    d = len(columns)
    bin_specs = _per_dim(bins, d, "bins", _is_single_bins)
    ranges = _per_dim(range, d, "range", _is_single_range)
    edges, uniform = [], []
    for col, b, r in zip(columns, bin_specs, ranges):
        if isinstance(b, numbers.Integral) and b < 1:
            raise ValueError("`bins` must be positive, when an integer")
        if isinstance(b, numbers.Integral):
            # float64 linspace edges whatever the sample dtype, as np.histogramdd builds them.
            if r is None:
                if col.size == 0:
                    lo, hi = 0.0, 1.0
                else:
                    # One fused pass in C++ (np.min + np.max read the column twice).
                    lo, hi = _core.min_max(col, n_threads)
                    if not (np.isfinite(lo) and np.isfinite(hi)):
                        raise ValueError(f"autodetected range of [{lo}, {hi}] is not finite")
                if lo == hi:
                    lo, hi = lo - 0.5, hi + 0.5
            else:
                lo, hi = float(r[0]), float(r[1])
                if not (np.isfinite(lo) and np.isfinite(hi)) or lo > hi:
                    raise ValueError("range must be finite with min <= max")
            e = np.linspace(lo, hi, int(b) + 1)
        else:
            e = np.histogram_bin_edges(col, bins=b, range=None if r is None else tuple(r))
        edges.append(np.ascontiguousarray(e, dtype=np.float64))
        # Integer counts and NumPy's rules give linspace edges: binned by one multiply.
        uniform.append(isinstance(b, (str, numbers.Integral)))
    counts = _core.histogram(columns, edges, uniform, n_threads)
    return counts, edges


def _plugin_entropy(counts: np.ndarray, log_volume: np.ndarray | float | None = None) -> tuple[float, int, int]:
    """(sum over non-empty cells of c log(c / v), cells used, total) for cell volumes v."""
    c = counts.ravel()
    nz = c > 0
    cf = c[nz].astype(np.float64)
    s = float(np.sum(cf * np.log(cf)))
    if log_volume is not None:
        lv = np.broadcast_to(log_volume, counts.shape).ravel()[nz]
        s -= float(np.sum(cf * lv))
    return s, int(nz.sum()), int(c.sum())


def _columns(a: np.ndarray) -> list[np.ndarray]:
    """The columns of an (n, d) sample array, as the histogram kernel takes them."""
    return [a[:, j] for j in np.arange(a.shape[1])]


def _counted_plugin_entropy(counts: np.ndarray, log_volume: np.ndarray | float | None = None,
                            ) -> tuple[float, int, int]:
    """_plugin_entropy of the full histogram, refusing one in which no sample was counted."""
    s, used, n = _plugin_entropy(counts, log_volume)
    if n == 0:
        raise ValueError("no sample lies within the bins")
    return s, used, n


def _check_correction(correction: Any) -> None:
    if correction not in _CORRECTIONS:
        raise ValueError(f"correction must be None or 'miller_madow', got {correction!r}")


def entropy_hist(x: Any, bins: Any = 10, range: Any = None, *, correction: str | None = None,
                 base: float | None = None, n_threads: int | None = None) -> float:
    """Differential entropy of samples estimated from their histogram.

    ``H = -sum_i p_i log(p_i / w_i)`` over the non-empty bins, where ``p_i`` is the fraction of
    the counted samples in bin i and ``w_i`` its width (area, volume). Samples outside the bins
    (or NaN) are not counted, as in :func:`numpy.histogram`.

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, d), d <= 3
        Samples.
    bins : int, str, or array_like, or a sequence of these per dimension
        Number of equal-width bins, a NumPy rule ('auto', 'fd', 'sturges', ...), or the edges;
        exactly as :func:`numpy.histogram_bin_edges` reads it.
    range : (float, float) or a sequence of them per dimension, optional
        Lower and upper edges; default the data's minimum and maximum.
    correction : {None, 'miller_madow'}
        'miller_madow' adds (m - 1) / (2 n) for m non-empty bins, the first-order bias term.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads for the binning (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        The entropy estimate.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import entropy_hist
    >>> x = np.random.default_rng(0).uniform(0, 4, 100_000)
    >>> round(entropy_hist(x, bins=8, range=(0, 4)), 2)  # log(4)
    1.39
    """
    _check_correction(correction)
    b = check_base(base)
    nt = check_threads(n_threads)
    xs = _samples(x, "x")
    columns = _columns(xs)
    counts, edges = _joint_counts(columns, bins, range, nt)
    log_w = np.zeros(counts.shape)
    for j, e in enumerate(edges):
        shape = [1] * len(edges)
        shape[j] = -1
        with np.errstate(divide="ignore"):
            log_w = log_w + np.log(np.diff(e)).reshape(shape)
    s, used, n = _counted_plugin_entropy(counts, log_w)
    h = math.log(n) - s / n
    if correction == "miller_madow":
        h += (used - 1) / (2.0 * n)
    return h / log_base(b)


def mutual_info_hist(x: Any, y: Any, bins: Any = 10, range: Any = None, *,
                     correction: str | None = None, base: float | None = None,
                     n_threads: int | None = None) -> float:
    """Mutual information of paired samples estimated from their joint histogram.

    The plug-in estimate ``sum_ij p_ij log(p_ij / (p_i p_j))`` over the joint histogram of
    (x, y), built in one pass in C++ (per-thread tables merged in a fixed order), with the
    marginals taken from it. x and y may each be multivariate, with at most 3 dimensions in all.

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, dx)
    y : array_like of shape (n_samples,) or (n_samples, dy)
        Paired samples; dx + dy <= 3.
    bins : int, str, or array_like, or a sequence of these per dimension (x's, then y's)
        As :func:`numpy.histogram_bin_edges` reads it, per dimension; NumPy's conventions
        (last bin closed, samples outside the edges or NaN ignored).
    range : (float, float) or a sequence of them per dimension, optional
        Lower and upper edges; default each dimension's minimum and maximum.
    correction : {None, 'miller_madow'}
        'miller_madow' applies the (m - 1) / (2 n) correction to each of H(X), H(Y) and
        H(X, Y); the corrected estimate may be negative.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads for the binning (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        The mutual information estimate.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import mutual_info_hist
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 4, 100_000).astype(float)
    >>> round(mutual_info_hist(x, x, bins=4), 3)  # H(X) = log(4)
    1.386
    """
    _check_correction(correction)
    b = check_base(base)
    nt = check_threads(n_threads)
    xs, ys = _samples(x, "x", 2), _samples(y, "y", 2)
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(f"x and y must have the same number of samples, got {xs.shape[0]} and {ys.shape[0]}")
    if xs.shape[1] + ys.shape[1] > 3:
        raise ValueError("x and y may have at most 3 dimensions in all")
    if xs.dtype != ys.dtype:
        xs, ys = xs.astype(np.float64), ys.astype(np.float64)
    columns = _columns(xs) + _columns(ys)
    counts, _ = _joint_counts(columns, bins, range, nt)
    dx = xs.shape[1]
    axes_y = tuple(np.arange(dx, counts.ndim))
    axes_x = tuple(np.arange(dx))
    s_xy, m_xy, n = _counted_plugin_entropy(counts)
    s_x, m_x, _ = _plugin_entropy(counts.sum(axis=axes_y))
    s_y, m_y, _ = _plugin_entropy(counts.sum(axis=axes_x))
    mi = math.log(n) + (s_xy - s_x - s_y) / n
    if correction == "miller_madow":
        mi += ((m_x - 1) + (m_y - 1) - (m_xy - 1)) / (2.0 * n)
    return mi / log_base(b)


def _knn_samples(x: Any, name: str) -> np.ndarray:
    """(n,) or (n, d) samples as a C-ordered float64 (n, d) array; NaN and inf refused."""
    a = np.ascontiguousarray(_real_2d(x, name, require_columns=True), dtype=np.float64)
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must not contain NaN or infinity")
    return a


def _check_positive_k(k: Any) -> int:
    """k as an int if it is a positive integer (not a bool): every k-NN estimator's first check."""
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or int(k) < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return int(k)


def _check_k(k: Any, n: int) -> int:
    _check_positive_k(k)
    if int(k) >= n:
        raise ValueError(f"k must be smaller than the number of samples ({n}), got {k}")
    return int(k)


def _same_n(*arrays: np.ndarray) -> int:
    n = arrays[0].shape[0]
    if any(a.shape[0] != n for a in arrays):
        raise ValueError("all inputs must have the same number of samples, got "
                         + ", ".join(str(a.shape[0]) for a in arrays))
    return int(n)


def entropy_knn(x: Any, k: int = 3, *, base: float | None = None, n_threads: int | None = None) -> float:
    """Differential entropy by the Kozachenko-Leonenko k-nearest-neighbour estimator.

    ``H = psi(n) - psi(k) + (d / n) sum_i log(2 e_i)``, with ``e_i`` the max-norm distance from
    sample i to its k-th nearest neighbour (the max-norm ball of radius e has volume (2e)^d).
    Duplicate samples give zero distances and -inf.

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, d)
        Samples of a continuous distribution.
    k : int, default 3
        Neighbour order, 1 <= k < n_samples.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        The entropy estimate.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import entropy_knn
    >>> x = np.random.default_rng(0).standard_normal(20_000)
    >>> round(entropy_knn(x), 1)  # 0.5 log(2 pi e) = 1.419
    1.4
    """
    b = check_base(base)
    xs = _knn_samples(x, "x")
    kk = _check_k(k, xs.shape[0])
    return _core.entropy_kl(xs, kk, check_threads(n_threads)) / log_base(b)


@overload
def mutual_info_knn(x: Any, y: Any, k: int = ..., *, algorithm: int = ..., base: float | None = ...,
                    n_threads: int | None = ..., return_std: Literal[False] = ...,
                    random_state: Any = ...) -> float: ...


@overload
def mutual_info_knn(x: Any, y: Any, k: int = ..., *, algorithm: int = ..., base: float | None = ...,
                    n_threads: int | None = ..., return_std: Literal[True],
                    random_state: Any = ...) -> tuple[float, float]: ...


def mutual_info_knn(x: Any, y: Any, k: int = 3, *, algorithm: int = 1, base: float | None = None,
                    n_threads: int | None = None, return_std: bool = False,
                    random_state: Any = None) -> float | tuple[float, float]:
    """Mutual information by the Kraskov-Stoegbauer-Grassberger k-nearest-neighbour estimator.

    Algorithm 1: ``psi(k) + psi(n) - <psi(n_x + 1) + psi(n_y + 1)>`` where ``n_x`` counts the
    samples strictly closer in x than the k-th neighbour in the joint space (max-norm);
    algorithm 2: ``psi(k) - 1/k + psi(n) - <psi(n_x) + psi(n_y)>`` with ``n_x`` counting
    samples within the largest x-distance among the k neighbours. The joint search uses a
    KD-tree; one-dimensional marginals are counted by binary search on a sorted copy.

    KSG assumes continuous variables: when more than 10 % of the samples of x or of y repeat
    an earlier sample it warns with :class:`infokit.TiesWarning` (ties bias it; see
    :func:`mutual_info_mixture` for tied or discrete-continuous data).

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, dx)
    y : array_like of shape (n_samples,) or (n_samples, dy)
        Paired samples of continuous variables.
    k : int, default 3
        Neighbour order, 1 <= k < n_samples.
    algorithm : {1, 2}, default 1
        Which KSG estimator.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.
    return_std : bool, default False
        Also return a standard error, from the spread of the estimates on 10 disjoint random
        subsamples of n_samples / 10 each: their standard deviation divided by sqrt(10), since
        the estimator's variance falls as 1 / n_samples. It measures the statistical spread of
        the estimate, not KSG's bias; it is itself uncertain by about 25 %, and needs
        n_samples >= 10 (k + 1). The extra cost is about one more estimate.
    random_state : None, int or numpy.random.Generator, optional
        Seeds the random split into subsamples (used only with ``return_std=True``).

    Returns
    -------
    float, or (float, float) with ``return_std=True``
        The estimate (not clipped: it may be slightly negative for independent variables),
        and its standard error.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import mutual_info_knn
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(10_000)
    >>> y = 0.6 * x + 0.8 * rng.standard_normal(10_000)  # rho = 0.6
    >>> round(mutual_info_knn(x, y), 2)  # -0.5 log(1 - 0.36) = 0.223
    0.22
    >>> mi, se = mutual_info_knn(x, y, return_std=True, random_state=0)
    >>> bool(0.002 < se < 0.02)  # about 0.007 at this size
    True
    """
    if algorithm not in (1, 2):
        raise ValueError(f"algorithm must be 1 or 2, got {algorithm!r}")
    b = check_base(base)
    xs, ys = _knn_samples(x, "x"), _knn_samples(y, "y")
    kk = _check_k(k, _same_n(xs, ys))
    nt = check_threads(n_threads)
    warn_if_tied({"x": xs, "y": ys}, stacklevel=2)
    mi = _core.mutual_info_ksg(xs, ys, kk, int(algorithm), nt) / log_base(b)
    if not return_std:
        return mi
    std = subsample_std(lambda xp, yp: _core.mutual_info_ksg(xp, yp, kk, int(algorithm), nt), (xs, ys),
                        kk + 1, random_state)
    return mi, std / log_base(b)


def mutual_info_mixture(x: Any, y: Any, k: int = 3, *, base: float | None = None,
                        n_threads: int | None = None) -> float:
    """Mutual information of discrete, continuous or mixed samples (Gao et al. 2017).

    The estimator of Gao, Kannan, Oh and Viswanath, "Estimating mutual information for
    discrete-continuous mixtures" (NeurIPS 2017), on KSG 1's terms as the authors' code writes
    them: ``psi(n) + <psi(k_i) - psi(n_x + 1) - psi(n_y + 1)>``. Where a sample's k-th neighbour
    in the joint space (max-norm) is at a positive distance, ``k_i = k`` and the counts are
    taken strictly within that distance: KSG 1 (:func:`mutual_info_knn`) exactly, up to
    rounding. Where it is at distance zero (the sample has k or more exact copies), ``k_i``
    counts the samples equal to it and ``n_x + 1``, ``n_y + 1`` those equal to it in x and in y,
    itself included: the plug-in terms of a discrete variable. It is consistent for discrete,
    continuous and mixed variables (a spike of repeated values on a continuum, discrete x
    against continuous y), where KSG's ties bias it without bound.

    The paper's Algorithm 1 writes ``log n - log(n_x + 1) - log(n_y + 1)`` with counts within
    (not strictly within) the distance; on continuous data that carries a bias of order 1/k
    (-0.04 nats for independent Gaussians at k = 3, n = 2000), which the digamma form avoids.

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, dx)
    y : array_like of shape (n_samples,) or (n_samples, dy)
        Paired samples; each variable discrete (any real codes), continuous, or a mixture.
    k : int, default 3
        Neighbour order, 1 <= k < n_samples.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        The estimate (not clipped).

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import mutual_info_mixture
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 4, 20_000).astype(float)
    >>> noisy = rng.random(20_000) < 0.5  # half of y is x exactly, half x plus noise
    >>> y = np.where(noisy, x + rng.uniform(0, 0.5, 20_000), x)
    >>> round(mutual_info_mixture(x, y), 2)  # log 4 = 1.386: y determines x
    1.39
    """
    b = check_base(base)
    xs, ys = _knn_samples(x, "x"), _knn_samples(y, "y")
    kk = _check_k(k, _same_n(xs, ys))
    return _core.mutual_info_mixture(xs, ys, kk, check_threads(n_threads)) / log_base(b)


def mutual_info_mixed(c: Any, d: Any, k: int = 3, *, base: float | None = None,
                      n_threads: int | None = None) -> float:
    """Mutual information between a continuous variable and a discrete one (Ross 2014).

    ``psi(n) + <psi(k_i)> - <psi(n_class)> - <psi(m_i)>`` with scikit-learn's conventions:
    samples whose class has a single member are dropped, ``k_i = min(k, n_class - 1)``, and
    ``m_i`` counts the remaining samples (itself included) strictly within the distance from
    sample i to its k-th neighbour of the same class.

    Parameters
    ----------
    c : array_like of shape (n_samples,) or (n_samples, d)
        Continuous samples.
    d : array_like of shape (n_samples,)
        Labels (any hashable, sortable values).
    k : int, default 3
        Neighbour order.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        The estimate (not clipped).

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import mutual_info_mixed
    >>> rng = np.random.default_rng(0)
    >>> d = rng.integers(0, 2, 10_000)
    >>> c = 10.0 * d + rng.standard_normal(10_000)  # two well separated classes
    >>> round(mutual_info_mixed(c, d), 2)  # H(D) = log 2 = 0.693
    0.69
    """
    from ._labels import check_labels, codes

    b = check_base(base)
    cs = _knn_samples(c, "c")
    labels = check_labels(d, "d")
    _same_n(cs, labels)
    kk = _check_positive_k(k)
    nt = check_threads(n_threads)
    code, sizes = codes(labels, nt)
    if not np.any(sizes > 1):
        raise ValueError("no class has two or more samples")
    return _core.mutual_info_mixed(cs, code, int(sizes.size), kk, nt) / log_base(b)


def conditional_mutual_info_knn(x: Any, y: Any, z: Any, k: int = 3, *, base: float | None = None,
                                n_threads: int | None = None) -> float:
    """Conditional mutual information I(X; Y | Z) by the Frenzel-Pompe estimator.

    ``psi(k) - <psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1)>``, the counts taken strictly
    within the max-norm distance to the k-th neighbour in the joint (x, y, z) space.
    Like :func:`mutual_info_knn` it warns with :class:`infokit.TiesWarning` when more than
    10 % of the samples of an input repeat an earlier sample.

    Parameters
    ----------
    x, y, z : array_like of shape (n_samples,) or (n_samples, d)
        Paired samples of continuous variables.
    k : int, default 3
        Neighbour order, 1 <= k < n_samples.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        The estimate (not clipped).

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import conditional_mutual_info_knn
    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal(5_000)
    >>> x = z + rng.standard_normal(5_000)
    >>> y = z + rng.standard_normal(5_000)  # x and y independent given z
    >>> abs(conditional_mutual_info_knn(x, y, z)) < 0.05
    True
    """
    b = check_base(base)
    xs, ys, zs = _knn_samples(x, "x"), _knn_samples(y, "y"), _knn_samples(z, "z")
    kk = _check_k(k, _same_n(xs, ys, zs))
    nt = check_threads(n_threads)
    warn_if_tied({"x": xs, "y": ys, "z": zs}, stacklevel=2)
    return _core.conditional_mutual_info(xs, ys, zs, kk, nt) / log_base(b)


def mutual_info_gaussian(x: Any, y: Any, *, base: float | None = None) -> float:
    """Mutual information of x and y under a joint Gaussian model.

    ``0.5 * log(det(C_xx) det(C_yy) / det(C))`` from the sample covariance C of (x, y); for
    scalars, ``-0.5 * log(1 - rho^2)``. A fast parametric baseline (exact for Gaussian data,
    a lower bound on the MI of any distribution with that covariance).

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, dx)
    y : array_like of shape (n_samples,) or (n_samples, dy)
        Paired samples.
    base : float, optional
        Logarithm base (default e: nats).

    Returns
    -------
    float
        The estimate; inf when a variable is an exact linear function of the other.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.estimators import mutual_info_gaussian
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(100_000)
    >>> y = 0.6 * x + 0.8 * rng.standard_normal(100_000)
    >>> round(mutual_info_gaussian(x, y), 2)
    0.22
    """
    b = check_base(base)
    xs, ys = _knn_samples(x, "x"), _knn_samples(y, "y")
    n = _same_n(xs, ys)
    if n < 2:
        raise ValueError("at least two samples are needed")
    dx = xs.shape[1]
    cov = np.atleast_2d(np.cov(np.hstack([xs, ys]), rowvar=False))
    _, ld = np.linalg.slogdet(cov)
    _, ldx = np.linalg.slogdet(cov[:dx, :dx])
    _, ldy = np.linalg.slogdet(cov[dx:, dx:])
    mi = 0.5 * (ldx + ldy - ld)
    return float(mi) / log_base(b)
