"""What the static coders (Huffman, rANS) share: a compiled codec object that encodes, decodes
and serialises, a size report against the entropy, and the check of a probability vector."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._coding_report import CodingReport, empirical_entropy_bits
from ._coding_symbols import as_buffer, as_symbols, check_length, output_itemsize


def check_weights(p: ArrayLike, n_symbols: int) -> NDArray[np.float64]:
    """`p` as float64 weights, one per symbol, finite, non-negative and not all zero."""
    w = np.asarray(p, dtype=np.float64)
    if w.shape != (n_symbols,):
        raise ValueError(f"p must have one entry per symbol ({n_symbols}), got shape {w.shape}")
    if np.any(w < 0) or not np.all(np.isfinite(w)) or w.sum() <= 0:
        raise ValueError("p must be finite, non-negative and not all zero")
    return w


class StaticCoder(ABC):
    """Base of HuffmanCode and RansCoder: `_codec` is the compiled codec, `_method` the name."""

    _codec: Any
    _method: str

    @property
    @abstractmethod
    def alphabet_size(self) -> int:
        """Number of letters the model covers."""

    def encode(self, symbols: ArrayLike | bytes) -> bytes:
        """Encode symbols (every one must be codable under the model)."""
        return bytes(self._codec.encode(as_symbols(symbols)))

    def decode(self, data: bytes | bytearray | memoryview, n: int) -> NDArray[Any]:
        """Decode `n` symbols (uint8 for alphabets up to 256 letters, else uint16).

        Raises
        ------
        DecodeError
            If `data` is not exactly the encoding of `n` symbols under this model.
        """
        out: NDArray[Any] = self._codec.decode(as_buffer(data), check_length(n),
                                               output_itemsize(self.alphabet_size))
        return out

    def to_bytes(self) -> bytes:
        """The model, serialised compactly (zero runs collapsed)."""
        return bytes(self._codec.to_bytes())

    def _report(self, symbols: ArrayLike | bytes) -> CodingReport:
        s = as_symbols(symbols)
        counts = np.bincount(s, minlength=self.alphabet_size)
        return CodingReport(self._method, int(s.size), empirical_entropy_bits(counts),
                            len(self.encode(s)), len(self.to_bytes()))
