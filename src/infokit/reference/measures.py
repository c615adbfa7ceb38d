"""Reference discrete measures, written the obvious way in NumPy (scipy's definitions where
scipy has the function). The fast paths in infokit fall back to these for the rare inputs
outside their domain (negative entries, NaN, inf, zero sums), so they also define those
edge cases."""
from __future__ import annotations

import math

from typing import Any

import numpy as np

from .special import entr, rel_entr


def _float(a: np.ndarray) -> Any:
    return 1.0 * np.asarray(a)


def entropy(pk: Any, qk: Any = None, base: Any = None, axis: Any = 0, keepdims: Any = False) -> Any:
    """scipy.stats.entropy: Shannon entropy, or KL divergence when qk is given."""
    pk = _float(pk)
    if axis is None:
        pk = pk.ravel()
        qk = None if qk is None else np.asarray(qk).ravel()
        axis = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        pk = pk / np.sum(pk, axis=axis, keepdims=True)
        if qk is None:
            vec = entr(pk)
        else:
            pk, qk = np.broadcast_arrays(pk, _float(qk))
            qk = qk / np.sum(qk, axis=axis, keepdims=True)
            vec = rel_entr(pk, qk)
        s = np.sum(vec, axis=axis, keepdims=keepdims)
        if base is not None:
            s = s / math.log(base)
    return s


def cross_entropy(pk: Any, qk: Any, base: Any = None, axis: Any = 0, keepdims: Any = False) -> Any:
    """-sum p log q with p, q normalised along axis."""
    pk, qk = np.broadcast_arrays(_float(pk), _float(qk))
    with np.errstate(all="ignore"):
        p = pk / np.sum(pk, axis=axis, keepdims=True)
        q = qk / np.sum(qk, axis=axis, keepdims=True)
        terms = np.where(p > 0, -p * np.log(np.where(p > 0, q, 1)), 0.0)
        s = np.sum(terms, axis=axis, keepdims=keepdims)
        if base is not None:
            s = s / math.log(base)
    return s


def jensenshannon(p: Any, q: Any, base: Any = None, axis: Any = 0, keepdims: Any = False) -> Any:
    """scipy.spatial.distance.jensenshannon: the Jensen-Shannon distance."""
    p = np.asarray(p)
    q = np.asarray(q)
    with np.errstate(all="ignore"):
        p = p / np.sum(p, axis=axis, keepdims=True)
        q = q / np.sum(q, axis=axis, keepdims=True)
        m = (p + q) / 2.0
        js = np.sum(rel_entr(p, m), axis=axis, keepdims=keepdims) + np.sum(
            rel_entr(q, m), axis=axis, keepdims=keepdims)
        if base is not None:
            js /= np.log(base)
        return np.sqrt(js / 2.0)


def binary_entropy(p: Any, base: Any = None) -> Any:
    p = np.asarray(p, dtype=float)
    h = entr(p) + entr(1.0 - p)
    return h / math.log(base) if base is not None else h


def surprisal(p: Any, base: Any = None) -> Any:
    with np.errstate(divide="ignore"):
        s = -np.log(np.asarray(p, dtype=float))
    return s / math.log(base) if base is not None else s


def perplexity(pk: Any, axis: Any = 0, log_probs: Any = False) -> Any:
    if log_probs:
        return np.exp(-np.mean(np.asarray(pk, dtype=float), axis=axis))
    return np.exp(entropy(pk, axis=axis))


def joint_entropy(pxy: Any, base: Any = None) -> Any:
    return entropy(np.asarray(pxy).ravel(), base=base)


def conditional_entropy(pxy: Any, given: Any = 0, base: Any = None) -> Any:
    pxy = _float(pxy)
    p = pxy / pxy.sum()
    marg = p.sum(axis=tuple(i for i in range(p.ndim) if i != given))
    return joint_entropy(p, base) - entropy(marg, base=base)


def mutual_information(pxy: Any, base: Any = None) -> Any:
    p = _float(pxy)
    if np.isnan(p).any():
        return float("nan")
    p = p / p.sum()
    px = p.sum(axis=1, keepdims=True)
    py = p.sum(axis=0, keepdims=True)
    with np.errstate(all="ignore"):
        t = np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / (px * py)), 0.0)
    mi = float(np.sum(t))
    return mi / math.log(base) if base is not None else mi


def conditional_mutual_information(pxyz: Any, base: Any = None) -> Any:
    p = _float(pxyz)
    if np.isnan(p).any():
        return float("nan")
    p = p / p.sum()
    pz = p.sum(axis=(0, 1), keepdims=True)
    pxz = p.sum(axis=1, keepdims=True)
    pyz = p.sum(axis=0, keepdims=True)
    with np.errstate(all="ignore"):
        t = np.where(p > 0, p * np.log(np.where(p > 0, p, 1) * pz / (pxz * pyz)), 0.0)
    cmi = float(np.sum(t))
    return cmi / math.log(base) if base is not None else cmi


def renyi_entropy(pk: Any, alpha: Any, base: Any = None, axis: Any = 0, keepdims: Any = False) -> Any:
    pk = _float(pk)
    p = pk / np.sum(pk, axis=axis, keepdims=True)
    with np.errstate(divide="ignore"):
        if alpha == 1:
            h = np.sum(entr(p), axis=axis, keepdims=keepdims)
        elif alpha == 0:
            h = np.log(np.sum(p > 0, axis=axis, keepdims=keepdims).astype(float))
        elif np.isinf(alpha):
            h = -np.log(np.max(p, axis=axis, keepdims=keepdims))
        else:
            h = np.log(np.sum(np.where(p > 0, p, 0) ** alpha, axis=axis, keepdims=keepdims)) / (1 - alpha)
    return h / math.log(base) if base is not None else h
