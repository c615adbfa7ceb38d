"""RansCoder: quantisation optimality, bit-exact streams against the division reference, and
sizes within the issue's bounds of n * H."""
from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest

from infokit.coding import DecodeError, RansCoder, compress, decompress
from infokit.reference import coding as ref

from coding_sources import entropy_bits, geometric_256, skewed_binary, zipf_4096


def test_quantisation_is_optimal_on_small_cases():
    rng = np.random.default_rng(5)
    for _ in range(30):
        m = int(rng.integers(2, 5))
        counts = rng.integers(0, 50, size=m)
        counts[0] = max(counts[0], 1)
        k = 4
        coder = RansCoder.from_counts(counts, precision_bits=k)
        f = coder.freqs
        assert int(f.sum()) == 2**k and all((fi > 0) == (c > 0) for fi, c in zip(f, counts))
        best = min(ref.quantization_cost(counts, g, k)
                   for g in itertools.product(range(2**k + 1), repeat=m)
                   if sum(g) == 2**k and all((gi > 0) or c == 0 for gi, c in zip(g, counts)))
        assert ref.quantization_cost(counts, f, k) <= best + 1e-9


def test_bitstream_matches_division_reference():
    x = geometric_256(3001, seed=2)
    for k in (8, 12, 16, 20):
        coder = RansCoder.from_data(x, precision_bits=k)
        assert coder.encode(x) == ref.rans_encode(coder.freqs, k, x)
    one = RansCoder.from_counts([1, 2**16 - 1], precision_bits=16)  # frequency 1: no reciprocal
    y = np.array([0, 1, 1, 0, 1], np.uint8)
    assert one.encode(y) == ref.rans_encode(one.freqs, 16, y)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 4099])
def test_bitstream_matches_reference_on_skewed_and_uint16_models(n):
    """Models under 2 bits per symbol take the encoder's branching renormalisation, the others
    the branch-free one; uint16 symbols go through the bounds scan: all write one format."""
    b = skewed_binary(n, seed=4)
    coder = RansCoder.from_counts([97, 3])
    assert coder.encode(b) == ref.rans_encode(coder.freqs, coder.precision_bits, b)
    np.testing.assert_array_equal(coder.decode(coder.encode(b), n), b)
    z = zipf_4096(n, seed=4)
    zc = RansCoder.from_counts(np.bincount(z, minlength=4096) + 1)
    assert zc.encode(z) == ref.rans_encode(zc.freqs, zc.precision_bits, z)


def test_bitstream_matches_reference_across_encoder_blocks():
    """The encoder takes its input in blocks of 2^15 rows of 8 symbols (from the end): inputs
    spanning several blocks, with a partial row, write the reference's bitstream."""
    n = 2 * 8 * 2**15 + 8 * 3 + 5
    for x in (geometric_256(n, seed=9), skewed_binary(n, seed=9), zipf_4096(n, seed=9)):
        coder = RansCoder.from_counts(np.bincount(x, minlength=int(x.max()) + 1) + 1)
        encoded = coder.encode(x)
        assert encoded == ref.rans_encode(coder.freqs, coder.precision_bits, x)
        np.testing.assert_array_equal(coder.decode(encoded, n), x)


@pytest.mark.parametrize("counts, dtype, k", [([1, 1, 1, 1], np.uint8, 2), ([1] * 256, np.uint8, 8),
                                               ([1] + [255] * 257, np.uint16, 16)])
def test_encoder_renormalises_at_exactly_x_max(isa, counts, dtype, k):
    """A run of a frequency-1 symbol whose slots start at 0 multiplies each lane's state by 2^k
    from 2^31 until it equals x_max = 2^(63 - k) exactly, where a word must go out (x >= x_max,
    not x > x_max): every encoder loop, on every ISA, must write the reference's bits there."""
    coder = RansCoder.from_counts(counts, precision_bits=k)
    assert coder.freqs[0] == 1
    rng = np.random.default_rng(3)
    for x in (np.zeros(8 * 40 + 3, dtype),
              np.concatenate([rng.integers(0, len(counts), 77), np.zeros(8 * 33, int)]).astype(dtype)):
        encoded = coder.encode(x)
        assert encoded == ref.rans_encode(coder.freqs, k, x)
        np.testing.assert_array_equal(coder.decode(encoded, x.size), x)


@pytest.mark.parametrize("k", [9, 12, 15, 16, 17, 20])
def test_round_trips_at_every_decoder_path(k):
    """Byte alphabets at precision 16 take the decoder's movzwl loop, other precisions the
    masked loop, models under 2 bits per symbol the branching refill, uint16 output and larger
    alphabets the compiled loop: every one must invert the encoder."""
    x = geometric_256(20_000, seed=k)
    coder = RansCoder.from_data(x, precision_bits=k)
    np.testing.assert_array_equal(coder.decode(coder.encode(x), x.size), x)
    b = skewed_binary(50_000, seed=k)
    skewed = RansCoder.from_data(b, precision_bits=k)
    np.testing.assert_array_equal(skewed.decode(skewed.encode(b), b.size), b)
    if k >= 13:
        z = zipf_4096(20_000, seed=k)
        zc = RansCoder.from_data(z, precision_bits=k)
        np.testing.assert_array_equal(zc.decode(zc.encode(z), z.size), z)


@pytest.mark.parametrize("alphabet", [257, 300, 4096, 4097])
@pytest.mark.parametrize("k", [13, 16])
def test_uint16_alphabets_each_side_of_the_asm_table_limit(alphabet, k):
    """Alphabets of 257-4096 symbols decode through the uint16 asm loop (its table holds 4096
    symbols), 4097 and more through the compiled loop: both must invert the encoder, every
    symbol of the alphabet present, with a partial last row and stream ends checked."""
    rng = np.random.default_rng(alphabet + k)
    x = np.concatenate([np.arange(alphabet), rng.integers(0, alphabet, 40_003)]).astype(np.uint16)
    rng.shuffle(x)
    coder = RansCoder.from_data(x, precision_bits=k)
    data = coder.encode(x)
    np.testing.assert_array_equal(coder.decode(data, x.size), x)
    with pytest.raises(DecodeError):
        coder.decode(data[:-4], x.size)


def test_container_uint16_symbols_of_a_byte_alphabet():
    """uint16 data whose values fit a byte: the byte slot table with uint16 output."""
    x = geometric_256(30_000, seed=7).astype(np.uint16)
    for method in ("rans", "arith"):
        np.testing.assert_array_equal(decompress(compress(x, method)), x)


@pytest.mark.parametrize("make,n,tol", [
    (geometric_256, 400_000, 0.0005), (zipf_4096, 400_000, 0.0005), (skewed_binary, 2_000_000, 0.005),
])
def test_payload_within_bound(make, n, tol):
    x = make(n)
    coder = RansCoder.from_data(x)
    data = coder.encode(x)
    h = entropy_bits(x)
    assert 8 * len(data) <= n * h * (1 + tol), (8 * len(data) / (n * h) - 1)
    np.testing.assert_array_equal(coder.decode(data, n), x)


@pytest.mark.parametrize("x", [
    np.zeros(0, np.uint8), np.zeros(1, np.uint8), np.full(1001, 3, np.uint8),
    np.arange(65536, dtype=np.uint16), np.array([1, 0, 0, 0, 0, 1], np.uint8),
])
def test_adversarial_round_trips(x):
    coder = RansCoder.from_data(x)
    np.testing.assert_array_equal(coder.decode(coder.encode(x), x.size), x)


def test_single_symbol_costs_only_the_header():
    x = np.full(10**5, 9, np.uint8)
    assert len(RansCoder.from_data(x).encode(x)) == 92  # eight 64-bit states, seven stream sizes


def test_huge_skew():
    coder = RansCoder.from_counts([10**17, 1, 1], precision_bits=12)
    assert coder.freqs.tolist() == [4094, 1, 1]
    x = np.array([0] * 50 + [1, 2] * 3, np.uint8)
    np.testing.assert_array_equal(coder.decode(coder.encode(x), x.size), x)


def test_serialise_pickle_expected_length():
    coder = RansCoder.from_data(zipf_4096(5000))
    assert RansCoder.from_bytes(coder.to_bytes()) == coder
    assert pickle.loads(pickle.dumps(coder)) == coder
    assert RansCoder.from_counts([1, 1], precision_bits=3).expected_length([1, 1]) == 1.0


def test_bad_arguments():
    with pytest.raises(ValueError):
        RansCoder.from_counts([1, 1, 1], precision_bits=1)
    with pytest.raises(ValueError):
        RansCoder([1, 2], 4)
    with pytest.raises(ValueError):
        RansCoder.from_counts([1, 0]).encode(np.array([1], np.uint8))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("counts", [np.ones(10), np.ones(256), np.r_[np.ones(255), 0], np.ones(300)],
                         ids=["10-all-present", "256-all-present", "256-one-absent", "300-all-present"])
def test_symbols_without_a_frequency_are_refused_on_every_encoder_path(dtype, counts):
    """The encoder checks for symbols without a frequency only where they can occur (a zero
    count, or byte symbols beyond a smaller alphabet): each case must still refuse them,
    wherever in a long input the symbol sits, and encode everything else."""
    coder = RansCoder.from_counts(counts)
    present = np.flatnonzero(counts)
    if dtype == np.uint8:
        present = present[present < 256]
    x = np.resize(present, 5000).astype(dtype)
    np.testing.assert_array_equal(coder.decode(coder.encode(x), x.size), x)
    candidates = [v for v in (len(counts), 255, 256, 299, 300, 65535)
                  if v <= np.iinfo(dtype).max and (v >= len(counts) or counts[v] == 0)]
    for bad in candidates:
        for pos in (0, 2500, 4999):
            y = x.copy()
            y[pos] = bad
            with pytest.raises(ValueError):
                coder.encode(y)


def test_decode_rejects_garbage():
    x = geometric_256(2000)
    coder = RansCoder.from_data(x)
    data = coder.encode(x)
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x10
    for bad in (b"", data[:-4], data[:-1], data + b"\0\0\0\0", bytes(flipped), b"\0" * len(data)):
        with pytest.raises(DecodeError):
            coder.decode(bad, 2000)
    with pytest.raises(DecodeError):
        RansCoder.from_bytes(b"\x10\x02\x00\x00\x00\x01\x01")  # frequencies do not sum to 2^16


def test_decode_rejects_lying_stream_sizes():
    """The seven stream sizes after the lane states are checked against the payload: too large
    (past the end, or wrapping when summed), or moved between lanes, never reads out of bounds."""
    for x in (geometric_256(3000), skewed_binary(50_000)):
        coder = RansCoder.from_data(x)
        data = coder.encode(x)
        sizes = np.frombuffer(data[64:92], "<u4")
        for lane in range(7):
            for value in (0, int(sizes[lane]) + 1, int(sizes[lane]) - 1, len(data), 2**32 - 1):
                if value == sizes[lane]:
                    continue
                bad = bytearray(data)
                bad[64 + 4 * lane:68 + 4 * lane] = int(value).to_bytes(4, "little")
                with pytest.raises(DecodeError):
                    coder.decode(bytes(bad), x.size)
        with pytest.raises(DecodeError):
            coder.decode(data[:88], x.size)
