"""Views of an array as (outer, classes, inner) for the softmax kernels, shared by
:mod:`infokit.special` and :mod:`infokit.losses`.

A C-contiguous array reduced over one axis needs no copy: the kernels walk the classes with
stride ``inner`` and vectorise across the ``inner`` contiguous positions. Several axes are
moved to the end first (one copy), as is a non-contiguous array.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.exceptions import AxisError


def normalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """None -> every axis; an int or a tuple of ints -> sorted, non-negative, unique axes."""
    if axis is None:
        return tuple(range(ndim))
    items = axis if isinstance(axis, tuple) else (axis,)
    out: list[int] = []
    for item in items:
        try:
            ax = operator.index(item)
        except TypeError:
            raise TypeError(f"axis must be an integer, a tuple of integers or None, got {axis!r}") from None
        if not -ndim <= ax < ndim:
            raise AxisError(ax, ndim)
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise ValueError("repeated axis")
    return tuple(sorted(out))


@dataclass
class ClassView:
    """`data` (C-contiguous, kernel dtype) seen as (outer, classes, inner)."""

    data: np.ndarray
    outer: int
    classes: int
    inner: int
    perm: tuple[int, ...] | None  # the transpose applied before the copy, if any
    shape: tuple[int, ...]  # the shape of the array as given

    @property
    def rows(self) -> int:
        return self.outer * self.inner

    def rows_matrix(self, a: np.ndarray | None = None) -> np.ndarray:
        """`a` (default: the data) as a (rows, classes) array, row r = o * inner + i."""
        x = self.data if a is None else a
        return x.reshape(self.outer, self.classes, self.inner).transpose(0, 2, 1).reshape(self.rows, self.classes)

    def restore(self, y: np.ndarray) -> np.ndarray:
        """An output written in the data's layout, back in the layout of the array given."""
        if self.perm is None:
            return y.reshape(self.shape)
        moved = y.reshape(tuple(self.shape[p] for p in self.perm))
        return np.transpose(moved, np.argsort(self.perm))

    def kept_shape(self, axes: tuple[int, ...], keepdims: bool) -> tuple[int, ...]:
        if keepdims:
            return tuple(1 if d in axes else n for d, n in enumerate(self.shape))
        return tuple(n for d, n in enumerate(self.shape) if d not in axes)


def class_view(a: np.ndarray, axes: tuple[int, ...], work: np.dtype) -> ClassView:
    """View `a` with the reduced `axes` as the classes; copies only when it must."""
    shape = tuple(a.shape)
    ndim = len(shape)
    k0, k1 = axes[0], axes[-1] + 1
    if axes == tuple(range(k0, k1)):  # adjacent axes: one class axis of a C-ordered array
        data = np.ascontiguousarray(a, dtype=work)
        return ClassView(data, math.prod(shape[:k0]), math.prod(shape[k0:k1]), math.prod(shape[k1:]), None, shape)
    kept = tuple(d for d in range(ndim) if d not in axes)
    perm = kept + axes
    data = np.ascontiguousarray(np.transpose(a, perm), dtype=work)
    return ClassView(data, math.prod(shape[d] for d in kept), math.prod(shape[d] for d in axes), 1, perm, shape)
