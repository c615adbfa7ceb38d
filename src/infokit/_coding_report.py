"""How close an encoding came to the entropy bound: the figures every coder reports."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


def empirical_entropy_bits(counts: NDArray[np.integer]) -> float:
    """Entropy in bits per symbol of the empirical distribution given by `counts`."""
    c = np.asarray(counts, dtype=np.float64)
    n = c.sum()
    if n <= 0:
        return 0.0
    p = c[c > 0] / n
    return float(-(p * np.log2(p)).sum())


@dataclass(frozen=True)
class CodingReport:
    """Size of one encoding against the order-0 empirical entropy bound ``n * H``.

    Attributes
    ----------
    method : str
        The coder ("huffman", "rans", "arith" or "container/<method>").
    n_symbols : int
        Number of symbols encoded.
    entropy_bits : float
        Empirical entropy of the symbols, in bits per symbol.
    payload_bytes : int
        Bytes of coded data.
    header_bytes : int
        Bytes of model and framing (what must be sent besides the payload).
    """

    method: str
    n_symbols: int
    entropy_bits: float
    payload_bytes: int
    header_bytes: int

    @property
    def bound_bits(self) -> float:
        """``n * H``: the fewest bits any order-0 code can spend on these symbols."""
        return self.n_symbols * self.entropy_bits

    @property
    def bits_per_symbol(self) -> float:
        """Payload bits per symbol (0 for no symbols)."""
        return 8.0 * self.payload_bytes / self.n_symbols if self.n_symbols else 0.0

    @property
    def total_bits_per_symbol(self) -> float:
        """Payload and header bits per symbol."""
        return 8.0 * (self.payload_bytes + self.header_bytes) / self.n_symbols if self.n_symbols else 0.0

    @property
    def overhead_bits(self) -> float:
        """Payload bits above the bound (header excluded)."""
        return 8.0 * self.payload_bytes - self.bound_bits

    @property
    def overhead_percent(self) -> float:
        """Payload overhead as a percentage of the bound (inf if the bound is 0 and bits were spent)."""
        if self.bound_bits > 0:
            return 100.0 * self.overhead_bits / self.bound_bits
        return 0.0 if self.payload_bytes == 0 else float("inf")

    def __str__(self) -> str:
        return (f"{self.method}: {self.n_symbols} symbols, H = {self.entropy_bits:.4f} bits/symbol, "
                f"payload {self.payload_bytes} B ({self.bits_per_symbol:.4f} bits/symbol, "
                f"overhead {self.overhead_bits:.0f} bits = {self.overhead_percent:.3f} %), "
                f"header {self.header_bytes} B")
