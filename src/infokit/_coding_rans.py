"""Static rANS over NumPy symbol arrays (the kernels are in csrc/infokit/rans.*)."""
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

__all__ = ["RansCoder"]

MAX_PRECISION: int = _core.RANS_MAX_PRECISION


class RansCoder(StaticCoder):
    """A static range-ANS coder with frequencies quantised to ``2**precision_bits``.

    Encoding runs eight interleaved lanes with 64-bit states and division-free updates, each
    lane with its own word stream; the payload is a sequence of little-endian 32-bit words (the
    lanes' final states and stream sizes first).

    Parameters
    ----------
    freqs : array_like of int
        Frequency of every symbol, summing to ``2**precision_bits`` (0: symbol absent).
    precision_bits : int
        In [1, 20].

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.coding import RansCoder
    >>> x = np.array([0, 0, 0, 1, 0, 2, 0, 0], dtype=np.uint8)
    >>> coder = RansCoder.from_data(x)
    >>> coder.decode(coder.encode(x), len(x)).tolist()
    [0, 0, 0, 1, 0, 2, 0, 0]
    """

    _method = "rans"

    __slots__ = ("_codec",)

    def __init__(self, freqs: ArrayLike, precision_bits: int) -> None:
        f = np.asarray(freqs)
        if f.ndim != 1 or f.dtype.kind not in "iu":
            raise TypeError("freqs must be a 1-d integer array")
        k = operator.index(precision_bits)
        if not 1 <= k <= MAX_PRECISION:
            raise ValueError(f"precision_bits must be in [1, {MAX_PRECISION}], got {k}")
        if f.size > 65536 or (f.size and (f.min() < 0 or f.max() > 2**k)):
            raise ValueError("freqs must hold at most 65536 values in [0, 2**precision_bits]")
        if f.size and int(f.sum()) not in (0, 2**k):
            raise ValueError("freqs must sum to 2**precision_bits")
        self._codec = _core.RansCodec(f.astype(np.uint32), k)

    @classmethod
    def from_counts(cls, counts: ArrayLike, precision_bits: int | None = None) -> RansCoder:
        """Quantise counts to frequencies summing to ``2**precision_bits``.

        Every present symbol keeps a frequency of at least 1, and among such frequencies the
        ones chosen minimise the code length of data with these counts (the loss against the
        empirical entropy).

        Parameters
        ----------
        counts : array_like of int
            Occurrences of each symbol (at most 65536 symbols).
        precision_bits : int, optional
            In [1, 20]; default 16 (more for alphabets above 16384 letters in use).

        Examples
        --------
        >>> from infokit.coding import RansCoder
        >>> RansCoder.from_counts([3, 1], precision_bits=2).freqs.tolist()
        [3, 1]
        """
        c = as_counts(counts)
        present = int(np.count_nonzero(c))
        if precision_bits is None:
            k = int(_core.rans_default_precision(present))
        else:
            k = operator.index(precision_bits)
            if not 1 <= k <= MAX_PRECISION:
                raise ValueError(f"precision_bits must be in [1, {MAX_PRECISION}], got {k}")
            if present > 2**k:
                raise ValueError(f"{present} symbols do not fit 2**{k} slots")
        return cls(_core.rans_quantize(c, k), k)

    @classmethod
    def from_data(cls, symbols: ArrayLike | bytes, precision_bits: int | None = None,
                  alphabet_size: int | None = None) -> RansCoder:
        """The coder for the symbols' own histogram (see :meth:`from_counts`).

        Examples
        --------
        >>> from infokit.coding import RansCoder
        >>> RansCoder.from_data(b"aab", precision_bits=3).freqs[ord("a"):].tolist()
        [5, 3]
        """
        return cls.from_counts(data_counts(as_symbols(symbols), alphabet_size), precision_bits)

    @property
    def freqs(self) -> NDArray[np.uint32]:
        """Quantised frequency of every symbol."""
        out: NDArray[np.uint32] = self._codec.freqs
        return out

    @property
    def precision_bits(self) -> int:
        return int(self._codec.precision_bits)

    @property
    def alphabet_size(self) -> int:
        return int(self.freqs.size)

    def expected_length(self, p: ArrayLike) -> float:
        """Mean code length in bits per symbol under probabilities (or counts) `p`: the cross
        entropy of `p` against the quantised model.

        Examples
        --------
        >>> from infokit.coding import RansCoder
        >>> RansCoder.from_counts([1, 1], precision_bits=4).expected_length([1, 1])
        1.0
        """
        f = self.freqs.astype(np.float64)
        w = check_weights(p, f.size)
        if np.any((w > 0) & (f == 0)):
            return float("inf")
        used = w > 0
        bits = self.precision_bits - np.log2(f[used])
        return float((w[used] * bits).sum() / w.sum())


    def report(self, symbols: ArrayLike | bytes) -> CodingReport:
        """Encode `symbols` and compare the size with their empirical entropy.

        Examples
        --------
        >>> from infokit.coding import RansCoder
        >>> data = b"abracadabra" * 1000
        >>> r = RansCoder.from_data(data).report(data)
        >>> r.overhead_bits < 900  # mostly the eight lanes' 64-bit final states
        True
        """
        return self._report(symbols)


    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview) -> RansCoder:
        """Inverse of :meth:`to_bytes`; raises DecodeError on malformed input."""
        obj = cls.__new__(cls)
        obj._codec = _core.RansCodec.from_bytes(as_buffer(data))
        return obj

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (RansCoder.from_bytes, (self.to_bytes(),))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RansCoder) and self.precision_bits == other.precision_bits
                and np.array_equal(self.freqs, other.freqs))

    def __hash__(self) -> int:
        return hash(self.to_bytes())

    def __repr__(self) -> str:
        used = int(np.count_nonzero(self.freqs))
        return f"RansCoder(alphabet_size={self.alphabet_size}, symbols={used}, precision_bits={self.precision_bits})"
