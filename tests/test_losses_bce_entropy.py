"""binary_cross_entropy_with_logits against torch, softmax_entropy and perplexity_from_logits
against the NumPy references."""
from __future__ import annotations

import numpy as np
import pytest

from infokit import losses
from infokit.reference import losses as ref
from softmax_support import assert_close

torch = pytest.importorskip("torch")
F = torch.nn.functional


def torch_bce(x, t, weight, reduction, pos_weight):
    xt = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    as_t = (lambda a: None if a is None else torch.tensor(np.asarray(a, dtype=np.float64)))
    loss = F.binary_cross_entropy_with_logits(xt, as_t(t), weight=as_t(weight), reduction=reduction,
                                              pos_weight=as_t(pos_weight))
    loss.sum().backward()
    return loss.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_matches_torch(isa, dtype, reduction):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((37, 11)) * rng.choice([1, 30, 1e4], (37, 11))).astype(dtype)
    t = rng.random((37, 11)).astype(dtype)
    t[:5] = np.round(t[:5])
    for weight, pos_weight in ((None, None), (rng.random(11) + 0.5, None), (None, rng.random(11) * 3),
                               (rng.random((37, 1)), rng.random(11) + 1)):
        want_loss, want_grad = torch_bce(x, t, weight, reduction, pos_weight)
        kw = dict(weight=None if weight is None else weight.astype(dtype),
                  pos_weight=None if pos_weight is None else pos_weight.astype(dtype))
        loss = losses.binary_cross_entropy_with_logits(x, t, reduction=reduction, **kw)
        assert np.asarray(loss).dtype == dtype
        # (1 - t) x + lw softplus(-x) cancels: float32 rounding is relative to |x|.
        scale = np.maximum(1.0, np.abs(x.astype(np.float64))) if reduction == "none" else 1.0
        assert_close(np.asarray(loss) / scale, want_loss / scale, dtype, normwise=reduction == "none")
        loss2, grad = losses._bce(x, t, kw["weight"], reduction, kw["pos_weight"], True, None)
        assert_close(grad, want_grad, dtype, normwise=True)
        r_loss, r_grad = ref.binary_cross_entropy_with_logits(x, t, weight, reduction, pos_weight)
        assert_close(r_loss, want_loss, np.float64, normwise=reduction == "none")
        assert_close(r_grad, want_grad, np.float64, normwise=True)


def test_bce_tiny_losses_keep_relative_accuracy():
    x = np.array([20.0, 40.0, 80.0, -30.0])
    t = np.array([1.0, 1.0, 1.0, 0.0])
    want = np.log1p(np.exp(-np.abs(x)))
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits(x, t, reduction="none"), want, rtol=1e-14)
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits(x.astype(np.float32), t.astype(np.float32),
                                                                       reduction="none"), want, rtol=2e-6)


def test_bce_threads_and_errors():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(300001).astype(np.float32)
    t = rng.random(300001).astype(np.float32)
    a = losses.binary_cross_entropy_with_logits(x, t, n_threads=1)
    assert a == losses.binary_cross_entropy_with_logits(x, t, n_threads=2)
    np.testing.assert_array_equal(losses.binary_cross_entropy_with_logits(x, t, reduction="none", n_threads=1),
                                  losses.binary_cross_entropy_with_logits(x, t, reduction="none", n_threads=2))
    with pytest.raises(ValueError, match="size"):
        losses.binary_cross_entropy_with_logits(x, t[:-1])
    with pytest.raises(ValueError, match="reduction"):
        losses.binary_cross_entropy_with_logits(x, t, reduction="avg")
    with pytest.raises(TypeError, match="input"):
        losses.binary_cross_entropy_with_logits(np.arange(3), np.zeros(3))
    assert np.isnan(losses.binary_cross_entropy_with_logits(np.zeros(0), np.zeros(0)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_entropy(isa, dtype):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((6, 300, 5)) * 10).astype(dtype)
    x[0, :50, 0] = -np.inf
    x[1, 7, 1] = 1e4
    for axis in (-1, 0, 1):
        got = losses.softmax_entropy(x, axis=axis)
        want = ref.softmax_entropy(x, axis=axis)
        assert got.dtype == dtype
        tol = 2e-6 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)
    edge = np.array([[-np.inf, -np.inf], [np.nan, 1.0], [np.inf, 1.0], [0.0, 0.0]], dtype=dtype)
    got = losses.softmax_entropy(edge)
    assert np.isnan(got[:3]).all() and abs(got[3] - np.log(2)) < 1e-6
    big = rng.standard_normal((2, 200000)).astype(dtype)
    np.testing.assert_array_equal(losses.softmax_entropy(big, n_threads=1), losses.softmax_entropy(big, n_threads=2))


def test_perplexity():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 7, 50))
    t = rng.integers(0, 50, (4, 7))
    t[0, :3] = -100
    np.testing.assert_allclose(losses.perplexity_from_logits(x, t), ref.perplexity_from_logits(x, t), rtol=1e-12)
    with pytest.raises(ValueError, match="target"):
        losses.perplexity_from_logits(x, t[:, :3])
