#include "infokit/arith.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "infokit/bitio.hpp"
#include "infokit/dispatch.hpp"

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define IK_ARITH_X86 1
#define IK_ARITH_INLINE inline __attribute__((always_inline))
#else
#define IK_ARITH_X86 0
#define IK_ARITH_INLINE inline
#endif

namespace infokit::coding {
namespace {

constexpr std::uint32_t kTop = 1u << 24;

inline int ceil_log2(std::uint32_t v) {
    int k = 0;
    while ((std::uint64_t{1} << k) < v) ++k;
    return k;
}

// The adaptive model. Counts start at 1, grow by `increment` per occurrence and are halved
// ((c + 1) >> 1) when their total passes `limit`, as before; but the coder does not code with
// the counts directly. It codes with a frozen table of frequencies that sum to 2^K (every
// symbol >= 1), rebuilt from the counts every `period` symbols. A power-of-two total turns the
// encoder's division into a shift, and a table that changes only every `period` symbols
// replaces the per-symbol Fenwick walks (two chains of log2(alphabet) dependent loads, with
// mispredicted branches) by one lookup; the decoder finds the symbol through a bucket table
// (the first symbol of each 2^(K-B)-slot bucket) and a short forward scan. The lag of at most
// `period` symbols costs little: the counts themselves adapt over ~limit / increment symbols.
// (The interval starts at 16 symbols and doubles up to the period.)
class AdaptiveModel {
public:
    // The encoder needs no bucket table (for_decoding = false).
    AdaptiveModel(const ArithParams& p, bool for_decoding)
        : inc_(p.increment), limit_(p.limit), n_(p.alphabet), count_(p.alphabet, 1), total_(p.alphabet),
          decoding_(for_decoding) {
        // 2^K >= 32 A: the slot every symbol keeps costs at most ~1/32 of the mass (~0.05 bit).
        k_ = std::min(18, std::max(15, ceil_log2(n_) + 5));
        bucket_bits_ = std::min(k_, 11);
        max_period_ = std::max<std::uint32_t>(1024, 2 * n_);
        period_ = 8;  // doubled by the first rebuild: intervals 16, 32, ... up to max_period_
        start_.assign(n_ + 1, 0);
        freq_.assign(n_, 0);
        bucket_.assign((std::size_t{1} << bucket_bits_) + 1, 0);
        rebuild();
    }
    int precision() const { return k_; }
    std::uint32_t start(std::uint32_t s) const { return start_[s]; }
    std::uint32_t freq(std::uint32_t s) const { return freq_[s]; }
    // The symbol whose slots [start, start + freq) hold v, for v < 2^K.
    std::uint32_t find(std::uint32_t v) const {
        std::uint32_t s = bucket_[v >> (k_ - bucket_bits_)];
        while (start_[s + 1] <= v) ++s;
        return s;
    }
    // The coding loops take symbols in quiet runs: within a run only the counts change (the
    // table is frozen, and neither the halving nor a rebuild can fall due before its last
    // symbol), so the loop keeps no per-symbol total or interval counter, and the events
    // happen at the end in the order update() would have them.
    //
    // Symbols (>= 1) that can be coded before the next halving or rebuild is due.
    std::size_t quiet() const {
        const std::size_t to_halve = (limit_ - total_) / inc_ + 1;  // total_ <= limit_ here
        return std::min<std::size_t>(to_halve, period_ - since_);
    }
    const std::uint32_t* starts() const { return start_.data(); }
    const std::uint32_t* freqs() const { return freq_.data(); }
    const std::uint32_t* buckets() const { return bucket_.data(); }
    int bucket_shift() const { return k_ - bucket_bits_; }
    std::uint32_t* counts() { return count_.data(); }
    std::uint32_t increment() const { return inc_; }
    // After m (<= quiet()) symbols were counted: the total, the halving, the rebuild.
    void advance(std::size_t m) {
        total_ += static_cast<std::uint32_t>(m) * inc_;
        if (total_ > limit_) {
            total_ = 0;
            for (auto& c : count_) total_ += c = (c + 1) >> 1;
        }
        since_ += static_cast<std::uint32_t>(m);
        if (since_ == period_) rebuild();
    }

private:
    // f_s = 1 + floor(c_s * m / 2^32) with m = floor((2^K - A) * 2^32 / T), which never exceeds
    // c_s * (2^K - A) / T: every symbol keeps a slot, the sum is at most 2^K, and the remainder
    // (< A + 1) goes to the first most frequent symbol. One division per rebuild (not one per
    // symbol), integers only, so encoder and decoder build identical tables.
    void rebuild() {
        // Short intervals first: a fresh model starts uniform, and coding the first thousands
        // of symbols with it would cost ~1 % on small or very skewed inputs.
        since_ = 0;
        period_ = std::min(2 * period_, max_period_);
        const std::uint64_t spare = (std::uint64_t{1} << k_) - n_;
        const std::uint64_t m = (spare << 32) / total_;  // spare < 2^18, so no overflow
        // Raw pointers and separate passes: the compiler then knows that the stores cannot
        // change the counts, and the first two loops vectorise. (c m) >> 32 is taken as
        // c mh + (c ml) >> 32 with m = mh 2^32 + ml: two 32 x 32-bit products, exact since
        // c m < spare 2^32 < 2^50 (c <= total).
        const std::uint32_t n = n_;
        const std::uint32_t* count = count_.data();
        std::uint32_t* freq = freq_.data();
        std::uint32_t* start = start_.data();
        const auto mh = static_cast<std::uint32_t>(m >> 32), ml = static_cast<std::uint32_t>(m);
        std::uint32_t top = 0;
        for (std::uint32_t s = 0; s < n; ++s) top = std::max(top, count[s]);
        std::uint32_t sum = 0;
        for (std::uint32_t s = 0; s < n; ++s) {
            const std::uint32_t f = 1 + count[s] * mh + static_cast<std::uint32_t>((std::uint64_t{count[s]} * ml) >> 32);
            freq[s] = f;
            sum += f;
        }
        std::uint32_t best = 0;  // the first most frequent symbol
        while (count[best] != top) ++best;
        freq[best] += (1u << k_) - sum;
        std::uint32_t c = 0;
        for (std::uint32_t s = 0; s < n; ++s) {
            start[s] = c;
            c += freq[s];
        }
        start_[n_] = c;  // = 2^K: the scan in find() stops here at the latest
        if (!decoding_) return;
        const int shift = k_ - bucket_bits_;
        std::uint32_t sym = 0;
        for (std::uint32_t b = 0; b < (1u << bucket_bits_); ++b) {
            const std::uint32_t first_slot = b << shift;
            while (start_[sym + 1] <= first_slot) ++sym;
            bucket_[b] = sym;
        }
    }

    std::uint32_t inc_, limit_, n_;
    std::vector<std::uint32_t> count_;
    std::uint32_t total_;
    bool decoding_;
    int k_ = 15, bucket_bits_ = 11;
    std::uint32_t period_ = 8, max_period_ = 1024, since_ = 0;
    std::vector<std::uint32_t> start_, freq_, bucket_;
};

inline std::uint32_t load_be32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

inline void store_be32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

// How the encoder produces LZMA's bytes (carry held back in a cached byte and a count of 0xFF
// bytes, in LZMA's own encoder) with no per-byte loop and no per-symbol carry step: `low` is
// kept in 64 bits, of which the lower 32 are the coder's low and the upper 32 the last four
// bytes already stored before `out`, still open to a carry. Adding to low carries straight into
// those bytes; only a carry out of all 64 bits (the four bytes were 0xFF) reaches the memory
// before them, which is rare enough for a branch. Each renormalisation stores the whole 64-bit
// word at out - 4 (big-endian) and then moves the pointer by as many bytes as it shifts out,
// counted from the leading zeros of range, so a byte leaves the register only after its last
// store. The range's dependency chain (shift, multiply, count, shift) is all that links one
// symbol to the next. The buffer keeps four bytes before the stream's first byte for the
// initial (zero) upper half.
constexpr std::size_t kArithPad = 3;  // bytes before the stream's first byte (LZMA's cached 0)

// Adds a carry into the bytes written before p (trailing 0xFF bytes wrap to 0). Out of line:
// it is rare, and the hot loop's state stays in registers.
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void add_carry(std::uint8_t* p) {
    while (*--p == 0xFF) *p = 0;
    ++*p;
}

// Bytes a renormalisation shifts out: range < 2^24 needs one, < 2^16 two, < 2^8 three.
inline int renorm_bytes(std::uint32_t range) {
    return (range < (1u << 24)) + (range < (1u << 16)) + (range < (1u << 8));
}

// The same, times 8: the leading zeros of range rounded down to whole bytes (range != 0).
IK_ARITH_INLINE unsigned renorm_shift(std::uint32_t range) {
#if defined(__GNUC__)
    return static_cast<unsigned>(__builtin_clz(range)) & 24u;
#else
    return 8u * static_cast<unsigned>(renorm_bytes(range));
#endif
}

// kRare: the source averages under 2 bits per symbol, so renormalisations are rare and a
// branch skips them; otherwise the renormalisation is branch-free (a shift of 0 stores and
// moves nothing). The bytes are the same.
template <bool kRare>
IK_ARITH_INLINE void range_encode(std::uint64_t& low, std::uint32_t& range, std::uint8_t*& out, std::uint32_t start,
                                  std::uint32_t freq, int k) {
    const std::uint32_t r = range >> k;
    const std::uint64_t add = static_cast<std::uint64_t>(r) * start;
    low += add;
    if (low < add) add_carry(out - 4);  // the four open bytes were 0xFF: rare
    range = r * freq;
    if (kRare && range >= (1u << 24)) return;
    // Whole bytes of leading zeros: the bits to shift out (range >= 2^6, so at most 24).
    const unsigned shift = renorm_shift(range);
    store_be64(out - 4, low);
    out += shift >> 3;
    low <<= shift;
    range <<= shift;
}

}  // namespace

std::uint32_t arith_default_limit(std::uint32_t alphabet) { return alphabet > 1024 ? kArithMaxLimit : 1u << 16; }

std::uint32_t arith_default_increment(std::uint32_t alphabet) { return alphabet > 1024 ? 4 : 16; }

const char* arith_params_error(const ArithParams& p) {
    if (p.alphabet < 1 || p.alphabet > 65536) return "alphabet_size must be in [1, 65536]";
    if (p.increment < 1 || p.increment > (1u << 16)) return "increment must be in [1, 65536]";
    if (p.limit > kArithMaxLimit) return "limit must be at most 2**18";
    // After halving, the total must fall back under the limit, and stay above the alphabet.
    if (static_cast<std::uint64_t>(p.limit) < 2ull * p.alphabet + 2ull * p.increment)
        return "limit must be at least 2 * (alphabet_size + increment)";
    return "";
}

namespace {

// Where a range coder's bytes go: a raw buffer grown by doubling when a chunk's worst case
// might not fit (checked once per chunk, never per byte).
class ByteBuffer {
public:
    // The padding and the stream's first byte start as zeros (cap > kArithPad).
    explicit ByteBuffer(std::size_t cap) : cap_(cap), buf_(new std::uint8_t[cap]) {
        std::memset(buf_.get(), 0, kArithPad + 1);
    }
    std::uint8_t* begin() const { return buf_.get(); }
    // Returns the write position, moved to the new buffer if it had to grow.
    std::uint8_t* reserve(std::uint8_t* at, std::size_t more) {
        const auto used = static_cast<std::size_t>(at - buf_.get());
        if (cap_ - used >= more) return at;
        cap_ = std::max(2 * cap_, used + more);
        std::unique_ptr<std::uint8_t[]> bigger(new std::uint8_t[cap_]);
        std::memcpy(bigger.get(), buf_.get(), used);
        buf_ = std::move(bigger);
        return buf_.get() + used;
    }

private:
    std::size_t cap_;
    std::unique_ptr<std::uint8_t[]> buf_;
};

// The coding loop of arith_encode: symbol i on coder i % 2 (buf0, buf1), each buffer grown
// by chunks. K and Inc are the model's precision and increment when known at compile time
// (15 and 16: the defaults for every alphabet up to 1024 letters), else 0: immediates free
// the registers they would hold, and with both coders' ranges and lows, pointers and tables
// live, the loop needs every register it can get (a spilled range puts a store and a reload
// on its chain). Returns each stream's size; the streams start at kArithPad in each buffer.
template <int K, std::uint32_t Inc, class Sym>
IK_ARITH_INLINE void encode_streams_impl(const Sym* symbols, std::size_t n, AdaptiveModel& model, ByteBuffer& buf0,
                                         ByteBuffer& buf1, std::size_t& size0, std::size_t& size1) {
    constexpr std::size_t kChunk = 4096;  // the most symbols between two checks of the room left
    const int k = K ? K : model.precision();
    const std::uint32_t inc = Inc ? Inc : model.increment();
    // Locals, not an object's fields, so that the byte stores cannot alias them.
    std::uint64_t low0 = 0, low1 = 0;
    std::uint32_t range0 = 0xFFFFFFFFu, range1 = 0xFFFFFFFFu;
    // After the padding and LZMA's first (cached) byte, 0; low's upper half stands for the
    // four zero bytes before out.
    std::uint8_t* out0 = buf0.begin() + kArithPad + 1;
    std::uint8_t* out1 = buf1.begin() + kArithPad + 1;
#define IK_ARITH_ENC(rare, low, range, out, idx)                                  \
    {                                                                             \
        const std::uint32_t sym = symbols[idx];                                   \
        range_encode<rare>(low, range, out, start[sym], freq[sym], k);            \
        count[sym] += inc;                                                        \
    }
#define IK_ARITH_RUN(rare)                                                        \
    {                                                                             \
        if (j & 1) {                                                              \
            IK_ARITH_ENC(rare, low1, range1, out1, j)                             \
            ++j;                                                                  \
        }                                                                         \
        for (; j + 2 <= stop; j += 2) {                                           \
            IK_ARITH_ENC(rare, low0, range0, out0, j)                             \
            IK_ARITH_ENC(rare, low1, range1, out1, j + 1)                         \
        }                                                                         \
        if (j < stop) IK_ARITH_ENC(rare, low0, range0, out0, j)                   \
    }
    bool rare = false;
    for (std::size_t i = 0; i < n;) {
        const std::size_t m = std::min({model.quiet(), n - i, kChunk});
        // At most 3 bytes per symbol, plus the whole-word store and the final 4 bytes.
        out0 = buf0.reserve(out0, 3 * (m / 2 + 1) + 16);
        out1 = buf1.reserve(out1, 3 * (m / 2 + 1) + 16);
        const std::uint8_t* const before0 = out0;
        const std::uint8_t* const before1 = out1;
        const std::uint32_t* start = model.starts();
        const std::uint32_t* freq = model.freqs();
        std::uint32_t* count = model.counts();
        std::size_t j = i;
        const std::size_t stop = i + m;
        if (rare) IK_ARITH_RUN(true)
        else IK_ARITH_RUN(false)
        // The next run's variant, from this run's rate: under 2 bits per symbol (an estimate;
        // either variant writes the same bytes).
        rare = 4 * static_cast<std::size_t>((out0 - before0) + (out1 - before1)) < m;
        model.advance(m);
        i = stop;
    }
#undef IK_ARITH_RUN
#undef IK_ARITH_ENC
    // The final low, all 32 bits of it, after the bytes still held in the upper half.
    store_be64(out0 - 4, low0);
    store_be64(out1 - 4, low1);
    size0 = static_cast<std::size_t>(out0 + 4 - (buf0.begin() + kArithPad));
    size1 = static_cast<std::size_t>(out1 + 4 - (buf1.begin() + kArithPad));
}

template <int K, std::uint32_t Inc, class Sym>
void encode_streams_generic(const Sym* symbols, std::size_t n, AdaptiveModel& model, ByteBuffer& buf0,
                            ByteBuffer& buf1, std::size_t& size0, std::size_t& size1) {
    encode_streams_impl<K, Inc>(symbols, n, model, buf0, buf1, size0, size1);
}

#if IK_ARITH_X86
// The same loop compiled for BMI2 and LZCNT, chosen at run time: the range's chain is a
// multiply, a leading-zero count and two variable shifts, and lzcnt (one cycle, where bsr
// needs a correction) and shlx (any count register, no moves to CL) shorten it. No -march
// flag; CPUs without them, and the baseline ISA setting (so that tests cover both copies),
// take the generic copy. Both write the same bytes.
template <int K, std::uint32_t Inc, class Sym>
__attribute__((target("bmi2,lzcnt"))) void encode_streams_bmi2(const Sym* symbols, std::size_t n,
                                                                 AdaptiveModel& model, ByteBuffer& buf0,
                                                                 ByteBuffer& buf1, std::size_t& size0,
                                                                 std::size_t& size1) {
    encode_streams_impl<K, Inc>(symbols, n, model, buf0, buf1, size0, size1);
}

bool cpu_has_bmi2_lzcnt() {
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("bmi2") != 0 && __builtin_cpu_supports("lzcnt") != 0;
    }();
    return has;
}
#endif

template <int K, std::uint32_t Inc, class Sym>
void encode_streams(const Sym* symbols, std::size_t n, AdaptiveModel& model, ByteBuffer& buf0, ByteBuffer& buf1,
                    std::size_t& size0, std::size_t& size1) {
#if IK_ARITH_X86
    if (cpu_has_bmi2_lzcnt() && std::strcmp(kernels().name, "baseline") != 0)
        return encode_streams_bmi2<K, Inc>(symbols, n, model, buf0, buf1, size0, size1);
#endif
    encode_streams_generic<K, Inc>(symbols, n, model, buf0, buf1, size0, size1);
}

}  // namespace

template <class Sym>
void arith_encode_to(const Sym* symbols, std::size_t n, const ArithParams& params, const ByteAlloc& alloc) {
    const char* err = arith_params_error(params);
    if (*err) throw std::invalid_argument(err);
    // Byte symbols cannot leave an alphabet of 256 letters or more: no scan then.
    if (sizeof(Sym) > 1 || params.alphabet < 256) {
        Sym top = 0;  // in the symbol type, so that the loop becomes packed max instructions
        for (std::size_t i = 0; i < n; ++i) top = symbols[i] > top ? symbols[i] : top;
        if (n && top >= params.alphabet) throw std::invalid_argument("symbols contain a value outside the alphabet");
    }
    // Two range coders, symbol i on coder i % 2, each writing its own stream: one coder's
    // range is a chain of dependent operations from symbol to symbol (shift, multiply,
    // renormalise), and two independent chains run side by side. Both code with the one
    // model, updated after every symbol in order, as a single coder would.
    // Room for a byte per symbol at first (8 bits per symbol; pages never written cost
    // nothing), grown only by less compressible data.
    const std::size_t half = (n + 1) / 2;
    const std::size_t cap = kArithPad + half + (std::size_t{1} << 16);
    ByteBuffer buf0(cap), buf1(cap);
    AdaptiveModel model(params, false);
    std::size_t size0 = 0, size1 = 0;
    if (model.precision() == 15 && model.increment() == 16)
        encode_streams<15, 16>(symbols, n, model, buf0, buf1, size0, size1);
    else if (model.precision() == 15)
        encode_streams<15, 0>(symbols, n, model, buf0, buf1, size0, size1);
    else
        encode_streams<0, 0>(symbols, n, model, buf0, buf1, size0, size1);
    if (size0 > 0xffffffffu) throw std::invalid_argument("arithmetic stream above 4 GiB");
    std::uint8_t* out = alloc(4 + size0 + size1);
    store_le32(out, static_cast<std::uint32_t>(size0));
    std::memcpy(out + 4, buf0.begin() + kArithPad, size0);
    std::memcpy(out + 4 + size0, buf1.begin() + kArithPad, size1);
}

template <class Sym>
std::vector<std::uint8_t> arith_encode(const Sym* symbols, std::size_t n, const ArithParams& params) {
    return encode_to_vector([&](const ByteAlloc& alloc) { arith_encode_to(symbols, n, params, alloc); });
}

namespace {

// One range decoder over its own stream; reads past the end yield zeros, and the caller
// checks the position reached.
struct RangeDecoder {
    const std::uint8_t* data;
    std::size_t size, pos = 0;
    std::uint32_t code = 0, range = 0xFFFFFFFFu;

    RangeDecoder(const std::uint8_t* d, std::size_t n) : data(d), size(n) {
        if (size < 5) throw DecodeError("arithmetic stream shorter than its 5-byte start");
        if (data[0] != 0) throw DecodeError("arithmetic stream does not start with 0");
        code = load_be32(data + 1);
        pos = 5;
    }
    std::uint64_t word_at(std::size_t at) const {
        if (at + 4 <= size) return load_be32(data + at);
        std::uint64_t w = 0;
        for (std::size_t j = at; j < at + 4; ++j) w = w << 8 | (j < size ? data[j] : 0u);
        return w;
    }
};

}  // namespace

template <class Sym>
void arith_decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n, const ArithParams& params) {
    const char* err = arith_params_error(params);
    if (*err) throw DecodeError(err);
    if (sizeof(Sym) == 1 && params.alphabet > 256) throw std::invalid_argument("alphabet too large for uint8 output");
    if (size < 4) throw DecodeError("arithmetic payload shorter than its stream size");
    const std::size_t size0 = load_le32(data);
    if (size0 > size - 4) throw DecodeError("arithmetic stream size exceeds the payload");
    RangeDecoder d0(data + 4, size0), d1(data + 4 + size0, size - 4 - size0);
    AdaptiveModel model(params, true);
    const int k = model.precision();
    const std::uint32_t slots = 1u << k;
    const std::uint32_t inc = model.increment();
    // Both decoders' state in locals: the output stores cannot alias them.
    std::uint32_t code0 = d0.code, code1 = d1.code, range0 = d0.range, range1 = d1.range;
    std::size_t pos0 = d0.pos, pos1 = d1.pos;
#define IK_ARITH_DEC(code, range, pos, d, idx)                                                      \
    {                                                                                               \
        const std::uint32_t r = range >> k;                                                         \
        const std::uint32_t v = code / r;                                                           \
        if (v >= slots) throw DecodeError("arithmetic code value outside the model (corrupt payload)"); \
        std::uint32_t sym = bucket[v >> bucket_shift];                                              \
        while (start[sym + 1] <= v) ++sym;                                                          \
        const std::uint32_t c = code - r * start[sym];                                              \
        const std::uint32_t nr = r * freq[sym];                                                     \
        /* As many bytes as the encoder wrote for this symbol, read as one word (zeros past the     \
           end; the position checks reject a stream that runs out). */                              \
        const int bytes = renorm_bytes(nr);                                                         \
        const std::uint64_t word = pos + 4 <= d.size ? load_be32(d.data + pos) : d.word_at(pos);    \
        code = static_cast<std::uint32_t>((std::uint64_t{c} << 32 | word) >> (32 - 8 * bytes));    \
        range = nr << (8 * bytes);                                                                  \
        pos += static_cast<std::size_t>(bytes);                                                     \
        out[idx] = static_cast<Sym>(sym);                                                           \
        count[sym] += inc;                                                                          \
    }
    for (std::size_t i = 0; i < n;) {
        const std::size_t m = std::min(model.quiet(), n - i);
        const std::uint32_t* start = model.starts();
        const std::uint32_t* freq = model.freqs();
        const std::uint32_t* bucket = model.buckets();
        const int bucket_shift = model.bucket_shift();
        std::uint32_t* count = model.counts();
        std::size_t j = i;
        const std::size_t stop = i + m;
        if (j & 1) {
            IK_ARITH_DEC(code1, range1, pos1, d1, j)
            ++j;
        }
        for (; j + 2 <= stop; j += 2) {
            IK_ARITH_DEC(code0, range0, pos0, d0, j)
            IK_ARITH_DEC(code1, range1, pos1, d1, j + 1)
        }
        if (j < stop) IK_ARITH_DEC(code0, range0, pos0, d0, j)
        model.advance(m);
        i = stop;
        if (pos0 > d0.size + 4 || pos1 > d1.size + 4) throw DecodeError("arithmetic payload truncated");
    }
#undef IK_ARITH_DEC
    d0.pos = pos0, d1.pos = pos1;
    if (d0.pos != d0.size || d1.pos != d1.size) throw DecodeError("arithmetic payload length does not match its symbols");
}

template void arith_encode_to<std::uint8_t>(const std::uint8_t*, std::size_t, const ArithParams&, const ByteAlloc&);
template void arith_encode_to<std::uint16_t>(const std::uint16_t*, std::size_t, const ArithParams&, const ByteAlloc&);
template std::vector<std::uint8_t> arith_encode<std::uint8_t>(const std::uint8_t*, std::size_t, const ArithParams&);
template std::vector<std::uint8_t> arith_encode<std::uint16_t>(const std::uint16_t*, std::size_t, const ArithParams&);
template void arith_decode<std::uint8_t>(const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t, const ArithParams&);
template void arith_decode<std::uint16_t>(const std::uint8_t*, std::size_t, std::uint16_t*, std::size_t, const ArithParams&);

}  // namespace infokit::coding
