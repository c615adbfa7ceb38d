"""infokit.special.logsumexp / softmax / log_softmax against scipy.special (and the NumPy
reference against scipy), on every SIMD path, with scipy's edge cases."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infokit.special as ik
from infokit.reference import special as ref

sp = pytest.importorskip("scipy.special")

FUNCS = ["logsumexp", "softmax", "log_softmax"]


def _same(actual, expected, rtol):
    """Same dtype and shape; values within rtol, or rtol absolute near zero (log-softmax and
    log-sum-exp carry an absolute error of about eps * log(sum), whoever computes them)."""
    a, e = np.asarray(actual), np.asarray(expected)
    assert a.dtype == e.dtype and a.shape == e.shape, (a.dtype, e.dtype, a.shape, e.shape)
    np.testing.assert_allclose(a.astype(np.float64), e.astype(np.float64), rtol=rtol, atol=rtol, equal_nan=True)


def _scipy(name, x, *args, **kwargs):
    """scipy's result; for float32 input computed on the float64 values (the ground truth: scipy
    itself sums in float32) and returned in scipy's float32 dtype."""
    with np.errstate(all="ignore"):
        x = np.asarray(x)
        if x.dtype == np.float32:
            r = getattr(sp, name)(x.astype(np.float64), *args, **kwargs)
            return tuple(np.float32(v) if np.ndim(v) == 0 else v.astype(np.float32) for v in r) \
                if isinstance(r, tuple) else (np.float32(r) if np.ndim(r) == 0 else r.astype(np.float32))
        return getattr(sp, name)(x, *args, **kwargs)


@st.composite
def arrays(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int32]))
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal(shape) * draw(st.sampled_from([1.0, 30.0, 1e3]))
    specials = draw(st.sampled_from([None, -np.inf, np.inf, np.nan]))
    if specials is not None and dtype != np.int32:
        x[rng.random(shape) < 0.15] = specials
    ndim = len(shape)
    axis = draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                          st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)))
    return x.astype(dtype), axis


@settings(max_examples=120, deadline=None)
@given(arrays(), st.booleans(), st.booleans())
def test_matches_scipy(case, keepdims, return_sign):
    x, axis = case
    rtol = 2e-6 if x.dtype == np.float32 else 1e-13
    _same(ik.logsumexp(x, axis=axis, keepdims=keepdims, return_sign=return_sign)[0] if return_sign
          else ik.logsumexp(x, axis=axis, keepdims=keepdims),
          _scipy("logsumexp", x, axis=axis, keepdims=keepdims, return_sign=return_sign)[0] if return_sign
          else _scipy("logsumexp", x, axis=axis, keepdims=keepdims), rtol)
    if return_sign:
        _same(ik.logsumexp(x, axis=axis, return_sign=True)[1], _scipy("logsumexp", x, axis=axis, return_sign=True)[1], 0)
    for name in ("softmax", "log_softmax"):
        _same(getattr(ik, name)(x, axis=axis), _scipy(name, x, axis=axis), rtol)
        with np.errstate(all="ignore"):  # the reference is scipy's algorithm, in the same dtype
            _same(getattr(ref, name)(x, axis=axis), getattr(sp, name)(x, axis=axis), rtol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_isa(isa, dtype):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((9, 130, 17)) * 20).astype(dtype)
    x[0, :, 0] = -np.inf
    x[1, 3, 1] = -np.inf
    rtol = 2e-6 if dtype == np.float32 else 1e-13
    for axis in (None, 0, 1, 2, (0, 2)):
        for name in FUNCS:
            _same(getattr(ik, name)(x, axis=axis), _scipy(name, x, axis=axis), rtol)


def test_b_return_sign_and_empty():
    a = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -np.inf]])
    for b in ([1, -1, 0.5], [[0, 0, 0], [1, 1, 1]], [-1.0, -2.0, 0.0]):
        for rs in (False, True):
            got, want = ik.logsumexp(a, axis=1, b=b, return_sign=rs), _scipy("logsumexp", a, axis=1, b=b, return_sign=rs)
            for g, w in zip(got if rs else (got,), want if rs else (want,)):
                _same(g, w, 1e-14)
    for shape, axis in (((0,), None), ((2, 0), 1), ((2, 0), 0)):
        _same(ik.logsumexp(np.ones(shape), axis=axis), _scipy("logsumexp", np.ones(shape), axis=axis), 0)
    assert ik.logsumexp(3.0) == 3.0
    _same(ik.logsumexp(np.float16([1, 2])), _scipy("logsumexp", np.float16([1, 2])), 1e-3)
    _same(ik.softmax(np.float16([1, 2])), _scipy("softmax", np.float16([1, 2])), 1e-3)
    with pytest.raises(ValueError):
        ik.softmax(np.ones((2, 0)), axis=1)
    with pytest.raises(TypeError):
        ik.logsumexp(np.array([1 + 1j]))


def test_reference_logsumexp_matches_scipy():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((4, 5))
    b = rng.standard_normal((4, 5))
    for kw in ({}, {"axis": 0}, {"axis": 1, "b": b, "return_sign": True}, {"b": b}, {"axis": (0, 1), "keepdims": True}):
        got, want = ref.logsumexp(a, **kw), _scipy("logsumexp", a, **kw)
        for g, w in zip(got if kw.get("return_sign") else (got,), want if kw.get("return_sign") else (want,)):
            _same(g, w, 1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_threads_bitwise_identical(dtype):
    rng = np.random.default_rng(2)
    for shape, axis in (((64, 1000), 1), ((1, 300000), 1), ((40, 30, 60), 1), ((300000,), None)):
        x = rng.standard_normal(shape).astype(dtype)
        for name in FUNCS:
            f = getattr(ik, name)
            np.testing.assert_array_equal(f(x, axis=axis, n_threads=1), f(x, axis=axis, n_threads=2))
