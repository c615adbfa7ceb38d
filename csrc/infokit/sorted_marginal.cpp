#include "infokit/sorted_marginal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

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
