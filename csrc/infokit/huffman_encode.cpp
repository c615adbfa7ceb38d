// Huffman encoding: four MSB-first streams written side by side through 64-bit accumulators.
#include <memory>
#include <stdexcept>

#include "infokit/huffman.hpp"
#include "infokit/huffman_detail.hpp"

namespace infokit::coding {

using huffman_detail::quarter_begin;

namespace {

// MSB-first writer into a scratch region with at least 8 bytes of slack past the stream's
// end: every flush is a branch-free 8-byte store, so the hot loop has no branch on the bit
// count. acc keeps nbits (< 8 after a flush) pending bits in its low end.
struct FastBitWriter {
    std::uint8_t* out;
    std::uint64_t acc = 0;
    unsigned nbits = 0;
    IK_ALWAYS_INLINE void add(std::uint64_t e) {  // e = code | len << 32, len <= 32; needs nbits + len <= 64
        const unsigned len = static_cast<unsigned>(e >> 32);
        acc = (acc << len) | static_cast<std::uint32_t>(e);
        nbits += len;
    }
    IK_ALWAYS_INLINE void add_pair(std::uint32_t e) {  // a pair table entry: len | code << 6, len <= 26
        acc = (acc << (e & 63)) | (e >> 6);
        nbits += e & 63;
    }
    IK_ALWAYS_INLINE void flush() {
        // With nbits == 0 the bytes stored are stale but out does not move: they are rewritten.
        store_be64(out, acc << ((64 - nbits) & 63));
        out += nbits >> 3;
        nbits &= 7;
    }
    IK_ALWAYS_INLINE void put(std::uint64_t e) {
        add(e);
        flush();
    }
    void finish() {
        if (nbits) *out++ = static_cast<std::uint8_t>(acc << (8 - nbits));
    }
};

// Pairs of byte symbols take one lookup when both code words together fit 26 bits (so that
// two pairs and the 7 pending bits fit the accumulator): entry len | code << 6 with len in
// [2, 26]; 0 for a longer pair or a symbol with no code, which the encoder then codes one by
// one (and where it detects the missing code, off the common path).
constexpr unsigned kPairMaxLength = 26;
// Below this many symbols per stream, building the 64K-entry table costs more than it saves.
constexpr std::size_t kPairMinSymbols = std::size_t{1} << 14;

}  // namespace

const std::uint32_t* HuffmanCodec::pair_table() const {
    std::call_once(pairs_->once, [this] {
        std::vector<std::uint32_t> t(65536, 0);
        const std::size_t a = std::min<std::size_t>(lengths_.size(), 256);
        for (std::size_t s1 = 0; s1 < a; ++s1) {
            const unsigned l1 = lengths_[s1];
            if (!l1) continue;
            for (std::size_t s2 = 0; s2 < a; ++s2) {
                const unsigned l2 = lengths_[s2];
                if (!l2 || l1 + l2 > kPairMaxLength) continue;
                // Index: the two bytes as they sit in memory, read as one little-endian u16.
                t[s1 | s2 << 8] = (l1 + l2) | (codes_[s1] << l2 | codes_[s2]) << 6;
            }
        }
        pairs_->entries = std::move(t);
    });
    return pairs_->entries.data();
}

template <class Sym>
IK_ALWAYS_INLINE void HuffmanCodec::encode_impl(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const {
    const std::uint64_t* enc = enc_.data();
    std::size_t len[kHuffmanStreams];
    for (int k = 0; k < kHuffmanStreams; ++k) len[k] = quarter_begin(n, k + 1) - quarter_begin(n, k);
    // The four streams are written to scratch regions sized for their worst case (every symbol
    // at the longest code) plus slack, then copied behind the size table once the output exists:
    // one pass over the symbols and a copy of the payload.
    const std::size_t cap = (len[0] * static_cast<std::size_t>(std::max(max_len_, 1)) + 7) / 8 + 16;
    const std::unique_ptr<std::uint8_t[]> scratch_buf(new std::uint8_t[cap * kHuffmanStreams]);
    std::uint8_t* const scratch = scratch_buf.get();
    const Sym* s0 = symbols;
    const Sym* s1 = symbols + quarter_begin(n, 1);
    const Sym* s2 = symbols + quarter_begin(n, 2);
    const Sym* s3 = symbols + quarter_begin(n, 3);
    FastBitWriter w0{scratch}, w1{scratch + cap}, w2{scratch + 2 * cap}, w3{scratch + 3 * cap};
    std::uint64_t missing = 0;  // nonzero when some symbol had no code (len 0)
    const std::size_t common = len[3];  // the shortest stream: quarters shrink towards the end
    std::size_t i = 0;
    if constexpr (sizeof(Sym) == 1) {
        if (common >= kPairMinSymbols) {
            const std::uint32_t* pairs = pair_table();
            // A pair whose entry is 0 goes symbol by symbol, flushing around each code word so
            // that the accumulator never holds more than 7 + 32 bits there.
#define IK_PAIR(k, j)                                                                          \
    {                                                                                          \
        const std::uint32_t e = pairs[s##k[j] | s##k[j + 1] << 8];                             \
        if (__builtin_expect(e != 0, 1)) {                                                     \
            w##k.add_pair(e);                                                                  \
        } else {                                                                               \
            const std::uint64_t a = enc[s##k[j]], b = enc[s##k[j + 1]];                        \
            missing |= (a == 0) | (b == 0);                                                    \
            w##k.flush();                                                                      \
            w##k.put(a);                                                                       \
            w##k.put(b);                                                                       \
        }                                                                                      \
    }
            // Two pairs per stream between flushes: 7 + 2 x 26 bits fit the accumulator.
            for (; i + 4 <= common; i += 4) {
                IK_PAIR(0, i) IK_PAIR(1, i) IK_PAIR(2, i) IK_PAIR(3, i)
                IK_PAIR(0, i + 2) IK_PAIR(1, i + 2) IK_PAIR(2, i + 2) IK_PAIR(3, i + 2)
                w0.flush();
                w1.flush();
                w2.flush();
                w3.flush();
            }
#undef IK_PAIR
        }
    }
    if (max_len_ <= 28) {
        // Two codes per flush: 7 pending + 2 x 28 bits fit the 64-bit accumulator.
        for (; i + 2 <= common; i += 2) {
            const std::uint64_t e0 = enc[s0[i]], e1 = enc[s1[i]], e2 = enc[s2[i]], e3 = enc[s3[i]];
            const std::uint64_t e4 = enc[s0[i + 1]], e5 = enc[s1[i + 1]];
            const std::uint64_t e6 = enc[s2[i + 1]], e7 = enc[s3[i + 1]];
            missing |= (e0 == 0) | (e1 == 0) | (e2 == 0) | (e3 == 0) | (e4 == 0) | (e5 == 0) | (e6 == 0) | (e7 == 0);
            w0.add(e0);
            w1.add(e1);
            w2.add(e2);
            w3.add(e3);
            w0.add(e4);
            w1.add(e5);
            w2.add(e6);
            w3.add(e7);
            w0.flush();
            w1.flush();
            w2.flush();
            w3.flush();
        }
    }
    for (; i < common; ++i) {
        const std::uint64_t e0 = enc[s0[i]], e1 = enc[s1[i]], e2 = enc[s2[i]], e3 = enc[s3[i]];
        missing |= (e0 == 0) | (e1 == 0) | (e2 == 0) | (e3 == 0);
        w0.put(e0);
        w1.put(e1);
        w2.put(e2);
        w3.put(e3);
    }
    // The last few symbols of the longer streams by name, not through an array of pointers:
    // taking the writers' addresses would let the byte stores alias them and push their state
    // out of registers in the loops above.
    for (std::size_t j = common; j < len[0]; ++j) w0.put(enc[s0[j]]), missing |= enc[s0[j]] == 0;
    for (std::size_t j = common; j < len[1]; ++j) w1.put(enc[s1[j]]), missing |= enc[s1[j]] == 0;
    for (std::size_t j = common; j < len[2]; ++j) w2.put(enc[s2[j]]), missing |= enc[s2[j]] == 0;
    if (missing) throw std::invalid_argument("symbols contain a value with no code (count 0 or outside the alphabet)");
    w0.finish();
    w1.finish();
    w2.finish();
    w3.finish();
    const std::uint8_t* ends[kHuffmanStreams] = {w0.out, w1.out, w2.out, w3.out};
    std::size_t bytes[kHuffmanStreams], total = 4 * (kHuffmanStreams - 1);
    for (int k = 0; k < kHuffmanStreams; ++k) {
        bytes[k] = static_cast<std::size_t>(ends[k] - (scratch + cap * static_cast<std::size_t>(k)));
        total += bytes[k];
    }
    for (int k = 0; k < kHuffmanStreams - 1; ++k)
        if (bytes[k] > 0xffffffffu) throw std::invalid_argument("input too large for one Huffman payload");
    std::uint8_t* p = alloc(total);
    for (int k = 0; k < kHuffmanStreams - 1; ++k) store_le32(p + 4 * k, static_cast<std::uint32_t>(bytes[k]));
    p += 4 * (kHuffmanStreams - 1);
    for (int k = 0; k < kHuffmanStreams; ++k) {
        if (bytes[k]) std::memcpy(p, scratch + cap * static_cast<std::size_t>(k), bytes[k]);
        p += bytes[k];
    }
}

#if IK_HUFFMAN_BMI2
template <class Sym>
__attribute__((target("bmi2"))) void HuffmanCodec::encode_bmi2(const Sym* symbols, std::size_t n,
                                                                const ByteAlloc& alloc) const {
    encode_impl(symbols, n, alloc);
}
#endif

template <class Sym>
void HuffmanCodec::encode_to(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const {
#if IK_HUFFMAN_BMI2
    if (huffman_detail::cpu_has_bmi2()) return encode_bmi2(symbols, n, alloc);
#endif
    encode_impl(symbols, n, alloc);
}

template <class Sym>
std::vector<std::uint8_t> HuffmanCodec::encode(const Sym* symbols, std::size_t n) const {
    return encode_to_vector([&](const ByteAlloc& alloc) { encode_to(symbols, n, alloc); });
}

template std::vector<std::uint8_t> HuffmanCodec::encode<std::uint8_t>(const std::uint8_t*, std::size_t) const;
template std::vector<std::uint8_t> HuffmanCodec::encode<std::uint16_t>(const std::uint16_t*, std::size_t) const;
template void HuffmanCodec::encode_to<std::uint8_t>(const std::uint8_t*, std::size_t, const ByteAlloc&) const;
template void HuffmanCodec::encode_to<std::uint16_t>(const std::uint16_t*, std::size_t, const ByteAlloc&) const;

}  // namespace infokit::coding
