"""Cross-checks of the discrete measures against the NumPy reference and, for the drop-ins
(entropy, jensenshannon), against scipy itself: values, NaN/inf positions, result type,
dtype and shape, over dtypes, shapes, axes, keepdims, non-contiguous views and special values.

float16 input is computed by infokit in float32 (the result dtype scipy returns for it), while
scipy computes its normalisation in float16; values are therefore compared with scipy (and the
reference) run on the same data cast to float32, and the result type with scipy on the float16
data itself.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import infokit
from infokit.reference import measures as ref
from infokit.reference import special as ref_special

# derandomize: the same examples on every run (and no example database written to disk);
# no "explain" phase and one reported bug per test keep a failing run short.
SETTINGS = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                    report_multiple_bugs=False,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

FLOATS = [np.float64, np.float32, np.float16]
DTYPES = FLOATS + [np.int64, np.int32, np.uint8, np.bool_]
BASES = [None, 2, 10, 0.5, math.e]
VIEWS = ["plain", "T", "rev", "step"]


# ------------------------------------------------------------------------------------ helpers
def quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a peer (scipy or the reference) with its warnings silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def up16(a: np.ndarray) -> np.ndarray:
    """float16 data as float32 (exact): what infokit computes float16 input in."""
    return a.astype(np.float32) if a.dtype == np.float16 else a


def low_precision(*arrays: np.ndarray | None) -> int:
    """0: float64 (or integer) data; 1: float32 data; 2: float16 data.

    float16 data is compared at float16 accuracy in the property tests: the kernels compute it
    in float32, but the exact fallback for special rows, and renyi's alpha = 0 and inf, still
    compute in float16 -- test_float16_is_computed_in_float32 holds that to float32 accuracy."""
    dts = {a.dtype for a in arrays if a is not None}
    return 2 if np.dtype(np.float16) in dts else 1 if np.dtype(np.float32) in dts else 0


TOLERANCES = {0: (1e-12, 1e-13), 1: (2e-5, 1e-6), 2: (2e-3, 1e-3)}


def assert_values(got: Any, want: Any, lowp: int | bool) -> None:
    rtol, atol = TOLERANCES[int(lowp)]
    assert np.shape(got) == np.shape(want), (np.shape(got), np.shape(want))
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64),
                               rtol=rtol, atol=atol, equal_nan=True)


def assert_distance(got: Any, want: Any, lowp: int | bool) -> None:
    """Jensen-Shannon distances. The square root amplifies the rounding of a divergence near 0:
    an absolute error e there moves the distance by up to sqrt(e/2), and a divergence that
    rounds to a tiny negative number gives NaN -- in scipy as much as in infokit. So squared
    distances are compared at the usual tolerances, the distances at one that allows for the
    root, and a NaN on one side only is accepted where the other side is ~0 (a NaN for
    identical distributions is tested on its own in test_jensenshannon_identical_is_zero)."""
    assert np.shape(got) == np.shape(want)
    g = np.array(got, dtype=np.float64, ndmin=1)
    w = np.array(want, dtype=np.float64, ndmin=1)
    tiny = 3e-3 if lowp else 1e-6
    one_nan = np.isnan(g) ^ np.isnan(w)
    other = np.where(np.isnan(g), w, g)
    assert np.all(np.abs(other[one_nan]) <= tiny), (g, w)
    g = np.where(one_nan, 0.0, g)
    w = np.where(one_nan, 0.0, w)
    assert_values(g * g, w * w, lowp)
    np.testing.assert_allclose(g, w, rtol=TOLERANCES[int(lowp)][0], atol=tiny, equal_nan=True)


def scipy_js_divergence(p: np.ndarray, q: np.ndarray, base: Any, axis: int, keepdims: bool) -> Any:
    """scipy.spatial.distance.jensenshannon's own formula (and the reference's), stopped before
    the square root: (sum rel_entr(p, m) + sum rel_entr(q, m)) / 2 / log(base), with the
    reference rel_entr (scipy.special's semantics) so that it needs no scipy."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        p = p / np.sum(p, axis=axis, keepdims=True)
        q = q / np.sum(q, axis=axis, keepdims=True)
        m = (p + q) / 2.0
        js = (np.sum(ref_special.rel_entr(p, m), axis=axis, keepdims=keepdims)
              + np.sum(ref_special.rel_entr(q, m), axis=axis, keepdims=keepdims))
        if base is not None:
            js = js / np.log(base)
        return js / 2.0


def assert_kind(got: Any, want: Any) -> None:
    """Same Python type (numpy scalar or ndarray), dtype and shape.

    One scipy quirk is not reproduced: for float16 input whose *result* is empty, scipy's
    axis/nan-policy wrapper returns an empty float16 array, while every non-empty float16
    result (and scipy's own jensenshannon) is float32; infokit returns float32 throughout.
    """
    assert type(got) is type(want), (type(got), type(want))
    want_dtype = np.asarray(want).dtype
    if want_dtype == np.float16 and np.size(want) == 0:
        want_dtype = np.dtype(np.float32)
    assert np.asarray(got).dtype == want_dtype, (np.asarray(got).dtype, want_dtype)
    assert np.shape(got) == np.shape(want), (np.shape(got), np.shape(want))


def expected_result_dtype(*arrays: np.ndarray) -> np.dtype:
    """jensenshannon's rule (scipy divides each input by its own sum: integers become float64
    one by one)."""
    dt = np.result_type(*[np.result_type(a.dtype, 1.0) for a in arrays])
    return np.dtype(np.float32) if dt == np.float16 else dt


def joint_result_dtype(*arrays: np.ndarray) -> np.dtype:
    """scipy.stats.entropy's rule with qk: the inputs promote together, then integers and
    bools become float64 and float16 is float32."""
    dt = np.result_type(*[a.dtype for a in arrays])
    if dt.kind in "biu":
        return np.dtype(np.float64)
    return np.dtype(np.float32) if dt == np.float16 else dt


def make_view(a: np.ndarray, view: str) -> np.ndarray:
    """The same values (up to a fixed permutation) as a non-contiguous view."""
    if view == "T":
        return a.T
    if view == "rev":
        return a[(slice(None, None, -1),) * a.ndim]
    if view == "step":
        big = a
        for ax in range(a.ndim):
            big = np.repeat(big, 2, axis=ax)
        return big[(slice(None, None, 2),) * a.ndim]
    return a


def elements(dtype: Any, special: bool) -> st.SearchStrategy[Any]:
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return st.booleans()
    if dt.kind == "u":
        return st.integers(0, np.iinfo(dt).max if dt.itemsize == 1 else 1000)
    if dt.kind == "i":
        return st.integers(-5 if special else 0, 1000)
    nice = st.one_of(st.just(0.0), st.sampled_from([1.0, 2.0, 0.5, 0.125, 3.0]),
                     st.floats(0.0, 1000.0, width=8 * dt.itemsize, allow_subnormal=False))
    if not special:
        return nice
    return st.one_of(nice, st.sampled_from([0.0, -1.0, -0.25, np.nan, np.inf, -np.inf]))


SMALL_EXACT = (np.dtype(np.uint8), np.dtype(np.bool_))  # result_type(float32, these) is float32


@st.composite
def pq(draw: st.DrawFn, *, with_q: bool, allow_none: bool = False, min_dims: int = 1,
       max_dims: int = 3, special: bool | None = None, dtypes: list[Any] = DTYPES,
       broadcast: bool = True, broadcast_along_axis: bool = True,
       mixed_small_int_float: bool = True) -> dict[str, Any]:
    """pk (and qk), a view kind applied to both, an axis, keepdims and a base.

    broadcast: qk may have length-1 axes that broadcast against pk; broadcast_along_axis=False
    keeps the reduction axis full length (as a zero-stride view, np.broadcast_to).
    mixed_small_int_float=False never pairs float32/float16 with uint8/bool (see
    test_entropy_mixed_dtype_result_matches_scipy).
    """
    if special is None:
        special = draw(st.booleans())
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=0, max_side=6))
    p = draw(hnp.arrays(dtype, shape, elements=elements(dtype, special)))
    q = None
    if with_q:
        qdtype = dtype if draw(st.integers(0, 3)) else draw(st.sampled_from(dtypes))
        pair = {np.dtype(dtype), np.dtype(qdtype)}
        if not mixed_small_int_float and pair & set(SMALL_EXACT) and pair & {np.dtype(np.float32), np.dtype(np.float16)}:
            qdtype = dtype
        qshape = shape
        if broadcast and draw(st.booleans()):
            qshape = tuple(1 if draw(st.booleans()) else s for s in shape)
        q = draw(hnp.arrays(qdtype, qshape, elements=elements(qdtype, special)))
    view = draw(st.sampled_from(VIEWS))
    p = make_view(p, view)
    q = None if q is None else make_view(q, view)
    axes: list[Any] = list(range(-p.ndim, p.ndim))
    if allow_none and (q is None or q.shape == p.shape):
        axes.append(None)
    axis = draw(st.sampled_from(axes))
    if q is not None and axis is not None and not broadcast_along_axis and q.shape[axis] != p.shape[axis]:
        target = list(q.shape)
        target[axis] = p.shape[axis]
        q = np.broadcast_to(q, target)
    # axis=None with keepdims=True is left to test_axis_none_keepdims_shape (it fails there).
    keepdims = axis is not None and draw(st.booleans())
    return {"p": p, "q": q, "axis": axis, "keepdims": keepdims,
            "base": draw(st.sampled_from(BASES)), "view": view}


def keepdims_shape(shape: tuple[int, ...], axis: Any) -> tuple[int, ...]:
    if axis is None:
        return (1,) * len(shape)
    s = list(shape)
    s[axis] = 1
    return tuple(s)


# --------------------------------------------------------------------------- scipy drop-ins
@given(data=st.data())
@SETTINGS
def test_entropy_matches_scipy(isa, n_threads, data):
    stats = pytest.importorskip("scipy.stats")
    c = data.draw(pq(with_q=False, allow_none=True))
    p, axis, keepdims, base = c["p"], c["axis"], c["keepdims"], c["base"]
    got = infokit.entropy(p, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    want_kind = quiet(stats.entropy, p, base=base, axis=axis, keepdims=keepdims)
    want = quiet(stats.entropy, up16(p), base=base, axis=axis, keepdims=keepdims)
    assert_kind(got, want_kind)
    assert_values(got, want, low_precision(p))


@given(data=st.data())
@SETTINGS
def test_kl_entropy_matches_scipy(isa, n_threads, data):
    stats = pytest.importorskip("scipy.stats")
    c = data.draw(pq(with_q=True, allow_none=True, mixed_small_int_float=False))
    p, q, axis, keepdims, base = c["p"], c["q"], c["axis"], c["keepdims"], c["base"]
    got = infokit.entropy(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    want_kind = quiet(stats.entropy, p, q, base=base, axis=axis, keepdims=keepdims)
    want = quiet(stats.entropy, up16(p), up16(q), base=base, axis=axis, keepdims=keepdims)
    assert_kind(got, want_kind)
    assert_values(got, want, low_precision(p, q))


@pytest.mark.parametrize("pdt,qdt", [(np.float32, np.uint8), (np.float32, np.bool_),
                                     (np.uint8, np.float32), (np.float16, np.uint8)],
                         ids=["f32-u8", "f32-bool", "u8-f32", "f16-u8"])
def test_entropy_mixed_dtype_result_matches_scipy(pdt, qdt):
    """scipy.stats.entropy promotes pk and qk together with numpy's rules (float32 with uint8
    or bool stays float32); only a lone integer pk or qk becomes float64."""
    stats = pytest.importorskip("scipy.stats")
    p = np.array([1, 2, 3, 0], dtype=pdt)
    q = np.array([3, 1, 1, 1], dtype=qdt)
    got = infokit.entropy(p, q)
    want = quiet(stats.entropy, p, q)
    assert_kind(got, want)
    assert_values(got, want, 2)


def _scipy_js_kind(p: np.ndarray, q: np.ndarray, base: Any, want: Any) -> Any:
    """scipy's jensenshannon divides a 0-d float32 result by the float64 scalar np.log(base),
    which NEP 50 promotes to float64 for 1-d input only (N-d results stay float32, in place).
    infokit returns float32 for float32 input in every case, as the documented rule says."""
    if base is not None and np.ndim(want) == 0 and expected_result_dtype(p, q) == np.float32:
        return np.float32(want)
    return want


@pytest.mark.parametrize("distance", [True, False], ids=["jensenshannon", "js_divergence"])
@given(data=st.data())
@SETTINGS
def test_jensenshannon_matches_scipy(isa, n_threads, distance, data):
    spd = pytest.importorskip("scipy.spatial.distance")
    c = data.draw(pq(with_q=True, broadcast_along_axis=False))
    p, q, axis, keepdims, base = c["p"], c["q"], c["axis"], c["keepdims"], c["base"]
    want_kind = quiet(spd.jensenshannon, p, q, base=base, axis=axis, keepdims=keepdims)
    want_kind = _scipy_js_kind(p, q, base, want_kind)
    if distance:
        if base is not None and base < 1:
            base = 2  # the distance is NaN for any positive divergence there: nothing to compare
        got = infokit.jensenshannon(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
        want = quiet(spd.jensenshannon, up16(p), up16(q), base=base, axis=axis, keepdims=keepdims)
        assert_kind(got, want_kind)
        assert_distance(got, want, low_precision(p, q))
    else:
        got = infokit.js_divergence(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
        want = scipy_js_divergence(up16(p), up16(q), base, axis, keepdims)
        assert_kind(got, want_kind)
        assert_values(got, want, low_precision(p, q))


def test_jensenshannon_identical_is_zero():
    """Distributions that are equal after normalisation are at distance 0: never NaN (the
    square root of a divergence that rounded below zero), and the divergence is never < 0."""
    for p, q in [([1.0], [910.75]), ([1.0], [691.0]), ([1.0], [40.25]), ([2.0, 2.0], [3.0, 3.0]),
                 ([1.0, 2.0, 3.0], [7.0, 14.0, 21.0]), ([1.0] * 6, [103.07674204] * 6)]:
        d = infokit.jensenshannon(p, q)
        assert not np.isnan(d), (p, q, d)
        assert 0.0 <= d <= 1e-7, (p, q, d)
        assert infokit.js_divergence(p, q) >= 0.0, (p, q, infokit.js_divergence(p, q))


def test_jensenshannon_broadcast_along_axis_matches_scipy():
    """scipy normalises p and q along `axis` before they broadcast against each other, so a
    length-1 q along the axis is the distribution [1] repeated, not a uniform one."""
    spd = pytest.importorskip("scipy.spatial.distance")
    p = np.array([[1.0], [1.0]])
    q = np.array([[1.0]])
    for args in [(p, q), ([1.0, 1.0], [1.0]), ([1.0, 3.0, 4.0], [[2.0], [5.0]])]:
        got = infokit.jensenshannon(*args, axis=0)
        want = spd.jensenshannon(*args, axis=0)
        assert_kind(got, want)
        assert_values(got, want, False)


@given(data=st.data())
@SETTINGS
def test_entropy_nan_policy_omit_matches_scipy(isa, data):
    stats = pytest.importorskip("scipy.stats")
    c = data.draw(pq(with_q=data.draw(st.booleans()), allow_none=True, special=True,
                     dtypes=[np.float64, np.float32], broadcast=False))
    p, q, axis, keepdims = c["p"], c["q"], c["axis"], c["keepdims"]
    got = infokit.entropy(p, q, axis=axis, keepdims=keepdims, nan_policy="omit")
    want = quiet(stats.entropy, p, q, axis=axis, keepdims=keepdims, nan_policy="omit")
    assert_kind(got, want)
    assert_values(got, want, low_precision(p, q))


# ------------------------------------------------------------------ against the reference
@given(data=st.data())
@SETTINGS
def test_entropy_matches_reference(isa, n_threads, data):
    c = data.draw(pq(with_q=data.draw(st.booleans()), allow_none=False))
    p, q, axis, keepdims, base = c["p"], c["q"], c["axis"], c["keepdims"], c["base"]
    got = infokit.entropy(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    want = quiet(ref.entropy, up16(p), None if q is None else up16(q), base=base, axis=axis,
                 keepdims=keepdims)
    dtype = expected_result_dtype(p) if q is None else joint_result_dtype(p, q)
    assert np.asarray(got).dtype == dtype
    assert_values(got, want, low_precision(p, q))


@given(data=st.data())
@SETTINGS
def test_kl_divergence_matches_reference(isa, n_threads, data):
    c = data.draw(pq(with_q=True))
    p, q, axis, keepdims, base = c["p"], c["q"], c["axis"], c["keepdims"], c["base"]
    got = infokit.kl_divergence(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    want = quiet(ref.entropy, up16(p), up16(q), base=base, axis=axis, keepdims=keepdims)
    assert np.asarray(got).dtype == joint_result_dtype(p, q)
    assert_values(got, want, low_precision(p, q))
    # kl_divergence is entropy with qk, exactly.
    same = infokit.entropy(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    assert np.array_equal(got, same, equal_nan=True)


def _bad_probabilities(*arrays: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):
        return any(bool(np.any(a < 0) | np.any(np.isinf(a))) for a in arrays)


@given(data=st.data())
@SETTINGS
def test_cross_entropy_matches_reference(isa, n_threads, data):
    c = data.draw(pq(with_q=True, allow_none=True))
    p, q, axis, keepdims, base = c["p"], c["q"], c["axis"], c["keepdims"], c["base"]
    pb, qb = np.broadcast_arrays(p, q)
    if _bad_probabilities(pb, qb):
        with pytest.raises(ValueError, match="(pk|qk) must not contain"):
            infokit.cross_entropy(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
        return
    got = infokit.cross_entropy(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    want = quiet(ref.cross_entropy, up16(p), up16(q), base=base, axis=axis, keepdims=keepdims)
    assert np.asarray(got).dtype == joint_result_dtype(p, q)
    assert_values(got, want, low_precision(p, q))


@given(data=st.data())
@SETTINGS
def test_js_divergence_matches_reference(isa, n_threads, data):
    c = data.draw(pq(with_q=True, broadcast_along_axis=False))
    p, q, axis, keepdims, base = c["p"], c["q"], c["axis"], c["keepdims"], c["base"]
    got = infokit.js_divergence(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    dist = infokit.jensenshannon(p, q, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    want = quiet(ref.jensenshannon, up16(p), up16(q), base=base, axis=axis, keepdims=keepdims)
    assert np.asarray(got).dtype == expected_result_dtype(p, q)
    assert np.asarray(dist).dtype == expected_result_dtype(p, q)
    # The reference's formula before its square root.
    want_div = scipy_js_divergence(up16(p), up16(q), base, axis, keepdims)
    assert_values(got, want_div, low_precision(p, q))
    if base is None or base > 1:
        assert_distance(dist, want, low_precision(p, q))


ALPHAS = [0.0, 0.5, 1.0, 2.0, 3.7, math.inf]


@given(data=st.data())
@settings(SETTINGS, max_examples=60)  # six orders share the examples
def test_renyi_entropy_matches_reference(isa, n_threads, data):
    alpha = data.draw(st.sampled_from(ALPHAS))
    c = data.draw(pq(with_q=False, allow_none=True))
    p, axis, keepdims, base = c["p"], c["axis"], c["keepdims"], c["base"]
    if alpha != 1.0 and _bad_probabilities(p):
        with pytest.raises(ValueError, match="pk must not contain"):
            infokit.renyi_entropy(p, alpha, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
        return
    x = up16(p)
    ax = axis
    if axis is None:
        x, ax = x.ravel(), 0
    try:
        want = quiet(ref.renyi_entropy, x, alpha, base=base, axis=ax, keepdims=keepdims)
    except ValueError:  # min-entropy of an empty distribution: max() of nothing
        assert alpha == math.inf and p.size == 0
        with pytest.raises(ValueError):
            infokit.renyi_entropy(p, alpha, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
        return
    got = infokit.renyi_entropy(p, alpha, base=base, axis=axis, keepdims=keepdims, n_threads=n_threads)
    if keepdims:
        want = np.reshape(want, keepdims_shape(p.shape, axis))
    assert np.asarray(got).dtype == expected_result_dtype(p)
    assert_values(got, want, low_precision(p))


@given(data=st.data())
@SETTINGS
def test_renyi_limits(isa, n_threads, data):
    """Renyi of order alpha -> 1 approaches the Shannon entropy; order 0 is log(support)."""
    p = data.draw(hnp.arrays(np.float64, st.integers(1, 40),
                             elements=st.floats(1e-3, 10.0, allow_subnormal=False)))
    h = infokit.entropy(p, n_threads=n_threads)
    near = infokit.renyi_entropy(p, 1.0 + 1e-7, n_threads=n_threads)
    assert abs(near - h) <= 1e-5 * max(1.0, h)
    assert infokit.renyi_entropy(p, 0.0) == pytest.approx(math.log(p.size), rel=1e-14)
    # Monotone non-increasing in alpha.
    vals = [infokit.renyi_entropy(p, a, n_threads=n_threads) for a in (0.0, 0.5, 1.0, 2.0, 5.0, math.inf)]
    assert all(a >= b - 1e-12 for a, b in zip(vals, vals[1:])), vals


unit = st.one_of(st.floats(0.0, 1.0, allow_subnormal=False), st.sampled_from([0.0, 1.0, 0.5]))


@given(data=st.data())
@SETTINGS
def test_binary_entropy_and_surprisal(isa, data):
    dt = np.dtype(data.draw(st.sampled_from([np.float64, np.float32, np.float16, np.uint8, np.bool_])))
    elems = unit if dt.kind == "f" else (st.integers(0, 1) if dt.kind == "u" else st.booleans())
    if dt.kind == "f" and data.draw(st.booleans()):
        elems = st.one_of(elems, st.just(np.nan))
    # 0-d and empty input: test_surprisal_of_a_scalar_is_a_scalar and
    # test_binary_entropy_and_surprisal_of_empty_arrays.
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    p = data.draw(hnp.arrays(dt, shape, elements=elems))
    base = data.draw(st.sampled_from(BASES))
    rdt = expected_result_dtype(p)
    for fn, rfn in [(infokit.binary_entropy, ref.binary_entropy), (infokit.surprisal, ref.surprisal)]:
        got = fn(p, base=base)
        want = quiet(rfn, p.astype(np.float64), base=base)
        assert isinstance(got, np.ndarray) and got.shape == p.shape
        assert np.asarray(got).dtype == rdt, (fn.__name__, np.asarray(got).dtype, rdt)
        assert_values(got, want, rdt == np.float32)


@given(data=st.data())
@SETTINGS
def test_perplexity_matches_reference(isa, n_threads, data):
    c = data.draw(pq(with_q=False, allow_none=True))
    p, axis, keepdims = c["p"], c["axis"], c["keepdims"]
    got = infokit.perplexity(p, axis=axis, keepdims=keepdims, n_threads=n_threads)
    want = quiet(ref.perplexity, up16(p).ravel() if axis is None else up16(p),
                 axis=0 if axis is None else axis)
    if keepdims:
        want = np.reshape(want, keepdims_shape(p.shape, axis))
    assert np.asarray(got).dtype == expected_result_dtype(p)
    assert_values(got, want, low_precision(p))
    # exp(entropy), bit for bit.
    h = infokit.entropy(p, axis=axis, keepdims=keepdims, n_threads=n_threads)
    assert np.array_equal(got, np.exp(h), equal_nan=True)


@given(data=st.data())
@SETTINGS
def test_perplexity_log_probs(data):
    dtype = data.draw(st.sampled_from([np.float64, np.float32]))
    lp = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6),
                              elements=st.floats(-30.0, 0.0, width=8 * np.dtype(dtype).itemsize)))
    axis = data.draw(st.sampled_from(list(range(-lp.ndim, lp.ndim))))
    got = infokit.perplexity(lp, axis=axis, log_probs=True)
    want = ref.perplexity(lp, axis=axis, log_probs=True)
    assert np.asarray(got).dtype == dtype
    assert_values(got, want, dtype == np.float32)


@st.composite
def tables(draw: st.DrawFn, ndim: int | None, nan: bool = True) -> np.ndarray:
    nd = ndim if ndim is not None else draw(st.integers(1, 3))
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.uint8, np.bool_]))
    shape = draw(hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=1, max_side=5))
    a = draw(hnp.arrays(dtype, shape, elements=elements(dtype, special=False)))
    if nan and np.dtype(dtype).kind == "f" and draw(st.integers(0, 5)) == 0:
        a = a.copy()
        a[tuple(0 for _ in shape)] = np.nan
    if not np.nansum(a.astype(np.float64)) > 0:
        a = a.copy()
        a[tuple(s - 1 for s in shape)] = 1
    return make_view(a, draw(st.sampled_from(VIEWS)))


# Bases in (0, 1) are left to test_table_measures_base_below_one (they fail there).
TABLE_BASES = [None, 2, 10, math.e]


@given(data=st.data())
@SETTINGS
def test_joint_entropy_matches_reference(isa, n_threads, data):
    base = data.draw(st.sampled_from(TABLE_BASES))
    t = data.draw(tables(None))
    got = infokit.joint_entropy(t, base=base, n_threads=n_threads)
    assert isinstance(got, float)
    assert_values(got, quiet(ref.joint_entropy, t, base=base), low_precision(t))


@given(data=st.data())
@SETTINGS
def test_conditional_entropy_matches_reference(isa, n_threads, data):
    base = data.draw(st.sampled_from(TABLE_BASES))
    t = data.draw(tables(None, nan=False))  # NaN: test_table_measures_nan_propagates
    given_ax = data.draw(st.integers(-t.ndim, t.ndim - 1))
    got = infokit.conditional_entropy(t, given=given_ax, base=base, n_threads=n_threads)
    assert isinstance(got, float)
    assert_values(got, quiet(ref.conditional_entropy, t, given=given_ax % t.ndim, base=base), low_precision(t))


@given(data=st.data())
@SETTINGS
def test_mutual_information_matches_reference(isa, n_threads, data):
    base = data.draw(st.sampled_from(TABLE_BASES))
    t = data.draw(tables(2))
    got = infokit.mutual_information(t, base=base, n_threads=n_threads)
    assert isinstance(got, float)
    assert_values(got, quiet(ref.mutual_information, t, base=base), low_precision(t))


@given(data=st.data())
@SETTINGS
def test_conditional_mutual_information_matches_reference(isa, n_threads, data):
    base = data.draw(st.sampled_from(TABLE_BASES))
    t = data.draw(tables(3))
    got = infokit.conditional_mutual_information(t, base=base, n_threads=n_threads)
    assert isinstance(got, float)
    assert_values(got, quiet(ref.conditional_mutual_information, t, base=base), low_precision(t))


def test_surprisal_of_a_scalar_is_a_scalar():
    """Like binary_entropy (and numpy ufuncs), a 0-d input gives a numpy scalar, not shape (1,)."""
    for p in (0.25, np.float64(0.25), np.array(0.25), np.array(0.25, dtype=np.float32)):
        s = infokit.surprisal(p, base=2)
        assert np.ndim(s) == 0 and isinstance(s, np.generic), repr(s)
        assert s == 2.0
        b = infokit.binary_entropy(p)
        assert np.ndim(b) == 0 and isinstance(b, np.generic), repr(b)


def test_binary_entropy_and_surprisal_of_empty_arrays():
    for shape in [(0,), (0, 3)]:
        for dtype in (np.float64, np.float32):
            p = np.zeros(shape, dtype=dtype)
            for fn in (infokit.binary_entropy, infokit.surprisal):
                r = fn(p)
                assert isinstance(r, np.ndarray) and r.shape == shape and r.dtype == dtype


def test_table_measures_nan_propagates():
    """A NaN in a joint table gives NaN, as the reference (and joint_entropy) do; never 0."""
    t = np.array([[np.nan, 1.0], [1.0, 1.0]])
    assert math.isnan(infokit.joint_entropy(t))
    assert math.isnan(quiet(ref.conditional_entropy, t))
    assert math.isnan(infokit.conditional_entropy(t))


def test_table_measures_base_below_one():
    """A base in (0, 1) is allowed (as in scipy) and flips the sign: I/log(base) < 0 there.
    Clamping the result at 0 after the change of base turns every such value into 0."""
    pxy = np.array([[0.0, 1.0], [1.0, 1.0]])
    nats = infokit.mutual_information(pxy)
    assert nats > 0.1
    assert infokit.mutual_information(pxy, base=0.5) == pytest.approx(nats / math.log(0.5), rel=1e-12)
    h = infokit.conditional_entropy(pxy)
    assert infokit.conditional_entropy(pxy, base=0.5) == pytest.approx(h / math.log(0.5), rel=1e-12)
    pxyz = np.zeros((2, 2, 2))
    pxyz[0, 0, :] = pxyz[1, 1, :] = 1
    assert infokit.conditional_mutual_information(pxyz, base=0.5) == pytest.approx(-1.0, rel=1e-12)


def test_table_identities():
    rng = np.random.default_rng(3)
    pxy = rng.random((4, 6))
    h_xy = infokit.joint_entropy(pxy)
    h_x = float(infokit.entropy(pxy.sum(axis=1)))
    h_y = float(infokit.entropy(pxy.sum(axis=0)))
    assert infokit.conditional_entropy(pxy, given=0) == pytest.approx(h_xy - h_x, rel=1e-12)
    assert infokit.conditional_entropy(pxy, given=-1) == pytest.approx(h_xy - h_y, rel=1e-12)
    assert infokit.mutual_information(pxy) == pytest.approx(h_x + h_y - h_xy, rel=1e-10)
    indep = np.outer(rng.random(3), rng.random(5))
    assert infokit.mutual_information(indep) == pytest.approx(0.0, abs=1e-14)
    assert infokit.mutual_information(np.eye(4), base=2) == pytest.approx(2.0, rel=1e-14)
    # I(X;Y|Z) for X = Y uniform on 2 values, independent of Z: one bit.
    pxyz = np.zeros((2, 2, 3))
    pxyz[0, 0, :] = pxyz[1, 1, :] = 1
    assert infokit.conditional_mutual_information(pxyz, base=2) == pytest.approx(1.0, rel=1e-14)


# ------------------------------------------------------------------- fixed edge cases
SPECIAL_ROWS = [
    [0.0, 0.0, 0.0],          # all-zero row: nan
    [1.0, -1.0, 2.0],         # negative entry
    [1.0, np.nan, 2.0],
    [1.0, np.inf, 2.0],
    [np.inf, np.inf, 1.0],
    [-1.0, -2.0, -3.0],
    [1e308, 1e308, 1e308],    # the sum overflows
    [1.0, 2.0, 3.0],
    # (subnormal and near-overflow entries: test_scale_invariance_extreme_magnitudes)
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_special_rows_match_scipy(isa, n_threads, dtype):
    stats = pytest.importorskip("scipy.stats")
    spd = pytest.importorskip("scipy.spatial.distance")
    with np.errstate(all="ignore"):
        p = np.array(SPECIAL_ROWS, dtype=dtype)
    q = p[::-1].copy()
    for axis in (0, 1, -1):
        for a in (p, np.asfortranarray(p), p.T.copy().T):
            got = infokit.entropy(a, axis=axis, n_threads=n_threads)
            want = quiet(stats.entropy, a, axis=axis)
            assert_kind(got, want)
            assert_values(got, want, dtype == np.float32)
            got = infokit.entropy(a, q, axis=axis, n_threads=n_threads)
            want = quiet(stats.entropy, a, q, axis=axis)
            assert_kind(got, want)
            assert_values(got, want, dtype == np.float32)
            got = infokit.jensenshannon(a, q, axis=axis, n_threads=n_threads)
            want = quiet(spd.jensenshannon, a, q, axis=axis)
            assert_kind(got, want)
            assert_values(got, want, dtype == np.float32)
    for row in p:  # the 1-d fast path
        assert_kind(infokit.entropy(row), quiet(stats.entropy, row))
        assert_values(infokit.entropy(row), quiet(stats.entropy, row), dtype == np.float32)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("value", [-1.0, -0.0, 0.0, 1e-310, 1e-40, np.inf, np.nan])
def test_one_special_entry_in_a_long_vector(isa, n_threads, dtype, value):
    """One special entry in the vector part of a long input (not only in a short row's tail),
    in p or in q, contiguous or strided: the fast loops' sign and range checks must send the
    chunk to the exact path."""
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(5)
    lowp = dtype == np.float32
    for n in (40, 1001):
        for pos in (0, 17, n - 1):
            for which in ("p", "q"):
                strided = pos == 17  # every other element of a twice longer array
                p = (rng.random(2 * n if strided else n) + 0.1).astype(dtype)[:: 2 if strided else 1]
                q = (rng.random(2 * n if strided else n) + 0.1).astype(dtype)[:: 2 if strided else 1]
                with np.errstate(over="ignore", under="ignore"):
                    (p if which == "p" else q)[pos] = value
                assert_values(infokit.entropy(p, n_threads=n_threads), quiet(stats.entropy, p), lowp)
                assert_values(infokit.entropy(p, q, n_threads=n_threads), quiet(stats.entropy, p, q), lowp)
                if value < 0 or np.isinf(value):  # infokit's own measures refuse these
                    with pytest.raises(ValueError):
                        infokit.cross_entropy(p, q, n_threads=n_threads)
                else:
                    assert_values(infokit.cross_entropy(p, q, n_threads=n_threads),
                                  quiet(ref.cross_entropy, p, q), lowp)


def test_empty_inputs_match_scipy(isa):
    stats = pytest.importorskip("scipy.stats")
    spd = pytest.importorskip("scipy.spatial.distance")
    for shape in [(0,), (0, 3), (3, 0), (2, 0, 4)]:
        a = np.ones(shape)
        for axis in range(-len(shape), len(shape)):
            for keepdims in (False, True):
                got = infokit.entropy(a, axis=axis, keepdims=keepdims)
                want = quiet(stats.entropy, a, axis=axis, keepdims=keepdims)
                assert_kind(got, want)
                assert_values(got, want, False)
                got = infokit.entropy(a, a, axis=axis, keepdims=keepdims)
                want = quiet(stats.entropy, a, a, axis=axis, keepdims=keepdims)
                assert_kind(got, want)
                assert_values(got, want, False)
                got = infokit.jensenshannon(a, a, axis=axis, keepdims=keepdims)
                want = quiet(spd.jensenshannon, a, a, axis=axis, keepdims=keepdims)
                assert_kind(got, want)
                assert_values(got, want, False)


AXIS_NONE_FNS = {
    "entropy": lambda a, **k: infokit.entropy(a, **k),
    "entropy_qk": lambda a, **k: infokit.entropy(a, a[::-1], **k),
    "kl_divergence": lambda a, **k: infokit.kl_divergence(a, a[::-1], **k),
    "cross_entropy": lambda a, **k: infokit.cross_entropy(a, a[::-1], **k),
    "renyi_entropy": lambda a, **k: infokit.renyi_entropy(a, 2.0, **k),
    "perplexity": lambda a, **k: infokit.perplexity(a, **k),
}


@pytest.mark.parametrize("fn", list(AXIS_NONE_FNS))
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 2)])
def test_axis_none_keepdims_shape(fn, shape):
    """axis=None reduces over every axis; keepdims=True then keeps all of them with length 1
    (scipy.stats.entropy: shape (1, 1) for 2-d input; numpy's reductions do the same)."""
    a = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    f = AXIS_NONE_FNS[fn]
    flat = f(a, axis=None)
    kept = f(a, axis=None, keepdims=True)
    assert np.ndim(flat) == 0
    assert np.shape(kept) == (1,) * len(shape)
    assert_values(np.ravel(kept)[0], flat, False)


def test_entropy_axis_none_keepdims_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    a = np.arange(12.0).reshape(3, 4)
    got = infokit.entropy(a, axis=None, keepdims=True)
    want = stats.entropy(a, axis=None, keepdims=True)
    assert_kind(got, want)
    assert_values(got, want, False)


def test_float16_is_computed_in_float32():
    """float16 input is computed (and returned) as float32: the same data cast to float32 gives
    the same result, also on the exact paths (negative entries, renyi alpha = 0 / inf)."""
    cases = {
        "entropy-negative": lambda a, b: infokit.entropy(a),
        "kl-negative": lambda a, b: infokit.entropy(a, b),
        "jensenshannon-negative": lambda a, b: infokit.jensenshannon(a, b),
        "js_divergence-negative": lambda a, b: infokit.js_divergence(a, b),
        "renyi-inf": lambda a, b: infokit.renyi_entropy(np.abs(a), math.inf),
        "renyi-0": lambda a, b: infokit.renyi_entropy(np.abs(a), 0.0),
        "renyi-2": lambda a, b: infokit.renyi_entropy(np.abs(a), 2.0),
        "perplexity-negative": lambda a, b: infokit.perplexity(a),
    }
    a16 = np.array([-1.0, -3.0, -7.0, -0.1], dtype=np.float16)
    b16 = np.array([0.0, 1.0, 5.0, 3.0], dtype=np.float16)
    bad = []
    for name, f in cases.items():
        got = f(a16, b16)
        want = f(a16.astype(np.float32), b16.astype(np.float32))
        assert np.asarray(got).dtype == np.float32, name
        if not np.allclose(got, want, rtol=2e-6, atol=1e-7, equal_nan=True):
            bad.append((name, got, want))
    assert not bad, bad


def _scale_cases():
    base = np.array([1.0, 2.0, 3.0, 0.0, 5.0])
    other = np.array([2.0, 1.0, 1.0, 4.0, 3.0])
    cases = []
    for dtype, scales in [(np.float64, [2.0 ** -1074, 2.0 ** -1040, 1e-300, 1e300, 2.0 ** 1020]),
                          (np.float32, [2.0 ** -149, 2.0 ** -130, 2.0 ** 110, 2.0 ** 124])]:
        for scale in scales:
            cases.append(pytest.param(dtype, scale, base, other, id=f"{np.dtype(dtype).name}-{scale:.3g}"))
    return cases


SCALED = {
    "entropy": (lambda p, q, **k: infokit.entropy(p, **k), lambda p, q, **k: ref.entropy(p, **k)),
    "kl": (lambda p, q, **k: infokit.kl_divergence(p, q, **k), lambda p, q, **k: ref.entropy(p, q, **k)),
    "cross_entropy": (lambda p, q, **k: infokit.cross_entropy(p, q, **k), ref.cross_entropy),
    "jensenshannon": (lambda p, q, **k: infokit.jensenshannon(p, q, **k), ref.jensenshannon),
    "renyi2": (lambda p, q, **k: infokit.renyi_entropy(p, 2.0, **k),
               lambda p, q, **k: ref.renyi_entropy(p, 2.0, **k)),
}


@pytest.mark.parametrize("fn", list(SCALED))
@pytest.mark.parametrize("dtype,scale,base,other", _scale_cases())
def test_scale_invariance_extreme_magnitudes(isa, fn, dtype, scale, base, other):
    """Every input is normalised, so scaling it changes nothing -- including to entries that
    are subnormal or whose x*log(x) overflows (the scaled values here are exact: small
    integers times a power of two, or times 1e+-300). scipy and the reference normalise
    first and get these right."""
    ours, theirs = SCALED[fn]
    p = (base * scale).astype(dtype)
    q = (other * scale).astype(dtype)
    assert np.all(np.isfinite(p)) and np.all(p[base > 0] > 0)
    lowp = dtype == np.float32
    want = quiet(theirs, base.astype(dtype), other.astype(dtype))
    assert_values(ours(p, q), want, lowp)                       # 1-d (row kernel)
    cols = np.stack([p, p[::-1]], axis=1)
    qcols = np.stack([q, q[::-1]], axis=1)
    want2 = quiet(theirs, np.stack([base, base[::-1]], 1).astype(dtype),
                  np.stack([other, other[::-1]], 1).astype(dtype), axis=0)
    assert_values(ours(cols, qcols, axis=0), want2, lowp)      # axis 0 of C order (column kernel)
    assert_values(ours(cols.T, qcols.T, axis=1), want2, lowp)  # rows of a 2-d array


@pytest.mark.parametrize("n", [7, 64, 1000])
def test_float32_entropy_with_subnormal_entries(isa, n):
    """The float32 entropy kernel lets positive subnormal entries through (their log is wrong,
    but c log c is below 2^-119); rows whose sum is below 2^-60 are rescaled first, so every
    row must still match the float64 reference. -0.0 entries count as zeros."""
    rng = np.random.default_rng(n)
    sub = np.float32(2.0 ** -140) * rng.integers(1, 1000, n).astype(np.float32)
    rows = {
        "normal and subnormal": np.where(rng.random(n) < 0.5, rng.random(n).astype(np.float32), sub),
        "sum near 2^-100": (rng.random(n) * 2.0 ** -100).astype(np.float32),
        "sum just above 2^-60": np.where(np.arange(n) == 0, np.float32(2.0 ** -59), sub),
        "all subnormal": sub,
        "negative zeros": np.where(rng.random(n) < 0.5, np.float32(-0.0), rng.random(n).astype(np.float32)),
    }
    for name, p in rows.items():
        want = ref.entropy(p.astype(np.float64))
        got = infokit.entropy(p)
        assert got.dtype == np.float32, name
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6, err_msg=name)
        batch = infokit.entropy(np.stack([p, p[::-1]]), axis=1)
        np.testing.assert_allclose(batch, [want, want], rtol=2e-6, atol=1e-6, err_msg=name)


def test_kl_mixed_magnitudes_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    for p, q in [([1e308, 1.0], [1.0, 1e308]), ([1e300, 1.0], [1.0, 1e300]), ([1e307, 1e307], [1.0, 3.0])]:
        p, q = np.array(p), np.array(q)
        assert_values(infokit.entropy(p, q), quiet(stats.entropy, p, q), False)
        assert_values(infokit.kl_divergence(p, q), quiet(stats.entropy, p, q), False)
        assert_values(infokit.cross_entropy(p, q), quiet(ref.cross_entropy, p, q), False)


@pytest.mark.skipif(np.finfo(np.longdouble).nmant < 63, reason="needs an 80-bit np.longdouble")
@pytest.mark.parametrize("kind", ["uniform", "skewed", "near_one_hot", "wide_range"])
def test_entropy_accuracy_against_extended_precision(isa, n_threads, kind):
    """The fast log inside the sums (a few ULP per term) and the compensated sum keep entropy
    and KL within a few eps of the problem's condition, as NumPy's pairwise sum of exact terms
    would: |error| <= 4 eps (1 + |log S| + sum |c log c| / S), the 1 for S itself, which no
    float64 computation holds exactly (scipy's p / S neither; scipy reaches 1.9 eps here)."""
    rng = np.random.default_rng(11)
    n = 200_003
    p = {"uniform": rng.random(n),
         "skewed": rng.random(n) ** 8,
         "near_one_hot": np.concatenate([[1.0], rng.random(n - 1) * 1e-9]),
         "wide_range": 10.0 ** rng.uniform(-300, 0, n)}[kind]
    q = rng.random(n) + 0.5
    lp = p.astype(np.longdouble)
    lq = q.astype(np.longdouble)
    sp, sq = lp.sum(), lq.sum()
    terms = lp * np.log(lp)
    want_h = np.log(sp) - terms.sum() / sp
    got_h = infokit.entropy(p, n_threads=n_threads)
    cond_h = 1 + abs(np.log(sp)) + np.abs(terms).sum() / sp
    eps = np.finfo(np.float64).eps
    assert abs(got_h - want_h) <= 4 * eps * cond_h, (kind, float(got_h), float(want_h))
    kl_terms = lp * (np.log(lp) - np.log(lq))
    want_kl = kl_terms.sum() / sp - np.log(sp) + np.log(sq)
    got_kl = infokit.entropy(p, q, n_threads=n_threads)
    cond_kl = 2 + np.abs(kl_terms).sum() / sp + abs(np.log(sp)) + abs(np.log(sq))
    assert abs(got_kl - want_kl) <= 4 * eps * cond_kl, (kind, float(got_kl), float(want_kl))


def test_known_values():
    assert infokit.entropy([1, 1, 2, 4], base=2) == pytest.approx(1.75, rel=1e-15)
    assert infokit.entropy(np.ones(1024), base=2) == pytest.approx(10.0, rel=1e-15)
    assert infokit.entropy([0.5, 0.5], [0.9, 0.1]) == pytest.approx(
        0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1), rel=1e-14)
    assert infokit.cross_entropy([0.5, 0.5], [0.25, 0.75], base=2) == pytest.approx(
        -0.5 * math.log2(0.25) - 0.5 * math.log2(0.75), rel=1e-14)
    assert infokit.jensenshannon([1.0, 0.0], [0.0, 1.0], base=2) == pytest.approx(1.0, rel=1e-15)
    assert infokit.js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(math.log(2), rel=1e-15)
    assert infokit.kl_divergence([1.0, 1.0], [0.0, 1.0]) == np.inf
    assert infokit.cross_entropy([1.0, 1.0], [0.0, 1.0]) == np.inf
    assert infokit.cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert infokit.renyi_entropy([1, 1, 2], 2) == pytest.approx(-math.log(0.25 ** 2 * 2 + 0.5 ** 2), rel=1e-14)
    assert infokit.renyi_entropy([1, 1, 2], math.inf) == pytest.approx(math.log(2), rel=1e-14)
    assert infokit.binary_entropy(0.5, base=2) == 1.0
    assert infokit.binary_entropy(0.0) == 0.0 and infokit.binary_entropy(1.0) == 0.0
    assert infokit.surprisal(0.0) == np.inf and infokit.surprisal(1.0) == 0.0
    assert infokit.perplexity([1, 1, 1, 1]) == pytest.approx(4.0, rel=1e-15)


# --------------------------------------------------------------- thread-count independence
def _large_inputs() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(12345)
    a1 = rng.random(300_000)
    b1 = rng.random(300_000) + 1e-3
    a2 = rng.random((300, 2000))
    b2 = rng.random((300, 2000)) + 1e-3
    a2[::7, ::11] = 0.0  # exact zeros on the fast path
    return {"1d": (a1, b1), "2d": (a2, b2), "2d-f32": (a2.astype(np.float32), b2.astype(np.float32))}


LARGE = _large_inputs()
FNS = {
    "entropy": lambda a, b, **k: infokit.entropy(a, **k),
    "entropy_bits": lambda a, b, **k: infokit.entropy(a, base=2, **k),  # not the 1-d fast path
    "kl": lambda a, b, **k: infokit.kl_divergence(a, b, **k),
    "cross_entropy": lambda a, b, **k: infokit.cross_entropy(a, b, **k),
    "jensenshannon": lambda a, b, **k: infokit.jensenshannon(a, b, **k),
    "renyi": lambda a, b, **k: infokit.renyi_entropy(a, 2.5, **k),
}


@pytest.mark.parametrize("fn", list(FNS))
@pytest.mark.parametrize("case", list(LARGE))
def test_thread_count_bitwise_identical(isa, fn, case):
    a, b = LARGE[case]
    f = FNS[fn]
    for axis in range(a.ndim):
        one = f(a, b, axis=axis, n_threads=1)
        two = f(a, b, axis=axis, n_threads=2)
        dflt = f(a, b, axis=axis)
        assert np.array_equal(one, two), (fn, case, axis)
        assert np.array_equal(one, dflt), (fn, case, axis)
        assert np.all(np.isfinite(one))
        if a.ndim == 2:  # a non-contiguous view of the same values gives the same result
            t = f(np.asfortranarray(a), np.asfortranarray(b), axis=axis, n_threads=2)
            np.testing.assert_allclose(t, one, rtol=1e-13 if a.dtype == np.float64 else 1e-6)


@pytest.mark.parametrize("layout", ["axis0", "axis1", "transposed"])
def test_batch_matches_scipy(isa, n_threads, layout):
    stats = pytest.importorskip("scipy.stats")
    spd = pytest.importorskip("scipy.spatial.distance")
    rng = np.random.default_rng(99)
    if layout == "transposed":
        p = rng.random((257, 1000)).T
        q = rng.random((257, 1000)).T
        axis = 1
    else:
        p = rng.random((1000, 257))
        q = rng.random((1000, 257))
        axis = 0 if layout == "axis0" else 1
    p[3, :] = 0.0
    got = infokit.entropy(p, axis=axis, n_threads=n_threads)
    assert_kind(got, quiet(stats.entropy, p, axis=axis))
    assert_values(got, quiet(stats.entropy, p, axis=axis), False)
    assert_values(infokit.entropy(p, q, axis=axis, n_threads=n_threads),
                  quiet(stats.entropy, p, q, axis=axis), False)
    assert_values(infokit.jensenshannon(p, q, axis=axis, n_threads=n_threads),
                  quiet(spd.jensenshannon, p, q, axis=axis), False)
    assert_values(infokit.cross_entropy(p, q, axis=axis, n_threads=n_threads),
                  quiet(ref.cross_entropy, p, q, axis=axis), False)
    assert_values(infokit.renyi_entropy(p, 2.0, axis=axis, n_threads=n_threads),
                  quiet(ref.renyi_entropy, p, 2.0, axis=axis), False)
