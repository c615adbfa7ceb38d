"""Order-0 adaptive arithmetic (range) coding (the kernels are in csrc/infokit/arith.*)."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _core
from ._coding_report import CodingReport, empirical_entropy_bits
from ._coding_symbols import as_buffer, as_symbols, check_alphabet_size, check_length, output_itemsize

__all__ = ["AdaptiveArithmeticCoder"]


class AdaptiveArithmeticCoder:
    """An adaptive order-0 range coder: no model is sent, the statistics are learnt as it goes.

    Every symbol's count starts at 1 and grows by `increment` each time it occurs; when the
    total passes `limit` all counts are halved, which forgets old statistics, so the coder
    follows data whose distribution drifts (where a static coder pays for the average).

    Parameters
    ----------
    alphabet_size : int
        Number of letters, in [1, 65536].
    increment : int, optional
        Count added per occurrence (default 16, or 4 above 1024 letters): larger adapts
        faster, smaller estimates stationary data more precisely.
    limit : int, optional
        Total count that triggers halving (default ``2**16``, or ``2**18`` above 1024 letters;
        at most ``2**18``, at least ``2 * (alphabet_size + increment)``).

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.coding import AdaptiveArithmeticCoder
    >>> coder = AdaptiveArithmeticCoder(4)
    >>> x = np.array([0, 1, 1, 3, 1, 1], dtype=np.uint8)
    >>> coder.decode(coder.encode(x), len(x)).tolist()
    [0, 1, 1, 3, 1, 1]
    """

    __slots__ = ("alphabet_size", "increment", "limit")

    def __init__(self, alphabet_size: int, increment: int | None = None, limit: int | None = None) -> None:
        self.alphabet_size = check_alphabet_size(alphabet_size)
        self.increment = int(_core.arith_default_increment(self.alphabet_size) if increment is None
                             else operator.index(increment))
        self.limit = int(_core.arith_default_limit(self.alphabet_size) if limit is None else operator.index(limit))
        if not 1 <= self.increment <= 65536 or not 1 <= self.limit <= 2**18:
            raise ValueError("increment must be in [1, 65536] and limit in [1, 2**18]")
        err = _core.arith_params_error(self.alphabet_size, self.increment, self.limit)
        if err:
            raise ValueError(err)

    def encode(self, symbols: ArrayLike | bytes) -> bytes:
        """Encode symbols (all below `alphabet_size`)."""
        return bytes(_core.arith_encode(as_symbols(symbols), self.alphabet_size, self.increment, self.limit))

    def decode(self, data: bytes | bytearray | memoryview, n: int) -> NDArray[Any]:
        """Decode `n` symbols (uint8 for alphabets up to 256 letters, else uint16).

        Raises
        ------
        DecodeError
            If `data` is not exactly the encoding of `n` symbols with these parameters.
        """
        out: NDArray[Any] = _core.arith_decode(as_buffer(data), check_length(n), output_itemsize(self.alphabet_size),
                                               self.alphabet_size, self.increment, self.limit)
        return out

    def report(self, symbols: ArrayLike | bytes) -> CodingReport:
        """Encode `symbols` and compare the size with their empirical entropy (no header).

        Examples
        --------
        >>> from infokit.coding import AdaptiveArithmeticCoder
        >>> data = b"abracadabra" * 1000
        >>> r = AdaptiveArithmeticCoder(256).report(data)
        >>> r.overhead_percent < 2
        True
        """
        s = as_symbols(symbols)
        counts = np.bincount(s, minlength=self.alphabet_size)
        return CodingReport("arith", int(s.size), empirical_entropy_bits(counts), len(self.encode(s)), 0)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, AdaptiveArithmeticCoder) and
                (self.alphabet_size, self.increment, self.limit) == (other.alphabet_size, other.increment, other.limit))

    def __hash__(self) -> int:
        return hash((self.alphabet_size, self.increment, self.limit))

    def __getstate__(self) -> tuple[int, int, int]:
        return (self.alphabet_size, self.increment, self.limit)

    def __setstate__(self, state: tuple[int, int, int]) -> None:
        self.alphabet_size, self.increment, self.limit = state

    def __repr__(self) -> str:
        return (f"AdaptiveArithmeticCoder(alphabet_size={self.alphabet_size}, increment={self.increment}, "
                f"limit={self.limit})")
