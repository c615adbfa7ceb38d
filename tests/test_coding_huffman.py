"""HuffmanCode: optimal lengths against the reference, canonical codes, bit streams, limits."""
from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infokit.coding import DecodeError, HuffmanCode, compress, decompress
from infokit.reference import coding as ref

from coding_sources import entropy_bits, geometric_256, zipf_4096


def cost(counts, lengths):
    return int(np.dot(np.asarray(counts, dtype=np.int64), np.asarray(lengths, dtype=np.int64)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=40))
def test_lengths_optimal_and_kraft_complete(counts):
    code = HuffmanCode.from_counts(counts)
    want = ref.huffman_lengths(counts)
    assert cost(counts, code.lengths) == cost(counts, want)
    present = sum(c > 0 for c in counts)
    if present >= 2:
        assert ref.kraft_sum(code.lengths) == 1.0
    assert all((l > 0) == (c > 0) for l, c in zip(code.lengths, counts))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=2, max_size=24), st.integers(5, 8))
def test_length_limited_is_package_merge_optimal(counts, limit):
    counts = sorted(counts)  # geometric-ish spreads make the limit bind
    counts = [c * 3**i for i, c in enumerate(counts[:16])]
    if 2**limit < len(counts):
        return
    code = HuffmanCode.from_counts(counts, max_length=limit)
    assert int(code.lengths.max()) <= limit
    assert cost(counts, code.lengths) == cost(counts, ref.package_merge(counts, limit))
    assert ref.kraft_sum(code.lengths) == 1.0


def test_fibonacci_counts_need_the_limit():
    fib = [1, 1]
    while len(fib) < 40:
        fib.append(fib[-1] + fib[-2])
    assert int(HuffmanCode.from_counts(fib).lengths.max()) <= 32
    code = HuffmanCode.from_counts(fib, max_length=12)
    assert int(code.lengths.max()) == 12
    assert cost(fib, code.lengths) == cost(fib, ref.package_merge(fib, 12))


def test_canonical_codes_and_bitstream_match_reference():
    rng = np.random.default_rng(1)
    x = rng.geometric(0.2, size=999).clip(0, 40).astype(np.uint8)
    code = HuffmanCode.from_data(x)
    assert code.codes.tolist() == ref.canonical_codes(code.lengths)
    assert code.encode(x) == ref.huffman_encode(code.lengths, x)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 37, 4 * 64 + 1, 4 * 64 + 2, 4 * 64 + 3, 20_000, 20_003])
def test_quarter_streams_round_trip_and_match_reference(n):
    """Every remainder of n mod 4, short streams (the exact tail only) and long ones (the fast
    loop with two-symbol table entries), including a last symbol that shares a window with
    padding, and codes longer than the 12-bit table (the fast loop's slow path)."""
    # A fixed model with every letter present (codes up to ~20 bits); data drawn from it with
    # the rare letters over-represented so that long codes turn up even in short inputs.
    counts = np.floor(1e6 * 0.93 ** np.arange(256)).astype(np.int64) + 1
    code = HuffmanCode.from_counts(counts)
    p = counts / counts.sum()
    p = 0.9 * p + 0.1 / 256
    x = np.random.default_rng(n).choice(256, size=n, p=p / p.sum()).astype(np.uint8)
    assert int(code.lengths.max()) > 12
    data = code.encode(x)
    if n <= 4 * 64 + 3:
        assert data == ref.huffman_encode(code.lengths, x)
    np.testing.assert_array_equal(code.decode(data, n), x)
    # uint16 symbols of a byte alphabet (the container keeps the dtype): two-symbol entries
    # written as two 16-bit symbols.
    x16 = x.astype(np.uint16)
    y16 = decompress(compress(x16, "huffman", block_size=max(1, n // 2)))
    assert y16.dtype == np.uint16
    np.testing.assert_array_equal(y16, x16)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_runs_of_long_codes_in_the_fast_loop(dtype):
    """Codes longer than the 13-bit table alone, in runs and scattered, at every position of
    the fast loop's groups: each is decoded on the slow path at the start of the next group."""
    counts = np.floor(1e9 * 0.8 ** np.arange(300)).astype(np.int64) + 1
    if dtype == np.uint8:
        counts = counts[:256]
    code = HuffmanCode.from_counts(counts)
    lengths = code.lengths.astype(np.int64)
    long = np.flatnonzero(lengths > 13)
    rng = np.random.default_rng(11)
    n = 4 * 30_000
    x = rng.choice(8, size=n).astype(dtype)  # short codes
    for start in rng.choice(n - 64, size=400, replace=False):  # runs of 1-63 long codes
        run = int(rng.integers(1, 64))
        x[start:start + run] = rng.choice(long, size=run)
    assert np.mean(lengths[x] > 13) > 0.05
    np.testing.assert_array_equal(code.decode(code.encode(x), n), x)


def test_pair_encoding_matches_reference():
    """Byte inputs of 2^14+ symbols per stream are coded two symbols per lookup; pairs whose
    code words exceed 26 bits together (codes up to ~20 bits here) go one symbol at a time."""
    counts = np.floor(1e6 * 0.93 ** np.arange(256)).astype(np.int64) + 1
    code = HuffmanCode.from_counts(counts)
    p = counts / counts.sum()
    p = 0.9 * p + 0.1 / 256
    n = 4 * 2**14 + 4 * 37 + 3
    x = np.random.default_rng(7).choice(256, size=n, p=p / p.sum()).astype(np.uint8)
    lengths = code.lengths.astype(np.int64)
    assert np.any(lengths[x[:-1:2]] + lengths[x[1::2]] > 26)
    data = code.encode(x)
    assert data == ref.huffman_encode(code.lengths, x)
    np.testing.assert_array_equal(code.decode(data, n), x)


@pytest.mark.parametrize("where", [0, 1, 2**15 + 1, 4 * 2**14 - 1])
def test_pair_encoding_rejects_symbol_without_code(where):
    x = np.zeros(4 * 2**14, np.uint8)
    x[::3] = 1
    code = HuffmanCode.from_counts([5, 3, 0, 1])
    x[where] = 2  # no code: its pairs' entries are empty, the symbol path finds it
    with pytest.raises(ValueError, match="no code"):
        code.encode(x)
    x[where] = 200  # outside the alphabet
    with pytest.raises(ValueError, match="no code"):
        code.encode(x)


def test_deterministic_ties():
    a = HuffmanCode.from_counts([3, 3, 3, 3, 3])
    b = HuffmanCode.from_counts([3, 3, 3, 3, 3])
    assert a == b and a.lengths.tolist() == [3, 3, 2, 2, 2]  # equal counts: lower symbols merge first


@pytest.mark.parametrize("make", [geometric_256, zipf_4096])
def test_round_trip_and_size_is_optimal_code(make):
    x = make(100_003)
    code = HuffmanCode.from_data(x)
    data = code.encode(x)
    y = code.decode(data, x.size)
    assert y.dtype == (np.uint8 if code.alphabet_size <= 256 else np.uint16)
    np.testing.assert_array_equal(y, x)
    bits = cost(np.bincount(x, minlength=code.alphabet_size), code.lengths)
    # four streams, each padded to a byte, behind a 12-byte size table
    assert 12 + bits / 8 <= len(data) <= 12 + bits / 8 + 4
    assert code.report(x).bits_per_symbol < entropy_bits(x) + 0.05


@pytest.mark.parametrize("x", [
    np.zeros(0, np.uint8), np.zeros(1, np.uint8), np.full(1000, 7, np.uint8),
    np.arange(65536, dtype=np.uint16), np.array([65535, 0, 65535], np.uint16),
])
def test_adversarial_round_trips(x):
    code = HuffmanCode.from_data(x, alphabet_size=65536 if x.dtype == np.uint16 else None)
    np.testing.assert_array_equal(code.decode(code.encode(x), x.size), x)


def test_huge_skew_uses_long_codes():
    counts = [1, 1]
    while len(counts) < 300:
        counts.append(min(counts[-1] + counts[-2], 10**15))
    code = HuffmanCode.from_counts(counts)
    assert int(code.lengths.max()) == 32  # package-merge held the limit
    x = np.repeat(np.arange(300, dtype=np.uint16), 3)
    np.testing.assert_array_equal(code.decode(code.encode(x), x.size), x)  # the decoder's slow path


def test_serialise_and_pickle():
    code = HuffmanCode.from_data(zipf_4096(5000))
    assert HuffmanCode.from_bytes(code.to_bytes()) == code
    assert pickle.loads(pickle.dumps(code)) == code
    assert len(code.to_bytes()) < 4200


def test_expected_length():
    code = HuffmanCode.from_counts([2, 1, 1])
    assert code.expected_length([2, 1, 1]) == 1.5
    assert HuffmanCode.from_counts([1, 0]).expected_length([1, 1]) == float("inf")


def test_bad_arguments():
    with pytest.raises(ValueError):
        HuffmanCode.from_counts([1, 1, 1], max_length=1)
    with pytest.raises(ValueError):
        HuffmanCode.from_counts([-1, 2])
    with pytest.raises(ValueError):
        HuffmanCode.from_counts([1, 0]).encode(np.array([1], np.uint8))
    with pytest.raises(ValueError):
        HuffmanCode([1, 1, 1])  # violates Kraft
    with pytest.raises(TypeError):
        HuffmanCode.from_counts([1, 1]).decode("ab", 1)


def test_decode_rejects_garbage():
    x = geometric_256(1000, seed=3)
    code = HuffmanCode.from_data(x)
    data = code.encode(x)
    for bad in (b"", data[:-1], data + b"\0", data[:12], b"\xff" * 12 + data[12:]):
        with pytest.raises(DecodeError):
            code.decode(bad, 1000)
    with pytest.raises(DecodeError):
        code.decode(data, 10**6)
    with pytest.raises(DecodeError):
        HuffmanCode.from_bytes(code.to_bytes()[:-1])
