#include "infokit/huffman.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <cstring>
#include <memory>
#include <string>

namespace infokit::coding {
namespace {

// Two-queue Huffman over leaves sorted by (weight, symbol): internal nodes are created in
// non-decreasing weight order, so a second FIFO replaces the heap. Ties prefer the leaf.
std::vector<int> huffman_depths(const std::vector<std::uint64_t>& w) {
    const std::size_t m = w.size();
    std::vector<std::uint64_t> node_w(m - 1);
    std::vector<std::size_t> parent(2 * m - 1);  // leaves 0..m-1, internal m..2m-2
    std::size_t leaf = 0, inner = 0;
    for (std::size_t k = 0; k < m - 1; ++k) {
        std::size_t pick[2];
        for (auto& p : pick) {
            if (leaf < m && (inner >= k || w[leaf] <= node_w[inner])) {
                p = leaf++;
            } else {
                p = m + inner++;
            }
        }
        node_w[k] = (pick[0] < m ? w[pick[0]] : node_w[pick[0] - m]) + (pick[1] < m ? w[pick[1]] : node_w[pick[1] - m]);
        parent[pick[0]] = m + k;
        parent[pick[1]] = m + k;
    }
    std::vector<int> depth(2 * m - 1, 0);
    for (std::size_t k = 2 * m - 2; k-- > m;) depth[k] = depth[parent[k]] + 1;  // parents come later
    std::vector<int> out(m);
    for (std::size_t i = 0; i < m; ++i) out[i] = depth[parent[i]] + 1;
    return out;
}

// Package-merge (Larmore-Hirschberg): the optimal lengths under a limit. Each level's list is
// the leaves merged with packages of adjacent pairs of the deeper level; the first 2m-2 items
// of the top list are selected, and the selection of every deeper level is a prefix, so only
// the leaf/package flags per level are kept.
std::vector<int> package_merge(const std::vector<std::uint64_t>& w, int limit) {
    const std::size_t m = w.size();
    std::vector<std::vector<std::uint8_t>> is_leaf(static_cast<std::size_t>(limit));
    std::vector<std::uint64_t> prev(w), cur;
    is_leaf[0].assign(m, 1);
    for (int level = 1; level < limit; ++level) {
        const std::size_t packages = prev.size() / 2;
        cur.clear();
        auto& flags = is_leaf[static_cast<std::size_t>(level)];
        flags.clear();
        std::size_t i = 0, j = 0;
        while (i < m || j < packages) {
            const bool take_leaf = j >= packages || (i < m && w[i] <= prev[2 * j] + prev[2 * j + 1]);
            if (take_leaf) {
                cur.push_back(w[i++]);
                flags.push_back(1);
            } else {
                cur.push_back(prev[2 * j] + prev[2 * j + 1]);
                ++j;
                flags.push_back(0);
            }
        }
        prev.swap(cur);
    }
    std::vector<int> len(m, 0);
    std::size_t take = 2 * m - 2;
    for (int level = limit - 1; level >= 0; --level) {
        const auto& flags = is_leaf[static_cast<std::size_t>(level)];
        std::size_t leaves = 0;
        for (std::size_t k = 0; k < take; ++k) leaves += flags[k];
        for (std::size_t k = 0; k < leaves; ++k) ++len[k];
        take = 2 * (take - leaves);
    }
    return len;
}

}  // namespace

std::vector<std::uint8_t> huffman_lengths(const std::uint64_t* counts, std::size_t n, int max_length) {
    if (max_length < 1 || max_length > kHuffmanMaxLength)
        throw std::invalid_argument("max_length must be in [1, " + std::to_string(kHuffmanMaxLength) + "]");
    std::vector<std::uint32_t> present;
    std::uint64_t total = 0;
    for (std::size_t s = 0; s < n; ++s) {
        if (!counts[s]) continue;
        if (counts[s] > (std::uint64_t{1} << 62) - total) throw std::invalid_argument("counts must sum to less than 2**62");
        total += counts[s];
        present.push_back(static_cast<std::uint32_t>(s));
    }
    std::vector<std::uint8_t> lengths(n, 0);
    const std::size_t m = present.size();
    if (m == 0) return lengths;
    if (m == 1) {
        lengths[present[0]] = 1;
        return lengths;
    }
    if (max_length < 63 && (std::uint64_t{1} << max_length) < m)
        throw std::invalid_argument("max_length too small: 2**max_length < number of present symbols");
    std::stable_sort(present.begin(), present.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return counts[a] < counts[b]; });
    std::vector<std::uint64_t> w(m);
    for (std::size_t i = 0; i < m; ++i) w[i] = counts[present[i]];
    std::vector<int> len = huffman_depths(w);
    if (*std::max_element(len.begin(), len.end()) > max_length) len = package_merge(w, max_length);
    for (std::size_t i = 0; i < m; ++i) lengths[present[i]] = static_cast<std::uint8_t>(len[i]);
    return lengths;
}

HuffmanCodec::HuffmanCodec(std::vector<std::uint8_t> lengths) : lengths_(std::move(lengths)) {
    if (lengths_.size() > 65536) throw DecodeError("Huffman alphabet larger than 65536");
    std::uint32_t count[kHuffmanMaxLength + 2] = {};
    for (auto l : lengths_) {
        if (l > kHuffmanMaxLength) throw DecodeError("Huffman code length above 32");
        ++count[l];
        max_len_ = std::max(max_len_, static_cast<int>(l));
    }
    // Kraft sum <= 1, in units of 2^-32 (exact in 64 bits).
    std::uint64_t kraft = 0;
    for (int l = 1; l <= kHuffmanMaxLength; ++l) kraft += static_cast<std::uint64_t>(count[l]) << (kHuffmanMaxLength - l);
    if (kraft > (std::uint64_t{1} << kHuffmanMaxLength)) throw DecodeError("Huffman code lengths violate Kraft's inequality");

    count[0] = 0;
    // 64-bit: a complete code's end at length 32 is 2^32.
    std::uint64_t code = 0;
    std::uint32_t off = 0;
    for (int l = 1; l <= kHuffmanMaxLength; ++l) {
        code = (code + count[l - 1]) << 1;
        first_[l] = static_cast<std::uint32_t>(code);
        offset_[l] = off;
        off += count[l];
        limit_[l] = (code + count[l]) << (kHuffmanMaxLength - l);
    }
    sorted_.resize(off);
    codes_.assign(lengths_.size(), 0);
    std::uint32_t next[kHuffmanMaxLength + 2];
    std::copy(std::begin(first_), std::end(first_), next);
    std::uint32_t fill[kHuffmanMaxLength + 2];
    std::copy(std::begin(offset_), std::end(offset_), fill);
    for (std::size_t s = 0; s < lengths_.size(); ++s) {
        const int l = lengths_[s];
        if (!l) continue;
        codes_[s] = next[l]++;
        sorted_[fill[l]++] = static_cast<std::uint16_t>(s);
    }
    // code | len << 32 for every 16-bit value; 0 marks "no code", caught in encode's size pass.
    enc_.assign(65536, 0);
    for (std::size_t s = 0; s < lengths_.size(); ++s)
        if (lengths_[s]) enc_[s] = codes_[s] | static_cast<std::uint64_t>(lengths_[s]) << 32;
    // The one-code table first: for every kTableBits-bit window, the code word it starts with.
    std::vector<std::uint32_t> one(std::size_t{1} << kTableBits, 0);
    for (std::size_t s = 0; s < lengths_.size(); ++s) {
        const int l = lengths_[s];
        if (!l || l > kTableBits) continue;
        const std::size_t lo = static_cast<std::size_t>(codes_[s]) << (kTableBits - l);
        const std::size_t hi = static_cast<std::size_t>(codes_[s] + 1) << (kTableBits - l);
        for (std::size_t k = lo; k < hi; ++k) one[k] = static_cast<std::uint32_t>(s) | static_cast<std::uint32_t>(l) << 16 | 1u << 24;
    }
    // Byte alphabets: a window often holds two whole code words (two 5-6 bit codes in 12 bits),
    // so each entry also carries the second one when it fits: one lookup yields 1.5-2 symbols.
    table_ = one;
    if (lengths_.size() <= 256) {
        for (std::size_t v = 0; v < one.size(); ++v) {
            const std::uint32_t e = one[v];
            const unsigned l1 = (e >> 16) & 0xff;
            if (!l1) continue;
            const std::uint32_t e2 = one[(v << l1) & (one.size() - 1)];
            const unsigned l2 = (e2 >> 16) & 0xff;
            if (l2 && l1 + l2 <= static_cast<unsigned>(kTableBits))
                table_[v] = (e & 0xff) | (e2 & 0xff) << 8 | (l1 + l2) << 16 | 2u << 24;
        }
    }
}

namespace {

inline void store_be64(std::uint8_t* p, std::uint64_t v) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
    std::memcpy(p, &v, 8);
#else
    for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<std::uint8_t>(v);
#endif
}

// MSB-first writer into a scratch region with at least 8 bytes of slack past the stream's
// end: every put is followed by a branch-free 8-byte store, so the hot loop has no branch on
// the bit count. acc keeps nbits (< 8 after a flush) pending bits in its low end.
struct FastBitWriter {
    std::uint8_t* out;
    std::uint64_t acc = 0;
    unsigned nbits = 0;
    void add(std::uint64_t e) {  // e = code | len << 32, len <= 32; needs nbits + len <= 64
        const unsigned len = static_cast<unsigned>(e >> 32);
        acc = (acc << len) | static_cast<std::uint32_t>(e);
        nbits += len;
    }
    void flush() {
        // With nbits == 0 the bytes stored are stale but out does not move: they are rewritten.
        store_be64(out, acc << ((64 - nbits) & 63));
        out += nbits >> 3;
        nbits &= 7;
    }
    void put(std::uint64_t e) {
        add(e);
        flush();
    }
    void finish() {
        if (nbits) *out++ = static_cast<std::uint8_t>(acc << (8 - nbits));
    }
};

}  // namespace

namespace {

// Symbols [quarter_begin(n, k), quarter_begin(n, k + 1)) go to stream k: contiguous quarters
// (not symbol i to stream i % 4), so each stream's decoder writes its own run of the output and
// a table entry holding two symbols stores them side by side.
inline std::size_t quarter_begin(std::size_t n, int k) {
    const std::size_t q = (n + kHuffmanStreams - 1) / kHuffmanStreams;
    return std::min(n, q * static_cast<std::size_t>(k));
}

}  // namespace

template <class Sym>
IK_ALWAYS_INLINE void HuffmanCodec::encode_impl(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const {
    const std::uint64_t* enc = enc_.data();
    std::size_t len[kHuffmanStreams];
    for (int k = 0; k < kHuffmanStreams; ++k) len[k] = quarter_begin(n, k + 1) - quarter_begin(n, k);
    // Streams 1-3 are written to scratch regions sized for their worst case (every symbol at the
    // longest code) plus slack, then copied behind stream 0, which is written in place once the
    // output exists: one pass over the symbols and a copy of three quarters of the payload.
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

// A code word longer than the table: canonical search over the lengths above it. Returns
// sym | len << 16 | 1 << 24 (a table entry of one symbol); throws for a bit pattern that is no
// code word (incomplete codes).
std::uint32_t HuffmanCodec::decode_long(std::uint64_t top32) const {
    for (int l = kTableBits + 1; l <= max_len_; ++l) {
        if (top32 < limit_[l]) {
            const std::uint64_t c = top32 >> (kHuffmanMaxLength - l);
            const std::uint64_t idx = offset_[l] + (c - first_[l]);
            if (c < first_[l] || idx >= sorted_.size()) break;
            return static_cast<std::uint32_t>(sorted_[idx]) | static_cast<std::uint32_t>(l) << 16 | 1u << 24;
        }
    }
    throw DecodeError("invalid Huffman code word");
}

namespace {

// Writes a table entry's symbols (one, or two for byte alphabets) at out. Two-symbol entries
// only exist for alphabets <= 256, whose symbols sit in bits 0-7 and 8-15; for a byte output
// one 16-bit store writes both (the second byte is rewritten by the next entry when the
// entry held one symbol, which is why the fast loop keeps a margin before each stream's end).
template <class Sym, bool kPairs>
IK_ALWAYS_INLINE void put_entry(Sym* out, std::uint32_t e) {
    if constexpr (!kPairs) {
        out[0] = static_cast<Sym>(e & 0xffff);
    } else if constexpr (sizeof(Sym) == 1) {
        const auto v = static_cast<std::uint16_t>(e);
        std::memcpy(out, &v, 2);
    } else {
        out[0] = static_cast<Sym>(e & 0xff);
        out[1] = static_cast<Sym>((e >> 8) & 0xff);
    }
}

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

    // Fast loop: each stream keeps a 64-bit window loaded at byte `pos` of which `nb` bits are
    // consumed. A refill (branch-free: advance by whole bytes, one unaligned load) leaves >= 57
    // valid bits, enough for four table entries (<= 12 bits each); a longer code refills
    // before and after itself. Four independent streams per iteration let the CPU overlap the
    // lookup chains. Locals (not arrays) keep the state in registers despite the stores to
    // the output.
    std::size_t pos0 = 0, pos1 = 0, pos2 = 0, pos3 = 0;
    unsigned nb0 = 0, nb1 = 0, nb2 = 0, nb3 = 0;
    const std::uint8_t *b0 = base[0], *b1 = base[1], *b2 = base[2], *b3 = base[3];
    Sym *o0 = dst[0], *o1 = dst[1], *o2 = dst[2], *o3 = dst[3];
    // Input: at the check nb <= 55 (the group-start refill moves <= 6 bytes), and a group's
    // refills sit at most 16 bytes further, so 32 bytes of margin keep every 8-byte load inside
    // the stream. Output: four entries write at most 8 symbols, so 8 symbols of margin keep
    // every store inside the stream's own quarter.
    constexpr std::size_t kMargin = 32;
    constexpr std::ptrdiff_t kOutMargin = 8;
    const bool fast_ok = sizes[0] >= kMargin && sizes[1] >= kMargin && sizes[2] >= kMargin && sizes[3] >= kMargin;
    if (fast_ok) {
        const std::size_t lim0 = sizes[0] - kMargin, lim1 = sizes[1] - kMargin;
        const std::size_t lim2 = sizes[2] - kMargin, lim3 = sizes[3] - kMargin;
        Sym *e0 = dst_end[0] - kOutMargin, *e1 = dst_end[1] - kOutMargin;
        Sym *e2 = dst_end[2] - kOutMargin, *e3 = dst_end[3] - kOutMargin;
        std::uint64_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;
#define IK_REFILL(k)              \
    pos##k += nb##k >> 3;         \
    nb##k &= 7;                   \
    w##k = load_be64(b##k + pos##k) << nb##k;
        // A code longer than the table refills before and after itself, inside the rare branch,
        // so the common path carries one test per entry.
#define IK_SYM(k)                                                  \
    {                                                              \
        const std::uint32_t e = table[w##k >> shift];              \
        if (__builtin_expect(e < (1u << 24), 0)) {                 \
            IK_REFILL(k)                                           \
            const std::uint32_t el = decode_long(w##k >> 32);      \
            const unsigned len = (el >> 16) & 0xff;                \
            w##k <<= len;                                          \
            nb##k += len;                                          \
            put_entry<Sym, kPairs>(o##k, el);                      \
            ++o##k;                                                \
            IK_REFILL(k)                                           \
        } else {                                                   \
            const unsigned len = (e >> 16) & 0xff;                 \
            w##k <<= len;                                          \
            nb##k += len;                                          \
            put_entry<Sym, kPairs>(o##k, e);                       \
            o##k += e >> 24;                                       \
        }                                                          \
    }
        // Iterations that are safe for every stream, computed in batches: a group reads at most
        // 16 more bytes of each stream and writes at most 8 symbols of each, so the per-group
        // test is one counter instead of eight comparisons.
        for (;;) {
            std::size_t safe = std::min(std::min((lim0 - std::min(lim0, pos0)) / 16, (lim1 - std::min(lim1, pos1)) / 16),
                                        std::min((lim2 - std::min(lim2, pos2)) / 16, (lim3 - std::min(lim3, pos3)) / 16));
            safe = std::min(safe, static_cast<std::size_t>(std::min(std::min(e0 - o0, e1 - o1), std::min(e2 - o2, e3 - o3)) / 8));
            if (!(pos0 <= lim0 && pos1 <= lim1 && pos2 <= lim2 && pos3 <= lim3 && o0 <= e0 && o1 <= e1 && o2 <= e2 && o3 <= e3))
                break;
            if (safe == 0) safe = 1;  // the tests above admit one more group
            for (; safe > 0; --safe) {
                IK_REFILL(0) IK_REFILL(1) IK_REFILL(2) IK_REFILL(3)
                IK_SYM(0) IK_SYM(1) IK_SYM(2) IK_SYM(3)
                IK_SYM(0) IK_SYM(1) IK_SYM(2) IK_SYM(3)
                IK_SYM(0) IK_SYM(1) IK_SYM(2) IK_SYM(3)
                IK_SYM(0) IK_SYM(1) IK_SYM(2) IK_SYM(3)
            }
        }
#undef IK_SYM
#undef IK_REFILL
    }
    // Tails (and small or short-stream payloads): one code per bounded load, exact output.
    const std::size_t pos[kHuffmanStreams] = {pos0, pos1, pos2, pos3};
    const unsigned nb[kHuffmanStreams] = {nb0, nb1, nb2, nb3};
    Sym* const at[kHuffmanStreams] = {o0, o1, o2, o3};
    for (int k = 0; k < kHuffmanStreams; ++k) {
        std::uint64_t bp = 8 * static_cast<std::uint64_t>(pos[k]) + nb[k];
        for (Sym* o = at[k]; o < dst_end[k]; ++o) {
            const std::uint64_t v = load_be64_bounded(base[k], sizes[k], static_cast<std::size_t>(bp >> 3)) << (bp & 7);
            std::uint32_t e = table[v >> shift];
            if (e < (1u << 24)) e = decode_long(v >> 32);
            if constexpr (kPairs) {
                if ((e >> 24) == 2 && o + 1 < dst_end[k]) {  // both symbols, unless only one is left
                    o[0] = static_cast<Sym>(e & 0xff);
                    o[1] = static_cast<Sym>((e >> 8) & 0xff);
                    ++o;
                    bp += (e >> 16) & 0xff;
                    continue;
                }
                // One symbol: its own length, from the one-code part of the entry.
                if ((e >> 24) == 2) e = (e & 0xff) | static_cast<std::uint32_t>(lengths_[e & 0xff]) << 16;
                o[0] = static_cast<Sym>(e & 0xff);
            } else {
                o[0] = static_cast<Sym>(e & 0xffff);
            }
            bp += (e >> 16) & 0xff;
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

// The bit-buffer loops are chains of variable shifts; BMI2's shlx/shrx take the count from any
// register (legacy shifts need it in CL), which removes moves and spills. Same code, compiled
// twice, chosen at run time: no -march flag, and CPUs without BMI2 take the generic copy.
#if IK_HUFFMAN_BMI2
namespace {
bool cpu_has_bmi2() {
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("bmi2") != 0;
    }();
    return has;
}
}  // namespace

template <class Sym>
__attribute__((target("bmi2"))) void HuffmanCodec::encode_bmi2(const Sym* symbols, std::size_t n,
                                                                const ByteAlloc& alloc) const {
    encode_impl(symbols, n, alloc);
}
template <class Sym>
__attribute__((target("bmi2"))) void HuffmanCodec::decode_bmi2(const std::uint8_t* data, std::size_t size, Sym* out,
                                                                std::size_t n) const {
    decode_dispatch(data, size, out, n);
}
#endif

template <class Sym>
void HuffmanCodec::encode_to(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const {
#if IK_HUFFMAN_BMI2
    if (cpu_has_bmi2()) return encode_bmi2(symbols, n, alloc);
#endif
    encode_impl(symbols, n, alloc);
}

template <class Sym>
std::vector<std::uint8_t> HuffmanCodec::encode(const Sym* symbols, std::size_t n) const {
    std::vector<std::uint8_t> out;
    encode_to(symbols, n, [&out](std::size_t size) {
        out.resize(size);
        return out.data();
    });
    return out;
}

template <class Sym>
void HuffmanCodec::decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    if (sizeof(Sym) == 1 && lengths_.size() > 256) throw std::invalid_argument("alphabet too large for uint8 output");
#if IK_HUFFMAN_BMI2
    if (cpu_has_bmi2()) return decode_bmi2(data, size, out, n);
#endif
    decode_dispatch(data, size, out, n);
}

void HuffmanCodec::serialize(ByteWriter& w) const {
    // Alphabet size, then each length as a byte, zeros as runs.
    w.u32(static_cast<std::uint32_t>(lengths_.size()));
    write_zero_runs(w, lengths_, [&w](std::uint8_t l) { w.u8(l); });
}

HuffmanCodec HuffmanCodec::deserialize(ByteReader& r) {
    const std::uint32_t a = r.u32("Huffman alphabet size");
    if (a > 65536) throw DecodeError("Huffman alphabet larger than 65536");
    auto lengths = read_zero_runs<std::uint8_t>(
        r, a, [&r] { return static_cast<std::uint8_t>(r.u8("Huffman code length")); }, "Huffman zero run");
    return HuffmanCodec(std::move(lengths));
}

template std::vector<std::uint8_t> HuffmanCodec::encode<std::uint8_t>(const std::uint8_t*, std::size_t) const;
template std::vector<std::uint8_t> HuffmanCodec::encode<std::uint16_t>(const std::uint16_t*, std::size_t) const;
template void HuffmanCodec::encode_to<std::uint8_t>(const std::uint8_t*, std::size_t, const ByteAlloc&) const;
template void HuffmanCodec::encode_to<std::uint16_t>(const std::uint16_t*, std::size_t, const ByteAlloc&) const;
template void HuffmanCodec::decode<std::uint8_t>(const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t) const;
template void HuffmanCodec::decode<std::uint16_t>(const std::uint8_t*, std::size_t, std::uint16_t*, std::size_t) const;

}  // namespace infokit::coding
