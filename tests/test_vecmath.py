"""ULP accuracy and special values of the vector log/exp kernels on every SIMD path.

The reference is computed in np.longdouble (80-bit extended on x86: 11 more bits than float64),
so its own rounding error is negligible against the 1-ULP bound asserted here.
"""
from __future__ import annotations

import numpy as np
import pytest

from infokit import _core

N = 1_000_000
DTYPES = [np.float64, np.float32]
BITS = {np.float64: (np.int64, 0x7FF0000000000000, 52, -1074),
        np.float32: (np.int32, 0x7F800000, 23, -149)}

pytestmark = pytest.mark.skipif(np.finfo(np.longdouble).nmant < 63,
                                reason="needs an 80-bit (or wider) np.longdouble reference")


def _run(fn, x: np.ndarray, n_threads: int = 1) -> np.ndarray:
    out = np.empty_like(x)
    fn(x, out, n_threads)
    return out


def ulp_error(y: np.ndarray, ref: np.ndarray, dtype) -> np.ndarray:
    """|y - ref| in units of the last place of `dtype` at the (longdouble) reference."""
    _, _, p, emin = BITS[dtype]
    _, e = np.frexp(ref)
    ulp = np.ldexp(np.longdouble(1), np.maximum(e.astype(np.int64) - 1 - p, emin))
    with np.errstate(invalid="ignore"):
        return np.abs(y.astype(np.longdouble) - ref) / ulp


def _log_inputs(dtype) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20240601 + (dtype == np.float32))
    itype, top, _, _ = BITS[dtype]
    tiny = np.finfo(dtype).smallest_normal
    return {
        # Random bit patterns over the whole positive finite domain (subnormals included).
        "bits": rng.integers(1, top, N, dtype=itype).view(dtype),
        # Subnormals only: every pattern below the smallest normal.
        "subnormal": rng.integers(1, int(np.array(tiny, dtype).view(itype)), N // 8,
                                  dtype=itype).view(dtype),
        "near1": rng.uniform(0.9, 1.1, N).astype(dtype),
        "tiny": (rng.uniform(1.0, 2.0, N // 4) * tiny * rng.choice([1.0, 1e3, 1e10], N // 4)
                 ).astype(dtype),
        "huge": (np.finfo(dtype).max * rng.uniform(1e-10, 1.0, N // 4)).astype(dtype),
    }


def _exp_inputs(dtype) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20240602 + (dtype == np.float32))
    lo, hi = (-745.2, 709.7) if dtype == np.float64 else (-104.0, 88.7)
    # Just below overflow and down through the subnormal results.
    top = 709.78 if dtype == np.float64 else 88.72
    sub = (-745.13, -708.3) if dtype == np.float64 else (-103.97, -87.3)
    return {
        "full": rng.uniform(lo, hi, N).astype(dtype),
        "unit": rng.uniform(-1.0, 1.0, N).astype(dtype),
        "edges": np.concatenate([rng.uniform(top - 1.0, top, N // 8),
                                 rng.uniform(*sub, N // 8)]).astype(dtype),
        "small": (rng.uniform(-1, 1, N // 8) * 10.0 ** rng.uniform(-30, -1, N // 8)).astype(dtype),
    }


@pytest.fixture(scope="module")
def log_cases():
    """Inputs and longdouble references, computed once (they do not depend on the ISA)."""
    return {dt: {k: (x, np.log(x.astype(np.longdouble))) for k, x in _log_inputs(dt).items()}
            for dt in DTYPES}


@pytest.fixture(scope="module")
def exp_cases():
    return {dt: {k: (x, np.exp(x.astype(np.longdouble))) for k, x in _exp_inputs(dt).items()}
            for dt in DTYPES}


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_log_ulp(isa, dtype, log_cases):
    for name, (x, ref) in log_cases[dtype].items():
        y = _run(_core.log, x)
        assert y.dtype == dtype
        assert np.all(np.isfinite(y)), name
        err = ulp_error(y, ref, dtype)
        worst = int(np.argmax(err))
        assert err[worst] <= 1.0, (f"{isa} log {dtype.__name__} [{name}]: {float(err[worst]):.3f} ULP "
                                   f"at x={x[worst]!r} (got {y[worst]!r}, want {ref[worst]!r})")


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_exp_ulp(isa, dtype, exp_cases):
    for name, (x, ref) in exp_cases[dtype].items():
        y = _run(_core.exp, x)
        assert y.dtype == dtype
        assert np.all(np.isfinite(y)), name
        err = ulp_error(y, ref, dtype)
        worst = int(np.argmax(err))
        assert err[worst] <= 1.0, (f"{isa} exp {dtype.__name__} [{name}]: {float(err[worst]):.3f} ULP "
                                   f"at x={x[worst]!r} (got {y[worst]!r}, want {ref[worst]!r})")


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_reductions_log_ulp(isa, dtype, log_cases):
    """The logs inside the entropy/KL sums trade exactness for speed: at most 2.5 ULP on normal
    positive input (a term's error of a few ULP is below what the sum itself may add), and
    finite (whatever its value) on every other bit pattern, which the reductions rely on to
    need no masking."""
    for name, (x, ref) in log_cases[dtype].items():
        y = _run(_core.log_for_sum, x)
        assert np.all(np.isfinite(y)), name
        if name == "subnormal":
            continue
        normal = x >= np.finfo(dtype).smallest_normal
        err = ulp_error(y[normal], ref[normal], dtype)
        worst = int(np.argmax(err))
        assert err[worst] <= 2.5, (f"{isa} [{name}]: {float(err[worst]):.3f} ULP at x={x[normal][worst]!r}")
    rng = np.random.default_rng(7)
    utype = np.uint64 if dtype == np.float64 else np.uint32
    odd = np.concatenate([rng.integers(0, np.iinfo(utype).max, 100_000, dtype=utype).view(dtype),
                          np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, 1e-40, -1e-40], dtype=dtype)])
    assert np.all(np.isfinite(_run(_core.log_for_sum, odd)))
    with pytest.raises(TypeError):
        _run(_core.log_for_sum, np.ones(4, dtype=np.int32))


def _same(got: np.ndarray, want: np.ndarray) -> bool:
    """Bitwise-equal up to NaN payloads, with the sign of zero checked."""
    return bool(np.array_equal(got, want, equal_nan=True)
                and np.array_equal(np.signbit(got[~np.isnan(got)]), np.signbit(want[~np.isnan(want)])))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_log_special_values(isa, dtype):
    f = np.finfo(dtype)
    x = np.array([0.0, -0.0, -1.0, -f.smallest_subnormal, -f.max, -np.inf, np.inf, np.nan, -np.nan,
                  1.0, 2.0, 0.5, f.max, f.smallest_subnormal], dtype=dtype)
    y = _run(_core.log, x)
    head = np.array([-np.inf, -np.inf, np.nan, np.nan, np.nan, np.nan, np.inf, np.nan, np.nan, 0.0],
                    dtype=dtype)
    assert _same(y[:10], head), y
    assert not np.signbit(y[9])  # log(1) is +0
    ref = np.log(x[10:].astype(np.longdouble))
    assert np.all(ulp_error(y[10:], ref, dtype) <= 1.0), y[10:]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_exp_special_values(isa, dtype):
    f = np.finfo(dtype)
    if dtype == np.float64:
        x = [0.0, -0.0, 710.0, 709.79, 1e300, -np.inf, np.inf, np.nan, -745.2, -746.0, -1e300,
             -745.13]
        last = f.smallest_subnormal  # exp(-745.13) rounds up to 2**-1074 = 5e-324
    else:
        x = [0.0, -0.0, 89.0, 88.73, 1e30, -np.inf, np.inf, np.nan, -104.0, -105.0, -1e30,
             -103.97]
        last = f.smallest_subnormal  # 2**-149
    y = _run(_core.exp, np.array(x, dtype=dtype))
    want = np.array([1.0, 1.0, np.inf, np.inf, np.inf, 0.0, np.inf, np.nan, 0.0, 0.0, 0.0, last],
                    dtype=dtype)
    assert _same(y, want), y
    if dtype == np.float64:
        assert y[-1] == 5e-324


@pytest.mark.parametrize("fn", ["log", "exp"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_tails_and_offsets(isa, fn, dtype):
    """Every length 0..17 and unaligned starts: the same values as in a long array, and nothing
    written past the end of `out`."""
    kernel = getattr(_core, fn)
    rng = np.random.default_rng(7)
    base = (rng.uniform(0.01, 50.0, 64) if fn == "log" else rng.uniform(-20.0, 20.0, 64)).astype(dtype)
    full = _run(kernel, base)
    ref = getattr(np, fn)(base.astype(np.longdouble))
    assert np.all(ulp_error(full, ref, dtype) <= 1.0)
    sentinel = dtype(-12345.0)
    for start in (0, 1, 3):
        for n in range(18):
            x = base[start:start + n]
            buf = np.full(n + 8 + start, sentinel, dtype=dtype)
            out = buf[start:start + n]
            kernel(x, out, 1)
            assert np.array_equal(out, full[start:start + n]), (start, n)
            assert np.all(buf[start + n:] == sentinel), (start, n)
            assert np.all(buf[:start] == sentinel), (start, n)


@pytest.mark.parametrize("fn", ["log", "exp"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_threads_identical(isa, fn, dtype):
    rng = np.random.default_rng(11)
    x = (rng.uniform(1e-6, 1e6, 200_000) if fn == "log" else rng.uniform(-80, 80, 200_000)).astype(dtype)
    kernel = getattr(_core, fn)
    one = _run(kernel, x, 1)
    two = _run(kernel, x, 2)
    assert np.array_equal(one, two)
    assert np.all(ulp_error(one, getattr(np, fn)(x.astype(np.longdouble)), dtype) <= 1.0)


def test_paths_agree_on_special_values():
    """All ISAs give the same results on the special values (not only within 1 ULP)."""
    x = np.array([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 1.0, 5e-324, 1e308, -745.13, 709.0])
    results = []
    previous = _core.config()["isa"]
    try:
        for name in _core.config()["isas_available"]:
            _core.set_isa(name)
            with np.errstate(all="ignore"):
                results.append((_run(_core.log, x), _run(_core.exp, x)))
    finally:
        _core.set_isa(previous)
    for lg, ex in results[1:]:
        assert _same(lg, results[0][0]) and _same(ex, results[0][1])


@pytest.mark.parametrize("fn", ["log", "exp"])
def test_rejects_bad_arrays(fn):
    kernel = getattr(_core, fn)
    x = np.ones(10)
    with pytest.raises(ValueError):
        kernel(x, np.empty(9), 1)  # size mismatch
    with pytest.raises(ValueError):
        kernel(x, np.empty(10, dtype=np.float32), 1)  # dtype mismatch
    with pytest.raises(ValueError):
        kernel(np.ones(20)[::2], np.empty(10), 1)  # not contiguous
    ro = np.empty(10)
    ro.flags.writeable = False
    with pytest.raises(ValueError):
        kernel(x, ro, 1)
    with pytest.raises(TypeError):
        kernel(np.ones(10, dtype=np.int64), np.empty(10, dtype=np.int64), 1)
