"""Reference m-spacing entropy estimators, one sample at a time, term by term as written in
Noughabi (2015): a Python loop over the order statistics, with the sample extended by its end
points (x_(i) = x_(1) for i < 1, x_(n) for i > n)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np


def _order(x: Any, i: int) -> Any:
    """The i-th order statistic, 1-based, clamped to the ends of the sample."""
    return x[min(max(i, 1), len(x)) - 1]


def vasicek(x: Any, m: int) -> float:
    n = len(x)
    return sum(math.log(n / (2 * m) * (_order(x, i + m) - _order(x, i - m))) for i in range(1, n + 1)) / n


def van_es(x: Any, m: int) -> float:
    n = len(x)
    spacings = sum(math.log((n + 1) / m * (x[i + m] - x[i])) for i in range(n - m)) / (n - m)
    return spacings + sum(1 / k for k in range(m, n + 1)) + math.log(m) - math.log(n + 1)


def ebrahimi(x: Any, m: int) -> float:
    n = len(x)
    total = 0.0
    for i in range(1, n + 1):
        if i <= m:
            c = 1 + (i - 1) / m
        elif i >= n - m + 1:
            c = 1 + (n - i) / m
        else:
            c = 2.0
        total += math.log(n / (c * m) * (_order(x, i + m) - _order(x, i - m)))
    return total / n


def correa(x: Any, m: int) -> float:
    n = len(x)
    total = 0.0
    for i in range(1, n + 1):
        window = [_order(x, j) for j in range(i - m, i + m + 1)]
        mean = sum(window) / (2 * m + 1)
        num = sum((v - mean) * (j - i) for v, j in zip(window, range(i - m, i + m + 1)))
        den = n * sum((v - mean) ** 2 for v in window)
        total += math.log(num / den)
    return -total / n


def differential_entropy(values: Any, window_length: int | None = None, method: str = "auto") -> float:
    """The estimate for one 1-D sample without NaN (scipy's default window and 'auto' rule)."""
    x = np.sort(np.asarray(values, dtype=np.float64)).tolist()
    n = len(x)
    m = math.floor(math.sqrt(n) + 0.5) if window_length is None else window_length
    if method == "auto":
        method = "van es" if n <= 10 else "ebrahimi" if n <= 1000 else "vasicek"
    fn = {"vasicek": vasicek, "van es": van_es, "ebrahimi": ebrahimi, "correa": correa}[method]
    return fn(x, m)
