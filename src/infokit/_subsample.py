"""Standard errors of sample estimators from the spread of their estimates on disjoint
subsamples, scaled to the full sample size."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

# Disjoint subsamples per error bar. The spread of m estimates is itself uncertain by about
# 1 / sqrt(2 (m - 1)) (24 % at m = 10), while each subsample must stay large enough for the
# estimator to behave as it does on the full sample; the m estimates together cost about one
# estimate on the full sample.
N_SUBSAMPLES = 10


def rng_from(random_state: Any) -> np.random.Generator:
    """np.random.default_rng(random_state), with a TypeError naming the argument."""
    try:
        return np.random.default_rng(random_state)
    except (TypeError, ValueError) as e:
        raise TypeError("random_state must be None, an int, a SeedSequence or a numpy Generator, "
                        f"got {random_state!r}") from e


def subsample_std(estimate: Callable[..., float], arrays: tuple[np.ndarray, ...], min_size: int,
                  random_state: Any) -> float:
    """The standard error of estimate(*arrays), from N_SUBSAMPLES disjoint random subsamples.

    The samples (rows, shared by all arrays) are shuffled and cut into m parts of n // m or
    n // m + 1 rows; each part is estimated on its own. An estimator whose variance falls as
    1 / n (as k-NN estimators' does: an average of n terms, each correlated with a bounded
    number of others) has on a part of n / m samples m times the variance it has on n, so the
    standard deviation of the m estimates divided by sqrt(m) is the full sample's standard
    error. Each part needs at least `min_size` rows.
    """
    n = arrays[0].shape[0]
    m = N_SUBSAMPLES
    if n // m < min_size:
        raise ValueError(f"return_std needs at least {m * min_size} samples ({m} subsamples of "
                         f"{min_size}), got {n}")
    perm = rng_from(random_state).permutation(n)
    # Each part keeps its samples in their original order: only the split is random.
    parts = [np.sort(p) for p in np.array_split(perm, m)]
    estimates = np.array([estimate(*(np.ascontiguousarray(a[p]) for a in arrays)) for p in parts])
    return float(np.std(estimates, ddof=1) / np.sqrt(m))
