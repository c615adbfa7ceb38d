"""The discrete measures: entropy (scipy.stats.entropy), divergences, Jensen-Shannon,
cross-entropy, Renyi entropy, and the table-based joint/conditional/mutual information.

Each function coerces and checks its input, asks the compiled kernel for per-output sums in
one pass over memory (normalisation folded in: H = log S - (1/S) sum c log c), and falls back
to the NumPy reference for the outputs whose input left the fast path's domain (negative
entries, NaN, inf, zero sums), which keeps scipy's edge cases exact.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _core
from ._validation import (
    as_real_array,
    check_base,
    check_probabilities,
    check_threads,
    float_result_dtype,
    kernel_input,
    log_base,
    normalize_axis,
)
from .reference import measures as ref

__all__ = [
    "entropy", "kl_divergence", "cross_entropy", "jensenshannon", "js_divergence",
    "binary_entropy", "surprisal", "perplexity", "joint_entropy", "conditional_entropy",
    "mutual_information", "conditional_mutual_information", "renyi_entropy",
]

_NAN_POLICIES = ("propagate", "raise", "omit")


def _finish(result: np.ndarray, dtype: np.dtype, axis: int, keepdims: bool,
            flat_ndim: int | None = None) -> Any:
    """Cast to the result dtype and restore the reduced axis for keepdims (all axes, length
    one, when axis=None flattened an input of `flat_ndim` dimensions)."""
    result = np.asarray(result).astype(dtype, copy=False)
    if keepdims:
        result = result.reshape((1,) * flat_ndim) if flat_ndim is not None else np.expand_dims(result, axis)
    return result[()] if result.ndim == 0 else result


def _prepare(pk: Any, qk: Any, axis: Any, name_p: str = "pk", name_q: str = "qk",
             jointly: bool = True,
             ) -> tuple[np.ndarray, np.ndarray | None, int, np.dtype, np.dtype]:
    """Coerce pk (and qk, broadcast against pk), resolve axis (None: flatten); `jointly` picks
    the result-dtype rule (see float_result_dtype)."""
    p = as_real_array(pk, name_p)
    q = None if qk is None else as_real_array(qk, name_q)
    # float16 is computed in float32 (scipy.special has no float16 loops)
    p = p.astype(np.float32) if p.dtype == np.float16 else p
    q = q.astype(np.float32) if q is not None and q.dtype == np.float16 else q
    if axis is None:
        p = p.ravel()
        q = None if q is None else q.ravel()
        axis = 0
    dtype = float_result_dtype(p) if q is None else float_result_dtype(p, q, jointly=jointly)
    if q is not None:
        try:
            np.broadcast_shapes(p.shape, q.shape)
        except ValueError:
            raise ValueError(f"Array shapes are incompatible for broadcasting: "
                             f"{name_p} {p.shape}, {name_q} {q.shape}") from None
        try:
            p, q = np.broadcast_arrays(p, q)
        except ValueError:
            raise ValueError(f"Array shapes are incompatible for broadcasting: "
                             f"{name_p} {p.shape}, {name_q} {q.shape}") from None
    if p.ndim == 0:
        p = p.reshape(1)
        q = None if q is None else q.reshape(1)
        ax = normalize_axis(axis, 0)
    else:
        ax = normalize_axis(axis, p.ndim)
    work = dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)
    return p, q, ax, dtype, work


# Sums outside [2^-900, 2^900] lose precision to subnormal terms or overflow c log c; such rows
# are scaled by a power of two (exact) and computed again. Every measure here is invariant to
# the scale of its inputs. The float32 entropy kernel lets subnormal c through (its terms are
# below 2^-119), which a row sum of 2^-60 or more makes negligible.
_SCALE_LO, _SCALE_HI = 2.0 ** -900, 2.0 ** 900
_SCALE_LO_F32 = 2.0 ** -60


def _extreme(s: np.ndarray, t: np.ndarray | None = None, lo: float = _SCALE_LO) -> np.ndarray:
    ok = (s >= lo) & (s <= _SCALE_HI)
    if t is not None:
        ok &= np.isfinite(t)
    return np.asarray(~ok & (s > 0) & np.isfinite(s))


def _rescaled(a: np.ndarray, s: np.ndarray, rows: np.ndarray, axis: int) -> np.ndarray:
    """a with the flagged rows (outputs) multiplied by 2^-floor(log2 S), the others unchanged."""
    e = np.where(rows, np.floor(np.log2(np.where(rows, s, 1.0))), 0.0)
    return np.asarray(a * np.expand_dims(np.ldexp(1.0, -e.astype(np.int64)), axis).astype(a.dtype))


def _patch(out: np.ndarray, bad: np.ndarray, axis: int, compute: Any, *arrays: np.ndarray) -> None:
    """Recompute the flagged outputs with the reference (exact edge-case semantics)."""
    if not np.any(bad):
        return
    moved = [np.moveaxis(a, axis, -1)[bad] for a in arrays]
    out[bad] = compute(*moved)


def _pair_sums(which: int, p: np.ndarray, q: np.ndarray, axis: int, work: np.dtype,
               n_threads: int) -> tuple[np.ndarray, np.ndarray]:
    """Sums (S, R, T) of a two-input reduction, with rows of extreme magnitude rescaled."""
    a = kernel_input(p, work)
    b = kernel_input(q, work)
    sums, bad = _core.reduce(which, a, b, axis, None, n_threads)
    s, r, t = sums[..., 0], sums[..., 1], sums[..., 2]
    rows_p = _extreme(s, t) & ~bad
    rows_q = _extreme(r, t) & ~bad
    if np.any(rows_p | rows_q):
        a = _rescaled(a, s, rows_p, axis)
        b = _rescaled(b, r, rows_q, axis)
        sums, bad = _core.reduce(which, a, b, axis, None, n_threads)
    return sums, bad


def _normalised_before_broadcast(p: Any, q: Any, axis: Any) -> bool:
    """True when scipy's normalise-then-broadcast differs from normalising the broadcast
    arrays: the inputs differ in rank or in length along `axis` (one is stretched along it).
    Those calls take the reference path."""
    if q is None or axis is None:
        return False
    sp, sq = np.shape(p), np.shape(q)
    if len(sp) != len(sq):
        return True
    if not sp:
        return False
    ax = normalize_axis(axis, len(sp))
    return bool(sp[ax] != sq[ax])


def _check_nan_policy(nan_policy: str, *arrays: np.ndarray | None) -> bool:
    """Returns True when NaNs must be omitted (handled by the reference path)."""
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(f"nan_policy must be one of {{'propagate', 'raise', 'omit'}}, got {nan_policy!r}")
    if nan_policy == "propagate":
        return False
    has_nan = any(a is not None and a.dtype.kind == "f" and bool(np.isnan(a).any()) for a in arrays)
    if nan_policy == "raise" and has_nan:
        raise ValueError("The input contains nan values")
    return has_nan


def entropy(pk: Any, qk: Any = None, base: float | None = None, axis: int | None = 0, *,
            nan_policy: str = "propagate", keepdims: bool = False, n_threads: int | None = None) -> Any:
    """Shannon entropy of a distribution, or the Kullback-Leibler divergence if `qk` is given.

    A drop-in for :func:`scipy.stats.entropy`: `pk` (and `qk`) are normalised along `axis`,
    ``S = -sum(pk * log(pk))`` or ``S = sum(pk * log(pk / qk))``, with scipy's handling of
    zeros, negative entries, NaN, inf, empty input, integer and float32 input.

    Parameters
    ----------
    pk : array_like
        Unnormalised probabilities (or counts) along `axis`.
    qk : array_like, optional
        Second distribution, broadcast against `pk`; gives the KL divergence D(pk || qk).
    base : float, optional
        Logarithm base (default e: nats; 2 gives bits).
    axis : int or None, default 0
        Axis along which the distribution lies; None flattens.
    nan_policy : {'propagate', 'raise', 'omit'}
        As in scipy.
    keepdims : bool
        Keep the reduced axis with length one.
    n_threads : int, optional
        Threads (None: the OpenMP default; negative counts back from the CPU count). The result
        does not depend on it.

    Returns
    -------
    float or ndarray
        In nats unless `base` is given; float32 for float32 (and float16) input.

    Examples
    --------
    >>> import infokit
    >>> round(float(infokit.entropy([1, 1, 2, 4], base=2)), 4)
    1.75
    >>> round(float(infokit.entropy([0.5, 0.5], [0.9, 0.1])), 4)
    0.5108
    """
    b = check_base(base)
    nt = check_threads(n_threads)
    if (qk is None and b is None and axis == 0 and not keepdims and nan_policy == "propagate"
            and type(pk) is np.ndarray and pk.ndim == 1 and pk.dtype == np.float64):
        fast = _core.entropy_1d(pk, nt)
        if fast is not None:
            return np.float64(fast)
    flat_ndim = max(np.ndim(pk), 0 if qk is None else np.ndim(qk)) if axis is None else None
    if _normalised_before_broadcast(pk, qk, axis):
        return _entropy_reference(pk, qk, b, axis, keepdims)
    p, q, ax, dtype, work = _prepare(pk, qk, axis)
    if _check_nan_policy(nan_policy, p, q):
        return _entropy_omit(p, q, b, ax, keepdims, dtype, flat_ndim)
    if work != dtype or dtype not in (np.float32, np.float64):  # e.g. longdouble
        return _finish(np.asarray(ref.entropy(p, q, base=b, axis=ax)), dtype, ax, keepdims, flat_ndim)
    with np.errstate(all="ignore"):
        if q is None:
            a = kernel_input(p, work)
            sums, bad = _core.reduce(_core.REDUCTION_ENTROPY, a, None, ax, None, nt)
            s, t = sums[..., 0], sums[..., 1]
            rows = _extreme(s, t, _SCALE_LO_F32 if work == np.float32 else _SCALE_LO) & ~bad
            if np.any(rows):
                a = _rescaled(a, s, rows, ax)
                sums, bad = _core.reduce(_core.REDUCTION_ENTROPY, a, None, ax, None, nt)
                s, t = sums[..., 0], sums[..., 1]
            out = np.asarray(np.log(s) - t / s)
            bad |= ~((s > 0) & np.isfinite(s) & np.isfinite(t))
            _patch(out, bad, ax, lambda x: ref.entropy(x, axis=-1), p)
        else:
            sums, bad = _pair_sums(_core.REDUCTION_KL, p, q, ax, work, nt)
            s, r, t = sums[..., 0], sums[..., 1], sums[..., 2]
            out = np.asarray(t / s + np.log(r / s))
            bad |= ~((s > 0) & np.isfinite(s) & (r > 0) & np.isfinite(r) & np.isfinite(t))
            _patch(out, bad, ax, lambda x, y: ref.entropy(x, y, axis=-1), p, q)
        if b is not None:
            out = out / math.log(b)
    return _finish(out, dtype, ax, keepdims, flat_ndim)


def _entropy_reference(pk: Any, qk: Any, base: float | None, axis: Any, keepdims: bool) -> Any:
    """scipy's own sequence (pk normalised before it is broadcast against qk), in NumPy."""
    p = as_real_array(pk, "pk")
    q = as_real_array(qk, "qk")
    dtype = float_result_dtype(p, q)
    p = p.astype(np.float32) if p.dtype == np.float16 else p
    q = q.astype(np.float32) if q.dtype == np.float16 else q
    try:
        out = ref.entropy(p, q, base=base, axis=axis, keepdims=keepdims)
    except ValueError:
        raise ValueError(f"Array shapes are incompatible for broadcasting: pk {p.shape}, qk {q.shape}") from None
    return _finish(np.asarray(out), dtype, 0, False)


def _entropy_omit(p: np.ndarray, q: np.ndarray | None, base: float | None, axis: int,
                  keepdims: bool, dtype: np.dtype, flat_ndim: int | None) -> Any:
    """nan_policy='omit': each output ignores the NaN entries of its own slice."""
    pm = np.moveaxis(p, axis, -1)
    qm = None if q is None else np.moveaxis(q, axis, -1)
    out = np.empty(pm.shape[:-1], dtype=np.float64)
    for idx in np.ndindex(*pm.shape[:-1]):
        x = pm[idx].astype(float)
        keep = ~np.isnan(x)
        if qm is not None:
            y = qm[idx].astype(float)
            keep &= ~np.isnan(y)
            out[idx] = ref.entropy(x[keep], y[keep], base=base)
        else:
            out[idx] = ref.entropy(x[keep], base=base)
    return _finish(out, dtype, axis, keepdims, flat_ndim)


def kl_divergence(pk: Any, qk: Any, base: float | None = None, axis: int | None = 0, *,
                  keepdims: bool = False, n_threads: int | None = None) -> Any:
    """Kullback-Leibler divergence D(p || q) of distributions normalised along `axis`.

    The same as ``entropy(pk, qk, ...)``: inf where q is zero and p is not.

    Examples
    --------
    >>> import infokit
    >>> round(float(infokit.kl_divergence([0.5, 0.5], [0.25, 0.75], base=2)), 4)
    0.2075
    """
    return entropy(pk, qk, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)


def cross_entropy(pk: Any, qk: Any, base: float | None = None, axis: int | None = 0, *,
                  keepdims: bool = False, n_threads: int | None = None) -> Any:
    """Cross-entropy H(p, q) = -sum p log q = H(p) + D(p || q), p and q normalised along `axis`.

    Negative or infinite entries raise ValueError; q = 0 where p > 0 gives inf.

    Examples
    --------
    >>> import infokit
    >>> round(float(infokit.cross_entropy([0.5, 0.5], [0.25, 0.75], base=2)), 4)
    1.2075
    """
    b = check_base(base)
    nt = check_threads(n_threads)
    flat_ndim = max(np.ndim(pk), np.ndim(qk)) if axis is None else None
    p, q, ax, dtype, work = _prepare(pk, qk, axis)
    assert q is not None
    with np.errstate(all="ignore"):
        sums, bad = _pair_sums(_core.REDUCTION_CROSS, p, q, ax, work, nt)
        s, r, t = sums[..., 0], sums[..., 1], sums[..., 2]
        out = np.asarray(np.log(r) - t / s)
        bad |= ~((s > 0) & np.isfinite(s) & (r > 0) & np.isfinite(r) & np.isfinite(t))
        if np.any(bad):
            check_probabilities(p, "pk")
            check_probabilities(q, "qk")
            _patch(out, bad, ax, lambda x, y: ref.cross_entropy(x, y, axis=-1), p, q)
        if b is not None:
            out = out / math.log(b)
    return _finish(out, dtype, ax, keepdims, flat_ndim)


def _js(p_in: Any, q_in: Any, base: float | None, axis: int | None, keepdims: bool,
        n_threads: int | None, distance: bool) -> Any:
    b = check_base(base)
    nt = check_threads(n_threads)
    if _normalised_before_broadcast(p_in, q_in, axis):
        try:
            np.broadcast_shapes(np.shape(p_in), np.shape(q_in))
        except ValueError:
            raise ValueError(f"Array shapes are incompatible for broadcasting: "
                             f"p {np.shape(p_in)}, q {np.shape(q_in)}") from None
        out = np.asarray(ref.jensenshannon(np.asarray(p_in), np.asarray(q_in), base=b, axis=axis,
                                           keepdims=keepdims)) ** (1 if distance else 2)
        dt = float_result_dtype(as_real_array(p_in, "p"), as_real_array(q_in, "q"), jointly=False)
        return _finish(out, dt, 0, False)
    p, q, ax, dtype, work = _prepare(p_in, q_in, axis, "p", "q", jointly=False)
    assert q is not None
    if dtype not in (np.float32, np.float64):
        out = np.asarray(ref.jensenshannon(p, q, base=b, axis=ax)) ** (1 if distance else 2)
        return _finish(out, dtype, ax, keepdims)
    a = kernel_input(p, work)
    c = kernel_input(q, work)
    with np.errstate(all="ignore"):
        # Pass 1: the normalisers (memory-bound). Pass 2: the divergence, fused.
        s = np.asarray(np.sum(a, axis=ax, dtype=np.float64))
        r = np.asarray(np.sum(c, axis=ax, dtype=np.float64))
        rows_p, rows_q = _extreme(s), _extreme(r)
        if np.any(rows_p | rows_q):  # keep 1/S and p = c/S in the normal range
            a, c = _rescaled(a, s, rows_p, ax), _rescaled(c, r, rows_q, ax)
            s = np.asarray(np.sum(a, axis=ax, dtype=np.float64))
            r = np.asarray(np.sum(c, axis=ax, dtype=np.float64))
        params = np.stack([1.0 / s.ravel(), 1.0 / r.ravel()], axis=1)
        sums, bad = _core.reduce(_core.REDUCTION_JS, a, c, ax, params, nt)
        js = np.array(sums[..., 0])
        bad |= ~((s > 0) & np.isfinite(s) & (r > 0) & np.isfinite(r))
        if np.any(bad):
            def exact(x: np.ndarray, y: np.ndarray) -> np.ndarray:
                return 2.0 * np.asarray(ref.jensenshannon(x, y, axis=-1)) ** 2
            _patch(js, bad, ax, exact, p, q)
        # The divergence is >= 0; rounding can leave equal distributions a hair below zero.
        js = np.where(js < 0, 0.0, js)
        if b is not None:
            js = js / math.log(b)
        out = np.sqrt(js / 2.0) if distance else js / 2.0
    return _finish(out, dtype, ax, keepdims)


def jensenshannon(p: Any, q: Any, base: float | None = None, *, axis: int = 0,
                  keepdims: bool = False, n_threads: int | None = None) -> Any:
    """Jensen-Shannon distance (the square root of the JS divergence).

    A drop-in for :func:`scipy.spatial.distance.jensenshannon`: p and q are normalised along
    `axis`, ``sqrt((D(p || m) + D(q || m)) / 2)`` with ``m = (p + q) / 2``.

    Examples
    --------
    >>> import infokit
    >>> round(float(infokit.jensenshannon([1.0, 0.0], [0.0, 1.0], base=2)), 4)
    1.0
    """
    return _js(p, q, base, axis, keepdims, n_threads, distance=True)


def js_divergence(p: Any, q: Any, base: float | None = None, *, axis: int = 0,
                  keepdims: bool = False, n_threads: int | None = None) -> Any:
    """Jensen-Shannon divergence (D(p || m) + D(q || m)) / 2, m = (p + q) / 2.

    Examples
    --------
    >>> import infokit
    >>> round(float(infokit.js_divergence([1.0, 0.0], [0.0, 1.0], base=2)), 4)
    1.0
    """
    return _js(p, q, base, axis, keepdims, n_threads, distance=False)


def _unit_interval(p: Any, name: str) -> np.ndarray:
    a = as_real_array(p, name)
    a = a.astype(float_result_dtype(a), copy=False)
    with np.errstate(invalid="ignore"):
        if np.any((a < 0) | (a > 1)):
            raise ValueError(f"{name} must lie in [0, 1]")
    return a


def binary_entropy(p: Any, base: float | None = None) -> Any:
    """Entropy of a Bernoulli(p) variable, elementwise: -p log p - (1-p) log(1-p).

    `p` outside [0, 1] raises ValueError; NaN propagates.

    Examples
    --------
    >>> import infokit
    >>> float(infokit.binary_entropy(0.5, base=2))
    1.0
    """
    from .special import entr
    b = check_base(base)
    a = _unit_interval(p, "p")
    h = entr(a) + entr(1 - a)
    if b is not None:
        h = h / np.asarray(math.log(b), dtype=h.dtype)
    return h[()] if np.ndim(h) == 0 else h


def surprisal(p: Any, base: float | None = None) -> Any:
    """Self-information -log p of each probability (inf at p = 0).

    Examples
    --------
    >>> import infokit
    >>> float(infokit.surprisal(0.25, base=2))
    2.0
    """
    b = check_base(base)
    a = _unit_interval(p, "p")
    flat = np.ascontiguousarray(a).reshape(-1)  # ascontiguousarray makes 0-d input 1-d
    out = np.empty_like(flat)
    _core.log(flat, out, 0)
    np.negative(out, out=out)
    out = out.reshape(a.shape)
    if b is not None:
        out /= np.asarray(math.log(b), dtype=out.dtype)
    return out[()] if out.ndim == 0 else out


def perplexity(pk: Any, axis: int | None = 0, *, log_probs: bool = False, keepdims: bool = False,
               n_threads: int | None = None) -> Any:
    """Perplexity: exp of the entropy of a distribution along `axis`, or, with
    ``log_probs=True``, exp(-mean(log_probs)) of per-token natural-log probabilities.

    Examples
    --------
    >>> import infokit
    >>> float(infokit.perplexity([1, 1, 1, 1]))
    4.0
    >>> import numpy as np
    >>> round(float(infokit.perplexity(np.log([0.5, 0.25]), log_probs=True)), 4)
    2.8284
    """
    if log_probs:
        a = as_real_array(pk, "pk")
        flat_ndim = a.ndim if axis is None else None
        if axis is None:
            a, axis = a.ravel(), 0
        ax = normalize_axis(axis, a.ndim)
        out = np.exp(-np.mean(a, axis=ax, dtype=np.float64))
        return _finish(out, float_result_dtype(a), ax, keepdims, flat_ndim)
    return np.exp(entropy(pk, axis=axis, keepdims=keepdims, n_threads=n_threads))


def _table(p: Any, name: str, ndim: int | None = None) -> np.ndarray:
    a = as_real_array(p, name)
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-d joint probability table, got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} must not be empty")
    check_probabilities(a, name)
    if not np.nansum(a) > 0:
        raise ValueError(f"{name} must have a positive sum")
    return a


def _h(a: np.ndarray, n_threads: int | None) -> float:
    """Entropy in nats of a whole table."""
    return float(entropy(np.ascontiguousarray(a, dtype=np.float64).ravel(), n_threads=n_threads))


def _nonnegative_in_base(nats: float, base: float | None) -> float:
    """Differences of entropies that are >= 0 in exact arithmetic: clamp rounding below zero
    (NaN stays NaN), then convert to `base`."""
    v = 0.0 if nats < 0 else nats
    return v / math.log(base) if base is not None else v


def joint_entropy(pxy: Any, base: float | None = None, *, n_threads: int | None = None) -> float:
    """Joint entropy H(X, Y, ...) of a joint probability (or count) table of any rank.

    Examples
    --------
    >>> import infokit
    >>> float(infokit.joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2))
    2.0
    """
    b = check_base(base)
    h = _h(_table(pxy, "pxy"), n_threads)
    return h / math.log(b) if b is not None else h


def conditional_entropy(pxy: Any, given: int = 0, base: float | None = None, *,
                        n_threads: int | None = None) -> float:
    """Conditional entropy H(rest | X) = H(all) - H(X), X being axis `given` of the table.

    For a 2-d table with ``given=0`` this is H(Y | X), rows indexing X.

    Examples
    --------
    >>> import infokit
    >>> float(infokit.conditional_entropy([[0.5, 0.0], [0.0, 0.5]]))
    0.0
    """
    check_base(base)
    a = _table(pxy, "pxy")
    g = normalize_axis(given, a.ndim, "given")
    marginal = a.astype(np.float64).sum(axis=tuple(i for i in range(a.ndim) if i != g))
    return _nonnegative_in_base(_h(a, n_threads) - _h(marginal, n_threads), check_base(base))


def mutual_information(pxy: Any, base: float | None = None, *, n_threads: int | None = None) -> float:
    """Mutual information I(X; Y) of a 2-d joint probability (or count) table.

    Examples
    --------
    >>> import infokit
    >>> float(infokit.mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2))
    1.0
    """
    check_base(base)
    a = _table(pxy, "pxy", ndim=2).astype(np.float64)
    hx = _h(a.sum(axis=1), n_threads)
    hy = _h(a.sum(axis=0), n_threads)
    return _nonnegative_in_base(hx + hy - _h(a, n_threads), check_base(base))


def conditional_mutual_information(pxyz: Any, base: float | None = None, *,
                                   n_threads: int | None = None) -> float:
    """Conditional mutual information I(X; Y | Z) of a 3-d table indexed (x, y, z).

    Examples
    --------
    >>> import infokit, numpy as np
    >>> float(infokit.conditional_mutual_information(np.full((2, 2, 2), 1 / 8)))
    0.0
    """
    check_base(base)
    a = _table(pxyz, "pxyz", ndim=3).astype(np.float64)
    def h(t: np.ndarray) -> float:
        return _h(t, n_threads)

    cmi = h(a.sum(axis=1)) + h(a.sum(axis=0)) - h(a.sum(axis=(0, 1))) - h(a)
    return _nonnegative_in_base(cmi, check_base(base))


def renyi_entropy(pk: Any, alpha: float, base: float | None = None, axis: int | None = 0, *,
                  keepdims: bool = False, n_threads: int | None = None) -> Any:
    """Renyi entropy of order `alpha`: log(sum p^alpha) / (1 - alpha).

    alpha = 0 gives the log of the support size (Hartley), alpha = 1 the Shannon entropy,
    alpha = inf the min-entropy -log max p.

    Examples
    --------
    >>> import infokit
    >>> round(float(infokit.renyi_entropy([1, 1, 2], 2)), 4)
    0.9808
    >>> round(float(infokit.renyi_entropy([1, 1, 2], float("inf"))), 4)
    0.6931
    """
    b = check_base(base)
    nt = check_threads(n_threads)
    try:
        al = float(alpha)
    except (TypeError, ValueError):
        raise TypeError(f"alpha must be a number, got {alpha!r}") from None
    if not al >= 0:
        raise ValueError(f"alpha must be >= 0, got {alpha!r}")
    if al == 1:
        return entropy(pk, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    flat_ndim = np.ndim(pk) if axis is None else None
    p, _, ax, dtype, work = _prepare(pk, None, axis)
    check_probabilities(p, "pk")
    with np.errstate(all="ignore"):
        if al == 0 or math.isinf(al):
            out = np.asarray(ref.renyi_entropy(p, al, axis=ax))
        else:
            a = kernel_input(p, work)
            m = np.max(a, axis=ax).astype(np.float64) if a.shape[ax] else np.zeros(np.delete(a.shape, ax))
            rows = _extreme(np.asarray(m))
            if np.any(rows):  # keep 1/max finite for subnormal-scale input
                a = _rescaled(a, np.asarray(m), rows, ax)
                m = np.max(a, axis=ax).astype(np.float64)
            params = np.stack([np.full(m.size, al), 1.0 / m.ravel()], axis=1)
            sums, bad = _core.reduce(_core.REDUCTION_RENYI, a, None, ax, params, nt)
            s, t = sums[..., 0], sums[..., 1]
            out = np.asarray((np.log(t) - al * np.log(s / m)) / (1.0 - al))
            bad |= ~((s > 0) & np.isfinite(s))
            _patch(out, bad, ax, lambda x: ref.renyi_entropy(x, al, axis=-1), p)
        if b is not None:
            out = out / math.log(b)
    return _finish(np.asarray(out, dtype=np.float64), dtype, ax, keepdims, flat_ndim)
