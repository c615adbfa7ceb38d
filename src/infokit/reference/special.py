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
    """x log(x/y) for x, y > 0; 0 for x == 0 and y >= 0; inf otherwise; NaN in, NaN out."""
    x, y = np.broadcast_arrays(np.asarray(x), np.asarray(y))
    with np.errstate(all="ignore"):
        both = (x > 0) & (y > 0)
        v = x * np.log(np.where(both, x / np.where(both, y, 1), 1))
        out = np.where(both, v, np.where((x == 0) & (y >= 0), 0.0, np.inf))
        return np.where(np.isnan(x) | np.isnan(y), x + y, out)


def kl_div(x: np.ndarray, y: np.ndarray) -> Any:
    """x log(x/y) - x + y for x, y > 0; y for x == 0 and y >= 0; inf otherwise."""
    x, y = np.broadcast_arrays(np.asarray(x), np.asarray(y))
    with np.errstate(all="ignore"):
        both = (x > 0) & (y > 0)
        v = x * np.log(np.where(both, x / np.where(both, y, 1), 1)) - x + y
        out = np.where(both, v, np.where((x == 0) & (y >= 0), y, np.inf))
        return np.where(np.isnan(x) | np.isnan(y), x + y, out)
