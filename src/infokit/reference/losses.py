"""Reference losses in plain NumPy (float64), written from torch's definitions: the fused
kernels of infokit.losses are tested against these, and these against torch."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

import numpy as np

_F = TypeVar("_F", bound=Callable[..., Any])


def _quiet(f: _F) -> _F:
    """inf - inf, 0 * inf and friends are part of the definitions here: no warnings."""
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(all="ignore"):
            return f(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(x, axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((x - m) - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)))


def _class_last(x: np.ndarray) -> np.ndarray:
    """(C,) -> (1, C); (N, C, d...) -> (N * prod(d), C)."""
    if x.ndim == 1:
        return x[None, :]
    return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


@_quiet
def cross_entropy(input: np.ndarray, target: np.ndarray, weight: np.ndarray | None = None,
                  ignore_index: int = -100, reduction: str = "mean", label_smoothing: float = 0.0,
                  ) -> tuple[np.ndarray | float, np.ndarray]:
    """(loss, gradient of the reduced loss; of the summed losses for 'none')."""
    x = np.asarray(input, dtype=np.float64)
    t = np.asarray(target)
    C = x.shape[0] if x.ndim == 1 else x.shape[1]
    X = _class_last(x)
    rows = X.shape[0]
    w = np.ones(C) if weight is None else np.asarray(weight, dtype=np.float64)
    eps = label_smoothing
    logp = _log_softmax(X, 1)
    with np.errstate(invalid="ignore", over="ignore"):
        p = np.exp(logp)
    if t.dtype.kind in "iu":
        y = t.reshape(-1).astype(np.int64)
        keep = y != ignore_index
        ys = np.where(keep, y, 0)
        wy = np.where(keep, w[ys], 0.0)
        with np.errstate(invalid="ignore"):
            nll = -wy * logp[np.arange(rows), ys]
            nll = np.where(keep, nll, 0.0)
            smooth = np.where(keep, -(logp * w).sum(1), 0.0) if eps > 0 else np.zeros(rows)
        per_row = (1 - eps) * nll + eps / C * smooth
        denom = wy.sum()
        # d loss_r / d x = p (coef) - (1 - eps) w_y onehot - eps / C w
        coef = (1 - eps) * wy + (eps / C * w.sum() if eps > 0 else 0.0)
        with np.errstate(invalid="ignore"):
            G = p * coef[:, None]
            G[np.arange(rows), ys] -= (1 - eps) * wy
            if eps > 0:
                G -= eps / C * w[None, :] * keep[:, None]
            G[~keep] = 0.0 * p[~keep]  # NaN stays where the softmax is NaN
    else:
        T = _class_last(np.asarray(target, dtype=np.float64))
        if eps > 0:
            T = T * (1 - eps) + eps / C
        A = T * w
        with np.errstate(invalid="ignore"):
            per_row = -(logp * A).sum(1)
            G = p * A.sum(1, keepdims=True) - A
        denom = float(rows)
    loss_shape = () if x.ndim == 1 else (x.shape[0],) + x.shape[2:]
    with np.errstate(invalid="ignore", divide="ignore"):
        if reduction == "none":
            loss: np.ndarray | float = per_row.reshape(loss_shape)
            scale = 1.0
        elif reduction == "sum":
            loss, scale = float(per_row.sum()), 1.0
        else:
            loss = float(per_row.sum() / denom) if denom != 0 else float("nan")
            scale = 1.0 / denom if denom != 0 else np.inf
        if reduction == "mean":  # ignored rows keep their zero (or NaN) gradient
            G = np.where(keep[:, None], G * scale, G) if t.dtype.kind in "iu" else G * scale
    if x.ndim == 1:
        grad = G[0]
    else:
        moved = (x.shape[0],) + x.shape[2:] + (C,)
        grad = np.moveaxis(G.reshape(moved), -1, 1)
    return loss, grad


@_quiet
def binary_cross_entropy_with_logits(input: np.ndarray, target: np.ndarray, weight: np.ndarray | None = None,
                                     reduction: str = "mean", pos_weight: np.ndarray | None = None,
                                     ) -> tuple[np.ndarray | float, np.ndarray]:
    """(loss, gradient of the reduced loss), torch's formula in float64."""
    x = np.asarray(input, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    lw = 1.0 if pos_weight is None else 1.0 + (np.asarray(pos_weight, dtype=np.float64) - 1.0) * t
    softplus_neg = np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))
    loss = (1 - t) * x + lw * softplus_neg
    sig_neg = np.where(x >= 0, np.exp(-np.abs(x)), 1.0) / (1 + np.exp(-np.abs(x)))
    grad = (1 - t) - lw * sig_neg
    if weight is not None:
        loss = loss * weight
        grad = grad * weight
    if reduction == "none":
        return loss, np.broadcast_to(grad, x.shape).copy()
    if reduction == "sum":
        return float(loss.sum()), np.broadcast_to(grad, x.shape).copy()
    return float(loss.mean()), np.broadcast_to(grad, x.shape) / max(x.size, 1)


@_quiet
def softmax_entropy(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """-sum p log p of p = softmax(logits) along axis (0 log 0 = 0)."""
    logp = _log_softmax(np.asarray(logits, dtype=np.float64), axis)
    p = np.exp(logp)
    with np.errstate(invalid="ignore"):
        return np.asarray(-np.sum(np.where(p > 0, p * logp, np.where(np.isnan(p), np.nan, 0.0)), axis=axis))


@_quiet
def perplexity_from_logits(logits: np.ndarray, target: np.ndarray, ignore_index: int = -100) -> float:
    """exp of the mean negative log-likelihood over the positions not ignored (classes last)."""
    x = np.asarray(logits, dtype=np.float64)
    X = x.reshape(-1, x.shape[-1])
    y = np.asarray(target).reshape(-1)
    keep = y != ignore_index
    logp = _log_softmax(X[keep], 1)
    return float(np.exp(-logp[np.arange(keep.sum()), y[keep]].mean()))
