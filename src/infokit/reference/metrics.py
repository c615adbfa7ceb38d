"""Reference for the labelling metrics: the expected mutual information under the permutation
model, summed over every cell and every possible count, straight from its definition."""
from __future__ import annotations

import math
from typing import Any


def expected_mutual_info(a: Any, b: Any, n: int) -> float:
    """sum_ij sum_nij P(nij | a_i, b_j, n) (nij / n) log(n nij / (a_i b_j)), with the
    hypergeometric probability from log-factorials."""
    if len(a) <= 1 or len(b) <= 1:
        return 0.0

    def lf(v: int) -> float:
        return math.lgamma(v + 1)

    total = 0.0
    for ai in (int(v) for v in a):
        for bj in (int(v) for v in b):
            for k in range(max(1, ai + bj - n), min(ai, bj) + 1):
                log_p = (lf(ai) + lf(bj) + lf(n - ai) + lf(n - bj) - lf(n) - lf(k) - lf(ai - k)
                         - lf(bj - k) - lf(n - ai - bj + k))
                total += k / n * math.log(n * k / (ai * bj)) * math.exp(log_p)
    return total
