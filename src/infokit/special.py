"""scipy.special drop-ins: the elementwise information functions entr, rel_entr, kl_div, and
the log-sum-exp family logsumexp, softmax, log_softmax (one fused pass per row)."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._softmax import class_view, normalize_axes
from ._validation import as_real_array, check_threads, float_result_dtype, kernel_input, ufunc_result_dtype
from .reference import special as ref

__all__ = ["entr", "rel_entr", "kl_div", "logsumexp", "softmax", "log_softmax"]


def _apply(which: int, args: tuple[Any, ...], out: np.ndarray | None, n_threads: int | None) -> Any:
    nt = check_threads(n_threads)
    arrays = [as_real_array(a, name) for a, name in zip(args, ("x", "y"))]
    dtype = ufunc_result_dtype(*args)
    shape = np.broadcast_shapes(*[a.shape for a in arrays])
    if out is not None:
        if not isinstance(out, np.ndarray):
            raise TypeError("out must be a numpy array")
        if out.shape != shape:
            raise ValueError(f"out has shape {out.shape}, expected {shape}")
        if not np.can_cast(dtype, out.dtype, casting="same_kind"):
            raise TypeError(f"cannot write {dtype} results into out of dtype {out.dtype}")
    work = dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)
    flat = [np.ascontiguousarray(kernel_input(np.broadcast_to(a, shape), work)).ravel() for a in arrays]
    direct = out is not None and out.dtype == work and out.flags.c_contiguous and out.flags.writeable
    res = out.reshape(-1) if direct else np.empty(flat[0].size, dtype=work)  # type: ignore[union-attr]
    if res.size:
        _core.elementwise(which, flat[0], flat[1] if len(flat) > 1 else None, res, nt)
    if out is not None:
        if not direct:
            out[...] = res.reshape(shape)
        return out
    r = res.reshape(shape).astype(dtype, copy=False)
    return r[()] if r.ndim == 0 else r


def entr(x: Any, out: np.ndarray | None = None, *, n_threads: int | None = None) -> Any:
    """Elementwise -x log x (0 at 0, -inf for x < 0): :func:`scipy.special.entr`.

    Examples
    --------
    >>> import infokit.special as sp
    >>> round(float(sp.entr(0.5)), 4)
    0.3466
    """
    return _apply(_core.ELEMENTWISE_ENTR, (x,), out, n_threads)


def rel_entr(x: Any, y: Any, out: np.ndarray | None = None, *, n_threads: int | None = None) -> Any:
    """Elementwise x log(x/y) (0 for x = 0 <= y, inf otherwise): :func:`scipy.special.rel_entr`.

    Examples
    --------
    >>> import infokit.special as sp
    >>> round(float(sp.rel_entr(0.5, 0.25)), 4)
    0.3466
    """
    return _apply(_core.ELEMENTWISE_REL_ENTR, (x, y), out, n_threads)


def kl_div(x: Any, y: Any, out: np.ndarray | None = None, *, n_threads: int | None = None) -> Any:
    """Elementwise x log(x/y) - x + y (y for x = 0 <= y, inf otherwise): :func:`scipy.special.kl_div`.

    Examples
    --------
    >>> import infokit.special as sp
    >>> round(float(sp.kl_div(0.5, 0.25)), 4)
    0.0966
    """
    return _apply(_core.ELEMENTWISE_KL_DIV, (x, y), out, n_threads)


def _lse_dtypes(x: np.ndarray) -> tuple[np.dtype, np.dtype]:
    """(result dtype, kernel dtype): scipy keeps float16/float32/float64 and makes integers
    float64; float16 is computed in float32."""
    dtype = np.result_type(x.dtype, 1.0)
    work = np.dtype(np.float64) if dtype == np.float64 else np.dtype(np.float32)
    return dtype, work


def _fast_dtype(x: np.ndarray) -> bool:
    return np.result_type(x.dtype, 1.0) in (np.float16, np.float32, np.float64)


def logsumexp(a: Any, axis: int | tuple[int, ...] | None = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False, *, n_threads: int | None = None) -> Any:
    """log(sum(b * exp(a))) along `axis`, without overflow: :func:`scipy.special.logsumexp`.

    One pass per output with a running maximum; the array is never exponentiated in memory.

    Parameters
    ----------
    a : array_like
        Real input.
    axis : int, tuple of ints or None
        Axes to reduce (None: all).
    b : array_like, optional
        Factors broadcast against `a` (may be zero or negative); computed by the NumPy
        reference with scipy's rules.
    keepdims : bool
        Keep the reduced axes with length one.
    return_sign : bool
        Also return the sign of the sum (1, 0 for an empty or all -inf sum, -1, NaN).
    n_threads : int, optional
        Threads (None: the OpenMP default). The result does not depend on it.

    Returns
    -------
    res : float or ndarray
        float64 for integer input, otherwise the input's float dtype. Rows with +inf or NaN
        give scipy's inf/NaN; a negative sum gives NaN unless `return_sign`.
    sgn : float or ndarray
        Only with `return_sign`.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.special import logsumexp
    >>> round(float(logsumexp([1000.0, 1000.0])), 6)
    1000.693147
    >>> logsumexp(np.log([[1.0, 3.0], [2.0, 2.0]]), axis=1)
    array([1.38629436, 1.38629436])
    """
    nt = check_threads(n_threads)
    x = as_real_array(a, "a")
    if b is not None or not _fast_dtype(x) or x.size == 0:
        return ref.logsumexp(x, axis=axis, b=None if b is None else as_real_array(b, "b"),
                             keepdims=keepdims, return_sign=return_sign)
    x = np.atleast_1d(x)
    axes = normalize_axes(axis, x.ndim)
    dtype, work = _lse_dtypes(x)
    view = class_view(x, axes, work)
    lse, _ = _core.logsumexp(view.data, view.outer, view.classes, view.inner, False, nt)
    sgn = np.where(lse == -np.inf, 0.0, 1.0)
    # +inf or NaN inside a row: scipy's rules (inf wins over finite, inf - inf is NaN).
    bad = np.isnan(lse) | (lse == np.inf)
    if bad.any():
        rows = view.rows_matrix()[bad]
        fixed = ref.logsumexp(rows, axis=1, return_sign=True)
        assert isinstance(fixed, tuple)
        lse[bad], sgn[bad] = fixed
    shape = view.kept_shape(axes, keepdims)
    out = lse.reshape(shape).astype(dtype)
    s = sgn.reshape(shape).astype(dtype)
    out = out[()] if out.ndim == 0 else out
    s = s[()] if s.ndim == 0 else s
    return (out, s) if return_sign else out


def _softmax(x_in: Any, axis: Any, log: bool, n_threads: int | None) -> Any:
    nt = check_threads(n_threads)
    x = as_real_array(x_in, "x")
    if not _fast_dtype(x) or x.size == 0 or x.ndim == 0:
        f = ref.log_softmax if log else ref.softmax
        return f(x, axis=axis)
    axes = normalize_axes(axis, x.ndim)
    dtype, work = _lse_dtypes(x)
    view = class_view(x, axes, work)
    y = np.empty_like(view.data)
    lse = _core.softmax(view.data, view.outer, view.classes, view.inner, log, y, nt)
    bad = ~np.isfinite(lse)  # inf, NaN or all -inf rows: scipy's rules row by row
    if bad.any():
        f = ref.log_softmax if log else ref.softmax
        ym = view.rows_matrix(y)
        with np.errstate(invalid="ignore"):
            ym[bad] = f(view.rows_matrix()[bad], axis=1)
        y = ym.reshape(view.outer, view.inner, view.classes).transpose(0, 2, 1)
    return view.restore(np.ascontiguousarray(y)).astype(dtype, copy=False)


def softmax(x: Any, axis: int | tuple[int, ...] | None = None, *, n_threads: int | None = None) -> Any:
    """exp(x) / sum(exp(x)) along `axis` (None: all): :func:`scipy.special.softmax`.

    One pass for the maximum and the sum of exponentials, one pass writing the result.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.special import softmax
    >>> softmax(np.array([[1.0, 1.0], [0.0, np.log(3.0)]]), axis=1)
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    return _softmax(x, axis, False, n_threads)


def log_softmax(x: Any, axis: int | tuple[int, ...] | None = None, *, n_threads: int | None = None) -> Any:
    """log(softmax(x)) along `axis`, accurate where softmax underflows:
    :func:`scipy.special.log_softmax`.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.special import log_softmax
    >>> log_softmax(np.array([0.0, 1000.0]))
    array([-1000.,     0.])
    """
    return _softmax(x, axis, True, n_threads)
