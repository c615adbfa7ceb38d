// Huffman decoding: four streams read side by side, one table lookup per one or more symbols.
#include <algorithm>
#include <stdexcept>

#include "infokit/huffman.hpp"
#include "infokit/huffman_detail.hpp"

namespace infokit::coding {

using huffman_detail::quarter_begin;

// A code word longer than the table: canonical search over the lengths above it. Returns
// len | sym << 6 | 1 << 30 (a table entry of one symbol); throws for a bit pattern that is no
// code word (incomplete codes).
std::uint32_t HuffmanCodec::decode_long(std::uint64_t top32) const {
    for (int l = kTableBits + 1; l <= max_len_; ++l) {
        if (top32 < limit_[l]) {
            const std::uint64_t c = top32 >> (kHuffmanMaxLength - l);
            const std::uint64_t idx = offset_[l] + (c - first_[l]);
            if (c < first_[l] || idx >= sorted_.size()) break;
            return static_cast<std::uint32_t>(l) | static_cast<std::uint32_t>(sorted_[idx]) << 6 | 1u << 30;
        }
    }
    throw DecodeError("invalid Huffman code word");
}

namespace {

// Writes a table entry's symbols (bits 6-29: one symbol, or up to three bytes for byte
// alphabets) at out. For a byte output one 32-bit store writes them all; the bytes past the
// entry's count are rewritten by the next entries, which is why the fast loop keeps a margin
// before each stream's end.
template <class Sym, bool kPairs>
IK_ALWAYS_INLINE void put_entry(Sym* out, std::uint32_t e) {
    if constexpr (!kPairs) {
        out[0] = static_cast<Sym>((e >> 6) & 0xffff);
    } else if constexpr (sizeof(Sym) == 1) {
        const std::uint32_t v = e >> 6;
        std::memcpy(out, &v, 4);
    } else {
        out[0] = static_cast<Sym>((e >> 6) & 0xff);
        out[1] = static_cast<Sym>((e >> 14) & 0xff);
        out[2] = static_cast<Sym>((e >> 22) & 0xff);
    }
}

#if defined(__GNUC__)
inline unsigned trailing_zeros(std::uint64_t v) { return static_cast<unsigned>(__builtin_ctzll(v)); }
#else
inline unsigned trailing_zeros(std::uint64_t v) {
    unsigned n = 0;
    while (!(v & 1)) v >>= 1, ++n;
    return n;
}
#endif

// A stream's decoding window: 64 bits loaded at byte p, shifted left past the `nb` bits of that
// byte already consumed, with its lowest loaded bit replaced by a 1 (the sentinel). Each code
// word shifts the window left, so the sentinel's position is the number of bits consumed since
// p: a refill needs no separate bit counter (one register less per stream, one add less per
// lookup). The 63 - nb >= 56 bits above the sentinel are data.
struct Window {
    static IK_ALWAYS_INLINE std::uint64_t load(const std::uint8_t* p, unsigned nb) { return (load_be64(p) | 1) << nb; }
    static IK_ALWAYS_INLINE void refill(const std::uint8_t*& p, std::uint64_t& w) {
        const unsigned used = trailing_zeros(w);
        p += used >> 3;
        w = load(p, used & 7);
    }
};

}  // namespace

template <class Sym, bool kPairs>
IK_ALWAYS_INLINE void HuffmanCodec::decode_impl(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    ByteReader r(data, size);
    std::size_t sizes[kHuffmanStreams];
    std::size_t used = 0;
    for (int k = 0; k < kHuffmanStreams - 1; ++k) {
        sizes[k] = r.u32("Huffman stream size");
        used += sizes[k];
    }
    if (used > r.remaining()) throw DecodeError("Huffman stream sizes exceed the payload");
    sizes[kHuffmanStreams - 1] = r.remaining() - used;
    if (n == 0) {
        if (r.remaining() != 0) throw DecodeError("Huffman stream has trailing bytes");
        return;
    }
    if (max_len_ == 0) throw DecodeError("Huffman code has no symbols");
    const std::uint8_t* base[kHuffmanStreams];
    Sym* dst[kHuffmanStreams];
    Sym* dst_end[kHuffmanStreams];
    const std::uint8_t* p = r.position();
    for (int k = 0; k < kHuffmanStreams; ++k) {
        base[k] = p;
        p += sizes[k];
        dst[k] = out + quarter_begin(n, k);
        dst_end[k] = out + quarter_begin(n, k + 1);
        // Every symbol costs at least one bit, so a stream shorter than its symbol count is
        // corrupt (and this bounds the loops by the data actually present).
        if (static_cast<std::uint64_t>(dst_end[k] - dst[k]) > 8 * static_cast<std::uint64_t>(sizes[k]))
            throw DecodeError("Huffman stream too short for its symbols");
    }
    constexpr unsigned shift = 64u - kTableBits;
    const std::uint32_t* table = table_.data();
    // Bit position reached in each stream, in bits from its start.
    std::uint64_t bitpos[kHuffmanStreams] = {0, 0, 0, 0};
    Sym* at[kHuffmanStreams] = {dst[0], dst[1], dst[2], dst[3]};

    // Fast loop: four independent streams per iteration so that the CPU overlaps their lookup
    // chains (window -> table load -> shift of the window). A group takes three table entries
    // of <= 13 bits from each window, and the third also loads the next window (IK_SYM_LAST);
    // a longer code is decoded on a slow path at the start of the next group (IK_SYM_FIRST),
    // so a group carries one test per stream. Each entry's length sits in its low byte, where
    // the window shift takes its count directly. Locals (not arrays) keep the state in
    // registers despite the stores to the output.
    // Input: a group consumes at most 7 + 32 + 3 x 13 bits (a carried part of a byte, one long
    // code, three entries), so its loads stay within 10 + 8 bytes past the window's byte at
    // the group's start: 24 bytes of margin keep every load inside the stream. Output: a group
    // writes at most 10 symbols and the 4-byte store of its last entry reaches three further,
    // so 16 symbols of margin keep every store inside the stream's own quarter.
    constexpr std::size_t kMargin = 24;
    constexpr std::ptrdiff_t kOutMargin = 16;
    const bool fast_ok = sizes[0] >= kMargin && sizes[1] >= kMargin && sizes[2] >= kMargin && sizes[3] >= kMargin;
    if (fast_ok) {
        const std::uint8_t *p0 = base[0], *p1 = base[1], *p2 = base[2], *p3 = base[3];
        const std::uint8_t *l0 = base[0] + (sizes[0] - kMargin), *l1 = base[1] + (sizes[1] - kMargin);
        const std::uint8_t *l2 = base[2] + (sizes[2] - kMargin), *l3 = base[3] + (sizes[3] - kMargin);
        Sym *o0 = dst[0], *o1 = dst[1], *o2 = dst[2], *o3 = dst[3];
        Sym *e0 = dst_end[0] - kOutMargin, *e1 = dst_end[1] - kOutMargin;
        Sym *e2 = dst_end[2] - kOutMargin, *e3 = dst_end[3] - kOutMargin;
        std::uint64_t w0 = Window::load(p0, 0), w1 = Window::load(p1, 0);
        std::uint64_t w2 = Window::load(p2, 0), w3 = Window::load(p3, 0);
// A group's first entry: a zero table entry (a code longer than the table, or none) is
// decoded alone on the slow path, which refills before and after it. The group's other
// entries need no test: a zero entry has no length and no symbols, so it leaves the window
// and the output as they are and the next group's first entry decodes it.
#define IK_SYM_FIRST(k)                                            \
    {                                                              \
        std::uint32_t e = table[w##k >> shift];                    \
        if (__builtin_expect(e == 0, 0)) {                         \
            Window::refill(p##k, w##k);                            \
            const std::uint32_t el = decode_long(w##k >> 32);      \
            w##k <<= el & 63;                                      \
            put_entry<Sym, kPairs>(o##k, el);                      \
            ++o##k;                                                \
            Window::refill(p##k, w##k);                            \
            e = table[w##k >> shift];                              \
        }                                                          \
        w##k <<= e & 63;                                           \
        put_entry<Sym, kPairs>(o##k, e);                           \
        o##k += e >> 30;                                           \
    }
#define IK_SYM(k)                                                  \
    {                                                              \
        const std::uint32_t e = table[w##k >> shift];              \
        w##k <<= e & 63;                                           \
        put_entry<Sym, kPairs>(o##k, e);                           \
        o##k += e >> 30;                                           \
    }
        // A group's last entry also loads the next window, from the byte of the bits consumed
        // before that entry (the sentinel's position, counted while the entry's table load is
        // in flight), shifted past the rest of those bits and the entry's length: the load
        // then waits on neither the entry nor the shift. The shift is at most 7 + 13 bits, so
        // the new window holds at least 43 data bits: enough for the next group's three
        // entries of <= 13 bits.
#define IK_SYM_LAST(k)                                             \
    {                                                              \
        const unsigned before = trailing_zeros(w##k);              \
        const std::uint32_t e = table[w##k >> shift];              \
        put_entry<Sym, kPairs>(o##k, e);                           \
        o##k += e >> 30;                                           \
        p##k += before >> 3;                                       \
        w##k = (load_be64(p##k) | 1) << ((before & 7) + (e & 63)); \
    }
        // Groups that are safe for every stream, counted in batches: a group moves each window
        // by at most 12 bytes and writes at most 10 symbols of each stream (one long code and
        // three entries), so the per-group test is one counter instead of eight comparisons.
        for (;;) {
            // Where the next refill will load from: the window's byte plus its consumed bytes.
            const std::uint8_t* q0 = p0 + (trailing_zeros(w0) >> 3);
            const std::uint8_t* q1 = p1 + (trailing_zeros(w1) >> 3);
            const std::uint8_t* q2 = p2 + (trailing_zeros(w2) >> 3);
            const std::uint8_t* q3 = p3 + (trailing_zeros(w3) >> 3);
            if (!(q0 <= l0 && q1 <= l1 && q2 <= l2 && q3 <= l3 && o0 <= e0 && o1 <= e1 && o2 <= e2 && o3 <= e3)) break;
            std::ptrdiff_t safe = std::min(std::min(l0 - q0, l1 - q1), std::min(l2 - q2, l3 - q3)) / 12;
            safe = std::min(safe, std::min(std::min(e0 - o0, e1 - o1), std::min(e2 - o2, e3 - o3)) / 10);
            for (++safe; safe > 0; --safe) {  // the tests above admit one more group
                IK_SYM_FIRST(0) IK_SYM_FIRST(1) IK_SYM_FIRST(2) IK_SYM_FIRST(3)
                IK_SYM(0) IK_SYM(1) IK_SYM(2) IK_SYM(3)
                IK_SYM_LAST(0) IK_SYM_LAST(1) IK_SYM_LAST(2) IK_SYM_LAST(3)
            }
        }
#undef IK_SYM_LAST
#undef IK_SYM
#undef IK_SYM_FIRST
        bitpos[0] = 8 * static_cast<std::uint64_t>(p0 - base[0]) + trailing_zeros(w0);
        bitpos[1] = 8 * static_cast<std::uint64_t>(p1 - base[1]) + trailing_zeros(w1);
        bitpos[2] = 8 * static_cast<std::uint64_t>(p2 - base[2]) + trailing_zeros(w2);
        bitpos[3] = 8 * static_cast<std::uint64_t>(p3 - base[3]) + trailing_zeros(w3);
        at[0] = o0, at[1] = o1, at[2] = o2, at[3] = o3;
    }
    // Tails (and small or short-stream payloads): one entry per bounded load, exact output.
    for (int k = 0; k < kHuffmanStreams; ++k) {
        std::uint64_t bp = bitpos[k];
        for (Sym* o = at[k]; o < dst_end[k];) {
            const std::uint64_t v = load_be64_bounded(base[k], sizes[k], static_cast<std::size_t>(bp >> 3)) << (bp & 7);
            std::uint32_t e = table[v >> shift];
            if (e < (1u << 30)) e = decode_long(v >> 32);
            const unsigned count = e >> 30;
            if constexpr (kPairs) {
                if (count <= static_cast<std::size_t>(dst_end[k] - o)) {
                    for (unsigned j = 0; j < count; ++j) o[j] = static_cast<Sym>((e >> (6 + 8 * j)) & 0xff);
                    o += count;
                    bp += e & 63;
                } else {  // fewer symbols left than the entry holds: the first, at its own length
                    const std::uint32_t sym = (e >> 6) & 0xff;
                    *o++ = static_cast<Sym>(sym);
                    bp += lengths_[sym];
                }
            } else {
                *o++ = static_cast<Sym>((e >> 6) & 0xffff);
                bp += e & 63;
            }
        }
        if (bp > 8 * static_cast<std::uint64_t>(sizes[k])) throw DecodeError("Huffman stream truncated");
        if ((bp + 7) / 8 != sizes[k]) throw DecodeError("Huffman stream has trailing bytes");
    }
}

template <class Sym>
IK_ALWAYS_INLINE void HuffmanCodec::decode_dispatch(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    if (lengths_.size() <= 256) decode_impl<Sym, true>(data, size, out, n);
    else decode_impl<Sym, false>(data, size, out, n);
}

#if IK_HUFFMAN_BMI2
template <class Sym>
__attribute__((target("bmi2"))) void HuffmanCodec::decode_bmi2(const std::uint8_t* data, std::size_t size, Sym* out,
                                                                std::size_t n) const {
    decode_dispatch(data, size, out, n);
}
#endif

template <class Sym>
void HuffmanCodec::decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    if (sizeof(Sym) == 1 && lengths_.size() > 256) throw std::invalid_argument("alphabet too large for uint8 output");
#if IK_HUFFMAN_BMI2
    if (huffman_detail::cpu_has_bmi2()) return decode_bmi2(data, size, out, n);
#endif
    decode_dispatch(data, size, out, n);
}

template void HuffmanCodec::decode<std::uint8_t>(const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t) const;
template void HuffmanCodec::decode<std::uint16_t>(const std::uint8_t*, std::size_t, std::uint16_t*, std::size_t) const;

}  // namespace infokit::coding
