"""The folding constants of csrc/infokit/crc32.cpp, derived.

Folding a 128-bit accumulator D bits forward (onto the data D bits later) multiplies its low
64 bits by x^(D+32) mod P and its high 64 bits by x^(D-32) mod P, where P is zlib's CRC-32
polynomial; in the bit-reflected domain the constants are the 32-bit remainders reversed and
shifted left by one. Run: python tools/crc32_fold_constants.py
"""
from __future__ import annotations

P = 0x104C11DB7  # x^32 + x^26 + ... + 1, normal bit order


def x_pow_mod_p(e: int) -> int:
    """x^e mod P over GF(2), as an integer of degree < 32."""
    r = 1
    for _ in range(e):
        r <<= 1
        if r >> 32:
            r ^= P
    return r


def reflected(e: int) -> int:
    bits = format(x_pow_mod_p(e), "032b")
    return int(bits[::-1], 2) << 1


def fold_pair(d: int) -> tuple[int, int]:
    """(constant for the low half, constant for the high half) of a fold over d bits."""
    return reflected(d + 32), reflected(d - 32)


if __name__ == "__main__":
    # The 128- and 512-bit pairs are the published ones (Gopal et al., zlib's crc32_simd).
    assert fold_pair(128) == (0x1751997D0, 0x0CCAA009E)
    assert fold_pair(512) == (0x154442BD4, 0x1C6E41596)
    for d in (128, 256, 512, 1024):
        lo, hi = fold_pair(d)
        print(f"D = {d:4d}: low 0x{lo:010x}, high 0x{hi:010x}")
