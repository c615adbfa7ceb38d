"""Labellings to dense integer codes and contingency tables (shared by metrics and
feature_selection). Integer labels over a modest range are coded in one O(n) pass in C++;
other labels go through np.unique, as scikit-learn does."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import _core

# Integer labels spanning at most this many values (or 4 per sample) are coded by a direct
# table instead of a sort.
_MAX_DIRECT_SPAN = 1 << 16
# Contingency tables up to this many cells are dense; beyond, pairs are counted by a sort.
_MAX_DENSE_CELLS = 1 << 22


def check_labels(labels: Any, name: str) -> np.ndarray:
    """scikit-learn's check_array(ensure_2d=False, dtype=None) for a labelling, and its checks."""
    a = np.asarray(labels)
    if a.dtype.kind == "f":
        if np.isnan(a).any():
            raise ValueError("Input contains NaN.")
        if np.isinf(a).any():
            raise ValueError(f"Input contains infinity or a value too large for {a.dtype!r}.")
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1D: shape is {a.shape!r}")
    return a


def check_clusterings(labels_true: Any, labels_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's check_clusterings: 1-d, finite, equal lengths; warns on continuous values."""
    t = check_labels(labels_true, "labels_true")
    p = check_labels(labels_pred, "labels_pred")
    kinds = []
    for a in (t, p):
        continuous = a.dtype.kind == "f" and a.size > 0 and bool(np.any(a != a.astype(np.int64)))
        kinds.append("continuous" if continuous else "discrete")
    if "continuous" in kinds:
        warnings.warn("Clustering metrics expects discrete values but received "
                      f"{kinds[0]} values for label, and {kinds[1]} values for target", UserWarning,
                      stacklevel=3)
    if t.shape[0] != p.shape[0]:
        raise ValueError("Found input variables with inconsistent numbers of samples: "
                         f"[{t.shape[0]}, {p.shape[0]}]")
    return t, p


def codes(labels: np.ndarray, n_threads: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Dense codes (np.unique's inverse: classes in increasing order) and class sizes."""
    n = labels.shape[0]
    if labels.dtype.kind in "biu" and n > 0:
        lo, hi = int(labels.min()), int(labels.max())
        span = hi - lo + 1
        if hi <= np.iinfo(np.int64).max and span <= max(_MAX_DIRECT_SPAN, 4 * n):
            lab = np.ascontiguousarray(labels, dtype=np.int64)
            c, sizes = _core.dense_codes(lab, lo, span, n_threads)
            return c, sizes
    _, inverse = np.unique(labels, return_inverse=True)
    inverse = np.ascontiguousarray(inverse.reshape(-1), dtype=np.int64)
    return inverse, np.bincount(inverse).astype(np.int64)


def contingency_nonzero(rows: np.ndarray, n_rows: int, cols: np.ndarray, n_cols: int,
                        n_threads: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, col, count) of the non-zero cells in row-major order (scipy's sp.find order)."""
    if n_rows * n_cols <= _MAX_DENSE_CELLS:
        table = _core.contingency(rows, cols, n_rows, n_cols, n_threads)
        r, c = np.nonzero(table)
        return r, c, table[r, c]
    keys, counts = np.unique(rows * np.int64(n_cols) + cols, return_counts=True)
    return keys // n_cols, keys % n_cols, counts.astype(np.int64)
