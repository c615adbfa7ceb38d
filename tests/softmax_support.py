"""Helpers shared by the softmax/loss tests: SIMD paths to run, and torch references
computed in float64 (the ground truth that float32 and float64 results are held to)."""
from __future__ import annotations

import warnings
from collections.abc import Iterator

import numpy as np
import pytest

from infokit import _core

# Hypothesis imports libcst lazily when it reports a failure, and that import warns
# (mypy_extensions), which -W error turns into an INTERNALERROR hiding the failure: import it
# once here, quietly (as tests/conftest.py in the main tree does).
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    try:
        import hypothesis.extra._patching  # noqa: F401
    except Exception:  # pragma: no cover - optional, private
        pass

ISAS: list[str] = list(_core.config()["isas_available"])


@pytest.fixture(params=ISAS)
def isa(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each SIMD path this machine runs, restoring the previous one after."""
    previous = _core.set_isa(request.param)
    try:
        yield request.param
    finally:
        _core.set_isa(previous)


def tolerance(dtype: np.dtype) -> float:
    """The issue's bar: 1e-6 relative in float32, 1e-12 in float64."""
    return 1e-6 if np.dtype(dtype) == np.float32 else 1e-12


def assert_close(actual: object, expected: object, dtype: np.dtype, *, normwise: bool = False) -> None:
    """Relative agreement (NaN where expected is NaN, infinities equal). `normwise`: errors
    measured against the largest finite |expected| (gradients, per-row losses near zero)."""
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
    np.testing.assert_allclose(a[finite], e[finite], rtol=tol, atol=tol * scale)
