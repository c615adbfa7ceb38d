"""The C++ scaling and noise of continuous features against the NumPy pipeline they replace:
bit for bit, with RandomState left in the same state, at any thread count."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infokit import _core
from infokit import feature_selection as F
from infokit.reference.estimators import scaled_with_noise


def _fast(X, rng, nt):
    out = F._scaled_with_noise(X, rng, nt)
    assert out is not None
    return out


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 2500), m=st.integers(2, 9), seed=st.integers(0, 2**32 - 1), skip=st.integers(0, 700),
       dtype=st.sampled_from([np.float64, np.float32, np.int64]), nt=st.sampled_from([1, 2]))
def test_equals_numpy_pipeline(n, m, seed, skip, dtype, nt):
    g = np.random.default_rng(seed)
    X = (g.standard_normal((n, m)) * 10.0 ** g.uniform(-6, 6, m) + g.uniform(-1e3, 1e3, m)).astype(dtype)
    if n > 3:
        X[:, 0] = X[0, 0]  # a constant column: the near-zero-scale guard
    a, b = np.random.RandomState(seed % 1000), np.random.RandomState(seed % 1000)
    a.standard_normal(skip)  # any position in the key, with or without a cached normal
    b.standard_normal(skip)
    want = scaled_with_noise(X, a)
    got = _fast(X, b, nt)
    np.testing.assert_array_equal(got, want)
    assert a.standard_normal() == b.standard_normal()  # the stream left where NumPy leaves it


def test_threads_bitwise_and_large():
    X = np.random.default_rng(1).standard_normal((70001, 3))  # an odd count: a normal stays cached
    outs = [_fast(X, np.random.RandomState(5), nt) for nt in (1, 2, 3)]
    np.testing.assert_array_equal(outs[0], scaled_with_noise(X, np.random.RandomState(5)))
    for o in outs[1:]:
        np.testing.assert_array_equal(o, outs[0])


def test_layouts_numpy_would_sum_otherwise_are_left_to_numpy():
    X = np.asfortranarray(np.random.default_rng(2).standard_normal((100, 3)))
    assert F._scaled_with_noise(X, np.random.RandomState(0), 1) is None
    assert F._scaled_with_noise(X[:, :1].copy(), np.random.RandomState(0), 1) is None
    assert F._scaled_with_noise(np.ones((5, 2)), np.random.RandomState(np.random.PCG64(0)), 1) is None


def test_global_stream_advances_as_numpy():
    X = np.random.default_rng(3).standard_normal((500, 4))
    np.random.seed(11)
    F.mutual_info_classif(X, (X[:, 0] > 0).astype(int))
    after = np.random.standard_normal()
    np.random.seed(11)
    np.random.standard_normal(X.shape)
    assert after == np.random.standard_normal()


def test_hostile_state_is_refused():
    X = np.ones((4, 2))
    key = np.zeros(624, dtype=np.uint32)
    with pytest.raises(ValueError):
        _core.scale_with_legacy_noise(X, key, 625, False, 0.0, 1)
    with pytest.raises(ValueError):
        _core.scale_with_legacy_noise(X, np.zeros(623, dtype=np.uint32), 0, False, 0.0, 1)
    with pytest.raises(TypeError):
        _core.scale_with_legacy_noise(X, np.zeros(624, dtype=np.int64), 0, False, 0.0, 1)
