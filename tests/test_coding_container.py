"""compress/decompress: round trips, thread independence, header bounds, and a seeded,
time-bounded mutation fuzz loop asserting that only DecodeError comes out."""
from __future__ import annotations

import struct
import time
import zlib

import numpy as np
import pytest

from infokit.coding import DecodeError, compress, compress_report, container_info, decompress

from coding_sources import entropy_bits, geometric_256, skewed_binary, zipf_4096

METHODS = ["rans", "huffman", "arith"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("data", [
    b"", b"a", b"aaaaaaaaaa", bytes(range(256)) * 3, np.zeros(0, np.uint16),
    np.arange(65536, dtype=np.uint16), np.array([65535] * 7, np.uint16), np.array([[1, 2], [3, 4]], np.int64),
])
def test_round_trips(method, data):
    out = decompress(compress(data, method))
    if isinstance(data, bytes):
        assert out == data
    else:
        expect = np.asarray(data).ravel()
        assert isinstance(out, np.ndarray)
        np.testing.assert_array_equal(out, expect)


@pytest.mark.parametrize("method", METHODS)
def test_threads_give_identical_output(method):
    x = geometric_256(300_000)
    one = compress(x, method, block_size=50_000, n_threads=1)
    two = compress(x, method, block_size=50_000, n_threads=2)
    assert one == two
    assert container_info(one)["n_blocks"] == 6
    np.testing.assert_array_equal(decompress(one, n_threads=2), x)
    np.testing.assert_array_equal(decompress(one, n_threads=1), x)


def _block_table(blob: bytes) -> list[tuple[int, int]]:
    info = container_info(blob)
    table = 28 + info["model_size"]
    return [struct.unpack_from("<II", blob, table + 8 * b) for b in range(info["n_blocks"])]


@pytest.mark.parametrize("method,make,n,block_size", [
    ("rans", lambda n: np.random.default_rng(1).integers(0, 256, n, dtype=np.uint8), 2_500_007, 1 << 18),
    ("rans", zipf_4096, 3_000_005, 1 << 18),       # uint16: 8.8 bits a symbol
    ("rans", geometric_256, 3_000_000, 1 << 19),   # 5.7 bits: 256 Ki would leave 187 KB a block
    ("rans", lambda n: geometric_256(n).astype(np.uint16), 3_000_000, 1 << 19),
    ("rans", skewed_binary, 3_000_000, 1 << 20),   # 0.1 bit: blocks stay large
    ("rans", geometric_256, 17_000_000, 1 << 20),  # 17 blocks of 1 Mi already
    ("huffman", geometric_256, 3_000_000, 1 << 20),
    ("arith", geometric_256, 3_000_000, 1 << 20),
])
def test_default_block_size_and_checksums(method, make, n, block_size):
    """Without block_size, rANS halves the 2^20 blocks (to 2^18 at least) while there are fewer
    than 16 and each payload stays above 200 KB; the blocks' checksums, combined from the input's
    2^18-symbol units, are zlib.crc32 of each block, and the blob does not depend on threads."""
    x = make(n)
    blob = compress(x, method, n_threads=2)
    info = container_info(blob)
    assert info["block_size"] == block_size
    assert blob == compress(x, method, n_threads=1)
    raw = x.tobytes()
    width = x.dtype.itemsize
    for b, (_, crc) in enumerate(_block_table(blob)):
        assert crc == zlib.crc32(raw[b * block_size * width:(b + 1) * block_size * width])
    np.testing.assert_array_equal(decompress(blob, n_threads=2), x)


@pytest.mark.parametrize("make,n,tol", [(geometric_256, 300_000, 0.002), (zipf_4096, 300_000, 0.01),
                                        (skewed_binary, 1_000_000, 0.01)])
def test_container_size_near_bound(make, n, tol):
    x = make(n)
    r = compress_report(x, "rans")
    assert r.payload_bytes * 8 <= n * entropy_bits(x) * (1 + tol)
    assert abs(r.entropy_bits - entropy_bits(x)) < 1e-9


def test_block_checksum_is_zlib_crc32():
    x = b"hello world" * 10
    blob = compress(x, "huffman")
    info = container_info(blob)
    table = 28 + info["model_size"]
    assert struct.unpack_from("<I", blob, table + 4)[0] == zlib.crc32(x)


def test_max_size_and_types():
    blob = compress(b"x" * 1000)
    with pytest.raises(DecodeError):
        decompress(blob, max_size=999)
    assert decompress(blob, max_size=1000) == b"x" * 1000
    with pytest.raises(TypeError):
        decompress("not bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        compress(b"x", "lzma")
    with pytest.raises(ValueError):
        compress(np.array([-1, 2]))
    with pytest.raises(TypeError):
        compress(np.array([0.5]))


def test_lying_header_is_rejected_before_allocating():
    blob = bytearray(compress(b"abc" * 100, "rans"))
    struct.pack_into("<Q", blob, 8, 2**62)  # n: 2^62 symbols
    with pytest.raises(DecodeError):
        decompress(bytes(blob))
    blob = bytearray(compress(b"abc" * 100, "huffman"))
    struct.pack_into("<I", blob, 20, 2**31)  # model size past the end
    with pytest.raises(DecodeError):
        decompress(bytes(blob))


def _with_fixed_header_crc(blob: bytearray) -> bytes:
    """Recompute the header checksum so that a mutation reaches the model and payload parsers."""
    try:
        info_model = struct.unpack_from("<I", blob, 20)[0]
        n, bs = struct.unpack_from("<QI", blob, 8)
        nb = -(-n // bs) if bs else 0
        end = 28 + info_model + 8 * nb
        if bs and end <= len(blob):
            crc = zlib.crc32(bytes(blob[28:end]), zlib.crc32(bytes(blob[:24])))
            struct.pack_into("<I", blob, 24, crc)
    except struct.error:
        pass
    return bytes(blob)


def test_fuzz_mutations_raise_only_decode_error():
    rng = np.random.default_rng(1234)
    seeds = [compress(geometric_256(3000, seed=i), m, block_size=1000) for i, m in enumerate(METHODS)]
    seeds += [compress(zipf_4096(2000), m) for m in METHODS] + [compress(b"z" * 500, m) for m in METHODS]
    # rANS blocks long and many enough for the side-by-side decoder (AVX-512), three to a
    # thread on one or two threads
    seeds += [compress(geometric_256(6 * 2048, seed=9), "rans", block_size=2048, precision_bits=11)]
    deadline = time.monotonic() + 3.0
    tried = rejected = 0
    while time.monotonic() < deadline:
        blob = bytearray(seeds[int(rng.integers(len(seeds)))])
        kind = int(rng.integers(5))
        if kind == 0:  # truncate
            blob = blob[: int(rng.integers(len(blob)))]
        elif kind == 1:  # flip bits
            for _ in range(int(rng.integers(1, 4))):
                i = int(rng.integers(len(blob)))
                blob[i] ^= 1 << int(rng.integers(8))
        elif kind == 2:  # random bytes over a range
            i = int(rng.integers(len(blob)))
            blob[i:i + 4] = rng.integers(0, 256, size=len(blob[i:i + 4]), dtype=np.uint8).tobytes()
        elif kind == 3:  # insert or delete bytes
            i = int(rng.integers(len(blob)))
            blob[i:i] = b"\xff" * int(rng.integers(1, 9)) if rng.random() < 0.5 else b""
            if rng.random() < 0.5:
                del blob[i:i + 3]
        else:  # lying fields with a valid header checksum, so the deeper parsers see them
            field = int(rng.integers(3))
            if field == 0:
                struct.pack_into("<Q", blob, 8, int(rng.integers(0, 2**40)))
            elif field == 1:
                struct.pack_into("<I", blob, 16, int(rng.integers(0, 2**23)))
            else:
                i = 28 + int(rng.integers(max(len(blob) - 28, 1)))
                blob[i % len(blob)] ^= 0xFF
        if rng.random() < 0.7:
            blob = bytearray(_with_fixed_header_crc(blob))
        tried += 1
        try:
            decompress(bytes(blob), max_size=1 << 26)
        except DecodeError:
            rejected += 1
    assert tried > 200 and rejected > tried // 2


@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize("method", METHODS)
def test_older_versions_read_for_unchanged_methods_only(method, version):
    """Version 2 changed the arithmetic model, version 3 the Huffman stream layout and version
    4 the rANS and arithmetic payloads: an older header on a payload whose layout has not
    changed since still decodes; on one whose layout changed it is refused, never misdecoded."""
    x = geometric_256(5000)
    blob = bytearray(compress(x, method))
    assert blob[4] == 4
    blob[4] = version
    old = _with_fixed_header_crc(blob)
    oldest = {"huffman": 3, "arith": 4, "rans": 4}[method]
    if version < oldest:
        with pytest.raises(DecodeError, match=f"version {version}"):
            decompress(old)
    else:
        np.testing.assert_array_equal(decompress(old), x)


def test_future_version_refused():
    blob = bytearray(compress(geometric_256(100), "rans"))
    blob[4] = 5
    with pytest.raises(DecodeError, match="version 5"):
        decompress(_with_fixed_header_crc(blob))


