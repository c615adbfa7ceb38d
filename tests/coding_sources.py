"""Seeded test sources for the coders: the distributions the issue's size targets name."""
from __future__ import annotations

import numpy as np


def geometric_256(n: int, seed: int = 0) -> np.ndarray:
    """256 letters, p_k proportional to 0.95^k: about 5.8 bits/symbol."""
    p = 0.95 ** np.arange(256)
    return np.random.default_rng(seed).choice(256, size=n, p=p / p.sum()).astype(np.uint8)


def skewed_binary(n: int, seed: int = 0) -> np.ndarray:
    """Two letters, P(1) = 0.013: about 0.1 bit/symbol."""
    return (np.random.default_rng(seed).random(n) < 0.013).astype(np.uint8)


def zipf_4096(n: int, seed: int = 0) -> np.ndarray:
    """4096 letters, p_k proportional to 1/(k+1): about 8.75 bits/symbol, as uint16."""
    p = 1.0 / np.arange(1, 4097)
    return np.random.default_rng(seed).choice(4096, size=n, p=p / p.sum()).astype(np.uint16)


def entropy_bits(x: np.ndarray) -> float:
    c = np.bincount(x).astype(np.float64)
    p = c[c > 0] / c.sum()
    return float(-(p * np.log2(p)).sum())
