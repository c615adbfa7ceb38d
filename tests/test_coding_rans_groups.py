"""The container's rANS blocks decoded side by side (several payloads of one model in one
vector kernel on AVX-512, one after another elsewhere): the same symbols as the input and as
the reference decoder, on every ISA and thread count, whatever the blocks' sizes, entropies,
precision and symbol width; corrupt blocks raise DecodeError."""
from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infokit import _core
from infokit.coding import DecodeError, RansCoder, compress, container_info, decompress
from infokit.reference import coding as ref

from coding_sources import geometric_256
from conftest import ISAS, THREADS


def block_payloads(blob: bytes) -> list[tuple[int, int]]:
    """(offset, size) of each block's payload, from the block table after the model."""
    info = container_info(blob)
    table = 28 + info["model_size"]
    offset, out = info["header_size"], []
    for b in range(info["n_blocks"]):
        size = struct.unpack_from("<I", blob, table + 8 * b)[0]
        out.append((offset, size))
        offset += size
    return out


def decompress_on(isa: str, blob: bytes, n_threads: int) -> np.ndarray:
    """decompress on one ISA path (the Hypothesis test visits them all in one example; the
    other tests take the `isa` fixture)."""
    previous = _core.set_isa(isa)
    try:
        return decompress(blob, n_threads=n_threads)
    finally:
        _core.set_isa(previous)


def unequal_blocks(rng: np.random.Generator, n_blocks: int, block: int, tail: int, alphabet: int) -> np.ndarray:
    """Blocks of different entropies (so their lanes run out of words at different rows),
    every block but a shorter last one `block` symbols long."""
    parts = []
    for b in range(n_blocks + (tail > 0)):
        size = block if b < n_blocks else tail
        p = rng.uniform(0.01, 0.5)
        s = np.minimum(rng.geometric(p, size) - 1, alphabet - 1)
        if alphabet > 256:  # some symbols from the whole alphabet
            s = np.where(rng.random(size) < 0.1, rng.integers(0, alphabet, size), s)
        parts.append(s)
    return np.concatenate(parts).astype(np.uint16 if alphabet > 256 else np.uint8)


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_block_groups_match_input_and_reference(data: st.DataObject) -> None:
    n_blocks = data.draw(st.integers(3, 13), label="n_blocks")
    # Blocks long enough for the side-by-side loop (the container uses it for blocks of 2048
    # symbols or more, 4 x 2^precision symbols in all, and groups of three blocks or more).
    block = data.draw(st.integers(2048, 6000), label="block")
    tail = data.draw(st.integers(0, block - 1), label="tail")
    alphabet = data.draw(st.sampled_from([2, 256, 1000]), label="alphabet")
    precision = data.draw(st.sampled_from([11, 12, 13, 14, 17]), label="precision")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    x = unequal_blocks(rng, n_blocks, block, tail, alphabet)
    blob = compress(x, "rans", block_size=block, precision_bits=precision)
    # The container's model is the quantised histogram of the whole input: the reference
    # decoder reads the first and last blocks' payloads with it.
    coder = RansCoder.from_counts(np.bincount(x, minlength=int(x.max()) + 1), precision_bits=precision)
    payloads = block_payloads(blob)
    for b in (0, len(payloads) - 1):
        off, size = payloads[b]
        want = x[b * block:(b + 1) * block]
        got = ref.rans_decode(coder.freqs, coder.precision_bits, blob[off:off + size], want.size)
        np.testing.assert_array_equal(got, want)
    for isa in ISAS:
        for n_threads in THREADS:
            out = decompress_on(isa, blob, n_threads)
            assert out.dtype == x.dtype
            np.testing.assert_array_equal(out, x, err_msg=f"{isa}, {n_threads} threads")


@pytest.mark.parametrize("n_blocks", [3, 4, 5, 7, 12, 13, 16])
def test_block_groups_of_every_size(isa: str, n_threads: int, n_blocks: int) -> None:
    # 3-16 equal blocks give groups of one to eight on one or two threads.
    x = geometric_256(n_blocks * 4000, seed=n_blocks)
    blob = compress(x, "rans", block_size=4000, precision_bits=12)
    np.testing.assert_array_equal(decompress(blob, n_threads=n_threads), x)


@pytest.mark.parametrize("wide", [False, True])
def test_block_groups_at_the_default_precision(isa: str, n_threads: int, wide: bool) -> None:
    # 2^16 slots: the kernel's immediate-shift variant, byte and 16-bit symbols.
    x = geometric_256(13 * 30_000 + 777, seed=3)
    if wide:
        x = x.astype(np.uint16) * 7
    blob = compress(x, "rans", block_size=30_000)
    np.testing.assert_array_equal(decompress(blob, n_threads=n_threads), x)


@pytest.mark.parametrize("where", ["stream word", "lane state", "lane length", "last word"])
def test_block_groups_reject_corrupt_blocks(isa: str, n_threads: int, where: str) -> None:
    x = geometric_256(12 * 3000, seed=5)
    blob = compress(x, "rans", block_size=3000)
    payloads = block_payloads(blob)
    for b in (0, 5, 11):
        off, size = payloads[b]
        bad = bytearray(blob)
        if where == "stream word":
            bad[off + size // 2] ^= 0x5A
        elif where == "lane state":  # in range, but not the state the encoder left
            struct.pack_into("<Q", bad, off + 8 * 3, (1 << 40) + 12345)
        elif where == "lane length":  # lane 2's stream empty, so lane 3 starts too early
            struct.pack_into("<I", bad, off + 64 + 4 * 2, 0)
        else:
            bad[off + size - 1] ^= 0x01
        with pytest.raises(DecodeError):
            decompress(bytes(bad), n_threads=n_threads)
