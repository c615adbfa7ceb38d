"""Input coercion and checks shared by the public functions: dtypes, axes, bases, threads."""
from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np
from numpy.exceptions import AxisError

FLOAT_KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def as_real_array(x: Any, name: str) -> np.ndarray:
    """np.asarray(x), refusing complex, object, string and other non-numeric dtypes."""
    a = np.asarray(x)
    if a.dtype.kind == "c":
        raise TypeError(f"{name} must be real, got complex dtype {a.dtype}")
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, got dtype {a.dtype}")
    return a


def float_result_dtype(*arrays: np.ndarray, jointly: bool = True) -> np.dtype:
    """The dtype scipy's measures return: the inputs' common type, integers and bools become
    float64; float16 is computed and returned as float32 (scipy.special has no float16 loops).
    With ``jointly=False`` each input becomes floating on its own first (jensenshannon divides
    each by its own sum), so an integer input makes the result float64."""
    dtypes = [a.dtype for a in arrays] if jointly else [np.result_type(a.dtype, 1.0) for a in arrays]
    dt = np.result_type(*dtypes)
    if dt.kind in "biu":
        dt = np.dtype(np.float64)
    if dt == np.float16:
        dt = np.dtype(np.float32)
    return dt


def ufunc_result_dtype(*operands: Any) -> np.dtype:
    """The dtype a scipy.special ufunc returns: the first of its float32/float64 loops that
    every operand casts to safely (uint8, int16 and bool give float32; int32 and int64 give
    float64), with Python scalars taking part as weak scalars (NEP 50)."""
    if all(isinstance(o, (bool, int, float)) for o in operands):
        return np.dtype(np.float64)
    arrays = [o if isinstance(o, (bool, int, float)) else np.asarray(o) for o in operands]
    dt = np.result_type(*arrays, np.float32)
    return dt if dt in FLOAT_KERNEL_DTYPES else np.dtype(np.float64)


def kernel_input(a: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """View (or, if it must, copy) `a` as an aligned array of a kernel dtype."""
    out = a.astype(dtype, copy=False)
    if not out.flags.aligned:
        out = out.copy()
    return out


def normalize_axis(axis: Any, ndim: int, name: str = "axis") -> int:
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name} must be an integer or None, got {type(axis).__name__}") from None
    if not -max(ndim, 1) <= ax < max(ndim, 1):
        raise AxisError(ax, ndim)
    return ax % max(ndim, 1)


def check_base(base: Any) -> float | None:
    """scipy's rule: None, or a positive number."""
    if base is None:
        return None
    try:
        b = float(base)
    except (TypeError, ValueError):
        raise TypeError(f"`base` must be a positive number or `None`, got {base!r}") from None
    if not b > 0:
        raise ValueError("`base` must be a positive number or `None`.")
    return b


def log_base(base: float | None) -> float:
    return 1.0 if base is None else math.log(base)


def check_threads(n_threads: Any) -> int:
    """None -> 0 (the OpenMP default); negative counts back from the CPU count; 0 is refused."""
    if n_threads is None:
        return 0
    try:
        n = operator.index(n_threads)
    except TypeError:
        raise TypeError(f"n_threads must be an integer or None, got {type(n_threads).__name__}") from None
    if n == 0:
        raise ValueError("n_threads must be a non-zero integer or None")
    return int(n)


def check_probabilities(p: np.ndarray, name: str) -> None:
    """For infokit's own measures: entries must be finite and non-negative (NaN propagates)."""
    with np.errstate(invalid="ignore"):
        if np.any(p < 0):
            raise ValueError(f"{name} must not contain negative entries")
        if np.any(np.isinf(p)):
            raise ValueError(f"{name} must not contain infinite entries")
