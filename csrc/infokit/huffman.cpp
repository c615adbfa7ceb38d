#include "infokit/huffman.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
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
    table_bits_ = std::min(std::max(max_len_, 1), kTableBits);
    table_.assign(std::size_t{1} << table_bits_, 0);
    for (std::size_t s = 0; s < lengths_.size(); ++s) {
        const int l = lengths_[s];
        if (!l || l > table_bits_) continue;
        const std::size_t lo = static_cast<std::size_t>(codes_[s]) << (table_bits_ - l);
        const std::size_t hi = static_cast<std::size_t>(codes_[s] + 1) << (table_bits_ - l);
        for (std::size_t k = lo; k < hi; ++k) table_[k] = static_cast<std::uint32_t>(s) | static_cast<std::uint32_t>(l) << 16;
    }
}

template <class Sym>
std::vector<std::uint8_t> HuffmanCodec::encode(const Sym* symbols, std::size_t n) const {
    const std::uint64_t* enc = enc_.data();
    std::uint64_t bits[kHuffmanStreams] = {};
    bool missing = false;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t e = enc[symbols[i]];
        missing |= e == 0;
        bits[i % kHuffmanStreams] += e >> 32;
    }
    if (missing) throw std::invalid_argument("symbols contain a value with no code (count 0 or outside the alphabet)");
    std::size_t bytes[kHuffmanStreams], total = 4 * (kHuffmanStreams - 1);
    for (int k = 0; k < kHuffmanStreams; ++k) {
        bytes[k] = static_cast<std::size_t>((bits[k] + 7) / 8);
        total += bytes[k];
    }
    for (int k = 0; k < kHuffmanStreams - 1; ++k)
        if (bytes[k] > 0xffffffffu) throw std::invalid_argument("input too large for one Huffman payload");
    std::vector<std::uint8_t> out(total);
    std::uint8_t* p = out.data();
    for (int k = 0; k < kHuffmanStreams - 1; ++k) store_le32(p + 4 * k, static_cast<std::uint32_t>(bytes[k]));
    p += 4 * (kHuffmanStreams - 1);
    BitWriter w0(p), w1(p + bytes[0]), w2(p + bytes[0] + bytes[1]), w3(p + bytes[0] + bytes[1] + bytes[2]);
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const std::uint64_t e0 = enc[symbols[i]], e1 = enc[symbols[i + 1]];
        const std::uint64_t e2 = enc[symbols[i + 2]], e3 = enc[symbols[i + 3]];
        w0.put(static_cast<std::uint32_t>(e0), static_cast<unsigned>(e0 >> 32));
        w1.put(static_cast<std::uint32_t>(e1), static_cast<unsigned>(e1 >> 32));
        w2.put(static_cast<std::uint32_t>(e2), static_cast<unsigned>(e2 >> 32));
        w3.put(static_cast<std::uint32_t>(e3), static_cast<unsigned>(e3 >> 32));
    }
    BitWriter* ws[kHuffmanStreams] = {&w0, &w1, &w2, &w3};
    for (; i < n; ++i) {
        const std::uint64_t e = enc[symbols[i]];
        ws[i % kHuffmanStreams]->put(static_cast<std::uint32_t>(e), static_cast<unsigned>(e >> 32));
    }
    for (auto* w : ws) w->finish();
    return out;
}

namespace {

struct StreamCursor {
    const std::uint8_t* data;
    std::size_t size;
    std::uint64_t bitpos;
};

}  // namespace

template <class Sym>
void HuffmanCodec::decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    if (sizeof(Sym) == 1 && lengths_.size() > 256) throw std::invalid_argument("alphabet too large for uint8 output");
    ByteReader r(data, size);
    std::size_t sizes[kHuffmanStreams];
    std::size_t used = 0;
    for (int k = 0; k < kHuffmanStreams - 1; ++k) {
        sizes[k] = r.u32("Huffman stream size");
        used += sizes[k];
    }
    if (used > r.remaining()) throw DecodeError("Huffman stream sizes exceed the payload");
    sizes[kHuffmanStreams - 1] = r.remaining() - used;
    if (n == 0) return;
    if (max_len_ == 0) throw DecodeError("Huffman code has no symbols");
    StreamCursor cur[kHuffmanStreams];
    const std::uint8_t* p = r.position();
    for (int k = 0; k < kHuffmanStreams; ++k) {
        cur[k] = {p, sizes[k], 0};
        p += sizes[k];
    }
    // Every symbol costs at least one bit, so a stream shorter than its symbol count is corrupt
    // (and this bounds the loop by the data actually present).
    for (int k = 0; k < kHuffmanStreams; ++k) {
        const std::size_t syms = n / kHuffmanStreams + (static_cast<std::size_t>(k) < n % kHuffmanStreams);
        if (syms > 8 * static_cast<std::uint64_t>(sizes[k])) throw DecodeError("Huffman stream too short for its symbols");
    }
    const int tb = table_bits_;
    const std::uint32_t* table = table_.data();
    auto one = [&](StreamCursor& c) -> Sym {
        const std::uint64_t v = load_be64_bounded(c.data, c.size, static_cast<std::size_t>(c.bitpos >> 3)) << (c.bitpos & 7);
        const std::uint32_t e = table[v >> (64 - tb)];
        if (e >> 16) {
            c.bitpos += e >> 16;
            return static_cast<Sym>(e & 0xffff);
        }
        const std::uint64_t v32 = v >> 32;
        for (int l = tb + 1; l <= max_len_; ++l) {
            if (v32 < limit_[l]) {
                const std::uint64_t idx = offset_[l] + ((v32 >> (kHuffmanMaxLength - l)) - first_[l]);
                if (v32 >> (kHuffmanMaxLength - l) < first_[l] || idx >= sorted_.size()) break;
                c.bitpos += static_cast<unsigned>(l);
                return static_cast<Sym>(sorted_[idx]);
            }
        }
        throw DecodeError("invalid Huffman code word");
    };
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        out[i] = one(cur[0]);
        out[i + 1] = one(cur[1]);
        out[i + 2] = one(cur[2]);
        out[i + 3] = one(cur[3]);
    }
    for (; i < n; ++i) out[i] = one(cur[i % kHuffmanStreams]);
    for (int k = 0; k < kHuffmanStreams; ++k) {
        if (cur[k].bitpos > 8 * static_cast<std::uint64_t>(cur[k].size)) throw DecodeError("Huffman stream truncated");
        if ((cur[k].bitpos + 7) / 8 != cur[k].size) throw DecodeError("Huffman stream has trailing bytes");
    }
}

void HuffmanCodec::serialize(ByteWriter& w) const {
    // Alphabet size, then lengths with runs of zeros as (0, run - 1 as a varint): a 65536-letter
    // alphabet with few letters in use stays small.
    w.u32(static_cast<std::uint32_t>(lengths_.size()));
    for (std::size_t s = 0; s < lengths_.size();) {
        if (lengths_[s]) {
            w.u8(lengths_[s++]);
            continue;
        }
        std::size_t run = 0;
        while (s + run < lengths_.size() && !lengths_[s + run]) ++run;
        w.u8(0);
        w.varint(run - 1);
        s += run;
    }
}

HuffmanCodec HuffmanCodec::deserialize(ByteReader& r) {
    const std::uint32_t a = r.u32("Huffman alphabet size");
    if (a > 65536) throw DecodeError("Huffman alphabet larger than 65536");
    std::vector<std::uint8_t> lengths;
    lengths.reserve(a);
    while (lengths.size() < a) {
        const std::uint32_t l = r.u8("Huffman code length");
        if (l) {
            lengths.push_back(static_cast<std::uint8_t>(l));
            continue;
        }
        const std::uint64_t run = r.varint("Huffman zero run");
        if (run >= a - lengths.size()) throw DecodeError("Huffman zero run past the alphabet");
        lengths.insert(lengths.end(), static_cast<std::size_t>(run) + 1, 0);
    }
    return HuffmanCodec(std::move(lengths));
}

template std::vector<std::uint8_t> HuffmanCodec::encode<std::uint8_t>(const std::uint8_t*, std::size_t) const;
template std::vector<std::uint8_t> HuffmanCodec::encode<std::uint16_t>(const std::uint16_t*, std::size_t) const;
template void HuffmanCodec::decode<std::uint8_t>(const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t) const;
template void HuffmanCodec::decode<std::uint16_t>(const std::uint8_t*, std::size_t, std::uint16_t*, std::size_t) const;

}  // namespace infokit::coding
