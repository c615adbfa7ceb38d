#include "infokit/arith.hpp"

#include <stdexcept>
#include <string>

#include "infokit/bitio.hpp"

namespace infokit::coding {
namespace {

constexpr std::uint32_t kTop = 1u << 24;

// Counts with a Fenwick tree over them: prefix sums, updates and "which symbol covers this
// cumulative value" in O(log alphabet), for alphabets up to 65536.
class AdaptiveModel {
public:
    explicit AdaptiveModel(const ArithParams& p)
        : inc_(p.increment), limit_(p.limit), n_(p.alphabet), count_(p.alphabet, 1), tree_(p.alphabet + 1, 0) {
        top_ = 1;
        while (top_ * 2 <= n_) top_ *= 2;
        rebuild();
    }
    std::uint32_t total() const { return total_; }
    std::uint32_t freq(std::uint32_t s) const { return count_[s]; }
    std::uint32_t cum(std::uint32_t s) const {  // sum of counts below s
        std::uint32_t c = 0;
        for (std::uint32_t i = s; i > 0; i &= i - 1) c += tree_[i];
        return c;
    }
    // The symbol s with cum(s) <= v < cum(s) + freq(s), for v < total(); sets its cum.
    std::uint32_t find(std::uint32_t v, std::uint32_t& cum_out) const {
        std::uint32_t pos = 0, rem = v;
        for (std::uint32_t step = top_; step; step >>= 1) {
            const std::uint32_t nxt = pos + step;
            if (nxt <= n_ && tree_[nxt] <= rem) {
                pos = nxt;
                rem -= tree_[nxt];
            }
        }
        cum_out = v - rem;
        return pos;
    }
    void update(std::uint32_t s) {
        count_[s] += inc_;
        total_ += inc_;
        if (total_ > limit_) {
            for (auto& c : count_) c = (c + 1) >> 1;
            rebuild();
            return;
        }
        for (std::uint32_t i = s + 1; i <= n_; i += i & (0u - i)) tree_[i] += inc_;
    }

private:
    void rebuild() {
        total_ = 0;
        for (std::uint32_t i = 1; i <= n_; ++i) {
            tree_[i] = count_[i - 1];
            total_ += count_[i - 1];
        }
        for (std::uint32_t i = 1; i <= n_; ++i) {
            const std::uint32_t parent = i + (i & (0u - i));
            if (parent <= n_) tree_[parent] += tree_[i];
        }
    }

    std::uint32_t inc_, limit_, n_, top_ = 1, total_ = 0;
    std::vector<std::uint32_t> count_, tree_;
};

class RangeEncoder {
public:
    explicit RangeEncoder(std::vector<std::uint8_t>& out) : out_(out) {}
    void encode(std::uint32_t start, std::uint32_t freq, std::uint32_t total) {
        const std::uint32_t r = range_ / total;
        low_ += static_cast<std::uint64_t>(r) * start;
        range_ = r * freq;
        while (range_ < kTop) {
            range_ <<= 8;
            shift_low();
        }
    }
    void finish() {
        for (int i = 0; i < 5; ++i) shift_low();
    }

private:
    // Holds back the top byte (and a run of 0xFF after it) until a carry can no longer change it.
    void shift_low() {
        if (static_cast<std::uint32_t>(low_) < 0xFF000000u || (low_ >> 32) != 0) {
            const auto carry = static_cast<std::uint8_t>(low_ >> 32);
            std::uint8_t temp = cache_;
            do {
                out_.push_back(static_cast<std::uint8_t>(temp + carry));
                temp = 0xFF;
            } while (--pending_ != 0);
            cache_ = static_cast<std::uint8_t>(low_ >> 24);
        }
        ++pending_;
        low_ = (low_ & 0x00FFFFFFu) << 8;
    }

    std::vector<std::uint8_t>& out_;
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
    for (std::size_t i = 0; i < n; ++i)
        if (symbols[i] >= params.alphabet) throw std::invalid_argument("symbols contain a value outside the alphabet");
    std::vector<std::uint8_t> out;
    out.reserve(n / 2 + 16);
    RangeEncoder enc(out);
    AdaptiveModel model(params);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t s = symbols[i];
        enc.encode(model.cum(s), model.freq(s), model.total());
        model.update(s);
    }
    enc.finish();
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
    AdaptiveModel model(params);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t total = model.total();
        const std::uint32_t r = range / total;
        const std::uint32_t v = code / r;
        if (v >= total) throw DecodeError("arithmetic code value outside the model (corrupt payload)");
        std::uint32_t start = 0;
        const std::uint32_t s = model.find(v, start);
        code -= r * start;
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
