#include "infokit/sorted_marginal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

namespace infokit::detail {

// Galloping doubles its step up to this, then strides by it: counts of hundreds (KSG's
// marginals) take a few predictable strides, and the last window is bisected without
// branches, where a gallop all the way mispredicted about half of its steps.
constexpr std::size_t kStride = 32;

// #{j : |v_j - v[pos]| <= r} on sorted v: the predicate holds on an interval around pos (the
// subtraction is monotone on each side), whose ends are found by galloping out from pos and
// then bisecting. The same predicate and rounding as SortedAxis::count_within, but the radii
// here are small, so the cost is about log(count) instead of log(n), near pos in the cache.
std::size_t count_around(const double* v, std::size_t n, std::size_t pos, double r) {
    const double x = v[pos];
    auto in = [&](std::size_t j) { return std::fabs(v[j] - x) <= r; };
    // Right end: in(lo); the first j > lo outside lies in (lo, hi] (hi = n: none).
    std::size_t lo = pos, hi, step = 1;
    for (;;) {
        hi = lo + step;
        if (hi >= n) {
            hi = n;
            break;
        }
        if (!in(hi)) break;
        lo = hi;
        if (step < kStride) step *= 2;
    }
    for (std::size_t len = hi - lo; len > 1;) {
        const std::size_t half = len / 2;
        lo = in(lo + half) ? lo + half : lo;
        len -= half;
    }
    const std::size_t right = lo + 1;
    // Left end, as offsets back from pos: pos - in_off is inside; the first offset outside
    // lies in (in_off, out_off] (out_off = pos + 1: none).
    std::size_t in_off = 0, out_off;
    step = 1;
    for (;;) {
        out_off = in_off + step;
        if (out_off > pos) {
            out_off = pos + 1;
            break;
        }
        if (!in(pos - out_off)) break;
        in_off = out_off;
        if (step < kStride) step *= 2;
    }
    for (std::size_t len = out_off - in_off; len > 1;) {
        const std::size_t half = len / 2;
        in_off = in(pos - (in_off + half)) ? in_off + half : in_off;
        len -= half;
    }
    return right - (pos - in_off);
}

namespace {

// Bisects for the first offset outside in (lo, hi], given in(lo) (lo = 0 always holds), with
// no branch on the data.
template <class In>
std::size_t bisect(In in, std::size_t lo, std::size_t hi) {
    for (std::size_t len = hi - lo; len > 1;) {
        const std::size_t half = len / 2;
        lo = in(lo + half) ? lo + half : lo;
        len -= half;
    }
    return lo + 1;
}

// The first offset o in [1, last + 1] with !in(o) (last + 1: none), in(0) holding and in()
// monotone, expected near `guess` within `slack`: two checks confirm the window around the
// guess (almost always, so they predict well) and a bisection finds it there; otherwise a
// gallop out from the guess finds a window first.
template <class In>
std::size_t first_out(In in, std::size_t last, std::size_t guess, std::size_t slack) {
    if (last == 0) return 1;
    const std::size_t g = std::clamp<std::size_t>(guess, 1, last);
    std::size_t lo = g > slack ? g - slack : 0, hi = std::min(last + 1, g + slack);
    if ((lo == 0 || in(lo)) && (hi == last + 1 || !in(hi))) return bisect(in, lo, hi);
    if (in(g)) {
        lo = g;
        for (std::size_t step = 1;; step *= 2) {
            hi = lo + step;
            if (hi > last) {
                hi = last + 1;
                break;
            }
            if (!in(hi)) break;
            lo = hi;
        }
    } else {
        hi = g;
        for (std::size_t step = 1;; step *= 2) {
            if (step >= hi) {
                lo = 0;
                break;
            }
            lo = hi - step;
            if (in(lo)) break;
            hi = lo;
        }
    }
    return bisect(in, lo, hi);
}

// The guessed first offset outside, from a density and a radius, and the slack around it: the
// counts scatter like Poisson counts, about the square root of the count either way.
std::pair<std::size_t, std::size_t> guess_offset(double density, double r, std::size_t last) {
    const double g = density * r;
    if (!(g < static_cast<double>(last))) return {last, 1};  // also NaN
    return {static_cast<std::size_t>(g) + 1, static_cast<std::size_t>(3.0 * std::sqrt(g)) + 4};
}

}  // namespace

std::size_t SweepCounter::count(const double* v, std::size_t n, std::size_t pos, double r) {
    const double x = v[pos];
    const std::size_t up_last = n - 1 - pos, down_last = pos;
    const auto [gu, su] = guess_offset(up_, r, up_last);
    const auto [gd, sd] = guess_offset(down_, r, down_last);
    const std::size_t up = first_out([&](std::size_t o) { return std::fabs(v[pos + o] - x) <= r; }, up_last, gu, su);
    const std::size_t down =
        first_out([&](std::size_t o) { return std::fabs(v[pos - o] - x) <= r; }, down_last, gd, sd);
    if (r > 0.0 && r < std::numeric_limits<double>::infinity()) {
        // A moving average over the last few queries: a steadier guess than the last alone.
        up_ += 0.25 * (static_cast<double>(up - 1) / r - up_);
        down_ += 0.25 * (static_cast<double>(down - 1) / r - down_);
    }
    return up + down - 1;  // (up - 1) above, (down - 1) below, and pos itself
}

// Sorts pairs by (value, index) when they arrive in increasing index order: a stable LSD radix
// sort on the value's bits mapped to an order-preserving unsigned key, 11 bits a pass, passes
// where all keys share the digit skipped. Stability gives the index tie-break; -0.0 is keyed
// as +0.0 because they compare equal. A few times faster than std::sort at 1e5 points, where
// the sorts were the largest cost left. Values must not be NaN.
void sort_keyed_in_index_order(std::vector<Keyed>& a) {
    const std::size_t n = a.size();
    if (n < 512) {
        std::sort(a.begin(), a.end());
        return;
    }
    std::vector<std::uint64_t> key(n), key2(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t u;
        const double v = a[i].v + 0.0;  // -0.0 + 0.0 is +0.0
        std::memcpy(&u, &v, sizeof u);
        key[i] = (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));
    }
    std::vector<Keyed> b(n);
    constexpr int kBits = 11;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    std::vector<std::size_t> off(kBuckets);
    for (int shift = 0; shift < 64; shift += kBits) {
        std::fill(off.begin(), off.end(), 0);
        for (std::size_t i = 0; i < n; ++i) ++off[(key[i] >> shift) & (kBuckets - 1)];
        if (off[(key[0] >> shift) & (kBuckets - 1)] == n) continue;  // one digit: order unchanged
        std::size_t sum = 0;
        for (std::size_t d = 0; d < kBuckets; ++d) {
            const std::size_t c = off[d];
            off[d] = sum;
            sum += c;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t o = off[(key[i] >> shift) & (kBuckets - 1)]++;
            b[o] = a[i];
            key2[o] = key[i];
        }
        a.swap(b);
        key.swap(key2);
    }
}


SortedMarginal::SortedMarginal(const double* v, std::size_t n) : vals(n), pos(n), order(n) {
    std::vector<Keyed> kv(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(v[i])) throw std::invalid_argument("values must not contain NaN");
        kv[i] = {v[i], i};
    }
    sort_keyed_in_index_order(kv);
    for (std::size_t p = 0; p < n; ++p) {
        vals[p] = kv[p].v;
        pos[kv[p].i] = p;
        order[p] = kv[p].i;
    }
}
}  // namespace infokit::detail
