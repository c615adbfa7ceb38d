"""infokit.stats.differential_entropy: parity with scipy.stats (skipped without scipy) and with
the term-by-term reference, over methods, windows, axes, dtypes, layouts, NaN and tiny input."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numpy.exceptions import AxisError

from infokit.reference import stats as R
from infokit.stats import SmallSampleWarning, differential_entropy

METHODS = ["vasicek", "van es", "ebrahimi", "correa", "auto"]
SETTINGS = settings(max_examples=40, deadline=None)


def scipy_de():
    return pytest.importorskip("scipy.stats").differential_entropy


def sample(seed, shape, kind):
    rng = np.random.default_rng(seed)
    scale, shift = 10.0 ** rng.uniform(-3, 3), rng.uniform(-5, 5)
    if kind == "normal":
        x = rng.standard_normal(shape)
    elif kind == "exponential":
        x = rng.exponential(size=shape)
    else:
        x = rng.uniform(size=shape)
    return shift + scale * x


def quiet(fn, *args, **kwargs):
    """Call with warnings silenced (the peer's own warnings are not under test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def assert_same(got, want, rtol=1e-12):
    got_a, want_a = np.asarray(got), np.asarray(want)
    assert type(got) is type(want)
    assert got_a.dtype == want_a.dtype and got_a.shape == want_a.shape
    np.testing.assert_allclose(got_a, want_a, rtol=rtol, atol=0)


kinds = st.sampled_from(["normal", "exponential", "uniform"])


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(5, 400), st.sampled_from(METHODS), kinds, st.booleans())
def test_1d_matches_scipy(seed, n, method, kind, default_window):
    x = sample(seed, n, kind)
    window = None if default_window else int(np.random.default_rng(seed).integers(1, (n - 1) // 2 + 1))
    want = scipy_de()(x, method=method, window_length=window)
    assert_same(differential_entropy(x, method=method, window_length=window), want)


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(5, 120), st.sampled_from(METHODS), kinds)
def test_1d_matches_reference(seed, n, method, kind):
    x = sample(seed, n, kind)
    want = R.differential_entropy(x, method=method)
    assert float(differential_entropy(x, method=method)) == pytest.approx(want, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("axis", [0, 1, 2, -1, None, (0, 2), (2, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_axes_match_scipy(method, axis, keepdims):
    x = sample(3, (6, 13, 9), "normal")
    want = scipy_de()(x, method=method, axis=axis, keepdims=keepdims)
    assert_same(differential_entropy(x, method=method, axis=axis, keepdims=keepdims), want)


@pytest.mark.parametrize("method", METHODS)
def test_large_sample_matches_scipy(method):
    # n above 1000 switches 'auto' to Vasicek; Correa's window is 141 points wide here.
    x = sample(4, (2, 20_000), "exponential")
    assert_same(differential_entropy(x, method=method, axis=1), scipy_de()(x, method=method, axis=1))


@pytest.mark.parametrize("dtype,rtol", [(np.float32, 2e-6), (np.float16, 2e-3), (np.int64, 1e-12),
                                        (np.uint8, 1e-12), (np.complex128, 1e-12), (np.longdouble, 1e-12)])
@pytest.mark.parametrize("method", METHODS)
def test_dtypes_match_scipy(dtype, rtol, method):
    rng = np.random.default_rng(5)
    if np.dtype(dtype).kind in "iu":
        x = rng.permutation(200).astype(dtype)[:60]  # distinct values: no zero spacings
    elif np.dtype(dtype).kind == "c":
        x = (rng.standard_normal(60) + 1j * rng.standard_normal(60)).astype(dtype)
    else:
        x = rng.standard_normal(60).astype(dtype)
    want = scipy_de()(x, method=method)
    got = differential_entropy(x, method=method)
    # float16 and float32 are computed in float64 here, in their own precision by scipy.
    assert_same(got, want, rtol=rtol)


@pytest.mark.parametrize("method", METHODS)
def test_non_contiguous_views(method):
    base = sample(6, (40, 30), "normal")
    for view, axis in [(base[::2, ::3], 0), (base.T, 1), (base[:, ::-1], 0), (base[::-3], 0)]:
        got = differential_entropy(view, method=method, axis=axis)
        assert_same(got, differential_entropy(np.ascontiguousarray(view), method=method, axis=axis))
        assert_same(got, scipy_de()(view, method=method, axis=axis))


@pytest.mark.parametrize("values,kwargs", [
    ([], {}), ([1.0], {}), ([1.0, 2.0, 3.0, 4.0], {}), (np.float64(3.0), {}),
    (np.arange(20.0), {"window_length": 0}), (np.arange(20.0), {"window_length": 10}),
    (np.arange(20.0), {"window_length": -1}), (np.zeros((3, 0)), {"axis": 1}),
    (np.zeros((3, 0, 5)), {"axis": 1, "keepdims": True}),
    # Too small: base and method are never checked, as in scipy.
    ([1.0, 2.0, 3.0], {"base": -1.0, "method": "nonsense"}),
])
def test_too_small_gives_nan_with_warning(values, kwargs):
    with pytest.warns(SmallSampleWarning, match="too small"):
        got = differential_entropy(values, **kwargs)
    assert np.all(np.isnan(got))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(got, scipy_de()(values, **kwargs))


def test_empty_batch_and_small_batches():
    assert_same(differential_entropy(np.zeros((0, 30)), axis=1), scipy_de()(np.zeros((0, 30)), axis=1))
    # Two or more dimensions and no NaN: scipy's vectorised path raises for a too-small window.
    with pytest.raises(ValueError, match=r"Window length \(2\) must be positive and less than half the sample size \(3\)"):
        differential_entropy(np.ones((3, 4)))
    with pytest.raises(ValueError, match="Window length"):
        scipy_de()(np.ones((3, 4)))


@pytest.mark.parametrize("policy", ["propagate", "omit"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_policies_match_scipy(policy, dtype):
    rtol = 1e-12 if dtype == np.float64 else 2e-6
    x = sample(7, 50, "normal").astype(dtype)
    x[[3, 17]] = np.nan
    assert_same(differential_entropy(x, nan_policy=policy), scipy_de()(x, nan_policy=policy), rtol)
    a = sample(8, (30, 5), "normal").astype(dtype)
    a[3, 1] = np.nan
    a[:26, 2] = np.nan  # four values left: too small once NaNs are omitted
    a[::2, 4] = np.nan  # fifteen left: a window of its own
    want = quiet(scipy_de(), a, nan_policy=policy)
    if policy == "omit":
        with pytest.warns(SmallSampleWarning, match="After omitting NaNs"):
            got = differential_entropy(a, nan_policy=policy)
    else:
        got = differential_entropy(a, nan_policy=policy)
    assert_same(got, want, rtol)


def test_nan_raise_and_small_with_nan():
    x = np.r_[np.arange(20.0), np.nan]
    with pytest.raises(ValueError, match="The input contains nan values"):
        differential_entropy(x, nan_policy="raise")
    with pytest.raises(ValueError, match="The input contains nan values"):
        differential_entropy(np.c_[x, x], nan_policy="raise")
    # A NaN decides before the size does under 'propagate' (no warning), as in scipy.
    assert np.isnan(differential_entropy([1.0, np.nan]))
    with pytest.warns(SmallSampleWarning, match="After omitting NaNs"):
        assert np.isnan(differential_entropy([1.0, 2.0, 3.0, 4.0, np.nan], nan_policy="omit"))


def test_masked_arrays_match_scipy():
    rng = np.random.default_rng(9)
    m1 = np.ma.masked_array(np.arange(40.0) ** 1.5, mask=np.arange(40) % 5 == 0)
    assert_same(differential_entropy(m1), scipy_de()(m1))
    m2 = np.ma.masked_array(rng.standard_normal((25, 4)), mask=rng.random((25, 4)) < 0.3)
    m2.data[0, 0] = np.nan
    m2.mask[1, 1] = True
    m2.data[1, 1] = np.nan  # a masked NaN is not a NaN
    for policy in ("propagate", "omit"):
        assert_same(differential_entropy(m2, nan_policy=policy), quiet(scipy_de(), m2, nan_policy=policy))


def test_ties_and_infinities_match_scipy():
    ties = np.r_[np.ones(10), np.arange(10.0)]
    for method in METHODS:
        with pytest.warns(RuntimeWarning):
            got = differential_entropy(ties, method=method)
        assert_same(got, quiet(scipy_de(), ties, method=method))
    x = np.r_[sample(10, 30, "normal"), np.inf]
    for method in ("vasicek", "van es", "ebrahimi"):
        assert_same(differential_entropy(x, method=method), scipy_de()(x, method=method))
        assert differential_entropy(x, method=method) == np.inf


def test_base_and_method_spelling():
    x = sample(11, 100, "normal")
    nats = differential_entropy(x)
    assert differential_entropy(x, base=2) == pytest.approx(nats / np.log(2), rel=1e-14)
    assert differential_entropy(x, method="VAN ES") == differential_entropy(x, method="van es")
    assert differential_entropy(x, window_length=np.int8(4)) == differential_entropy(x, window_length=4)
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        assert differential_entropy(x, base=1) == np.copysign(np.inf, nats)


def test_estimates_converge_to_the_true_entropy():
    # Standard normal: 0.5 log(2 pi e); every estimator is within 0.03 nats at n = 20000
    # (Vasicek's is the most biased, by about -0.026 with its default window of 141).
    x = np.random.default_rng(12).standard_normal(20_000)
    for method in METHODS:
        assert differential_entropy(x, method=method) == pytest.approx(0.5 * np.log(2 * np.pi * np.e), abs=0.03)


@pytest.mark.parametrize("kwargs,error,match", [
    ({"method": "foo"}, ValueError, "`method` must be one of"),
    ({"method": None}, TypeError, "`method` must be a str"),
    ({"base": 0}, ValueError, "`base` must be a positive number"),
    ({"base": -2.0}, ValueError, "`base` must be a positive number"),
    ({"base": "2"}, TypeError, "`base` must be a positive number"),
    ({"window_length": 2.5}, TypeError, "window_length must be an integer"),
    ({"window_length": True}, TypeError, "window_length must be an integer"),
    ({"nan_policy": "ignore"}, ValueError, "nan_policy must be one of"),
    ({"axis": 2}, AxisError, "out of bounds"),
    ({"axis": (0, 0)}, ValueError, "repeated axis"),
    ({"axis": 1.0}, TypeError, "integer"),
])
def test_bad_arguments(kwargs, error, match):
    x = sample(13, (30, 3), "normal")
    with pytest.raises(error, match=match):
        differential_entropy(x, **kwargs)


@pytest.mark.parametrize("values", [np.array([object()] * 10), np.arange(10).astype("datetime64[s]")])
def test_non_numeric_values(values):
    with pytest.raises(TypeError, match="values must be a real or complex numeric array"):
        differential_entropy(values)
    with pytest.raises(ValueError, match="could not convert string to float"):
        differential_entropy(np.array(["a"] * 10))
