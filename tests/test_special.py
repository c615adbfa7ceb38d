"""infokit.special.entr / rel_entr / kl_div against scipy.special and the NumPy reference:
values (special values included), broadcasting, `out=`, result dtypes and 0-d results."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import infokit.special as ik
from infokit.reference import special as ref

try:
    import scipy.special as sps
except ImportError:  # pragma: no cover - scipy is a test extra
    sps = None

# scipy 1.15 changed rel_entr for x, y > 0 (log1p near x = y, log x - log y where x / y over- or
# underflows); infokit follows the new algorithm, so an older scipy is only a peer elsewhere.
SCIPY_REL_ENTR_CURRENT = sps is not None and bool(np.isfinite(sps.rel_entr(4.0, 1e-308)))

# derandomize: the same examples on every run (and no example database written to disk);
# no "explain" phase and one reported bug per test keep a failing run short.
SETTINGS = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                    report_multiple_bugs=False,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

NAMES = ["entr", "rel_entr", "kl_div"]
NARGS = {"entr": 1, "rel_entr": 2, "kl_div": 2}
# Dtypes whose scipy.special result dtype is unambiguous under both rules (numpy's ufunc loop
# selection and infokit's "1.0 * x"): the small integer types and bool are tested separately.
DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int32]
SPECIALS = [0.0, -0.0, -1.0, -0.5, np.inf, -np.inf, np.nan, 1e-300, 1e300, 5e-324]


def quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def expected_dtype(*arrays: np.ndarray) -> np.dtype:
    dt = np.result_type(*[np.result_type(a.dtype, 1.0) for a in arrays])
    return np.dtype(np.float32) if dt == np.float16 else dt


def elements(dtype: Any) -> st.SearchStrategy[Any]:
    dt = np.dtype(dtype)
    if dt.kind in "iu":
        return st.integers(-3 if dt.kind == "i" else 0, 50)
    specials = [v for v in SPECIALS if np.isnan(v) or np.isinf(v) or v == 0
                or float(np.finfo(dt).tiny) <= abs(v) <= float(np.finfo(dt).max)]
    return st.one_of(st.floats(-2.0, 100.0, width=8 * dt.itemsize, allow_subnormal=False),
                     st.sampled_from(specials))


@st.composite
def operands(draw: st.DrawFn, nargs: int) -> list[np.ndarray]:
    # Empty operands are left to test_empty_arrays (they fail there).
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5))
    out = []
    for _ in range(nargs):
        dtype = draw(st.sampled_from(DTYPES))
        # Broadcasting: drop leading axes and/or set some to 1.
        nd = draw(st.integers(0, len(shape)))
        s = tuple(1 if draw(st.booleans()) else n for n in shape[len(shape) - nd:])
        a = draw(hnp.arrays(dtype, s, elements=elements(dtype)))
        if a.ndim >= 1 and draw(st.booleans()):
            a = a[::-1]
        if a.ndim >= 2 and draw(st.booleans()):
            a = np.swapaxes(a, 0, 1).copy().swapaxes(0, 1)  # same values, F-like strides
        out.append(a)
    return out


def _atol(args: list[np.ndarray], dtype: np.dtype) -> np.ndarray:
    """kl_div and rel_entr cancel (x log(x/y) - x + y): an error of a few eps of the terms'
    magnitude is all any implementation can promise (scipy's float32 loops included)."""
    eps = np.finfo(dtype).eps
    with np.errstate(all="ignore"):
        mag = sum(np.abs(np.asarray(a, dtype=np.float64)) for a in args)
        if len(args) == 2:
            x, y = (np.asarray(a, dtype=np.float64) for a in args)
            mag = mag + np.abs(x * np.log(np.where((x > 0) & (y > 0), x / np.where(y > 0, y, 1), 1)))
    return np.where(np.isfinite(mag), 8 * eps * mag, 0.0) + np.finfo(dtype).tiny


def assert_close(got: Any, want: Any, args: list[np.ndarray], dtype: np.dtype) -> None:
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    inf = np.isinf(want) | np.isinf(got)
    assert np.array_equal(got[inf], want[inf]), (got, want)
    ok = ~np.isnan(want) & ~inf
    atol = np.broadcast_to(_atol(args, dtype), got.shape)[ok]
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    err = np.abs(got[ok] - want[ok])
    assert np.all(err <= atol + rtol * np.abs(want[ok])), (got, want)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
@SETTINGS
def test_matches_scipy_and_reference(isa, n_threads, name, data):
    args = data.draw(operands(NARGS[name]))
    got = getattr(ik, name)(*args, n_threads=n_threads)
    dtype = expected_dtype(*args)
    shape = np.broadcast_shapes(*[a.shape for a in args])
    assert np.shape(got) == shape
    if shape == ():
        assert isinstance(got, np.generic), type(got)
    else:
        assert isinstance(got, np.ndarray), type(got)
    assert got.dtype == dtype
    # The reference in float64: infokit computes every dtype in float64 and rounds once.
    want_ref = quiet(getattr(ref, name), *[a.astype(np.float64) for a in args])
    assert_close(got, np.asarray(want_ref).astype(dtype), args, dtype)
    if sps is None or (name == "rel_entr" and not SCIPY_REL_ENTR_CURRENT):
        return  # the scipy half of the check needs scipy (>= 1.15 for rel_entr)
    want = quiet(getattr(sps, name), *args)
    assert type(got) is type(want)
    assert got.dtype == want.dtype
    assert_close(got, want, args, dtype)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_special_values_exact(isa, name, dtype):
    """Every pair of special values, against scipy (bit for bit for the non-finite results)."""
    sp = pytest.importorskip("scipy.special")
    vals = np.array([0.0, -0.0, 1.0, 0.5, -1.0, np.inf, -np.inf, np.nan, 2.0, 1e-30], dtype=dtype)
    if NARGS[name] == 1:
        args = (vals,)
    else:
        x, y = np.meshgrid(vals, vals, indexing="ij")
        args = (x, y)
    got = getattr(ik, name)(*args)
    want = quiet(getattr(sp, name), *args)
    assert got.dtype == want.dtype == dtype
    finite = np.isfinite(want)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert np.array_equal(got[~finite & ~np.isnan(want)], want[~finite & ~np.isnan(want)])
    assert_close(got[finite], want[finite], [a[finite] for a in args], np.dtype(dtype))
    assert_close(got, quiet(getattr(ref, name), *[a.astype(np.float64) for a in args]).astype(dtype),
                 list(args), np.dtype(dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rel_entr_far_apart_and_close_together(isa, dtype):
    """x / y overflowing or underflowing still gives the finite x (log x - log y), and x close
    to y keeps its relative accuracy (log1p of the exact difference), as in scipy >= 1.15."""
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 50
    big, small = (1e300, 1e-300) if dtype == np.float64 else (1e30, 1e-30)
    # Close pairs a few ULP of the dtype apart (float32 would round float64's pairs to x == y).
    e = 2.0 ** (-np.finfo(dtype).nmant)
    x = np.array([big, small, 4.0, 1.0, 1.0, 1.0 + 16 * e, 3.0, 2.0 - 2 * e], dtype=dtype)
    y = np.array([2.2e-16, 1e10, 1e-308 if dtype == np.float64 else 1e-38, 1.0 + 2 * e,
                  1.0 - 4 * e, 1.0, 2.0, 1.0], dtype=dtype)
    assert np.all(x[3:] != y[3:])
    got = ik.rel_entr(x, y)
    assert got.dtype == dtype
    for xi, yi, gi in zip(x.tolist(), y.tolist(), got.tolist()):
        want = float(mp.mpf(xi) * mp.log(mp.mpf(xi) / mp.mpf(yi)))
        rel = np.finfo(dtype).eps * (1 if dtype == np.float32 else 4)
        assert abs(gi - want) <= rel * abs(want), (xi, yi, gi, want)
    if SCIPY_REL_ENTR_CURRENT:
        np.testing.assert_allclose(got, sps.rel_entr(x, y), rtol=4 * np.finfo(dtype).eps)


def test_known_values():
    assert ik.entr(0.0) == 0.0
    assert ik.entr(-1.0) == -np.inf
    assert np.isnan(ik.entr(np.nan))
    assert ik.entr(1.0) == 0.0
    assert ik.entr(0.5) == pytest.approx(0.5 * np.log(2), rel=1e-15)
    assert ik.rel_entr(0.0, 0.0) == 0.0
    assert ik.rel_entr(0.0, 3.0) == 0.0
    assert ik.rel_entr(1.0, 0.0) == np.inf
    assert ik.rel_entr(0.0, -1.0) == np.inf
    assert ik.rel_entr(0.5, 0.25) == pytest.approx(0.5 * np.log(2), rel=1e-15)
    assert ik.kl_div(0.0, 3.0) == 3.0
    assert ik.kl_div(1.0, 0.0) == np.inf
    assert ik.kl_div(0.5, 0.25) == pytest.approx(0.5 * np.log(2) - 0.25, rel=1e-15)
    assert np.isnan(ik.kl_div(np.nan, 1.0)) and np.isnan(ik.rel_entr(1.0, np.nan))


@pytest.mark.parametrize("name", NAMES)
def test_zero_d_and_python_scalars(name):
    fn = getattr(ik, name)
    args = (0.25,) * NARGS[name]
    for a in (args, tuple(np.float64(v) for v in args), tuple(np.array(v) for v in args)):
        r = fn(*a)
        assert isinstance(r, np.float64), type(r)
    r = fn(*(np.array(0.25, dtype=np.float32),) * NARGS[name])
    assert isinstance(r, np.float32), type(r)
    r = fn(*(np.array(1, dtype=np.int64),) * NARGS[name])
    assert isinstance(r, np.float64), type(r)


@pytest.mark.parametrize("name", NAMES)
def test_dtypes(name):
    fn = getattr(ik, name)
    n = NARGS[name]
    for dtype, want in [(np.float64, np.float64), (np.float32, np.float32), (np.float16, np.float32),
                        (np.int64, np.float64), (np.int32, np.float64)]:
        x = np.array([0, 1, 2, 3], dtype=dtype)
        assert fn(*(x,) * n).dtype == want, dtype
    if n == 2:
        f32 = np.array([1.0, 2.0], dtype=np.float32)
        assert fn(f32, np.array([1.0, 3.0])).dtype == np.float64
        assert fn(np.array([1.0, 3.0]), f32).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.bool_, np.uint8, np.int16], ids=lambda d: np.dtype(d).name)
def test_small_int_result_dtype_matches_scipy(dtype):
    """scipy.special's ufuncs pick their float32 loop for the types that cast safely to float32
    (bool, int8, uint8, int16, uint16), as numpy's own ufuncs do."""
    sp = pytest.importorskip("scipy.special")
    x = np.array([0, 1, 2, 1], dtype=dtype)
    for name in NAMES:
        args = (x,) * NARGS[name]
        got = getattr(ik, name)(*args)
        want = quiet(getattr(sp, name), *args)
        assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
        np.testing.assert_allclose(got, want, rtol=2e-6)


@pytest.mark.parametrize("name", ["rel_entr", "kl_div"])
def test_python_scalar_operand_keeps_float32(name):
    """A Python float beside a float32 array is a weak scalar for numpy (NEP 50) and scipy."""
    sp = pytest.importorskip("scipy.special")
    x = np.array([0.5, 1.0, 2.0], dtype=np.float32)
    got = getattr(ik, name)(x, 0.25)
    want = getattr(sp, name)(x, 0.25)
    assert got.dtype == want.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=2e-6)


@pytest.mark.parametrize("name", NAMES)
def test_broadcasting(isa, name):
    fn = getattr(ik, name)
    rng = np.random.default_rng(1)
    if NARGS[name] == 1:
        x = rng.random((3, 1, 4))
        np.testing.assert_allclose(fn(x), ref.entr(x), rtol=1e-15)
        return
    x = rng.random((3, 1))
    y = rng.random((4,))
    f64 = np.dtype(np.float64)
    r = fn(x, y)
    assert r.shape == (3, 4)
    assert_close(r, getattr(ref, name)(x, y), [x, y], f64)
    r0 = fn(np.float64(0.5), y)
    assert r0.shape == (4,)
    assert_close(r0, getattr(ref, name)(np.full(4, 0.5), y), [np.full(4, 0.5), y], f64)
    # Zero-stride (broadcast) inputs: the same values as the broadcast result.
    xb = np.broadcast_to(x, (3, 4))
    assert np.array_equal(fn(xb, y), r)
    with pytest.raises(ValueError):
        fn(np.ones(3), np.ones(4))


@pytest.mark.parametrize("name", NAMES)
def test_empty_arrays(name):
    """Empty input gives an empty result of the broadcast shape, as in scipy."""
    fn = getattr(ik, name)
    for shape in [(0,), (0, 3), (3, 0)]:
        x = np.ones(shape)
        r = fn(*(x,) * NARGS[name])
        assert isinstance(r, np.ndarray) and r.shape == shape and r.dtype == np.float64
        out = np.empty(shape)
        assert fn(*(x,) * NARGS[name], out=out) is out


@pytest.mark.parametrize("name", NAMES)
def test_out(isa, name):
    fn = getattr(ik, name)
    rng = np.random.default_rng(2)
    args = [rng.random((5, 7)) for _ in range(NARGS[name])]
    want = getattr(ref, name)(*args)
    # contiguous out of the result dtype: written in place and returned
    f64 = np.dtype(np.float64)
    out = np.full((5, 7), -7.0)
    r = fn(*args, out=out)
    assert r is out
    assert_close(out, want, args, f64)
    # non-contiguous out
    big = np.full((5, 14), -7.0)
    out = big[:, ::2]
    r = fn(*args, out=out)
    assert r is out
    assert_close(big[:, ::2], want, args, f64)
    assert np.all(big[:, 1::2] == -7.0)
    # out of another float dtype (same_kind casting, as numpy ufuncs do)
    out32 = np.zeros((5, 7), dtype=np.float32)
    r = fn(*args, out=out32)
    assert r is out32 and r.dtype == np.float32
    assert_close(out32, want.astype(np.float32), args, np.dtype(np.float32))
    # float32 input into a float64 out
    args32 = [a.astype(np.float32) for a in args]
    out64 = np.zeros((5, 7))
    assert fn(*args32, out=out64) is out64
    want32 = getattr(ref, name)(*[a.astype(np.float64) for a in args32]).astype(np.float32)
    assert_close(out64, want32, args32, np.dtype(np.float32))
    # bad outs
    with pytest.raises(ValueError, match="out"):
        fn(*args, out=np.empty((7, 5)))
    with pytest.raises(TypeError, match="out"):
        fn(*args, out=np.empty((5, 7), dtype=np.int64))
    with pytest.raises(TypeError, match="out"):
        fn(*args, out=[[0.0] * 7] * 5)


@pytest.mark.parametrize("name", NAMES)
def test_out_matches_scipy(name):
    sp = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(3)
    args = [rng.random(6) - 0.2 for _ in range(NARGS[name])]
    out_ik = np.empty(6)
    out_sp = np.empty(6)
    quiet(getattr(sp, name), *args, out=out_sp)
    assert getattr(ik, name)(*args, out=out_ik) is out_ik
    assert_close(out_ik, out_sp, args, np.dtype(np.float64))


@pytest.mark.parametrize("name", NAMES)
def test_threads_identical(isa, name):
    fn = getattr(ik, name)
    rng = np.random.default_rng(4)
    args = [rng.random(200_001) for _ in range(NARGS[name])]
    args[0][::97] = 0.0
    one = fn(*args, n_threads=1)
    two = fn(*args, n_threads=2)
    assert np.array_equal(one, two)
    assert_close(one, getattr(ref, name)(*args), args, np.dtype(np.float64))
