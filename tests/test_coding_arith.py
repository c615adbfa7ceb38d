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
def test_bitstream_matches_reference(n):
    """Both encoder variants (branching under 2 bits per symbol, branch-free above; chosen run
    by run) write the reference's bytes: a source that turns from skewed to spread runs both."""
    x = np.concatenate([skewed_binary(n // 2, seed=3), geometric_256(n - n // 2, seed=3)])
    for coder in (AdaptiveArithmeticCoder(256), AdaptiveArithmeticCoder(256, increment=300, limit=2**12)):
        assert coder.encode(x) == ref.arith_encode(x, 256, coder.increment, coder.limit)
    z = zipf_4096(n, seed=3)
    big = AdaptiveArithmeticCoder(4096)
    assert big.encode(z) == ref.arith_encode(z, 4096, big.increment, big.limit)


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
