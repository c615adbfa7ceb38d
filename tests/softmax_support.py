"""Helpers shared by the softmax/loss tests: tolerances and torch references
computed in float64 (the ground truth that float32 and float64 results are held to)."""
from __future__ import annotations

import numpy as np

# The SIMD paths and the `isa` fixture come from conftest.py (shared by every test module).
from conftest import ISAS  # noqa: F401


def tolerance(dtype: np.dtype) -> float:
    """The issue's bar: 1e-6 relative in float32, 1e-12 in float64."""
    return 1e-6 if np.dtype(dtype) == np.float32 else 1e-12


def assert_close(actual: object, expected: object, dtype: np.dtype, *, normwise: bool = False,
                 magnitude: object = 0.0) -> None:
    """Relative agreement (NaN where expected is NaN, infinities equal). `normwise`: errors
    measured against the largest finite |expected| (gradients, per-row losses near zero), or
    element by element against `magnitude` (broadcast to expected's shape) where that is
    larger: a row's loss lse - x_t near zero is the difference of terms as large as the row's
    logits, and carries their rounding (in torch as much as here)."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    assert a.shape == e.shape, (a.shape, e.shape)
    tol = tolerance(dtype)
    finite = np.isfinite(e)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(e))
    np.testing.assert_array_equal(a[np.isinf(e)], e[np.isinf(e)])
    if not finite.any():
        return
    scale = float(np.max(np.abs(e[finite]))) if normwise else 0.0
    if normwise and scale == 0.0:  # all exact zeros (C = 1): an absolute tolerance
        scale = 1.0
    err = np.abs(a[finite] - e[finite])
    bound = tol * np.abs(e[finite])
    if normwise:
        bound = bound + tol * np.maximum(scale, np.broadcast_to(np.asarray(magnitude, dtype=np.float64), e.shape))[finite]
    assert np.all(err <= bound), (a[finite][err > bound], e[finite][err > bound])
