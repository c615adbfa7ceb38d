#include "infokit/sorted_marginal.hpp"


#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

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

// Offsets read at once around the guess: the guesses are off by about the square root of the
// count (a few tens at KSG's counts of hundreds), so a window this wide holds the boundary
// most of the time, and reading all of it without a branch on the data (a loop the compiler
// vectorises) costs less than the mispredicted branches of a scan that stops at the boundary.
constexpr std::size_t kWindow = 32;

// From lo with in(lo) (lo = 0 included), the first offset outside in (lo, last + 1]: a gallop
// up, then a bisection.
template <class In>
std::size_t gallop_up(In in, std::size_t lo, std::size_t last) {
    std::size_t hi;
    for (std::size_t step = 1;; step *= 2) {
        hi = lo + step;
        if (hi > last) {
            hi = last + 1;
            break;
        }
        if (!in(hi)) break;
        lo = hi;
    }
    return bisect(in, lo, hi);
}

// From hi >= 1 with !in(hi), the first offset outside in [1, hi]: a gallop down (offset 0
// always holds), then a bisection.
template <class In>
std::size_t gallop_down(In in, std::size_t hi) {
    std::size_t lo;
    for (std::size_t step = 1;; step *= 2) {
        if (step >= hi) {
            lo = 0;
            break;
        }
        lo = hi - step;
        if (in(lo)) break;
        hi = lo;
    }
    return bisect(in, lo, hi);
}

// #{t < kWindow : |p[t] - x| <= r}, two lanes at a time where SSE2 is there (every x86-64):
// the same comparison as the scalar loop, so the same count.
std::size_t window_count(const double* p, double x, double r) {
#if defined(__SSE2__) || defined(_M_X64)
    const __m128d vx = _mm_set1_pd(x), vr = _mm_set1_pd(r), sign = _mm_set1_pd(-0.0);
    __m128i acc = _mm_setzero_si128();
    for (std::size_t t = 0; t < kWindow; t += 2) {
        const __m128d d = _mm_andnot_pd(sign, _mm_sub_pd(_mm_loadu_pd(p + t), vx));
        acc = _mm_sub_epi64(acc, _mm_castpd_si128(_mm_cmple_pd(d, vr)));  // a true lane is -1
    }
    alignas(16) std::uint64_t lanes[2];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), acc);
    return static_cast<std::size_t>(lanes[0] + lanes[1]);
#else
    std::size_t c = 0;
    for (std::size_t t = 0; t < kWindow; ++t) c += std::fabs(p[t] - x) <= r;
    return c;
#endif
}

// The first offset o in [1, last + 1] with !in(o) (last + 1: none), in(0) holding and in()
// monotone, expected near `guess`; count(w) is the number of offsets inside among
// [w, w + kWindow). The predicate is monotone, so that number is where it flips when it is
// neither 0 nor the window's width; otherwise the search gallops on from the window's edge.
// Short ranges are counted whole.
template <class In, class Count>
std::size_t first_out(In in, Count count, std::size_t last, std::size_t guess) {
    if (last < kWindow) {
        std::size_t c = 0;
        for (std::size_t o = 1; o <= last; ++o) c += in(o);
        return c + 1;
    }
    const std::size_t g = std::clamp<std::size_t>(guess, 1, last);
    const std::size_t w = std::min(g > kWindow / 2 ? g - kWindow / 2 : 1, last + 1 - kWindow);
    const std::size_t c = count(w);
    if (c == kWindow) return gallop_up(in, w + kWindow - 1, last);
    if (c == 0) return w == 1 ? 1 : gallop_down(in, w);
    return w + c;
}

// Offsets of the first probe of the interpolation: near KSG's smaller marginal counts, so
// that the second probe, placed by the first, lands within a few points of the boundary.
constexpr std::size_t kProbe = 64;

// The guessed first offset outside on one side, where gap(o) = |v[pos +- o] - x| is the
// distance of offset o (monotone): two interpolation steps, each reading the gap at an
// offset and scaling it to r. Each query's guess depends on its own data only, so the
// processor overlaps successive queries instead of waiting for one to finish before the next
// can start, as a guess carried from query to query makes it.
template <class Gap>
std::size_t interpolated_guess(Gap gap, double r, std::size_t last) {
    const auto scaled = [&](std::size_t o) {  // o r / gap(o), clamped to [1, last]; NaN: last
        const double g = static_cast<double>(o) * (r / gap(o));
        return g < static_cast<double>(last) ? std::max<std::size_t>(1, static_cast<std::size_t>(g)) : last;
    };
    return scaled(scaled(std::min(kProbe, last)));
}

}  // namespace

void counts_around_interpolated(const double* v, std::size_t n, std::size_t first, std::size_t m, const double* r,
                                std::size_t* out) {
    // Queries a batch: all their guesses first, then all their windows, so that each loop's
    // iterations are independent and the processor overlaps the dependent loads and divisions
    // of one query with those of the next few.
    constexpr std::size_t kBatch = 64;
    std::size_t up[kBatch], down[kBatch];
    for (std::size_t b = 0; b < m; b += kBatch) {
        const std::size_t e = std::min(m, b + kBatch);
        for (std::size_t i = b; i < e; ++i) {
            const std::size_t pos = first + i;
            const double x = v[pos];
            const std::size_t up_last = n - 1 - pos, down_last = pos;
            up[i - b] = up_last < kWindow ? 0 : interpolated_guess([&](std::size_t o) { return v[pos + o] - x; }, r[i], up_last);
            down[i - b] =
                down_last < kWindow ? 0 : interpolated_guess([&](std::size_t o) { return x - v[pos - o]; }, r[i], down_last);
        }
        for (std::size_t i = b; i < e; ++i) {
            const std::size_t pos = first + i;
            const double x = v[pos], ri = r[i];
            // The window of offsets [w, w + kWindow) is one contiguous run of v on either side.
            const std::size_t up_end =
                first_out([&](std::size_t o) { return std::fabs(v[pos + o] - x) <= ri; },
                          [&](std::size_t w) { return window_count(v + pos + w, x, ri); }, n - 1 - pos, up[i - b]);
            const std::size_t down_end =
                first_out([&](std::size_t o) { return std::fabs(v[pos - o] - x) <= ri; },
                          [&](std::size_t w) { return window_count(v + pos - (w + kWindow - 1), x, ri); }, pos,
                          down[i - b]);
            out[i] = up_end + down_end - 1;  // (up_end - 1) above, (down_end - 1) below, and pos itself
        }
    }
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

// A stable LSD radix sort of the full keys with 32-bit indices, 11 bits a pass: the
// histograms of all six digits come from one read, passes where all keys share the digit are
// skipped, and a pass moves 12 bytes an element. Stability gives the index tie-break.
void radix_sort_full(const double* v, std::size_t n, double* vals, std::size_t* order) {
    constexpr int kBits = 11, kPasses = (64 + kBits - 1) / kBits;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    ScratchVector<std::uint64_t> key(n), key2(n);
    ScratchVector<std::uint32_t> idx(n), idx2(n);
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

// The sort by the keys' upper 32 bits alone, then an insertion sort by the full keys: the
// upper 32 bits hold the sign, the exponent and 20 bits of the mantissa, so among
// continuous data they almost never tie, and the insertion sort only checks that each key
// is in place. Each word packs (upper key, index), so a radix pass (11, 11 and 10 bits of the
// upper key) moves 8 bytes an element and the index tie-break comes with the words' order.
// Data whose upper bits tie a lot (values a hair apart, many duplicates with their lower
// bits out of order) costs the insertion sort too many moves: it gives up after n of them
// and the full sort runs instead. Returns false then (order holds scratch values).
bool radix_sort_upper(const double* v, std::size_t n, double* vals, std::size_t* order) {
    constexpr int kDigits[3] = {11, 11, 10};
    constexpr std::size_t kBuckets = std::size_t{1} << 11;
    ScratchVector<std::uint64_t> word(n), word2(n);
    std::vector<std::uint32_t> hist(3 * kBuckets, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t w = (key_of(v[i]) & ~std::uint64_t{0xffffffff}) | i;
        word[i] = w;
        ++hist[(w >> 32) & (kBuckets - 1)];
        ++hist[kBuckets + ((w >> 43) & (kBuckets - 1))];
        ++hist[2 * kBuckets + (w >> 54)];
    }
    for (int d = 0, shift = 32; d < 3; shift += kDigits[d], ++d) {
        std::uint32_t* off = hist.data() + d * kBuckets;
        const std::uint64_t mask = (std::uint64_t{1} << kDigits[d]) - 1;
        if (off[(word[0] >> shift) & mask] == n) continue;  // one digit: order unchanged
        std::uint32_t sum = 0;
        for (std::size_t b = 0; b < kBuckets; ++b) {
            const std::uint32_t c = off[b];
            off[b] = sum;
            sum += c;
        }
        for (std::size_t i = 0; i < n; ++i) word2[off[(word[i] >> shift) & mask]++] = word[i];
        word.swap(word2);
    }
    // Full keys in the order found, then the insertion sort (strictly greater keys move, so
    // equal keys keep their index order).
    std::uint64_t* key = word2.data();
    for (std::size_t p = 0; p < n; ++p) {
        const std::size_t i = static_cast<std::size_t>(word[p] & 0xffffffff);
        order[p] = i;
        key[p] = key_of(v[i]);
    }
    std::size_t moves = 0;
    for (std::size_t p = 1; p < n; ++p) {
        if (!(key[p - 1] > key[p])) continue;
        const std::uint64_t k = key[p];
        const std::size_t i = order[p];
        std::size_t q = p;
        for (; q > 0 && key[q - 1] > k; --q) {
            key[q] = key[q - 1];
            order[q] = order[q - 1];
        }
        key[q] = k;
        order[q] = i;
        moves += p - q;
        if (moves > n) return false;
    }
    for (std::size_t p = 0; p < n; ++p) vals[p] = value_of(key[p]);
    return true;
}

}  // namespace

// Several times faster than std::sort at 1e5 points, where the sorts are a large part of a
// KSG estimate.
void sort_by_value(const double* v, std::size_t n, double* vals, std::size_t* order) {
    for (std::size_t i = 0; i < n; ++i)
        if (std::isnan(v[i])) throw std::invalid_argument("values must not contain NaN");
    if (n < 512 || n > std::numeric_limits<std::uint32_t>::max()) {
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::stable_sort(order, order + n, [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
        for (std::size_t p = 0; p < n; ++p) vals[p] = v[order[p]] + 0.0;
        return;
    }
    if (!radix_sort_upper(v, n, vals, order)) radix_sort_full(v, n, vals, order);
}

SortedMarginal::SortedMarginal(const double* v, std::size_t n) : SortedMarginal(n) { sort(v); }

void SortedMarginal::sort(const double* v) {
    const std::size_t n = vals.size();
    sort_by_value(v, n, vals.data(), order.data());
    for (std::size_t p = 0; p < n; ++p) pos[order[p]] = p;
}

}  // namespace infokit::detail
