// Order-0 adaptive arithmetic coding: byte-oriented range coders (LZMA's byte format, carries
// added into the bytes already written) driven by symbol counts that grow by `increment` per
// occurrence and are halved when their total passes `limit`, so the model tracks data whose
// statistics drift. Two coders take alternate symbols into two streams, so that their
// dependency chains overlap. Symbols are coded with a power-of-two frequency table rebuilt
// from the counts every few thousand symbols (arith.cpp), so coding needs no per-symbol
// division or tree walk. Encoder and decoder evolve the same model, so none is transmitted.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "infokit/bitio.hpp"

namespace infokit::coding {

struct ArithParams {
    std::uint32_t alphabet = 256;
    std::uint32_t increment = 16;
    std::uint32_t limit = 1u << 18;
};

// The largest total that keeps range / total >= 64 after normalisation (range >= 2^24).
inline constexpr std::uint32_t kArithMaxLimit = 1u << 18;

// Defaults: small alphabets take limit 2^16 (range / total >= 256, so rounding costs little
// even at 0.1 bit/symbol) and increment 16 (adapts within ~2000 symbols); above 1024 letters
// each estimate needs more occurrences before it pays for itself, so limit 2^18, increment 4.
std::uint32_t arith_default_limit(std::uint32_t alphabet);
std::uint32_t arith_default_increment(std::uint32_t alphabet);

// Empty string when valid, else why not (shared by the bindings and the container's reader).
const char* arith_params_error(const ArithParams& p);

// Throws std::invalid_argument for bad parameters or a symbol outside the alphabet.
template <class Sym>
std::vector<std::uint8_t> arith_encode(const Sym* symbols, std::size_t n, const ArithParams& params);
// The same bytes, written into memory obtained from `alloc` (called once).
template <class Sym>
void arith_encode_to(const Sym* symbols, std::size_t n, const ArithParams& params, const ByteAlloc& alloc);

// Payload: the size of stream 0 (u32, little-endian), then streams 0 and 1 (docs/container.md).
// Throws DecodeError unless the payload decodes to n symbols using exactly its bytes.
template <class Sym>
void arith_decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n, const ArithParams& params);

}  // namespace infokit::coding
