// The self-describing container written by infokit.coding.compress (layout: docs/container.md):
// a header and one model for the whole input, then independently coded blocks, so that large
// inputs encode and decode on every core with output identical at any thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "infokit/arith.hpp"
#include "infokit/huffman.hpp"
#include "infokit/rans.hpp"

namespace infokit::coding {

enum class Method : std::uint8_t { huffman = 1, rans = 2, arith = 3 };

inline constexpr std::uint8_t kContainerMagic[4] = {'I', 'K', 'C', 'F'};
// Version 4: eight rANS lanes, each renormalising into its own word stream (the payload gives
// the streams' sizes), so that the decoder refills lanes independently and without a branch;
// and two adaptive arithmetic coders taking alternate symbols, each with its own byte stream,
// so that their dependency chains overlap. Version 3 (a Huffman block's four streams hold its
// four quarters, not symbols i % 4) differs from it only in those two methods: readers still
// accept Huffman payloads of version 3, and refuse older ones and every rANS or arithmetic
// payload before version 4 rather than misdecode them.
inline constexpr std::uint8_t kContainerVersion = 4;
inline constexpr std::size_t kContainerHeaderSize = 28;
inline constexpr std::uint32_t kMaxBlockSize = 1u << 22;
inline constexpr std::uint32_t kDefaultBlockSize = 1u << 20;
// CompressOptions::block_size = 0 lets the container choose (container.cpp,
// automatic_block_size): a multiple of this unit, in which it checksums the input.
inline constexpr std::uint32_t kAutoBlockUnit = 1u << 18;
inline constexpr std::uint8_t kFlagBytes = 1;  // the input was a bytes-like object

struct CompressOptions {
    Method method = Method::rans;
    int huffman_max_length = kHuffmanMaxLength;
    int rans_precision = 0;          // 0: rans_default_precision
    std::uint32_t arith_increment = 0;  // 0: the ArithParams default
    std::uint32_t arith_limit = 0;      // 0: arith_default_limit
    std::uint32_t block_size = 0;  // 0: chosen from the input and model
    std::uint8_t flags = 0;
    int threads = 1;
    // Symbols coded so far, for a progress display that polls it from another thread (added
    // to atomically after each block); null: not reported.
    std::uint64_t* progress = nullptr;
};

// Throws std::invalid_argument for bad options.
template <class Sym>
std::vector<std::uint8_t> compress(const Sym* data, std::size_t n, const CompressOptions& options);
// The same bytes, written into memory obtained from `alloc` (called once, on the calling thread).
template <class Sym>
void compress_to(const Sym* data, std::size_t n, const CompressOptions& options, const ByteAlloc& alloc);

struct BlockRef {
    std::size_t offset;  // of the payload in the blob
    std::uint32_t size;
    std::uint32_t crc;   // CRC-32 of the decoded block's little-endian bytes
};

// A container whose header, model and block table were checked: every size agrees with the
// blob, the model is a valid code, and each block's symbol count is possible for its payload.
struct ParsedContainer {
    Method method{};
    int symbol_bytes = 1;
    std::uint8_t flags = 0;
    std::uint64_t n = 0;
    std::uint32_t block_size = 0;
    std::size_t model_size = 0;
    std::size_t header_size = 0;  // header + model + block table
    std::size_t payload_size = 0;
    std::unique_ptr<HuffmanCodec> huffman;
    std::unique_ptr<RansCodec> rans;
    ArithParams arith;
    std::vector<BlockRef> blocks;
};

// Throws DecodeError for anything malformed; allocates only in proportion to the blob's size.
ParsedContainer parse_container(const std::uint8_t* blob, std::size_t size);

// Decodes into `out` (n * symbol_bytes bytes); verifies every block's CRC. Throws DecodeError.
// `progress`, when not null, counts the symbols decoded so far (as CompressOptions::progress).
void decode_container(const std::uint8_t* blob, const ParsedContainer& parsed, void* out, int threads,
                      std::uint64_t* progress = nullptr);

}  // namespace infokit::coding
