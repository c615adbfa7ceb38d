"""The warning the KSG-type estimators give when ties in their inputs are frequent enough to
bias them, and the duplicate count behind it."""
from __future__ import annotations

import warnings

import numpy as np

# KSG assumes continuous inputs: a tied sample sits at distance 0 from its copies, its k-th
# neighbour radius shrinks or collapses, and the marginal counts around it stop measuring a
# density. Measured at n = 1e4, k = 3 on Gaussians with rho = 0.6 (standard error 0.01 nats),
# rounding both inputs until 13 % of the samples repeat an earlier one moved the estimate by
# +0.002 nats, 31 % by +0.007, 63 % by +0.022 and 84 % by +0.07; ties on a few values (integers,
# a spike at zero) do worse, every group of more than k copies collapsing its radii to 0.
# Above 10 % the data is discretised enough for the bias to approach the standard error.
TIES_THRESHOLD = 0.1


class TiesWarning(UserWarning):
    """Ties in a continuous input are frequent enough to bias a KSG-type estimate.

    Raised by :func:`infokit.estimators.mutual_info_knn`,
    :func:`infokit.estimators.conditional_mutual_info_knn` and
    :func:`infokit.mutual_info_matrix` (``method="knn"``) when more than 10 % of the samples of
    an input repeat an earlier sample. Add noise far below the data's resolution to break the
    ties, or use :func:`infokit.mutual_info_mixture`, which is built for tied samples. The
    scikit-learn drop-ins never raise it (scikit-learn does not).

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> import infokit
    >>> x = np.repeat(np.arange(100.0), 10)  # each value ten times
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     _ = infokit.estimators.mutual_info_knn(x, x + np.arange(1000.0))
    >>> [type(m.message).__name__ for m in w]
    ['TiesWarning']
    """


def duplicate_fraction(a: np.ndarray) -> float:
    """The fraction of the rows of a 2-d array that equal an earlier row (0 for no rows)."""
    n = int(a.shape[0])
    if n == 0:
        return 0.0
    if a.shape[1] == 1:
        s = np.sort(a[:, 0])
        return float(np.count_nonzero(s[1:] == s[:-1])) / n
    return 1.0 - int(np.unique(a, axis=0).shape[0]) / n


def warn_if_tied(named: dict[str, np.ndarray], stacklevel: int) -> None:
    """One TiesWarning naming every input (an (n, d) array each) whose ties pass the threshold.

    `stacklevel` counts from the caller of this function, as for warnings.warn."""
    tied = {name: f for name, a in named.items() if (f := duplicate_fraction(a)) > TIES_THRESHOLD}
    if tied:
        which = ", ".join(f"{name} ({100 * f:.0f}% of samples repeated)" for name, f in tied.items())
        warnings.warn(f"ties bias the KSG estimate: {which}; break them with noise below the data's "
                      "resolution, or use infokit.mutual_info_mixture for tied or discrete data",
                      TiesWarning, stacklevel=stacklevel + 1)
