"""PyTorch autograd functions over infokit's fused kernels, with the arguments of
:func:`torch.nn.functional.cross_entropy` and
:func:`torch.nn.functional.binary_cross_entropy_with_logits`, for CPU float32/float64 tensors.

Swap the import in a CPU training loop (``from infokit.torch import cross_entropy``): the
forward pass computes the loss and, when a gradient will be needed, the gradient too in the
same fused pass; backward only scales it by the incoming gradient. Contiguous tensors are
shared with NumPy, not copied. Tensors that need no gradient, or ``torch.no_grad()``, take
the forward-only kernel. Gradients flow where torch's flow: to the logits, to probability
targets and (with probability targets) to the class weights of `cross_entropy`, and to the
targets of `binary_cross_entropy_with_logits`; the other arguments raise torch's error when
they require a gradient. The gradients of targets and weights take one extra log-softmax pass.

Importing this module requires torch; ``import infokit`` does not.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

from . import losses, special

__all__ = ["cross_entropy", "binary_cross_entropy_with_logits"]

_DTYPES = (torch.float32, torch.float64)


def _as_numpy(t: torch.Tensor | None) -> np.ndarray | None:
    """A NumPy view of a CPU tensor (a copy only for non-contiguous tensors)."""
    if t is None:
        return None
    d = t.detach()
    if d.device.type != "cpu":
        raise ValueError(f"infokit.torch works on CPU tensors, got a tensor on {d.device}")
    if not d.is_contiguous():
        d = d.contiguous()
    return d.numpy()


def _check_input(input: torch.Tensor) -> None:
    if not isinstance(input, torch.Tensor):
        raise TypeError("input must be a torch.Tensor")
    if input.dtype not in _DTYPES:
        raise TypeError(f"input must be float32 or float64, got {input.dtype}")


def _scale_grad(grad: torch.Tensor, grad_output: torch.Tensor, reduction: str, class_dim: int | None) -> torch.Tensor:
    """Chain rule: the stored gradient is that of the reduced loss (of the sum for 'none')."""
    if reduction == "none":
        g = grad_output if class_dim is None else grad_output.unsqueeze(class_dim)
        return grad.mul_(g)
    if grad_output.numel() == 1 and float(grad_output) == 1.0:
        return grad
    return grad.mul_(grad_output)


def _needs_grad(t: torch.Tensor | None) -> bool:
    return t is not None and t.requires_grad


def _not_differentiable(function: str, argument: str) -> RuntimeError:
    return RuntimeError(f"The function '{function}' is not differentiable with respect to argument "
                        f"'{argument}'. This input cannot have requires_grad True.")


def _row_scale(grad_output: torch.Tensor, reduction: str, rows: int) -> torch.Tensor:
    """d(reduced loss)/d(loss of each row), times the incoming gradient (broadcastable)."""
    if reduction == "none":
        return grad_output
    return grad_output / rows if reduction == "mean" else grad_output


class _CrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None,
                ignore_index: int, reduction: str, label_smoothing: float) -> torch.Tensor:
        x = _as_numpy(input)
        assert x is not None
        t, w = _as_numpy(target), _as_numpy(weight)
        ctx.reduction = reduction
        ctx.class_dim = None if input.dim() == 1 else 1
        ctx.grad = None
        if input.requires_grad:
            # NumPy allocates large arrays on huge pages (madvise), torch.empty does not: the
            # fresh gradient then costs far fewer page faults.
            g = np.empty(x.shape, dtype=x.dtype)
            loss, _ = losses.cross_entropy_with_grad(x, t, w, ignore_index, reduction, label_smoothing, grad_out=g)
            # Kept on ctx, not saved_tensors, and dropped in backward: autograd then takes the
            # returned tensor as .grad instead of copying it (it copies gradients still referenced).
            ctx.grad = torch.from_numpy(g)
        else:
            loss = losses.cross_entropy(x, t, w, ignore_index, reduction, label_smoothing)
        ctx.extra = _needs_grad(target) or _needs_grad(weight)
        if ctx.extra:  # probability targets (checked by the caller)
            ctx.log_p = torch.from_numpy(np.asarray(special.log_softmax(x, axis=ctx.class_dim or 0)))
            ctx.save_for_backward(target, weight)
            ctx.eps = label_smoothing
        return torch.from_numpy(np.asarray(loss))

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        grad_x = None
        if ctx.grad is not None:
            grad_x = _scale_grad(ctx.grad, grad_output, ctx.reduction, ctx.class_dim)
            del ctx.grad
        grad_t = grad_w = None
        if ctx.extra:
            # loss_r = -sum_c a_rc log p_rc with a = ((1 - eps) t + eps / C) w: the derivatives
            # are -(1 - eps) w log p (targets) and -sum_r a_rc log p_rc / w_c (weights).
            target, weight = ctx.saved_tensors
            log_p, eps, cd = ctx.log_p, ctx.eps, ctx.class_dim
            rows = 1 if cd is None else log_p.numel() // log_p.shape[cd]
            scale = _row_scale(grad_output, ctx.reduction, rows)
            if ctx.reduction == "none" and cd is not None:
                scale = scale.unsqueeze(cd)
            w_shape = [1] * log_p.dim()
            w_shape[cd or 0] = -1
            w = None if weight is None else weight.detach().reshape(w_shape)
            if ctx.needs_input_grad[1]:
                g = -(1.0 - eps) * log_p * scale
                grad_t = g if w is None else g * w
            if weight is not None and ctx.needs_input_grad[2]:
                a = (1.0 - eps) * target.detach() + eps / log_p.shape[cd or 0]
                dims = [d for d in range(log_p.dim()) if d != (cd or 0)]
                grad_w = -(a * log_p * scale).sum(dim=dims) if dims else -(a * log_p * scale)
        return grad_x, grad_t, grad_w, None, None, None


def cross_entropy(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None,
                  size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> torch.Tensor:
    """:func:`torch.nn.functional.cross_entropy` over infokit's fused kernel (CPU, float32/64).

    The deprecated `size_average` and `reduce` must be left as None.

    Examples
    --------
    >>> import torch
    >>> from infokit.torch import cross_entropy
    >>> x = torch.zeros(2, 4, requires_grad=True)
    >>> loss = cross_entropy(x, torch.tensor([1, 3]))
    >>> loss.backward()
    >>> round(loss.item(), 6), x.grad[0]
    (1.386294, tensor([ 0.1250, -0.3750,  0.1250,  0.1250]))
    """
    if size_average is not None or reduce is not None:
        raise ValueError("size_average and reduce are deprecated: use reduction=")
    _check_input(input)
    prob = isinstance(target, torch.Tensor) and target.is_floating_point()
    if torch.is_grad_enabled() and _needs_grad(weight) and not prob:
        raise _not_differentiable("nll_loss_forward", "weight")
    if torch.is_grad_enabled() and (input.requires_grad or (prob and (_needs_grad(target) or _needs_grad(weight)))):
        out: torch.Tensor = _CrossEntropy.apply(  # type: ignore[no-untyped-call]
            input, target, weight, ignore_index, reduction, label_smoothing)
        return out
    loss = losses.cross_entropy(_as_numpy(input), _as_numpy(target), _as_numpy(weight), ignore_index, reduction,
                                label_smoothing)
    return torch.from_numpy(np.asarray(loss))


class _BceWithLogits(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None, reduction: str,
                pos_weight: torch.Tensor | None) -> torch.Tensor:
        x, t = _as_numpy(input), _as_numpy(target)
        loss, grad = losses._bce(x, t, _as_numpy(weight), reduction, _as_numpy(pos_weight), input.requires_grad, None)
        ctx.grad = None if grad is None else torch.from_numpy(grad)  # see _CrossEntropy.forward
        ctx.reduction = reduction
        if target.requires_grad:
            ctx.save_for_backward(input, weight, pos_weight)
        return torch.from_numpy(np.asarray(loss))

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        grad_x = None
        if ctx.grad is not None:
            grad = ctx.grad
            del ctx.grad
            grad_x = grad.mul_(grad_output) if ctx.reduction == "none" else _scale_grad(grad, grad_output,
                                                                                           ctx.reduction, None)
        grad_t = None
        if ctx.needs_input_grad[1]:
            # loss = (1 - t) x + (1 + (pw - 1) t) softplus(-x): d/dt = (pw - 1) softplus(-x) - x.
            input, weight, pos_weight = ctx.saved_tensors
            x = input.detach()
            g = -x if pos_weight is None else (pos_weight.detach() - 1) * torch.nn.functional.softplus(-x) - x
            if weight is not None:
                g = g * weight.detach()
            grad_t = g * _row_scale(grad_output, ctx.reduction, x.numel())
        return grad_x, grad_t, None, None, None


def binary_cross_entropy_with_logits(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None,
                                     size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                                     pos_weight: torch.Tensor | None = None) -> torch.Tensor:
    """:func:`torch.nn.functional.binary_cross_entropy_with_logits` over infokit's kernel.

    Examples
    --------
    >>> import torch
    >>> from infokit.torch import binary_cross_entropy_with_logits
    >>> x = torch.zeros(4, requires_grad=True)
    >>> loss = binary_cross_entropy_with_logits(x, torch.ones(4))
    >>> loss.backward()
    >>> round(loss.item(), 6), x.grad
    (0.693147, tensor([-0.1250, -0.1250, -0.1250, -0.1250]))
    """
    if size_average is not None or reduce is not None:
        raise ValueError("size_average and reduce are deprecated: use reduction=")
    _check_input(input)
    if torch.is_grad_enabled():
        for name, t in (("weight", weight), ("pos_weight", pos_weight)):
            if _needs_grad(t):
                raise _not_differentiable("binary_cross_entropy_with_logits", name)
    if torch.is_grad_enabled() and (input.requires_grad or _needs_grad(target)):
        out: torch.Tensor = _BceWithLogits.apply(  # type: ignore[no-untyped-call]
            input, target, weight, reduction, pos_weight)
        return out
    loss, _ = losses._bce(_as_numpy(input), _as_numpy(target), _as_numpy(weight), reduction, _as_numpy(pos_weight),
                          False, None)
    return torch.from_numpy(np.asarray(loss))
