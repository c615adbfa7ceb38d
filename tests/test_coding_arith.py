"""AdaptiveArithmeticCoder: round trips, near the bound on stationary data, and better than any
static coder when the distribution shifts halfway."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from infokit.coding import AdaptiveArithmeticCoder, DecodeError, HuffmanCode, RansCoder
from infokit.reference import coding as ref

from coding_sources import entropy_bits, geometric_256, skewed_binary, zipf_4096


@pytest.mark.parametrize("make,n", [(geometric_256, 300_000), (zipf_4096, 300_000), (skewed_binary, 1_000_000)])
def test_stationary_within_one_percent(make, n):
    x = make(n)
    coder = AdaptiveArithmeticCoder(int(x.max()) + 1)
    data = coder.encode(x)
    assert 8 * len(data) <= n * entropy_bits(x) * 1.01
    np.testing.assert_array_equal(coder.decode(data, n), x)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 17, 2001, 6000])
def test_bitstream_matches_reference(n, isa):
    """Both encoder variants (branching under 2 bits per symbol, branch-free above; chosen run
    by run) write the reference's bytes: a source that turns from skewed to spread runs both."""
    x = np.concatenate([skewed_binary(n // 2, seed=3), geometric_256(n - n // 2, seed=3)])
    for coder in (AdaptiveArithmeticCoder(256), AdaptiveArithmeticCoder(256, increment=300, limit=2**12)):
        assert coder.encode(x) == ref.arith_encode(x, 256, coder.increment, coder.limit)
    z = zipf_4096(n, seed=3)
    big = AdaptiveArithmeticCoder(4096)
    assert big.encode(z) == ref.arith_encode(z, 4096, big.increment, big.limit)


# Symbol sequences whose even positions (coder 0's symbols) hold that coder's interval across
# a 2**32 boundary of its low for six bytes and then step over it, so that the carry runs
# through four 0xFF bytes: past the 32 bits the encoder keeps open to a carry in its register,
# into the bytes already in the buffer. Built by steering each even position with the model's
# own frequency tables (default increment and limit); odd positions are random.
CARRY_PAST_REGISTER_256 = [
    37, 235, 0, 72, 18, 137, 128, 133, 9, 192, 64, 129, 4, 71, 160, 252, 0, 25, 44, 20, 9, 101, 171, 212,
    95, 252, 64, 156, 235, 142, 129, 68, 96, 215, 128, 241, 28, 222, 254, 86, 127, 233, 176, 7, 133, 61, 34, 57,
    96, 128, 128, 209, 18, 216, 61, 115, 114, 234, 215, 200, 9, 71, 129, 198, 64, 49, 44, 3, 34, 24, 61, 43,
    228, 26, 157, 80, 241, 115, 64, 210, 241, 64, 75, 25, 169, 226, 235, 135, 96, 153, 177, 22, 254, 195, 18, 126,
    20, 125, 72,
]
CARRY_PAST_REGISTER_2 = (
    "11001111100101100100010000101000011110001111111100011011100001100101001110000110"
    "10111011110011001101011010001111110010101101110001100110011101011110010111001000"
    "100110001001000001000000000100101100011000000100111"
)


@pytest.mark.parametrize("alphabet", [256, 2])
def test_carry_through_four_ff_bytes(alphabet, isa):
    head = CARRY_PAST_REGISTER_256 if alphabet == 256 else [int(c) for c in CARRY_PAST_REGISTER_2]
    tail = skewed_binary(300, seed=5) if alphabet == 2 else geometric_256(300, seed=5)
    x = np.concatenate([np.array(head, dtype=np.uint8), tail])
    coder = AdaptiveArithmeticCoder(alphabet)
    data = coder.encode(x)
    assert data == ref.arith_encode(x, alphabet, coder.increment, coder.limit)
    np.testing.assert_array_equal(coder.decode(data, x.size), x)


def test_beats_static_coders_on_a_shift():
    a = geometric_256(200_000, seed=1)
    b = (255 - geometric_256(200_000, seed=2)).astype(np.uint8)
    x = np.concatenate([a, b])
    adaptive = len(AdaptiveArithmeticCoder(256).encode(x))
    rans = RansCoder.from_data(x)
    huff = HuffmanCode.from_data(x)
    assert adaptive < len(rans.encode(x)) + len(rans.to_bytes())
    assert adaptive < len(huff.encode(x)) + len(huff.to_bytes())
    # static coders pay for the mixture; the adaptive one for each half
    assert 8 * adaptive < 0.9 * x.size * entropy_bits(x)


@pytest.mark.parametrize("x,a", [
    (np.zeros(0, np.uint8), 1), (np.zeros(1, np.uint8), 1), (np.full(5000, 2, np.uint8), 3),
    (np.arange(65536, dtype=np.uint16), 65536), (np.array([65535, 0] * 100, np.uint16), 65536),
])
def test_adversarial_round_trips(x, a):
    coder = AdaptiveArithmeticCoder(a)
    np.testing.assert_array_equal(coder.decode(coder.encode(x), x.size), x)


def test_parameters_and_pickle():
    coder = AdaptiveArithmeticCoder(300, increment=4, limit=2**17)
    assert pickle.loads(pickle.dumps(coder)) == coder
    with pytest.raises(ValueError):
        AdaptiveArithmeticCoder(0)
    with pytest.raises(ValueError):
        AdaptiveArithmeticCoder(65536, limit=2**16)
    with pytest.raises(ValueError):
        AdaptiveArithmeticCoder(4).encode(np.array([4], np.uint8))


def test_decode_rejects_garbage():
    x = geometric_256(3000)
    coder = AdaptiveArithmeticCoder(256)
    data = coder.encode(x)
    size0 = int.from_bytes(data[:4], "little")
    lying = [int(v).to_bytes(4, "little") + data[4:] for v in (0, 4, size0 - 1, size0 + 1, len(data), 2**32 - 1)]
    starts = [data[:4 + size0] + b"\x01" + data[5 + size0:], data[:4] + b"\x01" + data[5:]]
    for bad in [b"", data[:4], data[:-1], data + b"\0", *lying, *starts]:
        with pytest.raises(DecodeError):
            coder.decode(bad, 3000)
