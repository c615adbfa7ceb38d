"""The container's CRC-32: the folding and table paths held to zlib.crc32, and the Huffman
container's block checksums held to zlib through round trips and corrupted payloads."""
from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest

from infokit import _core
from infokit.coding import DecodeError, compress, container_info, decompress

from coding_sources import geometric_256, skewed_binary, zipf_4096

RNG_BYTES = np.random.default_rng(7).integers(0, 256, size=(1 << 22) + 300, dtype=np.uint8).tobytes()


# Every implementation this CPU has (the portable one everywhere; the 128-bit and 256-bit
# carry-less folds where the CPU reports them), and the automatic choice.
PATHS = ["auto", *_core.crc32_paths()]


def test_paths_include_the_portable_one():
    assert "portable" in _core.crc32_paths()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("offset", [0, 1, 7, 16])
def test_every_short_length_matches_zlib(offset, path):
    # Up to 300 bytes: every split into the 128-byte and 64-byte bulk steps, the 16-byte folds
    # and the byte tail.
    for n in range(301):
        buf = RNG_BYTES[offset:offset + n]
        for start in (0, 0x12345678):
            want = zlib.crc32(buf, start)
            assert _core.crc32(buf, start, path=path) == want, n
            assert _core.crc32_portable(buf, start) == want, n


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("n", [1000, 4096 + 15, 65_536, 1_000_003, 1 << 22])
def test_large_buffers_match_zlib(n, path):
    buf = RNG_BYTES[3:3 + n]
    assert _core.crc32(buf, path=path) == zlib.crc32(buf)
    assert _core.crc32(buf, 0xFFFFFFFF, path=path) == zlib.crc32(buf, 0xFFFFFFFF)


def test_unknown_path_is_refused():
    with pytest.raises(ValueError, match="path"):
        _core.crc32(b"abc", path="sse9")


# Block sizes that give the decoder's fast loop many checksum batches, a few, or only the exact
# tail loop (small blocks), and lengths whose quarters are unequal or empty.
@pytest.mark.parametrize("make,n,block_size", [
    (geometric_256, 1_000_003, 1 << 20), (geometric_256, 300_001, 65_537), (geometric_256, 10_001, 999),
    (skewed_binary, 2_000_000, 1 << 20), (zipf_4096, 400_002, 1 << 18), (zipf_4096, 5_003, 1_001),
    (geometric_256, 3, 1 << 20), (geometric_256, 7, 2), (zipf_4096, 2, 1 << 20),
])
def test_huffman_round_trips_check_the_block_crc(make, n, block_size):
    x = make(n)
    blob = compress(x, "huffman", block_size=block_size)
    np.testing.assert_array_equal(decompress(blob, n_threads=1), x)
    np.testing.assert_array_equal(decompress(blob, n_threads=2), x)
    info = container_info(blob)
    table = 28 + info["model_size"]
    raw = x.astype(x.dtype.newbyteorder("<")).tobytes()
    item = x.dtype.itemsize
    for b in range(info["n_blocks"]):
        lo = b * block_size * item
        assert struct.unpack_from("<I", blob, table + 8 * b + 4)[0] == zlib.crc32(raw[lo:lo + block_size * item])


def _payload_streams(blob: bytes) -> list[tuple[int, int]]:
    """(offset, size) of the four Huffman streams of a one-block container."""
    info = container_info(blob)
    start = info["header_size"]
    sizes = list(struct.unpack_from("<3I", blob, start))
    sizes.append(len(blob) - start - 12 - sum(sizes))
    out, at = [], start + 12
    for s in sizes:
        out.append((at, s))
        at += s
    return out


@pytest.mark.parametrize("make,n", [(geometric_256, 400_000), (zipf_4096, 200_000), (geometric_256, 2_000)])
def test_flipped_payload_bits_raise_decode_error(make, n):
    """A flip anywhere in any stream but its final padding bits is caught; the ones that still
    decode to n symbols are caught by the checksum, which must then be the decoder's own."""
    x = make(n)
    blob = compress(x, "huffman", block_size=1 << 20)
    rng = np.random.default_rng(11)
    by_checksum = 0
    for off, size in _payload_streams(blob):
        # Each stream's start, middle and end (the end is decoded by the exact tail loop).
        positions = [0, 1, size // 2, size - 2, size - 1] + [int(p) for p in rng.integers(0, size, 40)]
        for pos in positions:
            bad = bytearray(blob)
            bad[off + pos] ^= 1 << int(rng.integers(8))
            try:
                y = decompress(bytes(bad), n_threads=1)
            except DecodeError as err:
                by_checksum += "checksum" in str(err)
                continue
            # Only the padding bits after a stream's last code word are free to change.
            assert pos == size - 1
            np.testing.assert_array_equal(y, x)
    assert by_checksum > 0


def test_wrong_block_crc_in_a_valid_table_is_caught():
    x = geometric_256(300_000)
    blob = bytearray(compress(x, "huffman", block_size=100_000))
    info = container_info(bytes(blob))
    table = 28 + info["model_size"]
    for b in range(info["n_blocks"]):
        bad = bytearray(blob)
        struct.pack_into("<I", bad, table + 8 * b + 4, struct.unpack_from("<I", bad, table + 8 * b + 4)[0] ^ 1)
        end = table + 8 * info["n_blocks"]
        struct.pack_into("<I", bad, 24, zlib.crc32(bytes(bad[28:end]), zlib.crc32(bytes(bad[:24]))))
        with pytest.raises(DecodeError, match="block checksum mismatch"):
            decompress(bytes(bad))
