#include "infokit/rans.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <queue>
#include <stdexcept>
#include <string>

#if defined(_MSC_VER) && defined(_M_X64)
#include <intrin.h>
#endif

namespace infokit::coding {
namespace {

constexpr std::uint64_t kLow = std::uint64_t{1} << 31;  // states live in [2^31, 2^63)

inline std::uint64_t mulhi64(std::uint64_t a, std::uint64_t b) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    return static_cast<std::uint64_t>((static_cast<u128>(a) * b) >> 64);
#elif defined(_MSC_VER) && defined(_M_X64)
    return __umulh(a, b);
#else
    const std::uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    const std::uint64_t lo = al * bl, m1 = ah * bl, m2 = al * bh, hi = ah * bh;
    const std::uint64_t mid = (lo >> 32) + (m1 & 0xffffffffu) + (m2 & 0xffffffffu);
    return hi + (m1 >> 32) + (m2 >> 32) + (mid >> 32);
#endif
}

int ceil_log2(std::size_t v) {
    int k = 0;
    while ((std::size_t{1} << k) < v) ++k;
    return k;
}

struct Move {
    double value;
    std::uint32_t symbol;
    std::uint32_t freq;  // the frequency the value was computed for (stale entries are skipped)
};
struct ByValueDesc {
    bool operator()(const Move& a, const Move& b) const {
        return a.value != b.value ? a.value < b.value : a.symbol > b.symbol;
    }
};
struct ByValueAsc {
    bool operator()(const Move& a, const Move& b) const {
        return a.value != b.value ? a.value > b.value : a.symbol > b.symbol;
    }
};

}  // namespace

int rans_default_precision(std::size_t present_symbols) {
    const int bits = ceil_log2(std::max<std::size_t>(present_symbols, 1));
    if (present_symbols > (std::size_t{1} << 14)) return std::min(kRansMaxPrecision, bits + 2);
    return 16;
}

std::vector<std::uint32_t> rans_quantize(const std::uint64_t* counts, std::size_t n, int precision_bits) {
    if (precision_bits < 1 || precision_bits > kRansMaxPrecision)
        throw std::invalid_argument("precision_bits must be in [1, " + std::to_string(kRansMaxPrecision) + "]");
    const std::uint64_t total_slots = std::uint64_t{1} << precision_bits;
    std::vector<std::uint32_t> f(n, 0);
    double total = 0;
    std::size_t present = 0;
    for (std::size_t s = 0; s < n; ++s) {
        total += static_cast<double>(counts[s]);
        present += counts[s] != 0;
    }
    if (present == 0) return f;
    if (present > total_slots) throw std::invalid_argument("more symbols present than 2**precision_bits slots");
    std::int64_t sum = 0;
    for (std::size_t s = 0; s < n; ++s) {
        if (!counts[s]) continue;
        const double ideal = static_cast<double>(counts[s]) * static_cast<double>(total_slots) / total;
        f[s] = static_cast<std::uint32_t>(std::max(1.0, std::min(std::floor(ideal + 0.5), static_cast<double>(total_slots))));
        sum += f[s];
    }
    // Cost of taking one slot from s, gain of giving one to s (in bits of total code length).
    auto dec_cost = [&](std::size_t s) {
        return static_cast<double>(counts[s]) * std::log2(static_cast<double>(f[s]) / (f[s] - 1.0));
    };
    auto inc_gain = [&](std::size_t s) {
        return static_cast<double>(counts[s]) * std::log2((f[s] + 1.0) / static_cast<double>(f[s]));
    };
    std::priority_queue<Move, std::vector<Move>, ByValueAsc> dec;  // cheapest first
    std::priority_queue<Move, std::vector<Move>, ByValueDesc> inc;  // largest first
    auto push = [&](std::size_t s) {
        if (f[s] > 1) dec.push({dec_cost(s), static_cast<std::uint32_t>(s), f[s]});
        inc.push({inc_gain(s), static_cast<std::uint32_t>(s), f[s]});
    };
    for (std::size_t s = 0; s < n; ++s)
        if (counts[s]) push(s);
    auto top_valid = [&](auto& q) {
        while (!q.empty() && f[q.top().symbol] != q.top().freq) q.pop();
        return !q.empty();
    };
    const auto target = static_cast<std::int64_t>(total_slots);
    while (sum > target && top_valid(dec)) {
        const std::uint32_t s = dec.top().symbol;
        dec.pop();
        --f[s];
        --sum;
        push(s);
    }
    while (sum < target && top_valid(inc)) {
        const std::uint32_t s = inc.top().symbol;
        inc.pop();
        ++f[s];
        ++sum;
        push(s);
    }
    // Exchanges while one strictly pays: each lowers the cost, the cap only bounds the time.
    for (std::size_t step = 0; step < 4 * present + 64; ++step) {
        if (!top_valid(dec) || !top_valid(inc)) break;
        const Move d = dec.top(), a = inc.top();
        if (d.symbol == a.symbol || !(a.value > d.value * (1 + 1e-12) + 1e-300)) break;
        dec.pop();
        inc.pop();
        --f[d.symbol];
        ++f[a.symbol];
        push(d.symbol);
        push(a.symbol);
    }
    return f;
}

RansCodec::RansCodec(std::vector<std::uint32_t> freqs, int precision_bits) : freqs_(std::move(freqs)), k_(precision_bits) {
    if (k_ < 1 || k_ > kRansMaxPrecision) throw DecodeError("rANS precision out of range");
    if (freqs_.size() > 65536) throw DecodeError("rANS alphabet larger than 65536");
    const std::uint32_t slots = std::uint32_t{1} << k_;
    std::uint64_t sum = 0;
    for (auto f : freqs_) {
        if (f > slots) throw DecodeError("rANS frequency above 2^precision");
        sum += f;
    }
    if (sum != 0 && sum != slots) throw DecodeError("rANS frequencies do not sum to 2^precision");
    enc_.assign(freqs_.size(), EncSymbol{});
    dec_.assign(freqs_.size(), DecSymbol{});
    if (sum == 0) return;
    slot_.assign(slots, 0);
    std::uint32_t start = 0;
    for (std::size_t s = 0; s < freqs_.size(); ++s) {
        const std::uint32_t f = freqs_[s];
        dec_[s] = {f, start};
        std::fill(slot_.begin() + start, slot_.begin() + start + f, static_cast<std::uint16_t>(s));
        if (freqs_.size() <= 256) {
            if (slot8_.empty()) slot8_.assign(slots, 0);
            std::fill(slot8_.begin() + start, slot8_.begin() + start + f, static_cast<std::uint8_t>(s));
        }
        if (f) {
            EncSymbol& e = enc_[s];
            e.x_max = ((kLow >> k_) << 32) * f;
            e.cmpl = slots - f;
            if (f < 2) {
                // The reciprocal of 1 does not fit; q = x - 1 instead, compensated in the bias.
                e.rcp = ~std::uint64_t{0};
                e.shift = 0;
                e.bias = start + slots - 1;
            } else {
                std::uint32_t shift = 0;
                while (f > (std::uint32_t{1} << shift)) ++shift;
                // ceil(2^(shift + 63) / f) by two 64:64 divisions (the dividend is a power of two).
                const std::uint64_t x1 = std::uint64_t{1} << (shift + 31);
                const std::uint64_t t1 = x1 / f;
                const std::uint64_t x0 = (f - 1) + ((x1 % f) << 32);
                const std::uint64_t t0 = x0 / f;
                e.rcp = t0 + (t1 << 32);
                e.shift = shift - 1;
                e.bias = start;
            }
        }
        start += f;
    }
}

double RansCodec::min_bits_per_symbol() const {
    const std::uint32_t fmax = freqs_.empty() ? 0 : *std::max_element(freqs_.begin(), freqs_.end());
    if (fmax == 0) return 0.0;
    return std::log2(static_cast<double>(std::uint64_t{1} << k_) / fmax);
}

template <class Sym>
std::vector<std::uint8_t> RansCodec::encode(const Sym* symbols, std::size_t n) const {
    std::vector<std::uint8_t> out;
    encode_to(symbols, n, [&out](std::size_t size) {
        out.resize(size);
        return out.data();
    });
    return out;
}

template <class Sym>
void RansCodec::encode_to(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const {
    const std::size_t a = freqs_.size();
    // Bounds first (a max reduction the compiler vectorises); absent symbols (x_max == 0) are
    // caught in the coding loop itself, so the data is read once more, not twice.
    Sym top = 0;  // in the symbol type, so that the loop becomes packed max instructions
    for (std::size_t i = 0; i < n; ++i) top = symbols[i] > top ? symbols[i] : top;
    if (n && std::size_t{top} >= a) throw std::invalid_argument("symbols contain a value with frequency 0 or outside the alphabet");
    // At most one word per symbol (a state below 2^63 drops under x_max after one shift), plus
    // the lanes' states; words are written backwards from the end, little-endian.
    const std::size_t cap = 4 * (n + 2 * kRansLanes);
    const std::unique_ptr<std::uint8_t[]> buf(new std::uint8_t[cap]);
    std::uint8_t* const end = buf.get() + cap;
    std::uint8_t* p = end;
    std::uint64_t x0 = kLow, x1 = kLow, x2 = kLow, x3 = kLow;
    const EncSymbol* es = enc_.data();
    bool missing = false;
    // Branch-free renormalisation: the word is always stored below p (p never gets within 8
    // words of the buffer's start), and p moves only when it is kept. Each lane's chain is
    // independent; only the pointer is shared.
#define IK_ENC(xk, idx)                                                         \
    {                                                                           \
        const EncSymbol& e = es[symbols[idx]];                                  \
        std::uint64_t v = xk;                                                   \
        missing |= e.x_max == 0;                                                \
        const bool emit = v >= e.x_max;                                         \
        store_le32(p - 4, static_cast<std::uint32_t>(v));                       \
        p -= emit ? 4 : 0;                                                      \
        v = emit ? v >> 32 : v;                                                 \
        xk = v + e.bias + (mulhi64(v, e.rcp) >> e.shift) * e.cmpl;              \
    }
    std::size_t i = n;
    // The last n % 4 symbols first, so that the rest comes in whole groups of four lanes.
    while (i % kRansLanes) {
        --i;
        switch (i % kRansLanes) {
            case 0: IK_ENC(x0, i) break;
            case 1: IK_ENC(x1, i) break;
            default: IK_ENC(x2, i) break;
        }
    }
    while (i >= kRansLanes) {
        i -= kRansLanes;
        IK_ENC(x3, i + 3)
        IK_ENC(x2, i + 2)
        IK_ENC(x1, i + 1)
        IK_ENC(x0, i)
    }
#undef IK_ENC
    if (missing) throw std::invalid_argument("symbols contain a value with frequency 0 or outside the alphabet");
    const std::uint64_t xs[kRansLanes] = {x0, x1, x2, x3};
    for (int lane = kRansLanes - 1; lane >= 0; --lane) {
        p -= 8;
        store_le32(p, static_cast<std::uint32_t>(xs[lane]));
        store_le32(p + 4, static_cast<std::uint32_t>(xs[lane] >> 32));
    }
    const auto used = static_cast<std::size_t>(end - p);
    std::memcpy(alloc(used), p, used);
}

template <class Sym>
void RansCodec::decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    if (sizeof(Sym) == 1 && freqs_.size() > 256) throw std::invalid_argument("alphabet too large for uint8 output");
    if (size % 4 != 0) throw DecodeError("rANS payload is not a whole number of words");
    const std::size_t nwords = size / 4;
    if (nwords < 2 * kRansLanes) throw DecodeError("rANS payload shorter than its lane states");
    if (n > 0 && slot_.empty()) throw DecodeError("rANS model has no symbols");
    std::uint64_t x[kRansLanes];
    for (int lane = 0; lane < kRansLanes; ++lane) {
        x[lane] = load_le32(data + 8 * lane) | static_cast<std::uint64_t>(load_le32(data + 8 * lane + 4)) << 32;
        if (x[lane] < kLow || x[lane] >> 63) throw DecodeError("rANS lane state out of range");
    }
    if (!slot8_.empty()) return decode_with(slot8_.data(), data, size, out, n);
    decode_with(slot_.data(), data, size, out, n);
}

template <class Slot, class Sym>
void RansCodec::decode_with(const Slot* slot, const std::uint8_t* data, std::size_t size, Sym* out,
                            std::size_t n) const {
    const std::size_t nwords = size / 4;
    std::uint64_t x[kRansLanes];
    for (int lane = 0; lane < kRansLanes; ++lane)
        x[lane] = load_le32(data + 8 * lane) | static_cast<std::uint64_t>(load_le32(data + 8 * lane + 4)) << 32;
    std::size_t pos = 2 * kRansLanes;
    const std::uint64_t mask = (std::uint64_t{1} << k_) - 1;
    const DecSymbol* ds = dec_.data();
    const int k = k_;
    // States in named locals (not the array) so the byte stores to `out` cannot alias them.
    // The refill stays a branch: a branch-free select made every lane wait for the previous
    // lanes' word positions, serialising the four chains, and measured slower.
    std::uint64_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
#define IK_DEC(xk, idx)                                                             \
    {                                                                               \
        const std::uint64_t v = xk;                                                 \
        const std::uint32_t sl = static_cast<std::uint32_t>(v & mask);              \
        const std::uint32_t s = slot[sl];                                           \
        const DecSymbol d = ds[s];                                                  \
        const std::uint64_t nx = d.freq * (v >> k) + sl - d.start;                  \
        if (nx < kLow) {                                                            \
            xk = nx << 32 | load_le32(data + 4 * pos);                              \
            ++pos;                                                                  \
        } else {                                                                    \
            xk = nx;                                                                \
        }                                                                           \
        out[idx] = static_cast<Sym>(s);                                             \
    }
    std::size_t i = 0;
    for (; i + kRansLanes <= n && pos + kRansLanes <= nwords; i += kRansLanes) {
        IK_DEC(x0, i)
        IK_DEC(x1, i + 1)
        IK_DEC(x2, i + 2)
        IK_DEC(x3, i + 3)
    }
#undef IK_DEC
    x[0] = x0, x[1] = x1, x[2] = x2, x[3] = x3;
    // Tail, bounded: past the end a zero word keeps going; the final position check rejects it.
    for (; i < n; ++i) {
        std::uint64_t& st = x[i % kRansLanes];
        const std::uint64_t v = st;
        const std::uint32_t sl = static_cast<std::uint32_t>(v & mask);
        const std::uint32_t s = slot[sl];
        const DecSymbol d = ds[s];
        std::uint64_t nx = d.freq * (v >> k) + sl - d.start;
        if (nx < kLow) {
            const std::uint32_t w = pos < nwords ? load_le32(data + 4 * pos) : 0u;
            ++pos;
            nx = nx << 32 | w;
        }
        st = nx;
        out[i] = static_cast<Sym>(s);
    }
    if (pos != nwords) throw DecodeError("rANS payload length does not match its symbols");
    for (auto v : x)
        if (v != kLow) throw DecodeError("rANS final state mismatch (corrupt payload)");
}

void RansCodec::serialize(ByteWriter& w) const {
    w.u8(static_cast<std::uint32_t>(k_));
    w.u32(static_cast<std::uint32_t>(freqs_.size()));
    write_zero_runs(w, freqs_, [&w](std::uint32_t f) { w.varint(f); });
}

RansCodec RansCodec::deserialize(ByteReader& r) {
    const int k = static_cast<int>(r.u8("rANS precision"));
    if (k < 1 || k > kRansMaxPrecision) throw DecodeError("rANS precision out of range");
    const std::uint32_t a = r.u32("rANS alphabet size");
    if (a > 65536) throw DecodeError("rANS alphabet larger than 65536");
    auto f = read_zero_runs<std::uint32_t>(r, a, [&r, k] {
        const std::uint64_t v = r.varint("rANS frequency");
        // Checked before narrowing, so a huge varint cannot wrap to a plausible frequency.
        if (v > (std::uint64_t{1} << k)) throw DecodeError("rANS frequency above 2^precision");
        return static_cast<std::uint32_t>(v);
    }, "rANS zero run");
    return RansCodec(std::move(f), k);
}

template std::vector<std::uint8_t> RansCodec::encode<std::uint8_t>(const std::uint8_t*, std::size_t) const;
template std::vector<std::uint8_t> RansCodec::encode<std::uint16_t>(const std::uint16_t*, std::size_t) const;
template void RansCodec::encode_to<std::uint8_t>(const std::uint8_t*, std::size_t, const ByteAlloc&) const;
template void RansCodec::encode_to<std::uint16_t>(const std::uint16_t*, std::size_t, const ByteAlloc&) const;
template void RansCodec::decode<std::uint8_t>(const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t) const;
template void RansCodec::decode<std::uint16_t>(const std::uint8_t*, std::size_t, std::uint16_t*, std::size_t) const;

}  // namespace infokit::coding
