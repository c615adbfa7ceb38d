"""Information-theoretic comparison of labellings: scikit-learn's clustering metrics
(mutual_info_score, normalized_mutual_info_score, adjusted_mutual_info_score) with its
semantics and results, plus the entropy of a labelling and the variation of information.

Labels are coded and counted in C++ (one pass for integer labels), and the expected mutual
information of the adjusted score walks each cell's hypergeometric law outwards from its mode
instead of over its whole support, so it costs about the law's width per cell.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _core
from ._labels import check_clusterings, check_labels, codes, contingency_nonzero
from ._validation import check_base, check_threads, log_base

__all__ = [
    "mutual_info_score", "normalized_mutual_info_score", "adjusted_mutual_info_score",
    "entropy_labels", "variation_of_information",
]

_AVERAGES = ("min", "geometric", "arithmetic", "max")

# The adjusted score is (MI - E[MI]) / (normaliser - E[MI]). Where the denominator is below
# this fraction of the normaliser, the fast E[MI]'s rounding (about 1e-15 relative) would move
# the score by more than 1e-12; where MI and E[MI] agree to this much smaller fraction, they
# are equal in exact arithmetic (one labelling all singletons) and the score is rounding noise.
# In both cases E[MI] is recomputed in scikit-learn's order, so that the noise is scikit-learn's.
_NEAR_CANCELLATION = 1e-3
_EQUAL_MI = 1e-9


def _mi_from_cells(nzx: np.ndarray, nzy: np.ndarray, nz_val: np.ndarray, pi: np.ndarray,
                   pj: np.ndarray) -> float:
    """scikit-learn's formula, term for term, over the non-zero cells (row-major order)."""
    if pi.size == 1 or pj.size == 1:
        return 0.0
    contingency_sum = nz_val.sum()
    log_contingency_nm = np.log(nz_val)
    contingency_nm = nz_val / contingency_sum
    outer = pi.take(nzx).astype(np.int64, copy=False) * pj.take(nzy).astype(np.int64, copy=False)
    log_outer = -np.log(outer) + math.log(pi.sum()) + math.log(pj.sum())
    mi = (contingency_nm * (log_contingency_nm - math.log(contingency_sum))
          + contingency_nm * log_outer)
    mi = np.where(np.abs(mi) < np.finfo(mi.dtype).eps, 0.0, mi)
    return float(np.clip(mi.sum(), 0.0, None))


def _entropy_from_sizes(sizes: np.ndarray) -> float:
    """scikit-learn's _entropy from class sizes (1.0 for no labels, as it returns)."""
    if sizes.size == 0:
        return 1.0
    pi = sizes.astype(np.float64)
    if pi.size == 1:
        return 0.0
    pi_sum = np.sum(pi)
    return float(-np.sum((pi / pi_sum) * (np.log(pi) - math.log(pi_sum))))


def _generalized_average(u: float, v: float, average_method: str) -> float:
    if average_method == "min":
        return min(u, v)
    if average_method == "geometric":
        return float(np.sqrt(u * v))
    if average_method == "arithmetic":
        return float(np.mean([u, v]))
    return max(u, v)


def _check_average(average_method: str) -> None:
    if average_method not in _AVERAGES:
        raise ValueError("The 'average_method' parameter must be a str among "
                         f"{{'min', 'geometric', 'arithmetic', 'max'}}. Got {average_method!r} instead.")


def _gammaln(x: np.ndarray | int) -> Any:
    """scipy's gammaln where installed (scikit-learn's tables use it, and scikit-learn needs
    scipy); math.lgamma otherwise."""
    try:
        from scipy.special import gammaln
    except ImportError:  # pragma: no cover - scipy is a test dependency
        return np.vectorize(math.lgamma, otypes=[np.float64])(x)
    return gammaln(x)


def _expected_mi_in_order(a: np.ndarray, b: np.ndarray, n: int) -> float:
    """E[MI] term by term in scikit-learn's order, from the tables scikit-learn builds, each
    built by the same NumPy expression: equal to scikit-learn's to the last bit."""
    nijs = np.arange(0, max(int(a.max()), int(b.max())) + 1, dtype=np.float64)
    nijs[0] = 1  # never used, as in scikit-learn: keeps log(0) out of the table
    rows = np.stack([np.log(a), _gammaln(a + 1), _gammaln(n - a + 1)])
    cols = np.stack([np.log(b), _gammaln(b + 1), _gammaln(n - b + 1)])
    nij = np.stack([nijs / n, np.log(n) + np.log(nijs), _gammaln(nijs + 1) + _gammaln(n + 1)])
    return _core.expected_mutual_info_in_order(a, b, n, rows, cols, nij)


class _Coded:
    """Two labellings coded once: codes, class sizes and the non-zero contingency cells."""

    def __init__(self, labels_true: Any, labels_pred: Any, n_threads: int) -> None:
        t, p = check_clusterings(labels_true, labels_pred)
        self.n = t.shape[0]
        self.rows, self.a = codes(t, n_threads)
        self.cols, self.b = codes(p, n_threads)
        self.nzx, self.nzy, self.nz = contingency_nonzero(self.rows, self.a.size, self.cols,
                                                          self.b.size, n_threads)

    def mi(self) -> float:
        return _mi_from_cells(self.nzx, self.nzy, self.nz, self.a, self.b)

    def single_partition(self) -> bool:
        """Both labellings one class (or both empty): the normalised scores' 1.0 limit case."""
        return (self.a.size == self.b.size == 1) or (self.a.size == self.b.size == 0)

    def normalizer(self, average_method: str) -> float:
        """The mean of the two labellings' entropies that normalises NMI and AMI."""
        h_true, h_pred = _entropy_from_sizes(self.a), _entropy_from_sizes(self.b)
        return _generalized_average(h_true, h_pred, average_method)


def _contingency_cells(contingency: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if hasattr(contingency, "tocoo"):  # a scipy sparse matrix or array
        import scipy.sparse as sp

        nzx, nzy, nz = sp.find(contingency)
        dense_sums = (np.ravel(contingency.sum(axis=1)), np.ravel(contingency.sum(axis=0)))
        nz = nz.astype(np.int64, copy=False) if nz.dtype.kind != "i" else nz
        return nzx, nzy, nz, dense_sums[0], dense_sums[1]
    c = np.asarray(contingency)
    if c.ndim != 2:
        raise ValueError(f"Expected 2D array, got {c.ndim}D array instead")
    if c.dtype not in (np.int32, np.int64):
        c = c.astype(int)
    nzx, nzy = np.nonzero(c)
    return nzx, nzy, c[nzx, nzy], np.ravel(c.sum(axis=1)), np.ravel(c.sum(axis=0))


def mutual_info_score(labels_true: Any, labels_pred: Any, *, contingency: Any = None,
                      n_threads: int | None = None) -> float:
    """Mutual information between two labellings of the same samples, in nats.

    A drop-in for :func:`sklearn.metrics.mutual_info_score`:
    ``MI(U, V) = sum_ij |U_i & V_j| / N * log(N |U_i & V_j| / (|U_i| |V_j|))``, with its
    validation and edge cases (a single cluster gives 0.0).

    Parameters
    ----------
    labels_true, labels_pred : array_like of shape (n_samples,)
        Two labellings (any hashable, sortable labels).
    contingency : array_like or sparse matrix of shape (n_classes, n_clusters), optional
        A contingency table to use instead of the labels, which are then ignored.
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        The mutual information, non-negative.

    Examples
    --------
    >>> from infokit.metrics import mutual_info_score
    >>> round(mutual_info_score([0, 1, 1, 0, 1, 0], [0, 1, 0, 0, 1, 1]), 4)
    0.0566
    """
    nt = check_threads(n_threads)
    if contingency is not None:
        nzx, nzy, nz, pi, pj = _contingency_cells(contingency)
        return _mi_from_cells(nzx, nzy, nz, pi, pj)
    return _Coded(labels_true, labels_pred, nt).mi()


def normalized_mutual_info_score(labels_true: Any, labels_pred: Any, *,
                                 average_method: str = "arithmetic",
                                 n_threads: int | None = None) -> float:
    """Mutual information normalised by a mean of the two labellings' entropies.

    A drop-in for :func:`sklearn.metrics.normalized_mutual_info_score`, including its limit
    cases: 1.0 when both labellings have a single class (or none), 0.0 when the MI is 0.

    Parameters
    ----------
    labels_true, labels_pred : array_like of shape (n_samples,)
        Two labellings.
    average_method : {'arithmetic', 'geometric', 'min', 'max'}, default 'arithmetic'
        How the two entropies are averaged into the normaliser.
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        A score between 0 and 1.

    Examples
    --------
    >>> from infokit.metrics import normalized_mutual_info_score
    >>> normalized_mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    _check_average(average_method)
    c = _Coded(labels_true, labels_pred, check_threads(n_threads))
    if c.single_partition():
        return 1.0
    mi = c.mi()
    if mi == 0:
        return 0.0
    return float(mi / c.normalizer(average_method))


def adjusted_mutual_info_score(labels_true: Any, labels_pred: Any, *,
                               average_method: str = "arithmetic",
                               n_threads: int | None = None) -> float:
    """Mutual information adjusted for chance: (MI - E[MI]) / (mean(H(U), H(V)) - E[MI]).

    A drop-in for :func:`sklearn.metrics.adjusted_mutual_info_score`, with its limit cases
    and its guards against 0/0. The expected MI under the permutation model is computed in
    C++ in parallel, in log space (no overflow), summing each cell's hypergeometric terms
    outwards from the mode until they fall below 1e-20 of it. Where the denominator
    (normaliser - E[MI]) cancels to within 0.1 % of the normaliser, or MI and E[MI] agree to
    1e-9 of it, as when one labelling puts every sample in its own cluster and the score is
    0/0 up to rounding, the expectation is recomputed term by term in scikit-learn's order so
    that the score is scikit-learn's to the last bit (such cases cost what scikit-learn's
    computation costs).

    Parameters
    ----------
    labels_true, labels_pred : array_like of shape (n_samples,)
        Two labellings.
    average_method : {'arithmetic', 'geometric', 'min', 'max'}, default 'arithmetic'
        How the two entropies are averaged into the normaliser.
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float
        1.0 for identical labellings, about 0 for independent ones (may be negative).

    Examples
    --------
    >>> from infokit.metrics import adjusted_mutual_info_score
    >>> adjusted_mutual_info_score([0, 0, 1, 1], [0, 0, 1, 1])
    1.0
    >>> round(adjusted_mutual_info_score([0, 0, 1, 1, 2, 2], [0, 0, 1, 2, 2, 2]), 4)
    0.5024
    """
    _check_average(average_method)
    nt = check_threads(n_threads)
    c = _Coded(labels_true, labels_pred, nt)
    if c.single_partition():
        return 1.0
    if c.a.size == 1 or c.b.size == 1:
        return 0.0
    mi = c.mi()
    emi = _core.expected_mutual_info(c.a, c.b, c.n, nt)
    normalizer = c.normalizer(average_method)
    if abs(normalizer - emi) <= _NEAR_CANCELLATION * normalizer or abs(mi - emi) <= _EQUAL_MI * normalizer:
        emi = _expected_mi_in_order(c.a, c.b, c.n)
    eps = np.finfo("float64").eps
    denominator = normalizer - emi
    denominator = min(denominator, -eps) if denominator < 0 else max(denominator, eps)
    numerator = mi - emi
    numerator = min(numerator, -eps) if numerator < 0 else max(numerator, eps)
    return float(numerator / denominator)


def entropy_labels(labels: Any, *, base: float | None = None, n_threads: int | None = None) -> float:
    """Shannon entropy of the empirical distribution of a labelling.

    Parameters
    ----------
    labels : array_like of shape (n_samples,)
        Class labels (any hashable, sortable values).
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads (None: the OpenMP default).

    Returns
    -------
    float
        The entropy; 0.0 for an empty or single-class labelling.

    Examples
    --------
    >>> from infokit.metrics import entropy_labels
    >>> entropy_labels(["a", "b", "a", "b"], base=2)
    1.0
    """
    b = check_base(base)
    a = check_labels(labels, "labels")
    _, sizes = codes(a, check_threads(n_threads))
    if sizes.size <= 1:
        return 0.0
    return _entropy_from_sizes(sizes) / log_base(b)


def variation_of_information(labels_true: Any, labels_pred: Any, *, base: float | None = None,
                             n_threads: int | None = None) -> float:
    """Variation of information H(U|V) + H(V|U) = H(U) + H(V) - 2 MI(U, V), a metric on
    labellings (Meila 2007).

    Parameters
    ----------
    labels_true, labels_pred : array_like of shape (n_samples,)
        Two labellings.
    base : float, optional
        Logarithm base (default e: nats).
    n_threads : int, optional
        Threads (None: the OpenMP default).

    Returns
    -------
    float
        Non-negative; 0.0 exactly when the labellings are the same partition.

    Examples
    --------
    >>> from infokit.metrics import variation_of_information
    >>> variation_of_information([0, 0, 1, 1], [1, 1, 0, 0])
    0.0
    >>> round(variation_of_information([0, 0, 1, 1], [0, 1, 0, 1], base=2), 12)
    2.0
    """
    b = check_base(base)
    c = _Coded(labels_true, labels_pred, check_threads(n_threads))
    if c.n == 0:
        return 0.0
    # H(U, V) from the joint counts; VI = 2 H(U, V) - H(U) - H(V).
    n = float(c.n)

    def plugin(counts: np.ndarray) -> float:
        f = counts.astype(np.float64)
        return float(math.log(n) - np.sum(f * np.log(f)) / n)

    vi = 2.0 * plugin(c.nz) - plugin(c.a) - plugin(c.b)
    return max(vi, 0.0) / log_base(b)
