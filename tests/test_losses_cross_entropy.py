"""infokit.losses.cross_entropy(_with_grad) against torch.nn.functional.cross_entropy (float64
ground truth), the NumPy reference, finite differences; edge values; bad input; threads; ISAs."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infokit import losses, special
from infokit.reference import losses as ref
from softmax_support import ISAS, assert_close, tolerance  # noqa: F401

torch = pytest.importorskip("torch")
F = torch.nn.functional


def torch_ce(x, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """torch's loss and gradient (of the summed output) in float64."""
    xt = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    t = np.asarray(target)
    tt = torch.tensor(t.astype(np.int64) if t.dtype.kind in "iu" else t.astype(np.float64))
    wt = None if weight is None else torch.tensor(np.asarray(weight, dtype=np.float64))
    loss = F.cross_entropy(xt, tt, weight=wt, ignore_index=ignore_index, reduction=reduction,
                           label_smoothing=label_smoothing)
    loss.sum().backward()
    return loss.detach().numpy(), xt.grad.numpy()


@st.composite
def problems(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    ndim = draw(st.integers(1, 4))
    C = draw(st.integers(1, 40))
    shape = (C,) if ndim == 1 else (draw(st.integers(0, 6)), C) + tuple(draw(st.integers(1, 5)) for _ in range(ndim - 2))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([1.0, 10.0, 1e4]))
    x = (rng.standard_normal(shape) * scale).astype(dtype)
    if draw(st.booleans()):  # -inf masks
        x[rng.random(shape) < 0.2] = -np.inf
    loss_shape = () if ndim == 1 else (shape[0],) + shape[2:]
    prob = draw(st.booleans())
    if prob:
        t = rng.random(shape).astype(dtype)
        t /= np.maximum(t.sum(axis=0 if ndim == 1 else 1, keepdims=True), 1e-30)
        target = t
    else:
        target = rng.integers(0, C, loss_shape).astype(draw(st.sampled_from([np.int64, np.int32, np.uint8, np.int16])))
        if C > 255 and target.dtype == np.uint8:
            target = target.astype(np.int64)
    ignore_index = -100 if prob else draw(st.sampled_from([-100, 0, 1]))
    if not prob and target.dtype.kind == "i" and target.size and draw(st.booleans()):
        target.flat[0] = -100  # an ignored position
        ignore_index = -100
    weight = (rng.random(C) + 0.25).astype(dtype) if draw(st.booleans()) else None
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    smoothing = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    return x, target, weight, ignore_index, reduction, smoothing


@settings(max_examples=150, deadline=None)
@given(problems())
def test_matches_torch(problem):
    x, target, weight, ignore_index, reduction, smoothing = problem
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's own warnings about empty reductions
        want_loss, want_grad = torch_ce(x, target, weight, ignore_index, reduction, smoothing)
    loss, grad = losses.cross_entropy_with_grad(x, target, weight, ignore_index, reduction, smoothing)
    assert np.asarray(loss).dtype == x.dtype and grad.dtype == x.dtype and grad.shape == x.shape
    # Per position, the largest finite |logit| over the classes (axis 1): the scale of the
    # terms a 'none' loss subtracts (0 where a position has none).
    logits = np.max(np.where(np.isfinite(x), np.abs(x), 0.0), axis=1 if x.ndim > 1 else None, initial=0.0)
    assert_close(loss, want_loss, x.dtype, normwise=reduction == "none", magnitude=logits)
    assert_close(grad, want_grad, x.dtype, normwise=True)
    only = losses.cross_entropy(x, target, weight, ignore_index, reduction, smoothing)
    np.testing.assert_array_equal(np.asarray(only), np.asarray(loss))  # same pass, same bits
    ref_loss, ref_grad = ref.cross_entropy(x, target, weight, ignore_index, reduction, smoothing)
    assert_close(ref_loss, want_loss, np.float64, normwise=reduction == "none", magnitude=logits)
    assert_close(ref_grad, want_grad, np.float64, normwise=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_edge_rows_match_torch(isa, dtype, smoothing):
    """Extreme logits, masks, an all -inf row, NaN and +inf, as torch computes them."""
    x = np.array([[1e4, -1e4, 0.0, 5.0], [-np.inf, 2.0, -np.inf, 1.0], [-np.inf] * 4, [1.0, np.nan, 0.0, 2.0],
                  [np.inf, 1.0, 2.0, 3.0], [3.0, 3.0, 3.0, 3.0], [-1e4, -1e4 + 1, -1e4 + 2, -1e4 + 3]], dtype=dtype)
    for target in (np.array([0, 1, 2, 3, 0, 1, 3]), np.array([1, 0, 1, 0, 1, 2, 0])):
        for reduction in ("none", "sum"):
            want_loss, want_grad = torch_ce(x, target, reduction=reduction, label_smoothing=smoothing)
            loss, grad = losses.cross_entropy_with_grad(x, target, reduction=reduction, label_smoothing=smoothing)
            assert_close(loss, want_loss, dtype, normwise=True)
            assert_close(grad, want_grad, dtype, normwise=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_long_masked_rows_match_torch(isa, dtype):
    """Rows long enough for the vector blocks: all -inf, masked prefix, NaN late, +inf late."""
    rng = np.random.default_rng(8)
    x = rng.standard_normal((5, 301)).astype(dtype)
    x[0] = -np.inf
    x[1, :150] = -np.inf
    x[2, 290] = np.nan
    x[3, 200] = np.inf
    x[4, ::2] = -np.inf
    t = np.array([0, 200, 3, 4, 1])
    for reduction in ("none", "sum"):
        want_loss, want_grad = torch_ce(x, t, reduction=reduction, label_smoothing=0.1)
        loss, grad = losses.cross_entropy_with_grad(x, t, reduction=reduction, label_smoothing=0.1)
        assert_close(loss, want_loss, dtype, normwise=True)
        assert_close(grad, want_grad, dtype, normwise=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_isa_and_layout(isa, dtype):
    rng = np.random.default_rng(3)
    for shape in [(37, 1029), (5, 7, 3, 11), (4, 70, 130)]:
        x = (rng.standard_normal(shape) * 4).astype(dtype)
        C = shape[1]
        t_idx = rng.integers(0, C, (shape[0],) + shape[2:])
        t_prob = rng.random(shape).astype(dtype)
        w = (rng.random(C) + 0.5).astype(dtype)
        for target in (t_idx, t_prob):
            want_loss, want_grad = torch_ce(x, target, w, reduction="mean", label_smoothing=0.1)
            loss, grad = losses.cross_entropy_with_grad(x, target, w, label_smoothing=0.1)
            assert_close(loss, want_loss, dtype)
            assert_close(grad, want_grad, dtype, normwise=True)


def test_all_ignored_and_empty():
    x = np.zeros((3, 4))
    t = np.full(3, -100)
    for eps in (0.0, 0.2):
        assert np.isnan(losses.cross_entropy(x, t, label_smoothing=eps))
        assert losses.cross_entropy(x, t, reduction="sum", label_smoothing=eps) == 0.0
        loss, grad = losses.cross_entropy_with_grad(x, t, label_smoothing=eps)
        assert np.isnan(loss) and not grad.any()
    assert np.isnan(losses.cross_entropy(np.zeros((0, 4)), np.zeros(0, dtype=int)))
    assert losses.cross_entropy(np.zeros((0, 4)), np.zeros(0, dtype=int), reduction="none").shape == (0,)


@pytest.mark.parametrize("target_kind", ["index", "prob"])
def test_finite_differences(target_kind):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 5, 2))
    target = rng.integers(0, 5, (3, 2)) if target_kind == "index" else rng.random((3, 5, 2))
    w = rng.random(5) + 0.5
    kw = dict(weight=w, label_smoothing=0.2)
    _, grad = losses.cross_entropy_with_grad(x, target, **kw)
    h = 1e-6
    numeric = np.empty_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        numeric[i] = (losses.cross_entropy(xp, target, **kw) - losses.cross_entropy(xm, target, **kw)) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_threads_bitwise_identical(dtype):
    rng = np.random.default_rng(11)
    for shape in [(64, 1000), (8, 50, 100), (2, 200000)]:
        x = rng.standard_normal(shape).astype(dtype)
        t = rng.integers(0, shape[1], (shape[0],) + shape[2:])
        r1 = losses.cross_entropy_with_grad(x, t, reduction="none", label_smoothing=0.1, n_threads=1)
        r2 = losses.cross_entropy_with_grad(x, t, reduction="none", label_smoothing=0.1, n_threads=2)
        np.testing.assert_array_equal(r1[0], r2[0])
        np.testing.assert_array_equal(r1[1], r2[1])


def test_grad_out_reuse_and_in_place():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((16, 33)).astype(np.float32)
    t = rng.integers(0, 33, 16)
    loss, fresh = losses.cross_entropy_with_grad(x, t)
    buf = np.full_like(x, np.nan)
    loss2, g = losses.cross_entropy_with_grad(x, t, grad_out=buf)
    assert g is buf and loss2 == loss
    np.testing.assert_array_equal(buf, fresh)
    xc = x.copy()
    loss3, g3 = losses.cross_entropy_with_grad(xc, t, grad_out=xc)  # the logits are overwritten
    assert g3 is xc and loss3 == loss
    np.testing.assert_array_equal(xc, fresh)
    nc = np.empty((33, 16), dtype=np.float32).T  # non-contiguous buffer: filled through a copy
    losses.cross_entropy_with_grad(x, t, grad_out=nc)
    np.testing.assert_array_equal(nc, fresh)


def test_float16_and_noncontiguous():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((20, 9))
    t = rng.integers(0, 9, 20)
    h = x.astype(np.float16)
    loss, grad = losses.cross_entropy_with_grad(h, t)
    assert np.asarray(loss).dtype == np.float16 and grad.dtype == np.float16
    want = losses.cross_entropy(h.astype(np.float32), t)
    assert abs(float(loss) - float(want)) <= 1e-3 * abs(float(want))
    xt = np.asfortranarray(x)
    assert losses.cross_entropy(xt, t) == losses.cross_entropy(x, t)


def test_bad_input():
    x = np.zeros((4, 3))
    t = np.array([0, 1, 2, 1])
    with pytest.raises(ValueError, match="target"):
        losses.cross_entropy(x, np.array([0, 1, 3, 1]))
    with pytest.raises(ValueError, match="target"):
        losses.cross_entropy(x, np.array([0, -1, 0, 1]))
    with pytest.raises(ValueError, match="shape"):
        losses.cross_entropy(x, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="shape"):
        losses.cross_entropy(x, np.zeros((4, 4)))
    with pytest.raises(TypeError, match="target"):
        losses.cross_entropy(x, np.array([True, False, True, True]))
    with pytest.raises(TypeError, match="input"):
        losses.cross_entropy(np.zeros((4, 3), dtype=int), t)
    with pytest.raises(ValueError, match="weight"):
        losses.cross_entropy(x, t, weight=np.ones(4))
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.cross_entropy(x, t, label_smoothing=-0.1)
    with pytest.raises(ValueError, match="reduction"):
        losses.cross_entropy(x, t, reduction="avg")
    with pytest.raises(ValueError, match="grad_out"):
        losses.cross_entropy_with_grad(x, t, grad_out=np.zeros((3, 4)))
    with pytest.raises(TypeError, match="grad_out"):
        losses.cross_entropy_with_grad(x, t, grad_out=np.zeros((4, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="ignore_index"):
        losses.cross_entropy(x, np.full((4, 3), 1 / 3), ignore_index=0)
    with pytest.raises(ValueError, match="class dimension"):
        losses.cross_entropy(np.float64(1.0), np.int64(0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("targets", ["index", "prob"])
def test_few_wide_rows_split_over_threads_match_row_by_row(dtype, targets):
    # Few rows longer than a chunk are split across threads by chunks; stacking the same rows
    # many times takes the one-row-per-thread path instead. Both must give the same bits.
    rng = np.random.default_rng(5)
    c = 150_001
    x = (3 * rng.standard_normal((2, c))).astype(dtype)
    x[1, ::7] = -np.inf  # masked logits
    w = rng.uniform(0.5, 2.0, c).astype(dtype)
    if targets == "index":
        t = np.array([3, c - 1])
    else:
        t = rng.dirichlet(np.ones(c), size=2).astype(dtype)
    kw = dict(weight=w, label_smoothing=0.05, reduction="none")
    many = np.concatenate([x] * 10)
    many_t = np.concatenate([t] * 10)
    loss_many, grad_many = losses.cross_entropy_with_grad(many, many_t, n_threads=2, **kw)
    for n_threads in (1, 2):
        loss, grad = losses.cross_entropy_with_grad(x, t, n_threads=n_threads, **kw)
        np.testing.assert_array_equal(loss, loss_many[:2])
        np.testing.assert_array_equal(grad, grad_many[:2])
        np.testing.assert_array_equal(losses.cross_entropy(x, t, n_threads=n_threads, **kw), loss)
    sm_one = special.softmax(x, axis=1, n_threads=2)
    np.testing.assert_array_equal(sm_one, special.softmax(many, axis=1, n_threads=2)[:2])
    np.testing.assert_array_equal(special.log_softmax(x, axis=1, n_threads=2),
                                  special.log_softmax(many, axis=1, n_threads=2)[:2])
