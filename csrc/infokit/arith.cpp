#include "infokit/arith.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "infokit/bitio.hpp"

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
    void update(std::uint32_t s) {
        count_[s] += inc_;
        total_ += inc_;
        if (total_ > limit_) {
            total_ = 0;
            for (auto& c : count_) total_ += c = (c + 1) >> 1;
        }
        if (++since_ == period_) rebuild();
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
        std::uint32_t sum = 0, best = 0;
        for (std::uint32_t s = 0; s < n_; ++s) {
            const auto f = static_cast<std::uint32_t>(1 + ((count_[s] * m) >> 32));
            freq_[s] = f;
            sum += f;
            if (count_[s] > count_[best]) best = s;
        }
        freq_[best] += (1u << k_) - sum;
        std::uint32_t c = 0;
        for (std::uint32_t s = 0; s < n_; ++s) {
            start_[s] = c;
            c += freq_[s];
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

// Writes to a raw buffer whose room the caller checks once per chunk of symbols (every symbol
// leaves range >= 2^6, so it emits at most 3 bytes, plus 5 at the end): no capacity check per
// byte, and no vector whose byte stores the compiler must assume alias the model.
class RangeEncoder {
public:
    explicit RangeEncoder(std::uint8_t* out) : out_(out) {}
    void encode(std::uint32_t start, std::uint32_t freq, int k) {
        const std::uint32_t r = range_ >> k;
        low_ += static_cast<std::uint64_t>(r) * start;
        range_ = r * freq;
        while (range_ < kTop) {
            range_ <<= 8;
            shift_low();
        }
    }
    std::uint8_t* finish() {
        for (int i = 0; i < 5; ++i) shift_low();
        return out_;
    }
    std::uint8_t* position() const { return out_; }
    void rebase(std::uint8_t* out) { out_ = out; }

private:
    // Holds back the top byte (and a run of 0xFF after it) until a carry can no longer change it.
    void shift_low() {
        if (static_cast<std::uint32_t>(low_) < 0xFF000000u || (low_ >> 32) != 0) {
            const auto carry = static_cast<std::uint8_t>(low_ >> 32);
            std::uint8_t temp = cache_;
            do {
                *out_++ = static_cast<std::uint8_t>(temp + carry);
                temp = 0xFF;
            } while (--pending_ != 0);
            cache_ = static_cast<std::uint8_t>(low_ >> 24);
        }
        ++pending_;
        low_ = (low_ & 0x00FFFFFFu) << 8;
    }

    std::uint8_t* out_;
    std::uint64_t low_ = 0;
    std::uint32_t range_ = 0xFFFFFFFFu;
    std::uint8_t cache_ = 0;
    std::uint64_t pending_ = 1;
};

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

template <class Sym>
std::vector<std::uint8_t> arith_encode(const Sym* symbols, std::size_t n, const ArithParams& params) {
    const char* err = arith_params_error(params);
    if (*err) throw std::invalid_argument(err);
    Sym top = 0;  // in the symbol type, so that the loop becomes packed max instructions
    for (std::size_t i = 0; i < n; ++i) top = symbols[i] > top ? symbols[i] : top;
    if (n && top >= params.alphabet) throw std::invalid_argument("symbols contain a value outside the alphabet");
    // Uninitialised, grown by doubling when a chunk's worst case might not fit.
    constexpr std::size_t kChunk = 4096;
    std::size_t cap = std::min<std::size_t>(3 * n, n / 2 + (std::size_t{1} << 16)) + 8;
    std::unique_ptr<std::uint8_t[]> buf(new std::uint8_t[cap]);
    RangeEncoder enc(buf.get());
    AdaptiveModel model(params, false);
    const int k = model.precision();
    for (std::size_t lo = 0; lo < n; lo += kChunk) {
        const std::size_t hi = std::min(n, lo + kChunk);
        const auto used = static_cast<std::size_t>(enc.position() - buf.get());
        if (cap - used < 3 * (hi - lo) + 8) {
            cap = std::max(2 * cap, used + 3 * kChunk + 8);
            std::unique_ptr<std::uint8_t[]> bigger(new std::uint8_t[cap]);
            std::memcpy(bigger.get(), buf.get(), used);
            buf = std::move(bigger);
            enc.rebase(buf.get() + used);
        }
        for (std::size_t i = lo; i < hi; ++i) {
            const std::uint32_t s = symbols[i];
            enc.encode(model.start(s), model.freq(s), k);
            model.update(s);
        }
    }
    std::vector<std::uint8_t> out(buf.get(), enc.finish());
    return out;
}

template <class Sym>
void arith_decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n, const ArithParams& params) {
    const char* err = arith_params_error(params);
    if (*err) throw DecodeError(err);
    if (sizeof(Sym) == 1 && params.alphabet > 256) throw std::invalid_argument("alphabet too large for uint8 output");
    std::size_t pos = 0;
    auto next = [&]() -> std::uint32_t { return pos < size ? data[pos++] : (++pos, 0u); };
    if (size < 5) throw DecodeError("arithmetic payload shorter than its 5-byte start");
    if (data[0] != 0) throw DecodeError("arithmetic payload does not start with 0");
    std::uint32_t code = 0, range = 0xFFFFFFFFu;
    for (int i = 0; i < 5; ++i) code = code << 8 | next();
    AdaptiveModel model(params, true);
    const int k = model.precision();
    const std::uint32_t slots = 1u << k;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t r = range >> k;
        const std::uint32_t v = code / r;
        if (v >= slots) throw DecodeError("arithmetic code value outside the model (corrupt payload)");
        const std::uint32_t s = model.find(v);
        code -= r * model.start(s);
        range = r * model.freq(s);
        while (range < kTop) {
            code = code << 8 | next();
            range <<= 8;
        }
        out[i] = static_cast<Sym>(s);
        model.update(s);
        if (pos > size + 4) throw DecodeError("arithmetic payload truncated");
    }
    if (pos != size) throw DecodeError("arithmetic payload length does not match its symbols");
}

template std::vector<std::uint8_t> arith_encode<std::uint8_t>(const std::uint8_t*, std::size_t, const ArithParams&);
template std::vector<std::uint8_t> arith_encode<std::uint16_t>(const std::uint16_t*, std::size_t, const ArithParams&);
template void arith_decode<std::uint8_t>(const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t, const ArithParams&);
template void arith_decode<std::uint16_t>(const std::uint8_t*, std::size_t, std::uint16_t*, std::size_t, const ArithParams&);

}  // namespace infokit::coding
