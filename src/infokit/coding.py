"""Entropy coders that reach the bound: canonical Huffman, static rANS, adaptive arithmetic
coding, and a checksummed container (:func:`compress` / :func:`decompress`).

Symbols are NumPy integer arrays (uint8 or uint16: alphabets up to 65536 letters) or bytes;
encodings are bytes. Every coder reports how close it came to the empirical entropy
(:class:`CodingReport`), and every decoder raises :class:`DecodeError` on malformed input.

Examples
--------
>>> import numpy as np
>>> from infokit.coding import RansCoder, compress, decompress
>>> x = np.random.default_rng(0).geometric(0.3, size=10_000).astype(np.uint8)
>>> coder = RansCoder.from_data(x)
>>> np.array_equal(coder.decode(coder.encode(x), x.size), x)
True
>>> np.array_equal(decompress(compress(x, method="huffman")), x)
True
"""
from __future__ import annotations

from ._coding_arith import AdaptiveArithmeticCoder
from ._coding_container import compress, compress_report, container_info, decompress
from ._coding_errors import DecodeError
from ._coding_huffman import HuffmanCode
from ._coding_rans import RansCoder
from ._coding_report import CodingReport, empirical_entropy_bits

__all__ = [
    "HuffmanCode", "RansCoder", "AdaptiveArithmeticCoder", "CodingReport", "DecodeError",
    "compress", "decompress", "container_info", "compress_report", "empirical_entropy_bits",
]
