"""Reference entropy coders in plain Python/NumPy: the definitions infokit.coding is checked
against on small inputs (optimal code lengths, canonical codes, and the exact bit streams of
the Huffman and rANS payloads, rANS computed with true divisions instead of reciprocals)."""
from __future__ import annotations

import heapq
import math

from typing import Any

import numpy as np


def huffman_lengths(counts: Any, max_length: Any = None) -> Any:
    """Optimal prefix-code lengths: Huffman with a heap, or, when its longest code exceeds
    max_length, package-merge over explicit multisets of leaves. One present symbol: length 1."""
    counts = [int(c) for c in counts]
    present = [s for s, c in enumerate(counts) if c > 0]
    lengths = [0] * len(counts)
    if len(present) == 1:
        lengths[present[0]] = 1
    if len(present) <= 1:
        return np.array(lengths, dtype=np.uint8)
    heap = [(counts[s], i, [s]) for i, s in enumerate(present)]
    heapq.heapify(heap)
    tick = len(heap)
    while len(heap) > 1:
        w1, _, a = heapq.heappop(heap)
        w2, _, b = heapq.heappop(heap)
        for s in a + b:
            lengths[s] += 1
        heapq.heappush(heap, (w1 + w2, tick, a + b))
        tick += 1
    if max_length is None or max(lengths) <= max_length:
        return np.array(lengths, dtype=np.uint8)
    return np.array(package_merge(counts, max_length), dtype=np.uint8)


def package_merge(counts: Any, max_length: Any) -> Any:
    """Larmore-Hirschberg package-merge: each item is (weight, leaves it contains)."""
    present = sorted((c, s) for s, c in enumerate(counts) if c > 0)
    if 2**max_length < len(present):
        raise ValueError("max_length too small")
    leaves: list[tuple[Any, tuple[int, ...]]] = [(c, (s,)) for c, s in present]
    items = list(leaves)
    for _ in range(max_length - 1):
        packages = [(items[i][0] + items[i + 1][0], items[i][1] + items[i + 1][1])
                    for i in range(0, len(items) - 1, 2)]
        items = sorted(leaves + packages, key=lambda t: t[0])
    lengths = [0] * len(counts)
    for _, syms in items[:2 * len(present) - 2]:
        for s in syms:
            lengths[s] += 1
    return lengths


def canonical_codes(lengths: Any) -> Any:
    """Canonical code words: by length, then symbol."""
    codes = [0] * len(lengths)
    code = 0
    prev = 0
    for length, s in sorted((int(l), s) for s, l in enumerate(lengths) if l > 0):
        code <<= length - prev
        codes[s] = code
        code += 1
        prev = length
    return codes


def kraft_sum(lengths: Any) -> Any:
    return sum(2.0 ** -int(l) for l in lengths if l > 0)


def _bits_to_bytes(bits: Any) -> Any:
    out = bytearray()
    for i in range(0, len(bits), 8):
        chunk = bits[i:i + 8]
        chunk += "0" * (8 - len(chunk))
        out.append(int(chunk, 2))
    return bytes(out)


def huffman_encode(lengths: Any, symbols: Any, streams: Any = 4) -> Any:
    """The payload HuffmanCode.encode writes: sizes of streams 0..2 (u32 LE), then the four
    MSB-first bit streams; stream k codes symbols [k q, (k + 1) q) with q = ceil(n / 4)."""
    codes = canonical_codes(lengths)
    symbols = [int(v) for v in symbols]
    q = -(-len(symbols) // streams)
    bits: list[list[str]] = [[] for _ in range(streams)]
    for i, s in enumerate(symbols):
        if lengths[s] == 0:
            raise ValueError("symbol without a code")
        bits[i // q].append(format(codes[s], f"0{int(lengths[s])}b"))
    data = [_bits_to_bytes("".join(b)) for b in bits]
    head = b"".join(len(d).to_bytes(4, "little") for d in data[:-1])
    return head + b"".join(data)


def rans_encode(freqs: Any, precision_bits: Any, symbols: Any, lanes: Any = 8) -> Any:
    """The payload RansCoder.encode writes, with exact integer division: states in
    [2^31, 2^63), 32-bit words, symbol i on lane i % 8, each lane renormalising into its own
    stream; the lanes' final states, then the word counts of all streams but the last, then
    the streams."""
    freqs = [int(f) for f in freqs]
    starts = np.concatenate([[0], np.cumsum(freqs)[:-1]]).astype(int).tolist()
    low = 1 << 31
    x = [low] * lanes
    streams: list[list[int]] = [[] for _ in range(lanes)]
    symbols = [int(s) for s in symbols]
    for i in range(len(symbols) - 1, -1, -1):
        s = symbols[i]
        f = freqs[s]
        st = x[i % lanes]
        x_max = ((low >> precision_bits) << 32) * f
        if st >= x_max:
            streams[i % lanes].append(st & 0xFFFFFFFF)
            st >>= 32
        x[i % lanes] = (st // f << precision_bits) + st % f + starts[s]
    words = []
    for lane in range(lanes):
        words += [x[lane] & 0xFFFFFFFF, x[lane] >> 32]
    words += [len(w) for w in streams[:-1]]
    for w in streams:
        words += w[::-1]  # emitted last, read first
    return b"".join(w.to_bytes(4, "little") for w in words)


def rans_decode(freqs: Any, precision_bits: Any, payload: Any, n: Any, lanes: Any = 8) -> Any:
    """Decodes a payload of rans_encode's layout into n symbols (int64), symbol i from lane
    i % 8: slot = x mod 2^k, the symbol whose range holds the slot, x = f (x >> k) + slot -
    start, then a word from the lane's own stream while x < 2^31. Raises ValueError unless
    every word is read and every lane ends in its initial state."""
    freqs = [int(f) for f in freqs]
    k = int(precision_bits)
    cum = np.concatenate([[0], np.cumsum(freqs)]).astype(np.int64)
    words = np.frombuffer(bytes(payload), dtype="<u4").astype(np.int64).tolist()
    low = 1 << 31
    x = [words[2 * j] | words[2 * j + 1] << 32 for j in range(lanes)]
    sizes = words[2 * lanes:3 * lanes - 1]
    begin = [3 * lanes - 1 + int(sum(sizes[:j])) for j in range(lanes)]
    end = [begin[j] + sizes[j] for j in range(lanes - 1)] + [len(words)]
    pos = list(begin)
    out = np.zeros(int(n), dtype=np.int64)
    for i in range(int(n)):
        j = i % lanes
        slot = x[j] & ((1 << k) - 1)
        s = int(np.searchsorted(cum, slot, side="right")) - 1
        out[i] = s
        x[j] = freqs[s] * (x[j] >> k) + slot - int(cum[s])
        if x[j] < low:
            if pos[j] >= end[j]:
                raise ValueError("rANS lane stream exhausted")
            x[j] = x[j] << 32 | words[pos[j]]
            pos[j] += 1
    if pos != end or any(v != low for v in x):
        raise ValueError("rANS payload does not end where its symbols do")
    return out


def arith_encode(symbols: Any, alphabet: Any, increment: Any, limit: Any) -> Any:
    """The payload AdaptiveArithmeticCoder.encode writes (docs/container.md): the adaptive
    model, rebuilt into a 2^K table at doubling intervals, and two LZMA-style range coders
    taking alternate symbols, carries resolved in the bytes already written."""
    a, inc = int(alphabet), int(increment)
    k = min(18, max(15, (a - 1).bit_length() + 5))
    counts = [1] * a
    total = a
    max_period = max(1024, 2 * a)
    state = {"period": 8, "since": 0}
    freq: list[int] = []
    start: list[int] = []

    def rebuild() -> None:
        state["since"] = 0
        state["period"] = min(2 * state["period"], max_period)
        m = (((1 << k) - a) << 32) // total
        freq[:] = [1 + ((c * m) >> 32) for c in counts]
        freq[counts.index(max(counts))] += (1 << k) - sum(freq)
        start[:] = [0] * a
        for s in range(1, a):
            start[s] = start[s - 1] + freq[s - 1]

    rebuild()
    lows, ranges = [0, 0], [0xFFFFFFFF, 0xFFFFFFFF]
    outs = [bytearray(b"\0"), bytearray(b"\0")]

    def carry(out: bytearray) -> None:
        j = len(out) - 1
        while out[j] == 0xFF:
            out[j] = 0
            j -= 1
        out[j] += 1

    for i, sym in enumerate(int(v) for v in symbols):
        c = i % 2
        r = ranges[c] >> k
        lows[c] += r * start[sym]
        ranges[c] = r * freq[sym]
        while ranges[c] < 1 << 24:
            if lows[c] >> 32:
                carry(outs[c])
                lows[c] &= 0xFFFFFFFF
            outs[c].append(lows[c] >> 24)
            lows[c] = (lows[c] & 0xFFFFFF) << 8
            ranges[c] <<= 8
        counts[sym] += inc
        total += inc
        if total > limit:
            counts = [(v + 1) >> 1 for v in counts]
            total = sum(counts)
        state["since"] += 1
        if state["since"] == state["period"]:
            rebuild()
    streams = []
    for c in range(2):
        if lows[c] >> 32:
            carry(outs[c])
        streams.append(bytes(outs[c]) + (lows[c] & 0xFFFFFFFF).to_bytes(4, "big"))
    return len(streams[0]).to_bytes(4, "little") + streams[0] + streams[1]


def quantization_cost(counts: Any, freqs: Any, precision_bits: Any) -> Any:
    """Bits that data with `counts` costs under frequencies `freqs` (inf if a present symbol
    has frequency 0)."""
    total = 0.0
    for c, f in zip(counts, freqs):
        if c:
            if not f:
                return math.inf
            total += int(c) * (precision_bits - math.log2(int(f)))
    return total


def entropy_bits(counts: Any) -> Any:
    c = np.asarray(counts, dtype=np.float64)
    n = c.sum()
    if n == 0:
        return 0.0
    p = c[c > 0] / n
    return float(-(p * np.log2(p)).sum())
