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
    const std::size_t size = std::size_t{1} << kTableBits;
    std::vector<std::uint32_t> one(size, 0);
    for (std::size_t s = 0; s < lengths_.size(); ++s) {
        const int l = lengths_[s];
        if (!l || l > kTableBits) continue;
        const std::size_t lo = static_cast<std::size_t>(codes_[s]) << (kTableBits - l);
        const std::size_t hi = static_cast<std::size_t>(codes_[s] + 1) << (kTableBits - l);
        for (std::size_t k = lo; k < hi; ++k) one[k] = static_cast<std::uint32_t>(l) | static_cast<std::uint32_t>(s) << 6 | 1u << 30;
    }
    // Byte alphabets: a window often holds two or three whole code words (two 5-6 bit codes, or
    // three 4-bit ones, in 13 bits), so each entry carries all those that fit: one lookup
    // yields 1.5-2.3 symbols on typical data.
    table_ = one;
    if (lengths_.size() <= 256) {
        for (std::size_t v = 0; v < size; ++v) {
            std::uint32_t e = one[v];
            unsigned len = e & 63, count = 1;
            if (!len) continue;
            std::uint32_t syms = (e >> 6) & 0xff;
            while (count < 3) {
                const std::uint32_t next = one[(v << len) & (size - 1)];
                const unsigned l = next & 63;
                if (!l || len + l > static_cast<unsigned>(kTableBits)) break;
                syms |= ((next >> 6) & 0xff) << (8 * count);
                len += l;
                ++count;
            }
            table_[v] = len | syms << 6 | count << 30;
        }
    }
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

}  // namespace infokit::coding
