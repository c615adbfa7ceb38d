"""Elementwise information functions with scipy.special's semantics: entr, rel_entr, kl_div."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._validation import as_real_array, check_threads, kernel_input, ufunc_result_dtype

__all__ = ["entr", "rel_entr", "kl_div"]


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
