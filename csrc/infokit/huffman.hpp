// Canonical Huffman codes: optimal (optionally length-limited) code lengths, and a codec that
// writes four MSB-first bit streams (one per quarter of the input) and decodes them side by side
// with a lookup table. Code lengths and tables: huffman.cpp; the loops: huffman_encode.cpp and
// huffman_decode.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "infokit/bitio.hpp"

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define IK_HUFFMAN_BMI2 1
#define IK_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define IK_HUFFMAN_BMI2 0
#define IK_ALWAYS_INLINE inline
#endif

namespace infokit::coding {

inline constexpr int kHuffmanMaxLength = 32;  // a code word always fits the 57 bits a refill guarantees
inline constexpr int kHuffmanStreams = 4;     // decoded together: four independent chains

// Optimal prefix-code lengths for `counts` (0 for absent symbols) with no length above
// `max_length`: plain Huffman when its longest code fits, package-merge otherwise. Ties are
// broken by symbol index, so the result is a function of the counts alone. One present symbol
// gets length 1. Throws std::invalid_argument when 2^max_length < the number of present symbols.
std::vector<std::uint8_t> huffman_lengths(const std::uint64_t* counts, std::size_t n, int max_length);

class HuffmanCodec {
public:
    // Validates the lengths (each <= kHuffmanMaxLength, Kraft sum <= 1); throws DecodeError.
    explicit HuffmanCodec(std::vector<std::uint8_t> lengths);

    const std::vector<std::uint8_t>& lengths() const { return lengths_; }
    std::size_t alphabet_size() const { return lengths_.size(); }
    int max_length() const { return max_len_; }

    // Payload: three little-endian u32 sizes of streams 0-2, then the four streams; stream k
    // holds symbols [k q, (k + 1) q) with q = ceil(n / 4) (clipped to n). Throws std::invalid_argument if a symbol has no code.
    template <class Sym>
    std::vector<std::uint8_t> encode(const Sym* symbols, std::size_t n) const;
    // The same bytes, written into memory obtained from `alloc` (called once).
    template <class Sym>
    void encode_to(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const;

    // Decodes exactly n symbols; throws DecodeError on any inconsistency (an unused code,
    // a stream that ends early, stream sizes that do not add up).
    template <class Sym>
    void decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const;

    void serialize(ByteWriter& w) const;
    static HuffmanCodec deserialize(ByteReader& r);

private:
    // 13 bits: 32 KiB of table that resolves every code of up to 13 bits at once, and for
    // byte alphabets up to three codes when they fit the window. Measured on Zen3 it beats 12
    // bits (16 KiB) by 10-25 % despite filling L1: each extra bit of window adds symbols per
    // lookup, and a good code's windows are spread evenly over the table anyway.
    static constexpr int kTableBits = 13;

    // Byte input: one lookup codes two symbols (see huffman_encode.cpp). Built on the first
    // large encode, once, whichever thread gets there first; copies of a codec share it.
    struct PairTable {
        std::once_flag once;
        std::vector<std::uint32_t> entries;
    };
    const std::uint32_t* pair_table() const;

    std::uint32_t decode_long(std::uint64_t top32) const;
    template <class Sym>
    void encode_impl(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const;
    template <class Sym, bool kPairs>
    void decode_impl(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const;
    template <class Sym>
    void decode_dispatch(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const;
#if IK_HUFFMAN_BMI2
    template <class Sym>
    void encode_bmi2(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const;
    template <class Sym>
    void decode_bmi2(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const;
#endif

    std::vector<std::uint8_t> lengths_;
    std::vector<std::uint32_t> codes_;
    std::vector<std::uint64_t> enc_;  // code | length << 32 per symbol value; 0: no code
    std::shared_ptr<PairTable> pairs_ = std::make_shared<PairTable>();
    int max_len_ = 0;
    // Per window: the total length of the code words it starts with (bits 0-5, where the
    // decoder's shift takes it as its count), their symbols << 6 (one symbol, or up to three
    // bytes for alphabets <= 256) and their count << 30; count 0: a longer code, or no code.
    std::vector<std::uint32_t> table_;
    std::vector<std::uint16_t> sorted_;     // symbols in canonical order
    std::uint64_t limit_[kHuffmanMaxLength + 2] = {};  // left-justified end of each length's codes
    std::uint32_t first_[kHuffmanMaxLength + 2] = {};
    std::uint32_t offset_[kHuffmanMaxLength + 2] = {};
};

}  // namespace infokit::coding
