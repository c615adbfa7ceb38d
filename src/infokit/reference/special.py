"""Reference elementwise functions with scipy.special's semantics."""
from __future__ import annotations

from typing import Any

import numpy as np


def entr(x: np.ndarray) -> Any:
    """-x log x for x > 0, 0 at 0, -inf for x < 0, NaN for NaN."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        pos = -x * np.log(np.where(x > 0, x, 1))
        out = np.where(x > 0, pos, np.where(x == 0, 0.0, -np.inf))
    return np.where(np.isnan(x), x, out)


def rel_entr(x: np.ndarray, y: np.ndarray) -> Any:
    """x log(x/y) for x, y > 0; 0 for x == 0 and y >= 0; inf otherwise; NaN in, NaN out.

    For x, y > 0 this follows scipy (>= 1.15): x log1p((x - y)/y) when 1/2 < x/y < 2,
    x log(x/y) when x/y is normal and finite, x (log x - log y) when x/y over- or underflows.
    """
    x, y = np.broadcast_arrays(np.asarray(x), np.asarray(y))
    with np.errstate(all="ignore"):
        both = (x > 0) & (y > 0)
        xs, ys = np.where(both, x, 1.0), np.where(both, y, 1.0)
        ratio = xs / ys
        near = (ratio > 0.5) & (ratio < 2)
        direct = (ratio > np.finfo(np.float64).tiny) & (ratio < np.inf)
        logr = np.where(near, np.log1p((xs - ys) / ys),
                        np.where(direct, np.log(ratio), np.log(xs) - np.log(ys)))
        out = np.where(both, x * logr, np.where((x == 0) & (y >= 0), 0.0, np.inf))
        return np.where(np.isnan(x) | np.isnan(y), x + y, out)


def kl_div(x: np.ndarray, y: np.ndarray) -> Any:
    """x log(x/y) - x + y for x, y > 0; y for x == 0 and y >= 0; inf otherwise."""
    x, y = np.broadcast_arrays(np.asarray(x), np.asarray(y))
    with np.errstate(all="ignore"):
        both = (x > 0) & (y > 0)
        v = x * np.log(np.where(both, x / np.where(both, y, 1), 1)) - x + y
        out = np.where(both, v, np.where((x == 0) & (y >= 0), y, np.inf))
        return np.where(np.isnan(x) | np.isnan(y), x + y, out)


def _lse_core(a: np.ndarray, b: np.ndarray | None, axis: tuple[int, ...], return_sign: bool
              ) -> tuple[np.ndarray, np.ndarray]:
    """scipy's algorithm: the maximum's term is taken out of the sum (log1p of the rest)."""
    if b is not None:
        a = np.where(b == 0, -np.inf, a)
    a_max = np.max(a, axis=axis, keepdims=True)
    i_max = a == a_max
    a = np.where(i_max, -np.inf, a)
    b_i_max = i_max.astype(a.dtype) if b is None else b * i_max
    m = np.sum(b_i_max, axis=axis, keepdims=True, dtype=a.dtype)
    e = np.exp(a - a_max) if b is None else b * np.exp(a - a_max)
    s = np.sum(e, axis=axis, keepdims=True, dtype=e.dtype)
    s = np.where(s == 0, s, s / m)
    sgn = np.sign(s + 1) * np.sign(m)
    s = np.where(s < -1, -s - 2, s)
    out = np.log1p(s) + np.log(np.abs(m)) + a_max
    if not return_sign:
        out = np.where(sgn < 0, np.nan, out)
    return out, sgn


def logsumexp(a: np.ndarray, axis: int | tuple[int, ...] | None = None, b: np.ndarray | None = None,
              keepdims: bool = False, return_sign: bool = False) -> object:
    """log(sum(b * exp(a))) along `axis` with scipy.special.logsumexp's rules (real input):
    inf and NaN as the direct formula gives them, negative sums as NaN unless return_sign."""
    a = np.asarray(a)
    dt = np.result_type(a.dtype, 1.0) if b is None else np.result_type(a.dtype, np.asarray(b).dtype, 1.0)
    a = np.atleast_1d(a.astype(dt, copy=False))
    if b is not None:
        a, b = np.broadcast_arrays(a, np.atleast_1d(np.asarray(b).astype(dt, copy=False)))
    axes = tuple(range(a.ndim)) if axis is None else (
        tuple(ax % a.ndim for ax in axis) if isinstance(axis, tuple) else (axis % a.ndim,))
    if a.size != 0:
        with np.errstate(all="ignore"):
            direct = np.exp(a) if b is None else b * np.exp(a)
            total = np.sum(direct, axis=axes, keepdims=True)
            sgn_inf = np.sign(total)
            out_inf = np.log(np.abs(total) if return_sign else total)
            out, sgn = _lse_core(a, b, axes, return_sign)
        finite = np.isfinite(out)
        out = np.where(finite, out, out_inf)
        sgn = np.where(finite, sgn, sgn_inf)
    else:
        shape = list(a.shape)
        for ax in axes:
            shape[ax] = 1
        out = np.full(shape, -np.inf, dtype=dt)
        sgn = np.sign(out)
    if not keepdims:
        out = np.squeeze(out, axis=axes)
        sgn = np.squeeze(sgn, axis=axes)
    out = out[()] if out.ndim == 0 else out
    sgn = sgn[()] if sgn.ndim == 0 else sgn
    return (out, sgn) if return_sign else out


def softmax(x: np.ndarray, axis: int | tuple[int, ...] | None = None) -> np.ndarray:
    """exp(x - max) / sum(exp(x - max)): scipy.special.softmax."""
    x = np.asarray(x)
    x_max = np.max(x, axis=axis, keepdims=True)
    with np.errstate(all="ignore"):
        e = np.exp(x - x_max)
        return np.asarray(e / np.sum(e, axis=axis, keepdims=True))


def log_softmax(x: np.ndarray, axis: int | tuple[int, ...] | None = None) -> np.ndarray:
    """(x - m) - log(sum(exp(x - m))) with m the maximum, or 0 where it is not finite:
    scipy.special.log_softmax."""
    x = np.asarray(x)
    x_max = np.max(x, axis=axis, keepdims=True)
    x_max = np.where(np.isfinite(x_max), x_max, 0)
    with np.errstate(all="ignore"):
        tmp = x - x_max
        s = np.sum(np.exp(tmp), axis=axis, keepdims=True)
        return np.asarray(tmp - np.log(s))
