#include "infokit/legacy_normal.hpp"

#include <cmath>
#include <stdexcept>

namespace infokit::detail {

namespace {

constexpr std::size_t kN = 624, kM = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfu, kUpper = 0x80000000u, kLower = 0x7fffffffu;

// MT19937's regeneration of the whole key, as NumPy's mt19937_gen.
void regenerate(std::uint32_t* key) {
    auto twist = [&](std::size_t i, std::uint32_t next, std::uint32_t far) {
        const std::uint32_t y = (key[i] & kUpper) | (next & kLower);
        key[i] = far ^ (y >> 1) ^ ((0u - (y & 1u)) & kMatrixA);
    };
    std::size_t i = 0;
    for (; i < kN - kM; ++i) twist(i, key[i + 1], key[i + kM]);
    for (; i < kN - 1; ++i) twist(i, key[i + 1], key[i + kM - kN]);
    twist(kN - 1, key[0], key[kM - 1]);
}

std::uint32_t temper(std::uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

// Tempers the key's words from `first` on.
void fill_from(const LegacyNormalState& st, std::uint32_t* tempered, std::size_t first) {
    for (std::size_t i = first; i < kN; ++i) tempered[i] = temper(st.key[i]);
}

std::uint32_t next_word(LegacyNormalState& st, std::uint32_t* tempered) {
    if (st.pos == kN) {
        regenerate(st.key);
        fill_from(st, tempered, 0);
        st.pos = 0;
    }
    return tempered[st.pos++];
}

// NumPy's mt19937_next_double: 53 random bits from two words.
double next_double(LegacyNormalState& st, std::uint32_t* tempered) {
    const auto a = static_cast<std::int32_t>(next_word(st, tempered) >> 5);
    const auto b = static_cast<std::int32_t>(next_word(st, tempered) >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

// legacy_gauss's polar method up to its accepted point (x1, x2) in the unit disc; returns
// r2 = x1^2 + x2^2. Each rounding as there (the build contracts no product into an FMA, so r2
// and hence every rejection are the same).
double accepted_point(LegacyNormalState& st, std::uint32_t* tempered, double& x1, double& x2) {
    double r2;
    do {
        x1 = 2.0 * next_double(st, tempered) - 1.0;
        x2 = 2.0 * next_double(st, tempered) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    return r2;
}

}  // namespace

LegacyNormals::LegacyNormals(LegacyNormalState& st) : st_(st) {
    if (st.pos > kN) throw std::invalid_argument("MT19937 state position must lie in 0..624");
    fill_from(st, tempered_, st.pos);
}

void LegacyNormals::draw(std::size_t n, double* out) {
    std::size_t i = 0;
    if (i < n && st_.has_gauss) {
        out[i++] = st_.gauss;
        st_.has_gauss = false;
        st_.gauss = 0.0;
    }
    while (i < n) {
        double x1, x2;
        const double r2 = accepted_point(st_, tempered_, x1, x2);
        const double f = std::sqrt(-2.0 * std::log(r2) / r2);
        out[i++] = f * x2;
        if (i == n) {
            st_.has_gauss = true;
            st_.gauss = f * x1;
        } else {
            out[i++] = f * x1;
        }
    }
}

void LegacyNormals::accepted_points(std::size_t n, double* xy) {
    for (std::size_t i = 0; i < n; ++i) {
        double x1, x2;
        accepted_point(st_, tempered_, x1, x2);
        xy[2 * i] = x1;
        xy[2 * i + 1] = x2;
    }
}

}  // namespace infokit::detail
