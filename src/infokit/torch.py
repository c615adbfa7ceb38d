"""PyTorch autograd functions over infokit's fused kernels, with the arguments of
:func:`torch.nn.functional.cross_entropy` and
:func:`torch.nn.functional.binary_cross_entropy_with_logits`, for CPU float32/float64 tensors.

Swap the import in a CPU training loop (``from infokit.torch import cross_entropy``): the
forward pass computes the loss and, when a gradient will be needed, the gradient too in the
same fused pass; backward only scales it by the incoming gradient. Contiguous tensors are
shared with NumPy, not copied. Tensors that need no gradient, or ``torch.no_grad()``, take
the forward-only kernel. Gradients flow to the logits only (not to probability targets,
weight or pos_weight).

Importing this module requires torch; ``import infokit`` does not.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

from . import losses

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


class _CrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None,
                ignore_index: int, reduction: str, label_smoothing: float) -> torch.Tensor:
        x = _as_numpy(input)
        assert x is not None
        # NumPy allocates large arrays on huge pages (madvise), torch.empty does not: the fresh
        # gradient then costs far fewer page faults.
        g = np.empty(x.shape, dtype=x.dtype)
        loss, _ = losses.cross_entropy_with_grad(x, _as_numpy(target), _as_numpy(weight), ignore_index, reduction,
                                                 label_smoothing, grad_out=g)
        grad = torch.from_numpy(g)
        # Kept on ctx, not saved_tensors, and dropped in backward: autograd then takes the
        # returned tensor as .grad instead of copying it (it copies gradients still referenced).
        ctx.grad = grad
        ctx.reduction = reduction
        ctx.class_dim = None if input.dim() == 1 else 1
        return torch.from_numpy(np.asarray(loss))

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        grad = ctx.grad
        del ctx.grad
        return _scale_grad(grad, grad_output, ctx.reduction, ctx.class_dim), None, None, None, None, None


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
    if torch.is_grad_enabled() and input.requires_grad:
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
        loss, grad = losses._bce(_as_numpy(input), _as_numpy(target), _as_numpy(weight), reduction,
                                 _as_numpy(pos_weight), True, None)
        ctx.grad = torch.from_numpy(grad)  # see _CrossEntropy.forward
        ctx.reduction = reduction
        return torch.from_numpy(np.asarray(loss))

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        grad = ctx.grad
        del ctx.grad
        if ctx.reduction == "none":
            return grad.mul_(grad_output), None, None, None, None
        return _scale_grad(grad, grad_output, ctx.reduction, None), None, None, None, None


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
    if torch.is_grad_enabled() and input.requires_grad:
        out: torch.Tensor = _BceWithLogits.apply(  # type: ignore[no-untyped-call]
            input, target, weight, reduction, pos_weight)
        return out
    loss, _ = losses._bce(_as_numpy(input), _as_numpy(target), _as_numpy(weight), reduction, _as_numpy(pos_weight),
                          False, None)
    return torch.from_numpy(np.asarray(loss))
