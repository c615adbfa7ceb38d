"""Canonical Huffman codes over NumPy symbol arrays (the kernels are in csrc/infokit/huffman.*)."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _core
from ._coding_report import CodingReport
from ._coding_static import StaticCoder, check_weights
from ._coding_symbols import (
    as_buffer,
    as_counts,
    as_symbols,
    check_length,
    data_counts,
    output_itemsize,
)

__all__ = ["HuffmanCode"]

MAX_CODE_LENGTH = 32


class HuffmanCode(StaticCoder):
    """A canonical prefix code with optimal (optionally length-limited) code lengths.

    Build one with :meth:`from_counts` or :meth:`from_data`. Encoding writes four
    bit streams (stream ``k`` codes the ``k``-th quarter of the symbols) behind a 12-byte table of their sizes;
    decoding reads them with a lookup table that resolves up to three short code words at once.

    Parameters
    ----------
    lengths : array_like of int
        Code length of each symbol (0: symbol absent), at most 32, satisfying Kraft's
        inequality. Codes are assigned canonically: by length, then by symbol.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.coding import HuffmanCode
    >>> code = HuffmanCode.from_counts([5, 2, 1, 1])
    >>> code.lengths.tolist()
    [1, 2, 3, 3]
    >>> x = np.array([0, 1, 0, 3, 2, 0], dtype=np.uint8)
    >>> code.decode(code.encode(x), len(x)).tolist()
    [0, 1, 0, 3, 2, 0]
    """

    _method = "huffman"

    __slots__ = ("_codec",)

    def __init__(self, lengths: ArrayLike) -> None:
        a = np.asarray(lengths)
        if a.ndim != 1 or a.dtype.kind not in "iu":
            raise TypeError("lengths must be a 1-d integer array")
        if a.size > 65536 or (a.size and (a.min() < 0 or a.max() > MAX_CODE_LENGTH)):
            raise ValueError(f"lengths must hold at most 65536 values in [0, {MAX_CODE_LENGTH}]")
        self._codec = _core.HuffmanCodec(a.astype(np.uint8))

    @classmethod
    def from_counts(cls, counts: ArrayLike, max_length: int | None = None) -> HuffmanCode:
        """The optimal code for symbol counts, with no code longer than `max_length`.

        Parameters
        ----------
        counts : array_like of int
            Occurrences of each symbol (at most 65536 symbols); 0 leaves a symbol without a code.
        max_length : int, optional
            Longest code allowed, in [1, 32] (default 32). When the unrestricted Huffman code
            is longer, package-merge finds the optimal code under the limit.

        Returns
        -------
        HuffmanCode
            Ties are broken by symbol index, so equal counts give equal codes. A single present
            symbol gets a 1-bit code.

        Examples
        --------
        >>> from infokit.coding import HuffmanCode
        >>> HuffmanCode.from_counts([8, 4, 2, 1, 1], max_length=3).lengths.tolist()
        [1, 3, 3, 3, 3]
        """
        limit = MAX_CODE_LENGTH if max_length is None else operator.index(max_length)
        if not 1 <= limit <= MAX_CODE_LENGTH:
            raise ValueError(f"max_length must be in [1, {MAX_CODE_LENGTH}], got {limit}")
        c = as_counts(counts)
        present = int(np.count_nonzero(c))
        if present > 1 and present > 2**limit:
            raise ValueError(f"max_length={limit} cannot code {present} symbols")
        return cls(_core.huffman_lengths(c, limit))

    @classmethod
    def from_data(cls, symbols: ArrayLike | bytes, max_length: int | None = None,
                  alphabet_size: int | None = None) -> HuffmanCode:
        """The optimal code for the symbols' own histogram.

        Parameters
        ----------
        symbols : array_like of int or bytes-like
            Values in [0, 65536).
        max_length : int, optional
            As in :meth:`from_counts`.
        alphabet_size : int, optional
            Number of letters (default: the largest symbol + 1).

        Examples
        --------
        >>> from infokit.coding import HuffmanCode
        >>> HuffmanCode.from_data(b"abracadabra").lengths[ord("a")]
        np.uint8(1)
        """
        return cls.from_counts(data_counts(as_symbols(symbols), alphabet_size), max_length)

    @property
    def lengths(self) -> NDArray[np.uint8]:
        """Code length of every symbol (0: no code)."""
        out: NDArray[np.uint8] = self._codec.lengths
        return out

    @property
    def codes(self) -> NDArray[np.uint32]:
        """Canonical code word of every symbol, read MSB first over its length."""
        out: NDArray[np.uint32] = self._codec.codes
        return out

    @property
    def alphabet_size(self) -> int:
        return int(self.lengths.size)

    def expected_length(self, p: ArrayLike) -> float:
        """Mean code length in bits per symbol under probabilities (or counts) `p`.

        Examples
        --------
        >>> from infokit.coding import HuffmanCode
        >>> HuffmanCode.from_counts([2, 1, 1]).expected_length([0.5, 0.25, 0.25])
        1.5
        """
        lengths = self.lengths.astype(np.float64)
        w = check_weights(p, lengths.size)
        if np.any((w > 0) & (lengths == 0)):
            return float("inf")
        return float((w * lengths).sum() / w.sum())


    def report(self, symbols: ArrayLike | bytes) -> CodingReport:
        """Encode `symbols` and compare the size with their empirical entropy.

        Examples
        --------
        >>> from infokit.coding import HuffmanCode
        >>> data = b"abracadabra" * 100
        >>> r = HuffmanCode.from_data(data).report(data)
        >>> round(r.bits_per_symbol, 3), round(r.entropy_bits, 3)
        (2.182, 2.04)
        """
        return self._report(symbols)


    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview) -> HuffmanCode:
        """Inverse of :meth:`to_bytes`; raises DecodeError on malformed input."""
        obj = cls.__new__(cls)
        obj._codec = _core.HuffmanCodec.from_bytes(as_buffer(data))
        return obj

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (HuffmanCode.from_bytes, (self.to_bytes(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HuffmanCode) and np.array_equal(self.lengths, other.lengths)

    def __hash__(self) -> int:
        return hash(self.to_bytes())

    def __repr__(self) -> str:
        used = int(np.count_nonzero(self.lengths))
        return f"HuffmanCode(alphabet_size={self.alphabet_size}, symbols={used}, max_length={int(self.lengths.max(initial=0))})"
