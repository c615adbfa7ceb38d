"""Classification losses on NumPy arrays with PyTorch's semantics, fused: softmax
cross-entropy (and its gradient), binary cross-entropy with logits, the entropy of a softmax,
and perplexity.

The softmax is never stored: one pass per row keeps a running maximum and sum of
exponentials (plus one weighted sum of the logits for label smoothing or probability
targets); the gradient, when asked for, is written by a second pass over the row while it is
still in cache. Results do not depend on the number of threads.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core
from ._softmax import class_view, normalize_axes
from ._validation import check_threads

__all__ = [
    "cross_entropy", "cross_entropy_with_grad", "binary_cross_entropy_with_logits",
    "softmax_entropy", "perplexity_from_logits",
]

_REDUCTIONS = ("none", "mean", "sum")


def _float_input(x: Any, name: str) -> tuple[np.ndarray, np.dtype]:
    """The array and its kernel dtype: float64 stays, float16 and float32 run in float32."""
    a = np.asarray(x)
    if a.dtype not in (np.float16, np.float32, np.float64):
        raise TypeError(f"{name} must be a float16, float32 or float64 array, got dtype {a.dtype}")
    return a, np.dtype(np.float64) if a.dtype == np.float64 else np.dtype(np.float32)


def _check_reduction(reduction: Any) -> str:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be 'none', 'mean' or 'sum', got {reduction!r}")
    return str(reduction)


@dataclass
class _Problem:
    """A validated cross-entropy problem in the kernels' layout."""

    x: np.ndarray  # (outer, classes, inner) C-contiguous, kernel dtype
    outer: int
    classes: int
    inner: int
    dtype: np.dtype  # the input's dtype (results and gradient)
    shape: tuple[int, ...]  # the input's shape
    loss_shape: tuple[int, ...]  # per-position loss shape ('none')
    target: np.ndarray | None  # int64 per row
    target_prob: np.ndarray | None  # kernel dtype, x's layout
    weight: np.ndarray | None
    ignore_index: int
    smoothing: float
    denominator: float  # of the mean


def _problem(input: Any, target: Any, weight: Any, ignore_index: Any, label_smoothing: Any) -> _Problem:
    x, work = _float_input(input, "input")
    if x.ndim == 0:
        raise ValueError("input must have a class dimension: shape (C,), (N, C) or (N, C, d1, ...)")
    shape = tuple(x.shape)
    C = shape[0] if x.ndim == 1 else shape[1]
    outer = 1 if x.ndim == 1 else shape[0]
    inner = math.prod(shape[2:])
    loss_shape = () if x.ndim == 1 else (shape[0],) + shape[2:]
    try:
        ignore = operator.index(ignore_index)
    except TypeError:
        raise TypeError(f"ignore_index must be an integer, got {type(ignore_index).__name__}") from None
    eps = float(label_smoothing)
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0, got {label_smoothing!r}")
    t = np.asarray(target)
    t_idx = t_prob = None
    if t.dtype.kind in "iu":
        if t.shape != loss_shape:
            raise ValueError(f"target of class indices must have shape {loss_shape} for input of shape {shape}, "
                             f"got {t.shape}")
        t_idx = np.ascontiguousarray(t, dtype=np.int64).reshape(-1)
        bad = (t_idx != ignore) & ((t_idx < 0) | (t_idx >= C))
        if bad.any():
            raise ValueError(f"target {int(t_idx[bad][0])} is out of bounds: class indices must lie in [0, {C}) "
                             f"or equal ignore_index ({ignore})")
    elif t.dtype.kind == "f":
        if ignore != -100:
            raise ValueError("ignore_index is not supported for floating point target (class probabilities)")
        if t.shape != shape:
            raise ValueError(f"target of class probabilities must have the input's shape {shape}, got {t.shape}")
        t_prob = np.ascontiguousarray(t, dtype=work)
    else:
        raise TypeError(f"target must hold integer class indices or floating class probabilities, got dtype {t.dtype}")
    w = None
    if weight is not None:
        wa = np.asarray(weight)
        if wa.dtype.kind not in "iuf":
            raise TypeError(f"weight must be a real array, got dtype {wa.dtype}")
        if wa.shape != (C,):
            raise ValueError(f"weight must have one entry per class, shape ({C},), got {wa.shape}")
        w = np.ascontiguousarray(wa, dtype=work)
    if t_idx is not None:
        kept = t_idx[t_idx != ignore]
        denom = float(kept.size) if w is None else float(np.sum(w[kept], dtype=np.float64))
    else:
        denom = float(outer * inner)
    data = np.ascontiguousarray(x, dtype=work)
    return _Problem(data, outer, C, inner, x.dtype, shape, loss_shape, t_idx, t_prob, w, ignore, eps, denom)


def _run(p: _Problem, reduction: str, grad: np.ndarray | None, n_threads: int) -> Any:
    """Per-row losses from the kernel (and the gradient into `grad`), then the reduction."""
    if reduction == "mean":
        scale = 1.0 / p.denominator if p.denominator != 0 else math.inf
    else:
        scale = 1.0
    rows = _core.cross_entropy(p.x, p.outer, p.classes, p.inner, p.target, p.target_prob, p.weight,
                               p.ignore_index, p.smoothing, grad, scale, None, n_threads)
    if reduction == "none":
        return rows.reshape(p.loss_shape).astype(p.dtype)[()]
    total = float(np.sum(rows))
    if reduction == "sum":
        return p.dtype.type(total)
    with np.errstate(invalid="ignore", divide="ignore"):
        return p.dtype.type(np.float64(total) / np.float64(p.denominator))


def cross_entropy(input: Any, target: Any, weight: Any = None, ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0, *, n_threads: int | None = None) -> Any:
    """Softmax cross-entropy between logits and targets: :func:`torch.nn.functional.cross_entropy`
    on NumPy arrays, fused (no (N, C) temporary).

    Parameters
    ----------
    input : array_like
        Logits of shape (C,), (N, C) or (N, C, d1, ...); the class axis is 1 (0 for 1-d
        input). float32 or float64 (float16 is computed in float32 and returned as float16).
    target : array_like
        Class indices of any integer dtype, shape (), (N,) or (N, d1, ...), or class
        probabilities of the input's shape (floating).
    weight : array_like, optional
        Per-class weights, shape (C,).
    ignore_index : int, default -100
        Class index whose positions contribute neither loss nor gradient (index targets).
    reduction : {'mean', 'sum', 'none'}
        'mean' divides by the summed target weights of the positions kept (index targets) or
        by the number of positions (probability targets); an all-ignored batch gives NaN.
    label_smoothing : float in [0, 1]
        Mixes the target with the uniform distribution over the C classes.
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    float or ndarray
        A scalar of the input's dtype, or per-position losses for reduction='none'.

    Raises
    ------
    ValueError
        Shapes that do not match, an out-of-range class index, a weight of the wrong
        length, label_smoothing outside [0, 1], an unknown reduction.
    TypeError
        A non-floating input, or a target that is neither integer nor floating.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.losses import cross_entropy
    >>> logits = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> round(float(cross_entropy(logits, np.array([0, 2]))), 6)
    0.669079
    >>> cross_entropy(logits, np.array([0, -100]), reduction="none")
    array([0.23954477, 0.        ])
    """
    red = _check_reduction(reduction)
    p = _problem(input, target, weight, ignore_index, label_smoothing)
    return _run(p, red, None, check_threads(n_threads))


def cross_entropy_with_grad(input: Any, target: Any, weight: Any = None, ignore_index: int = -100,
                            reduction: str = "mean", label_smoothing: float = 0.0, *,
                            grad_out: np.ndarray | None = None, n_threads: int | None = None) -> tuple[Any, np.ndarray]:
    """:func:`cross_entropy` and its gradient with respect to `input`, from one fused pass.

    The gradient is that of the reduced loss (for reduction='none', of the sum of the
    losses), with the input's shape and dtype. It is written by a second pass over each row
    while the row is still in cache.

    Parameters
    ----------
    input, target, weight, ignore_index, reduction, label_smoothing, n_threads
        As in :func:`cross_entropy`.
    grad_out : ndarray, optional
        Where to write the gradient (input's shape and dtype): a buffer reused across steps
        saves allocating and faulting in a fresh array each time. It may be `input` itself
        when the logits are no longer needed (each row is read before it is overwritten).

    Returns
    -------
    loss : float or ndarray
    grad : ndarray
        `grad_out` if given.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.losses import cross_entropy_with_grad
    >>> loss, grad = cross_entropy_with_grad(np.zeros((1, 4)), np.array([1]))
    >>> round(float(loss), 6), grad
    (1.386294, array([[ 0.25, -0.75,  0.25,  0.25]]))
    """
    red = _check_reduction(reduction)
    p = _problem(input, target, weight, ignore_index, label_smoothing)
    nt = check_threads(n_threads)
    direct = None
    if grad_out is not None:
        if not isinstance(grad_out, np.ndarray):
            raise TypeError("grad_out must be a numpy array")
        if grad_out.shape != p.shape:
            raise ValueError(f"grad_out must have the input's shape {p.shape}, got {grad_out.shape}")
        if grad_out.dtype != p.dtype:
            raise TypeError(f"grad_out must have the input's dtype {p.dtype}, got {grad_out.dtype}")
        if not grad_out.flags.writeable:
            raise ValueError("grad_out must be writable")
        if grad_out.dtype == p.x.dtype and grad_out.flags.c_contiguous:
            direct = grad_out
    g = direct if direct is not None else np.empty(p.x.shape, dtype=p.x.dtype)
    loss = _run(p, red, g.reshape(-1), nt)
    if direct is not None:
        return loss, direct
    if grad_out is not None:
        grad_out[...] = g.reshape(p.shape)
        return loss, grad_out
    return loss, g.reshape(p.shape).astype(p.dtype, copy=False)


def _bce(input: Any, target: Any, weight: Any, reduction: str, pos_weight: Any, want_grad: bool,
         n_threads: int | None) -> tuple[Any, np.ndarray | None]:
    red = _check_reduction(reduction)
    nt = check_threads(n_threads)
    x, work = _float_input(input, "input")
    t = np.asarray(target)
    if t.shape != x.shape:
        raise ValueError(f"Target size ({t.shape}) must be the same as input size ({x.shape})")
    if t.dtype.kind not in "biuf":
        raise TypeError(f"target must be a real array, got dtype {t.dtype}")
    xs = np.ascontiguousarray(x, dtype=work)
    ts = np.ascontiguousarray(t, dtype=work)
    w = None
    if weight is not None:
        w = np.ascontiguousarray(np.broadcast_to(np.asarray(weight, dtype=work), x.shape))
    pw = None
    if pos_weight is not None:
        pwa = np.asarray(pos_weight, dtype=work)
        last = x.shape[-1] if x.ndim else 1
        if x.size == 0:
            pw = None
        elif pwa.ndim <= 1 and pwa.size in (1, last):
            pw = np.ascontiguousarray(np.broadcast_to(pwa.reshape(-1), (last,)))  # one period: the last axis
        else:
            pw = np.ascontiguousarray(np.broadcast_to(pwa, x.shape)).reshape(-1)
    n = xs.size
    loss = np.empty_like(xs) if red == "none" else None
    grad = np.empty_like(xs) if want_grad else None
    scale = (1.0 / n if n else math.inf) if red == "mean" else 1.0
    total = _core.bce_with_logits(xs.reshape(-1), ts.reshape(-1), None if w is None else w.reshape(-1),
                                  pw, None if loss is None else loss.reshape(-1),
                                  None if grad is None else grad.reshape(-1), scale, nt)
    g = None if grad is None else grad.astype(x.dtype, copy=False)
    if loss is not None:
        return loss.astype(x.dtype, copy=False)[()], g
    if red == "sum":
        return x.dtype.type(total), g
    with np.errstate(invalid="ignore", divide="ignore"):
        return x.dtype.type(np.float64(total) / np.float64(n)), g


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None, reduction: str = "mean",
                                     pos_weight: Any = None, *, n_threads: int | None = None) -> Any:
    """Binary cross-entropy between logits and targets in [0, 1]:
    :func:`torch.nn.functional.binary_cross_entropy_with_logits` on NumPy arrays.

    ``loss = -w [pos_weight t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))]``, computed as
    ``(1 - t) x + (1 + (pos_weight - 1) t) softplus(-x)`` with an accurate log1p, so the loss
    keeps its relative accuracy for large |x|.

    Parameters
    ----------
    input : array_like
        Logits (float16, float32 or float64).
    target : array_like
        Targets of the input's shape.
    weight : array_like, optional
        Broadcast to the input's shape.
    reduction : {'mean', 'sum', 'none'}
    pos_weight : array_like, optional
        Weight of the positive term, broadcast along the last axis (one per class).
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.losses import binary_cross_entropy_with_logits
    >>> binary_cross_entropy_with_logits(np.array([0.0, 40.0]), np.array([1.0, 1.0]), reduction="none")
    array([6.93147181e-01, 4.24835426e-18])
    """
    return _bce(input, target, weight, reduction, pos_weight, False, n_threads)[0]


def softmax_entropy(logits: Any, axis: int = -1, *, n_threads: int | None = None) -> Any:
    """Entropy (nats) of softmax(logits) along `axis`, fused: the predictive uncertainty of a
    classifier, without storing the probabilities.

    ``H = log S - sum_c e_c (x_c - m) / S`` with m the maximum and ``e_c = exp(x_c - m)``,
    ``S = sum_c e_c``, gathered in one pass. NaN or +inf in a row gives NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.losses import softmax_entropy
    >>> round(float(softmax_entropy(np.zeros(4))), 6)  # log 4
    1.386294
    """
    x, work = _float_input(logits, "logits")
    x = np.atleast_1d(x)
    axes = normalize_axes(axis, x.ndim)
    view = class_view(x, axes, work)
    _, ent = _core.logsumexp(view.data, view.outer, view.classes, view.inner, True, check_threads(n_threads))
    assert ent is not None  # asked for with entropy=True
    out = ent.reshape(view.kept_shape(axes, False)).astype(work)
    return out[()] if out.ndim == 0 else out


def perplexity_from_logits(logits: Any, target: Any, ignore_index: int = -100, *,
                           n_threads: int | None = None) -> float:
    """exp(mean cross-entropy) of class-index targets over the positions not ignored.

    The classes lie along the last axis (language-model layout: logits (..., V), target (...)).

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.losses import perplexity_from_logits
    >>> round(perplexity_from_logits(np.zeros((2, 3, 10)), np.ones((2, 3), dtype=int)), 6)
    10.0
    """
    x, _ = _float_input(logits, "logits")
    if x.ndim == 0:
        raise ValueError("logits must have a class axis")
    t = np.asarray(target)
    if t.shape != x.shape[:-1]:
        raise ValueError(f"target must have shape {x.shape[:-1]} for logits of shape {x.shape}, got {t.shape}")
    flat = x.reshape(-1, x.shape[-1])
    ce = cross_entropy(flat, t.reshape(-1), ignore_index=ignore_index, n_threads=n_threads)
    return float(np.exp(np.float64(ce)))
