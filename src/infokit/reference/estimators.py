"""Reference estimators, written the obvious way in NumPy: histograms by np.histogramdd and
neighbour counts by brute force over all pairs (O(n^2), for small inputs)."""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import digamma


def _2d(a: Any) -> Any:
    a = np.asarray(a, dtype=np.float64)
    return a[:, None] if a.ndim == 1 else a


def _plugin(counts: Any) -> Any:
    c = counts[counts > 0].astype(float)
    n = c.sum()
    return -np.sum(c / n * np.log(c / n))


def mutual_info_hist(x: Any, y: Any, bins: Any = 10, range: Any = None) -> Any:
    """Plug-in MI of the joint histogram (1-D x and y)."""
    h, _, _ = np.histogram2d(x, y, bins=bins, range=range)
    return _plugin(h.sum(1)) + _plugin(h.sum(0)) - _plugin(h)


def entropy_hist(x: Any, bins: Any = 10, range: Any = None) -> Any:
    """Differential entropy estimate -sum p log(p / width) from np.histogram (1-D)."""
    c, e = np.histogram(x, bins=bins, range=range)
    w = np.diff(e)
    nz = c > 0
    p = c[nz] / c.sum()
    return float(-np.sum(p * np.log(p / w[nz])))


def _cheb(a: Any) -> Any:
    return np.max(np.abs(a[:, None, :] - a[None, :, :]), axis=2)


def _kth(d: Any, k: Any) -> Any:
    d = d.copy()
    np.fill_diagonal(d, np.inf)
    return np.sort(d, axis=1)[:, k - 1]


def entropy_knn(x: Any, k: Any = 3) -> Any:
    x = _2d(x)
    n, d = x.shape
    e = _kth(_cheb(x), k)
    return digamma(n) - digamma(k) + d * np.mean(np.log(2 * e))


def mutual_info_knn(x: Any, y: Any, k: Any = 3, algorithm: Any = 1) -> Any:
    x, y = _2d(x), _2d(y)
    n = x.shape[0]
    dx, dy = _cheb(x), _cheb(y)
    dj = np.maximum(dx, dy)
    if algorithm == 1:
        r = np.nextafter(_kth(dj, k), 0)[:, None]
        nx = np.sum(dx <= r, axis=1)  # itself included: nx + 1
        ny = np.sum(dy <= r, axis=1)
        return digamma(k) + digamma(n) - np.mean(digamma(nx) + digamma(ny))
    d = dj.copy()
    np.fill_diagonal(d, np.inf)
    idx = np.argsort(d, axis=1, kind="stable")[:, :k]
    ex = np.take_along_axis(dx, idx, 1).max(1)[:, None]
    ey = np.take_along_axis(dy, idx, 1).max(1)[:, None]
    nx = np.sum(dx <= ex, axis=1) - 1
    ny = np.sum(dy <= ey, axis=1) - 1
    return digamma(k) - 1.0 / k + digamma(n) - np.mean(digamma(nx) + digamma(ny))


def mutual_info_mixed(c: Any, d: Any, k: Any = 3) -> Any:
    c = _2d(c)
    d = np.asarray(d)
    labels, inv, counts = np.unique(d, return_inverse=True, return_counts=True)
    keep = counts[inv] > 1
    c, inv = c[keep], inv[keep]
    dc = _cheb(c)
    r = np.empty(len(c))
    kk = np.empty(len(c))
    for lab in np.unique(inv):
        m = inv == lab
        kl = min(k, m.sum() - 1)
        r[m] = np.nextafter(_kth(dc[np.ix_(m, m)], kl), 0)
        kk[m] = kl
    mcount = np.sum(dc <= r[:, None], axis=1)
    return digamma(len(c)) + np.mean(digamma(kk)) - np.mean(digamma(counts[inv])) - np.mean(digamma(mcount))


def conditional_mutual_info_knn(x: Any, y: Any, z: Any, k: Any = 3) -> Any:
    x, y, z = _2d(x), _2d(y), _2d(z)
    dx, dy, dz = _cheb(x), _cheb(y), _cheb(z)
    r = np.nextafter(_kth(np.maximum(np.maximum(dx, dy), dz), k), 0)[:, None]
    nxz = np.sum(np.maximum(dx, dz) <= r, axis=1)
    nyz = np.sum(np.maximum(dy, dz) <= r, axis=1)
    nz = np.sum(dz <= r, axis=1)
    return digamma(k) - np.mean(digamma(nxz) + digamma(nyz) - digamma(nz))


def mutual_info_mixture(x: Any, y: Any, k: Any = 3) -> Any:
    """Gao et al. on KSG 1's terms: tied points (k-th joint distance 0) use plug-in counts."""
    x, y = _2d(x), _2d(y)
    n = x.shape[0]
    dx, dy = _cheb(x), _cheb(y)
    dj = np.maximum(dx, dy)
    rho = _kth(dj, k)
    zero = rho == 0
    kk = np.where(zero, np.sum(dj == 0, axis=1), k)  # itself included where tied
    r = np.where(zero, 0.0, np.nextafter(rho, 0))[:, None]
    nx = np.sum(dx <= r, axis=1)  # itself included: nx + 1
    ny = np.sum(dy <= r, axis=1)
    return digamma(n) + np.mean(digamma(kk) - digamma(nx) - digamma(ny))


def mutual_info_matrix(X: Any, k: Any = 3, method: Any = "knn", bins: Any = 10) -> Any:
    """Pairwise MI of the columns, one pair at a time; the diagonal as mutual_info_matrix sets it."""
    X = np.asarray(X, dtype=np.float64)
    d = X.shape[1]
    out = np.full((d, d), np.inf)
    for i in range(d):
        for j in range(d):
            if method == "knn" and i != j:
                out[i, j] = mutual_info_knn(X[:, i], X[:, j], k, 1)
            elif method == "hist":
                ei = np.histogram_bin_edges(X[:, i], bins)
                ej = np.histogram_bin_edges(X[:, j], bins)
                out[i, j] = mutual_info_hist(X[:, i], X[:, j], bins=[ei, ej])
            elif method == "gaussian" and i != j:
                r = np.corrcoef(X[:, i], X[:, j])[0, 1] if np.ptp(X[:, i]) * np.ptp(X[:, j]) > 0 else 0.0
                out[i, j] = -0.5 * np.log(1 - r * r)
    return out


def mutual_info_knn_permuted(x: Any, y: Any, perms: Any, k: Any = 3) -> Any:
    """KSG 1 of x against y[perm] for each row of perms."""
    y = np.asarray(y)
    return np.array([mutual_info_knn(x, y[p], k, 1) for p in np.asarray(perms)])


def scaled_with_noise(X: Any, rng: np.random.RandomState) -> Any:
    """scikit-learn's preparation of continuous features in NumPy: each column over its
    standard deviation, plus 1e-10 max(1, mean |column|) times rng's normals; (n_features, n)."""
    Xc = np.array(X, dtype=np.float64)
    s = np.std(Xc, 0)
    s[s < 10 * np.finfo(s.dtype).eps] = 1.0
    Xc /= s
    means = np.maximum(1, np.mean(np.abs(Xc), axis=0))
    noise = rng.standard_normal(size=Xc.shape)
    noise *= 1e-10 * means
    Xc += noise
    return np.ascontiguousarray(Xc.T)
