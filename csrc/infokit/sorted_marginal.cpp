#include "infokit/sorted_marginal.hpp"

#include "infokit/parallel.hpp"

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

// Offsets a linear scan from the guess reads in one block, and blocks it reads before it
// gallops instead: the guesses are off by about the square root of the count, a few blocks.
constexpr std::size_t kBlock = 8, kBlocks = 8;

// The first offset o in [1, last + 1] with !in(o) (last + 1: none), in(0) holding and in()
// monotone, expected near `guess`: a scan from the guess towards the boundary, a block of
// offsets at a time, counting the block's offsets inside without branches (the predicate is
// monotone, so the count is where it flips); independent loads, unlike a bisection's chain
// of dependent ones, and one mispredicted branch at the block that holds the boundary. A
// guess farther off than kBlocks blocks falls back to a gallop and a bisection.
template <class In>
std::size_t first_out(In in, std::size_t last, std::size_t guess) {
    if (last == 0) return 1;
    const std::size_t g = std::clamp<std::size_t>(guess, 1, last);
    std::size_t lo, hi;  // in(lo) (lo = 0 included); the first offset outside is in (lo, hi]
    if (in(g)) {
        lo = g;
        for (std::size_t b = 0; b < kBlocks && lo + kBlock <= last; ++b, lo += kBlock) {
            std::size_t c = 0;
            for (std::size_t t = 1; t <= kBlock; ++t) c += in(lo + t);
            if (c < kBlock) return lo + c + 1;
        }
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
        for (std::size_t b = 0; b < kBlocks && hi > kBlock; ++b, hi -= kBlock) {
            std::size_t c = 0;
            for (std::size_t t = 1; t <= kBlock; ++t) c += in(hi - t);
            if (c > 0) return hi - kBlock + c;
        }
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

// The guessed first offset outside, from a density and a radius.
std::size_t guess_offset(double density, double r, std::size_t last) {
    const double g = density * r;
    return g < static_cast<double>(last) ? static_cast<std::size_t>(g) + 1 : last;  // NaN: last
}

}  // namespace

std::size_t SweepCounter::count(const double* v, std::size_t n, std::size_t pos, double r) {
    const double x = v[pos];
    const std::size_t up_last = n - 1 - pos, down_last = pos;
    const std::size_t up = first_out([&](std::size_t o) { return std::fabs(v[pos + o] - x) <= r; }, up_last,
                                     guess_offset(up_, r, up_last));
    const std::size_t down = first_out([&](std::size_t o) { return std::fabs(v[pos - o] - x) <= r; }, down_last,
                                       guess_offset(down_, r, down_last));
    if (r > 0.0 && r < std::numeric_limits<double>::infinity()) {
        // A moving average over the last few queries: a steadier guess than the last alone.
        up_ += 0.25 * (static_cast<double>(up - 1) / r - up_);
        down_ += 0.25 * (static_cast<double>(down - 1) / r - down_);
    }
    return up + down - 1;  // (up - 1) above, (down - 1) below, and pos itself
}

namespace {

// An order-preserving unsigned key of a double (not NaN) and back; -0.0 is keyed as +0.0
// because they compare equal (and give the same differences, so the value read back serves).
std::uint64_t key_of(double v) {
    v += 0.0;  // -0.0 + 0.0 is +0.0
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));
}

double value_of(std::uint64_t key) {
    const std::uint64_t u = (key >> 63) ? key ^ (std::uint64_t{1} << 63) : ~key;
    double v;
    std::memcpy(&v, &u, sizeof v);
    return v;
}

}  // namespace

// A stable LSD radix sort of the keys with 32-bit indices, 11 bits a pass: the histograms of
// all six digits come from one read, passes where all keys share the digit are skipped, and
// a pass moves 12 bytes an element. Stability gives the index tie-break. Several times faster
// than std::sort at 1e5 points, where the sorts are a large part of a KSG estimate.
void sort_by_value(const double* v, std::size_t n, double* vals, std::size_t* order) {
    for (std::size_t i = 0; i < n; ++i)
        if (std::isnan(v[i])) throw std::invalid_argument("values must not contain NaN");
    if (n < 512 || n > std::numeric_limits<std::uint32_t>::max()) {
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::stable_sort(order, order + n, [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
        for (std::size_t p = 0; p < n; ++p) vals[p] = v[order[p]] + 0.0;
        return;
    }
    constexpr int kBits = 11, kPasses = (64 + kBits - 1) / kBits;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    std::vector<std::uint64_t> key(n), key2(n);
    std::vector<std::uint32_t> idx(n), idx2(n);
    std::vector<std::uint32_t> hist(kPasses * kBuckets, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = key_of(v[i]);
        key[i] = k;
        idx[i] = static_cast<std::uint32_t>(i);
        for (int d = 0; d < kPasses; ++d) ++hist[d * kBuckets + ((k >> (d * kBits)) & (kBuckets - 1))];
    }
    for (int d = 0; d < kPasses; ++d) {
        const int shift = d * kBits;
        std::uint32_t* off = hist.data() + d * kBuckets;
        if (off[(key[0] >> shift) & (kBuckets - 1)] == n) continue;  // one digit: order unchanged
        std::uint32_t sum = 0;
        for (std::size_t b = 0; b < kBuckets; ++b) {
            const std::uint32_t c = off[b];
            off[b] = sum;
            sum += c;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t o = off[(key[i] >> shift) & (kBuckets - 1)]++;
            key2[o] = key[i];
            idx2[o] = idx[i];
        }
        key.swap(key2);
        idx.swap(idx2);
    }
    for (std::size_t p = 0; p < n; ++p) {
        vals[p] = value_of(key[p]);
        order[p] = idx[p];
    }
}

SortedMarginal::SortedMarginal(const double* v, std::size_t n) : vals(n), pos(n), order(n) {
    sort_by_value(v, n, vals.data(), order.data());
    for (std::size_t p = 0; p < n; ++p) pos[order[p]] = p;
}

std::pair<MarginalPtr, MarginalPtr> sorted_pair(const double* x, const double* y, std::size_t n, int threads) {
    MarginalPtr xm, ym;
    parallel_for<true>(2, threads,
                       [&](std::size_t t) { (t == 0 ? xm : ym) = std::make_unique<SortedMarginal>(t == 0 ? x : y, n); });
    return {std::move(xm), std::move(ym)};
}

}  // namespace infokit::detail
