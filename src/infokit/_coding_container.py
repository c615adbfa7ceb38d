"""compress/decompress: the self-describing container (byte layout in docs/container.md)."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _core
from ._coding_report import CodingReport, empirical_entropy_bits
from ._coding_symbols import as_buffer, as_symbols
from ._validation import check_threads

__all__ = ["compress", "decompress", "container_info", "compress_report", "METHODS"]

METHODS = {"huffman": 1, "rans": 2, "arith": 3}
_METHOD_NAMES = {v: k for k, v in METHODS.items()}
_FLAG_BYTES = 1
MAX_BLOCK_SIZE = 1 << 22


def _opt(value: Any, name: str) -> int:
    if value is None:
        return 0
    v = operator.index(value)
    if v < 1:
        raise ValueError(f"{name} must be positive")
    return int(v)


def compress(data: ArrayLike | bytes, method: str = "rans", *, block_size: int | None = None,
             max_length: int | None = None, precision_bits: int | None = None, increment: int | None = None,
             limit: int | None = None, n_threads: int | None = None) -> bytes:
    """Compress symbols (or bytes) into a self-describing, checksummed container.

    The input is split into blocks of `block_size` symbols coded independently (in parallel)
    with one model for the whole input; the result is the same at any thread count.

    Parameters
    ----------
    data : array_like of int or bytes-like
        Symbols in [0, 65536), flattened. Bytes and one-byte integer arrays are stored as
        uint8, wider integers as uint16.
    method : {"rans", "huffman", "arith"}
        Static rANS (closest to the entropy), canonical Huffman, or the adaptive range coder
        (for data whose statistics drift; no model stored).
    block_size : int, optional
        Symbols per block, in [1, 2**22]. By default 2**20, except that rANS halves it (down
        to 2**18) while the input has fewer than 16 blocks and each block's payload stays
        above 200 KB (its own bytes then cost at most 0.05%), so that two threads each get a
        group of eight blocks to decode side by side. The default depends on the input alone.
    max_length, precision_bits, increment, limit : int, optional
        Passed to the coder: see :class:`HuffmanCode`, :class:`RansCoder` and
        :class:`AdaptiveArithmeticCoder`.
    n_threads : int, optional
        OpenMP threads (None: the default; negative counts back from the CPU count).

    Returns
    -------
    bytes

    Examples
    --------
    >>> from infokit.coding import compress, decompress
    >>> blob = compress(b"hello hello hello", method="huffman")
    >>> decompress(blob)
    b'hello hello hello'
    """
    return _compress(data, method, block_size=block_size, max_length=max_length, precision_bits=precision_bits,
                     increment=increment, limit=limit, n_threads=n_threads)


def _compress(data: ArrayLike | bytes, method: str, *, block_size: int | None = None,
              max_length: int | None = None, precision_bits: int | None = None, increment: int | None = None,
              limit: int | None = None, n_threads: int | None = None,
              progress: NDArray[np.uint64] | None = None) -> bytes:
    """compress, with `progress` (a 1-element uint64 array) counting the symbols coded so far
    for a caller that polls it from another thread (the command line's progress bar)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    symbols = as_symbols(data, "data")
    flags = _FLAG_BYTES if isinstance(data, (bytes, bytearray, memoryview)) else 0
    bs = 0 if block_size is None else operator.index(block_size)  # 0: the container chooses
    if block_size is not None and not 1 <= bs <= MAX_BLOCK_SIZE:
        raise ValueError(f"block_size must be in [1, {MAX_BLOCK_SIZE}], got {bs}")
    max_len = 32 if max_length is None else _opt(max_length, "max_length")
    return bytes(_core.compress(symbols, METHODS[method], max_len, _opt(precision_bits, "precision_bits"),
                                _opt(increment, "increment"), _opt(limit, "limit"), bs, flags,
                                check_threads(n_threads), progress))


def decompress(blob: bytes | bytearray | memoryview, *, n_threads: int | None = None,
               max_size: int | None = None) -> bytes | NDArray[Any]:
    """Decode a container written by :func:`compress`, verifying every checksum.

    Parameters
    ----------
    blob : bytes-like
    n_threads : int, optional
        OpenMP threads (None: the default).
    max_size : int, optional
        Refuse (DecodeError) to decode more than this many bytes of output; without it, the
        output size is bounded only by what the header declares, checked against the blob.

    Returns
    -------
    bytes or ndarray
        Bytes if bytes were compressed, else a uint8 or uint16 array.

    Raises
    ------
    DecodeError
        For any truncated, corrupted or foreign input.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.coding import compress, decompress
    >>> x = np.arange(1000, dtype=np.uint16) % 300
    >>> np.array_equal(decompress(compress(x)), x)
    True
    """
    return _decompress(blob, n_threads=n_threads, max_size=max_size)


def _decompress(blob: bytes | bytearray | memoryview, *, n_threads: int | None = None, max_size: int | None = None,
                progress: NDArray[np.uint64] | None = None) -> bytes | NDArray[Any]:
    """decompress, with `progress` counting the symbols decoded so far (see _compress)."""
    buf = as_buffer(blob, "blob")
    limit = -1 if max_size is None else operator.index(max_size)
    symbols, flags = _core.decompress(buf, check_threads(n_threads), limit, progress)
    if flags & _FLAG_BYTES:
        return bytes(symbols.tobytes())
    out: NDArray[Any] = symbols
    return out


def container_info(blob: bytes | bytearray | memoryview) -> dict[str, Any]:
    """Header fields of a container, validated (raises DecodeError like :func:`decompress`).

    Examples
    --------
    >>> from infokit.coding import compress, container_info
    >>> info = container_info(compress(b"abc" * 100, method="rans"))
    >>> info["method"], info["n"], info["dtype"]
    ('rans', 300, 'uint8')
    """
    d: dict[str, Any] = dict(_core.container_info(as_buffer(blob, "blob")))
    d["method"] = _METHOD_NAMES[int(d["method"])]
    d["dtype"] = "uint8" if d.pop("itemsize") == 1 else "uint16"
    return d


def compress_report(data: ArrayLike | bytes, method: str = "rans", **options: Any) -> CodingReport:
    """Compress `data` and report the container's size against the order-0 entropy bound.

    Examples
    --------
    >>> from infokit.coding import compress_report
    >>> r = compress_report(b"abracadabra" * 1000, method="rans")
    >>> r.header_bytes < 100
    True
    """
    symbols = as_symbols(data, "data")
    blob = compress(data, method, **options)
    info = container_info(blob)
    h = empirical_entropy_bits(np.bincount(symbols)) if symbols.size else 0.0
    return CodingReport(f"container/{method}", int(symbols.size), h, int(info["payload_size"]),
                        int(info["header_size"]))
