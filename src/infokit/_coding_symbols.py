"""Coercion of the coders' inputs: symbol arrays, counts, and encoded bytes-like data."""
from __future__ import annotations

import operator
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

MAX_ALPHABET = 65536

BytesLike = bytes | bytearray | memoryview


def as_symbols(symbols: Any, name: str = "symbols") -> NDArray[np.uint8] | NDArray[np.uint16]:
    """A C-contiguous 1-d uint8 or uint16 view/copy of `symbols` (flattened).

    Bytes-like objects become uint8. Integer arrays with one-byte items become uint8, wider ones
    uint16; values must lie in [0, 65536).
    """
    if isinstance(symbols, (bytes, bytearray, memoryview)):
        return np.frombuffer(symbols, dtype=np.uint8)
    a = np.asarray(symbols)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    if a.dtype.kind not in "iu":
        raise TypeError(f"{name} must be an integer array or bytes-like, got dtype {a.dtype}")
    a = a.ravel()
    if a.dtype in (np.uint8, np.uint16):
        return cast("NDArray[np.uint8] | NDArray[np.uint16]", np.ascontiguousarray(a))
    if a.size:
        lo, hi = int(a.min()), int(a.max())
        if lo < 0 or hi >= MAX_ALPHABET:
            raise ValueError(f"{name} must lie in [0, {MAX_ALPHABET}), got values in [{lo}, {hi}]")
    if a.dtype.itemsize == 1:
        return np.ascontiguousarray(a, dtype=np.uint8)
    return np.ascontiguousarray(a, dtype=np.uint16)


def as_counts(counts: Any, name: str = "counts") -> NDArray[np.uint64]:
    """Non-negative integer counts (a 1-d array of at most 65536 entries) as uint64."""
    c = np.asarray(counts)
    if c.ndim != 1:
        raise ValueError(f"{name} must be 1-d, got shape {c.shape}")
    if c.size > MAX_ALPHABET:
        raise ValueError(f"{name} has {c.size} entries; alphabets hold at most {MAX_ALPHABET} symbols")
    if c.dtype.kind == "f":
        if not np.all(np.isfinite(c)) or np.any(c != np.floor(c)):
            raise ValueError(f"{name} must hold whole numbers")
    elif c.dtype.kind not in "iub":
        raise TypeError(f"{name} must be an integer array, got dtype {c.dtype}")
    if c.size and np.any(c < 0):
        raise ValueError(f"{name} must be non-negative")
    out = c.astype(np.uint64)
    if out.size and float(out.astype(np.float64).sum()) >= 2.0**62:
        raise ValueError(f"{name} must sum to less than 2**62")
    return out


def data_counts(symbols: NDArray[np.uint8] | NDArray[np.uint16], alphabet_size: int | None) -> NDArray[np.uint64]:
    """The histogram of `symbols` over `alphabet_size` letters (default: max symbol + 1)."""
    top = int(symbols.max()) + 1 if symbols.size else 1
    size = top if alphabet_size is None else check_alphabet_size(alphabet_size)
    if top > size:
        raise ValueError(f"symbols contain {top - 1}, outside an alphabet of {size} letters")
    return np.bincount(symbols, minlength=size).astype(np.uint64)


def check_alphabet_size(alphabet_size: Any) -> int:
    try:
        a = operator.index(alphabet_size)
    except TypeError:
        raise TypeError(f"alphabet_size must be an integer, got {type(alphabet_size).__name__}") from None
    if not 1 <= a <= MAX_ALPHABET:
        raise ValueError(f"alphabet_size must be in [1, {MAX_ALPHABET}], got {a}")
    return int(a)


def check_length(n: Any, name: str = "n") -> int:
    try:
        v = operator.index(n)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(n).__name__}") from None
    if v < 0:
        raise ValueError(f"{name} must be non-negative")
    return int(v)


def as_buffer(data: Any, name: str = "data") -> BytesLike:
    """`data` if it is bytes-like (contiguous bytes), else TypeError."""
    if isinstance(data, (bytes, bytearray)):
        return data
    if isinstance(data, memoryview):
        return data if data.c_contiguous else data.tobytes()
    raise TypeError(f"{name} must be bytes-like, got {type(data).__name__}")


def output_itemsize(alphabet_size: int) -> int:
    return 1 if alphabet_size <= 256 else 2
