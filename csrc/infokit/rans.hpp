// Static rANS (Duda's asymmetric numeral systems, range variant) with 64-bit states emitting
// 32-bit words, eight interleaved lanes each with its own word stream (so that refills are
// independent and branch-free), division-free encoding (reciprocals, after Giesen's rans64)
// and a slot -> symbol table for decoding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "infokit/bitio.hpp"
#include "infokit/scratch.hpp"

namespace infokit::coding {

inline constexpr int kRansMaxPrecision = 20;  // the decode table has 2^precision entries
inline constexpr int kRansLanes = 8;
// Payload header: the lanes' final states (two words each), then the word counts of all but
// the last lane's streams (the last stream is the rest of the payload).
inline constexpr int kRansHeaderWords = 3 * kRansLanes - 1;

// Where decoding starts: each lane's state and the word range of its stream in the payload.
struct RansLanes {
    std::uint64_t x[kRansLanes];
    std::size_t begin[kRansLanes], end[kRansLanes];
};

// Precision used when the caller gives none: enough slots that quantisation costs well under
// 0.01 % on typical sources, while the decode table stays in L2.
int rans_default_precision(std::size_t present_symbols);

// Frequencies summing to 2^precision_bits, every present symbol at least 1, that minimise the
// code length of `counts` (sum of -c_i log2(f_i / 2^k)): proportional rounding, then greedy
// marginal moves, which is optimal for this separable convex problem. All-zero counts give
// all-zero frequencies. Throws std::invalid_argument if more symbols are present than slots.
std::vector<std::uint32_t> rans_quantize(const std::uint64_t* counts, std::size_t n, int precision_bits);

class RansCodec {
public:
    // Validates: precision in [1, 20], alphabet <= 65536, frequencies sum to 2^precision (or
    // are all zero: a code for empty input only). Throws DecodeError.
    RansCodec(std::vector<std::uint32_t> freqs, int precision_bits);

    const std::vector<std::uint32_t>& freqs() const { return freqs_; }
    int precision_bits() const { return k_; }
    std::size_t alphabet_size() const { return freqs_.size(); }
    // The fewest bits any symbol can cost: bounds how many symbols a payload can hold.
    double min_bits_per_symbol() const;
    // The model's entropy: what data distributed as the model costs per symbol (0 for the
    // empty model).
    double bits_per_symbol() const { return bits_per_symbol_; }

    // Payload: little-endian 32-bit words: the eight lanes' final states (two words each), the
    // word counts of lanes 0-6's streams, then the eight streams (docs/container.md).
    // Throws std::invalid_argument if a symbol has frequency 0.
    template <class Sym>
    std::vector<std::uint8_t> encode(const Sym* symbols, std::size_t n) const;
    // The same bytes, written into memory obtained from `alloc` (called once).
    template <class Sym>
    void encode_to(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const;

    // Throws DecodeError unless the payload decodes to exactly n symbols, consumes every word
    // and returns every lane to its initial state.
    template <class Sym>
    void decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const;

    // Several payloads of this model at once (a container's blocks), on the ISA's
    // several-payload kernel where it has one: `table` is group_table()'s, or null for one
    // payload after another. Each part is checked as decode() checks it.
    template <class Sym>
    struct Part {
        const std::uint8_t* data;
        std::size_t size;
        Sym* out;
        std::size_t n;
    };
    static constexpr std::size_t kMaxGroup = 8;
    // Fewer payloads than this decode one after another: one or two in the kernel run
    // slower than the scalar loop.
    static constexpr std::size_t kMinGroup = 3;
    template <class Sym>
    void decode_group(const std::uint64_t* table, const Part<Sym>* parts, std::size_t count) const;
    // The slot table of the several-payload kernel (freq | symbol << 32 | (slot - start) << 48,
    // 2^precision entries), or an empty vector where this ISA has no such kernel or the
    // precision is above 16. Built per call (up to 512 KiB, in scratch memory that the next
    // call gets back): only worth it for large inputs.
    detail::ScratchVector<std::uint64_t> group_table() const;

    void serialize(ByteWriter& w) const;
    static RansCodec deserialize(ByteReader& r);

private:
    // Every field 64 bits wide: the coding loop's multiply and add take them as memory
    // operands (a 32-bit field needs a zero-extending load first), and the 40-byte stride is
    // one lea (5 s) scaled by 8 in the address.
    struct EncSymbol {
        std::uint64_t rcp;    // fixed-point reciprocal of freq
        std::uint64_t x_max;  // renormalise (emit a word) when the state reaches this
        std::uint64_t bias;
        std::uint64_t cmpl;   // 2^k - freq
        std::uint64_t shift;
    };
    struct DecSymbol {
        std::uint32_t freq;
        std::uint32_t start;
    };

    // The coding loop: fills the lanes' regions backwards from p[j], returns the OR of the
    // symbols' cmpl (bit 31: an absent symbol was seen) if kCheckAbsent, else 0.
    template <bool kRareEmit, bool kCheckAbsent, class Sym>
    std::uint32_t encode_lanes(const Sym* symbols, std::size_t n, std::uint8_t** p, std::uint64_t* xs) const;
    template <bool kCheckAbsent, class Sym>
    std::uint32_t encode_lanes_with(const Sym* symbols, std::size_t n, std::uint8_t** p, std::uint64_t* xs) const;
    // The lanes' states and stream bounds from a payload's header (checked against its size).
    RansLanes parse_lanes(const std::uint8_t* data, std::size_t size, std::size_t n) const;
    // Decodes from lane state `st` on (rows already done are not in out/n).
    template <class Sym>
    void decode_from(RansLanes& st, const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const;
    template <bool kRareRefill, class Slot, class Sym>
    void decode_with(const Slot* slot, const std::uint8_t* data, RansLanes& lanes, Sym* out, std::size_t n) const;

    std::vector<std::uint32_t> freqs_;
    int k_;
    std::vector<EncSymbol> enc_;  // at least 256 entries: byte symbols index it unchecked
    double bits_per_symbol_ = 0;
    bool rare_emit_ = false;      // the model averages under 2 bits per symbol
    bool all_present_ = false;    // every symbol of the alphabet has a nonzero frequency
    std::vector<DecSymbol> dec_;
    std::vector<std::uint16_t> slot_;  // slot -> symbol, alphabets above 256 only
    // Alphabets <= 256 (their only slot table): freq[256] and start[256] as 64-bit words, then
    // (from byte 4096) the slot -> symbol table as bytes, half a uint16 table's footprint in
    // cache. One buffer, so that the x86-64 decode loop addresses both from one register.
    static constexpr std::size_t kDec8SlotOffset = 4096;
    std::vector<std::uint64_t> dec8_;
    // Alphabets of 257-4096 symbols: the same for the x86-64 uint16 decode loop, freq[4096]
    // and start[4096] as 64-bit words, then (from byte 65536) the uint16 slot table.
    static constexpr std::size_t kDec16Symbols = 4096;
    static constexpr std::size_t kDec16SlotOffset = 16 * kDec16Symbols;
    std::vector<std::uint64_t> dec16_;
    std::uint8_t* slot8_data() { return reinterpret_cast<std::uint8_t*>(dec8_.data()) + kDec8SlotOffset; }
    const std::uint8_t* slot8_data() const {
        return reinterpret_cast<const std::uint8_t*>(dec8_.data()) + kDec8SlotOffset;
    }
};

}  // namespace infokit::coding
