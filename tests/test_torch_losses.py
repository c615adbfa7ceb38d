"""infokit.torch: autograd functions with F.cross_entropy / F.binary_cross_entropy_with_logits
arguments, against torch itself, including a few training steps that must reach the same weights."""
from __future__ import annotations

import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional
import infokit.torch as it  # noqa: E402


def test_import_infokit_does_not_import_torch():
    import subprocess

    code = "import sys, infokit, infokit.losses; assert 'torch' not in sys.modules; infokit.torch; assert 'torch' in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("kind", ["index", "prob"])
def test_autograd_matches_torch(dtype, reduction, kind):
    g = torch.Generator().manual_seed(0)
    x = (torch.randn(6, 5, 3, generator=g, dtype=dtype) * 3).requires_grad_()
    target = torch.randint(0, 5, (6, 3), generator=g) if kind == "index" else torch.rand(6, 5, 3, generator=g, dtype=dtype)
    if kind == "index":
        target[0, 0] = -100
    weight = torch.rand(5, generator=g, dtype=dtype) + 0.5
    upstream = torch.rand((6, 3) if reduction == "none" else (), generator=g, dtype=dtype)
    outs = []
    for fn in (F.cross_entropy, it.cross_entropy):
        x.grad = None
        loss = fn(x, target, weight=weight, reduction=reduction, label_smoothing=0.1)
        (loss * upstream).sum().backward()
        outs.append((loss.detach().clone(), x.grad.clone()))
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    torch.testing.assert_close(outs[1][0], outs[0][0], rtol=tol, atol=tol)
    torch.testing.assert_close(outs[1][1], outs[0][1], rtol=tol, atol=tol)


def test_forward_only_paths_and_noncontiguous():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(7, 4, generator=g, dtype=torch.float64)
    y = torch.randint(0, 4, (7,), generator=g)
    want = F.cross_entropy(x, y)
    torch.testing.assert_close(it.cross_entropy(x, y), want)  # requires_grad=False
    xr = x.clone().requires_grad_()
    with torch.no_grad():
        out = it.cross_entropy(xr, y)
    assert not out.requires_grad
    torch.testing.assert_close(out, want)
    xt = torch.randn(4, 7, generator=g, dtype=torch.float64).t().requires_grad_()  # non-contiguous
    loss = it.cross_entropy(xt, y)
    loss.backward()
    xt2 = xt.detach().clone().requires_grad_()
    F.cross_entropy(xt2, y).backward()
    torch.testing.assert_close(xt.grad, xt2.grad)


def test_bce_autograd_matches_torch():
    g = torch.Generator().manual_seed(2)
    x = (torch.randn(9, 4, generator=g) * 5).requires_grad_()
    t = torch.rand(9, 4, generator=g)
    pw = torch.rand(4, generator=g) + 0.5
    for reduction in ("mean", "sum", "none"):
        grads = []
        for fn in (F.binary_cross_entropy_with_logits, it.binary_cross_entropy_with_logits):
            x.grad = None
            loss = fn(x, t, pos_weight=pw, reduction=reduction)
            loss.sum().backward()
            grads.append((loss.detach().clone(), x.grad.clone()))
        torch.testing.assert_close(grads[1][0], grads[0][0], rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(grads[1][1], grads[0][1], rtol=1e-5, atol=1e-7)


def test_training_reaches_the_same_weights():
    def train(loss_fn):
        torch.manual_seed(0)
        model = torch.nn.Linear(20, 10).double()
        opt = torch.optim.SGD(model.parameters(), lr=0.5)
        g = torch.Generator().manual_seed(3)
        for _ in range(20):
            x = torch.randn(32, 20, generator=g, dtype=torch.float64)
            y = torch.randint(0, 10, (32,), generator=g)
            opt.zero_grad()
            loss_fn(model(x), y, label_smoothing=0.05).backward()
            opt.step()
        return [p.detach() for p in model.parameters()]

    for a, b in zip(train(F.cross_entropy), train(it.cross_entropy)):
        torch.testing.assert_close(a, b, rtol=1e-11, atol=1e-12)


def test_errors():
    x = torch.zeros(3, 2)
    with pytest.raises(ValueError, match="deprecated"):
        it.cross_entropy(x, torch.tensor([0, 1, 1]), size_average=True)
    with pytest.raises(TypeError, match="float32 or float64"):
        it.cross_entropy(x.half(), torch.tensor([0, 1, 1]))
    with pytest.raises(ValueError, match="target"):
        it.cross_entropy(x, torch.tensor([0, 1, 2]))
    assert np.isfinite(it.cross_entropy(x, torch.tensor([0, 1, 1])).item())


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("shape", [(5, 7), (3, 4, 6), (6,)])
@pytest.mark.parametrize("input_grad", [True, False])
def test_probability_target_and_weight_gradients_match_torch(reduction, shape, input_grad):

    gen = torch.Generator().manual_seed(3)
    x0 = torch.randn(shape, dtype=torch.float64, generator=gen)
    cdim = 0 if len(shape) == 1 else 1
    t0 = torch.softmax(torch.randn(shape, dtype=torch.float64, generator=gen), dim=cdim)
    w0 = torch.rand(shape[cdim], dtype=torch.float64, generator=gen) + 0.5
    grads = {}
    for name, fn in (("torch", F.cross_entropy), ("infokit", it.cross_entropy)):
        x, t, w = (v.clone().requires_grad_() for v in (x0, t0, w0))
        x.requires_grad_(input_grad)
        loss = fn(x, t, weight=w, reduction=reduction, label_smoothing=0.2)
        (loss * torch.arange(1, loss.numel() + 1, dtype=loss.dtype).reshape(loss.shape)).sum().backward()
        grads[name] = (loss.detach(), x.grad, t.grad, w.grad)
    for got, want in zip(grads["infokit"], grads["torch"]):
        if want is None:
            assert got is None
        else:
            torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


def test_bce_target_gradients_match_torch():

    gen = torch.Generator().manual_seed(4)
    x0 = 4 * torch.randn(50, dtype=torch.float64, generator=gen)  # torch cancels for |x| >> 1
    t0 = torch.rand(50, dtype=torch.float64, generator=gen)
    w = torch.rand(50, dtype=torch.float64, generator=gen)
    pw = torch.rand(50, dtype=torch.float64, generator=gen) * 3
    for reduction in ("none", "mean", "sum"):
        for kw in ({}, {"weight": w, "pos_weight": pw}):
            out = {}
            for name, fn in (("torch", F.binary_cross_entropy_with_logits), ("infokit", it.binary_cross_entropy_with_logits)):
                x, t = x0.clone().requires_grad_(), t0.clone().requires_grad_()
                loss = fn(x, t, reduction=reduction, **kw)
                (loss * 1.5).sum().backward()
                out[name] = (loss.detach(), x.grad, t.grad)
            for got, want in zip(out["infokit"], out["torch"]):
                torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


def test_arguments_torch_cannot_differentiate_raise_its_error():
    x = torch.randn(4, 3, requires_grad=True)
    w = torch.rand(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="'weight'"):
        it.cross_entropy(x, torch.tensor([0, 1, 2, 0]), weight=w)
    for kw in ({"weight": torch.rand(4, 3, requires_grad=True)}, {"pos_weight": torch.rand(3, requires_grad=True)}):
        with pytest.raises(RuntimeError, match="not differentiable"):
            it.binary_cross_entropy_with_logits(x, torch.rand(4, 3), **kw)
    with torch.no_grad():  # no gradient wanted: no error, as torch
        it.cross_entropy(x, torch.tensor([0, 1, 2, 0]), weight=w)
