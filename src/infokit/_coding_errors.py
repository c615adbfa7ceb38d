"""The exception every decoder raises on malformed input (the compiled core maps its own
decode errors to this class)."""
from __future__ import annotations

__all__ = ["DecodeError"]


class DecodeError(ValueError):
    """Encoded data is truncated, corrupted, or not an encoding infokit wrote.

    A subclass of :class:`ValueError`. Raised by every ``decode``/``from_bytes`` method and by
    :func:`infokit.coding.decompress`; never a crash, hang or out-of-bounds read.

    Examples
    --------
    >>> from infokit.coding import DecodeError, decompress
    >>> try:
    ...     decompress(b"not a container")
    ... except DecodeError as e:
    ...     print("rejected")
    rejected
    """
