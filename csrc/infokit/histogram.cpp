#include "infokit/histogram.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "infokit/dispatch.hpp"
#include "infokit/parallel.hpp"

namespace infokit {
namespace {

// Samples below this count stay on one thread: a private table per thread costs more.
constexpr std::size_t kMinSamplesPerPart = std::size_t{1} << 16;
// A part's private counts are int32 (half the cache footprint of int64), so no part may
// hold 2^31 samples.
constexpr std::size_t kMaxSamplesPerPart = std::size_t{1} << 30;

// Number of parts (each with a private table) for n samples: integer counts add exactly, so
// the merged table is the same whatever the split.
std::size_t part_count(std::size_t n, int threads, std::size_t table_cells) {
    std::size_t parts = static_cast<std::size_t>(threads);
    // A private table larger than its part's samples is mostly zeros to clear and merge.
    parts = std::min(parts, std::max<std::size_t>(1, n / std::max(kMinSamplesPerPart, table_cells)));
    parts = std::max(parts, (n + kMaxSamplesPerPart - 1) / kMaxSamplesPerPart);
    return std::max<std::size_t>(parts, 1);
}

// Bin index along one axis; `ok` reports whether the sample lies within the edges (false for
// NaN). Branch-free on the uniform path so the fill loop pipelines.
struct AxisIndexer {
    const double* e = nullptr;     // the edges
    const double* e_up = nullptr;  // the edges with the last one replaced by +inf (see below)
    double lo = 0, hi = 0, inv = 0, top = 0;  // top = nbins - 1 as a double
    std::ptrdiff_t nb = 0;

    AxisIndexer() = default;

    AxisIndexer(const BinAxis& a, const double* up)
        : e(a.edges), e_up(up), lo(a.edges[0]), hi(a.edges[a.nbins]),
          inv(static_cast<double>(a.nbins) / (a.edges[a.nbins] - a.edges[0])),
          top(static_cast<double>(a.nbins - 1)), nb(static_cast<std::ptrdiff_t>(a.nbins)) {}

    inline std::ptrdiff_t uniform(double v, bool& ok) const {
        ok = v >= lo && v <= hi;
        // A multiply by the inverse width, not a division; the guess is within one bin of the
        // true one and two edge comparisons make it exact (np.histogram's rule). The upward
        // test reads +inf past the last bin, so the last edge stays in the last bin.
        double f = (v - lo) * inv;
        f = f >= 0.0 ? f : 0.0;
        f = f < top ? f : top;  // also catches NaN
        std::ptrdiff_t k = static_cast<std::ptrdiff_t>(f);
        k -= static_cast<std::ptrdiff_t>(v < e[k]);
        k += static_cast<std::ptrdiff_t>(v >= e_up[k + 1]);
        return k;
    }

    inline std::ptrdiff_t search(double v, bool& ok) const {
        ok = v >= lo && v <= hi;
        if (!ok) return 0;
        // Right-sided binary search: the bin holds edges[k] <= v < edges[k+1]; the last edge
        // itself belongs to the last bin.
        std::ptrdiff_t k = std::upper_bound(e, e + nb + 1, v) - e - 1;
        return k < nb ? k : nb - 1;
    }
};

template <class T, std::size_t D, bool Uniform>
void fill_part(const std::array<const T*, D>& col, const std::array<std::ptrdiff_t, D>& st,
               std::size_t begin, std::size_t end, const std::vector<AxisIndexer>& axes,
               std::size_t cells, std::int32_t* table) {
    std::array<AxisIndexer, D> ax;
    for (std::size_t d = 0; d < D; ++d) ax[d] = axes[d];
    // Two interleaved copies of the table (plus a discard cell each) break the dependency
    // between consecutive increments of the same cell; they are summed at the end.
    std::int32_t* t0 = table;
    std::int32_t* t1 = table + cells + 1;
    const auto discard = static_cast<std::ptrdiff_t>(cells);
    auto cell = [&](std::size_t i) -> std::ptrdiff_t {
        bool ok_all = true;
        std::ptrdiff_t flat = 0;
        for (std::size_t d = 0; d < D; ++d) {
            bool ok;
            const double v = static_cast<double>(col[d][static_cast<std::ptrdiff_t>(i) * st[d]]);
            const std::ptrdiff_t k = Uniform ? ax[d].uniform(v, ok) : ax[d].search(v, ok);
            ok_all &= ok;
            flat = flat * ax[d].nb + k;
        }
        return ok_all ? flat : discard;
    };
    std::size_t i = begin;
    for (; i + 4 <= end; i += 4) {
        const std::ptrdiff_t c0 = cell(i), c1 = cell(i + 1), c2 = cell(i + 2), c3 = cell(i + 3);
        ++t0[c0];
        ++t1[c1];
        ++t0[c2];
        ++t1[c3];
    }
    for (; i < end; ++i) ++t0[cell(i)];
    for (std::size_t c = 0; c < cells; ++c) t0[c] += t1[c];
}

// The block path for contiguous float64 columns: the ISA's kernel writes the cell of each
// sample of a block (one vectorised pass for a 2-d histogram, else one per axis), then one
// scalar pass increments the tables. Samples the kernel marks kBinCheck (within `margin` of
// an edge) get the exact scalar rule, so the counts are those of fill_part.
template <std::size_t D>
void fill_part_blocks(const std::array<const double*, D>& col, std::size_t begin, std::size_t end,
                      const std::array<simd::BinAxisParams, D>& bp, const simd::BinBlocks& bin,
                      const std::vector<AxisIndexer>& axes, bool uniform, std::size_t cells,
                      std::int32_t* table) {
    constexpr std::size_t kBlock = 512;  // 2 KiB of indices: stays in L1 with the tables
    std::uint32_t idx[kBlock];
    std::int32_t* t0 = table;
    std::int32_t* t1 = table + cells + 1;
    const auto discard = static_cast<std::uint32_t>(cells);
    auto exact = [&](std::size_t i) -> std::uint32_t {
        bool ok_all = true;
        std::ptrdiff_t flat = 0;
        for (std::size_t d = 0; d < D; ++d) {
            bool ok;
            const double v = col[d][i];
            const std::ptrdiff_t k = uniform ? axes[d].uniform(v, ok) : axes[d].search(v, ok);
            ok_all &= ok;
            flat = flat * axes[d].nb + k;
        }
        return ok_all ? static_cast<std::uint32_t>(flat) : discard;
    };
    auto slot = [&](std::size_t i, std::uint32_t c) -> std::uint32_t {
        if (c == simd::kBinCheck) c = exact(i);  // rare for continuous data: predicted
        return c < discard ? c : discard;       // kBinOut, too, lands in the discard cell
    };
    for (std::size_t s = begin; s < end; s += kBlock) {
        const std::size_t len = std::min(kBlock, end - s);
        if constexpr (D == 2) bin.pair(col[0] + s, col[1] + s, len, bp.data(), idx);
        else
            for (std::size_t d = 0; d < D; ++d) bin.axis(col[d] + s, len, &bp[d], idx, d == 0);
        std::size_t j = 0;
        for (; j + 4 <= len; j += 4) {
            const std::uint32_t c0 = slot(s + j, idx[j]), c1 = slot(s + j + 1, idx[j + 1]);
            const std::uint32_t c2 = slot(s + j + 2, idx[j + 2]), c3 = slot(s + j + 3, idx[j + 3]);
            ++t0[c0];
            ++t1[c1];
            ++t0[c2];
            ++t1[c3];
        }
        for (; j < len; ++j) ++t0[slot(s + j, idx[j])];
    }
    for (std::size_t c = 0; c < cells; ++c) t0[c] += t1[c];
}

// Sets up the kernel's view of one axis; false when the block path cannot bin it exactly.
bool bin_params(const BinAxis& a, simd::BinAxisParams& p) {
    const double lo = a.edges[0], hi = a.edges[a.nbins];
    if (!(hi > lo) || a.nbins >= (std::size_t{1} << 31)) return false;
    p.lo = lo;
    p.hi = hi;
    p.inv = static_cast<double>(a.nbins) / (hi - lo);  // as AxisIndexer, and as the kernel
    p.nb_d = static_cast<double>(a.nbins);
    p.nb = static_cast<std::uint32_t>(a.nbins);
    // The kernel trusts bin floor(f) when f's fraction lies in (margin, 1 - margin); that is
    // exact when margin >= |f(edges[k]) - k| for every edge (f is monotone in v). Doubled,
    // plus 2^-40, so no rounding in this bound can matter: it only sends a negligible share
    // of samples to the exact scalar rule.
    double m = 0.0;
    for (std::size_t k = 0; k <= a.nbins; ++k) {
        const double f = (a.edges[k] - lo) * p.inv;
        const double dev = f - static_cast<double>(k);
        m = std::max(m, dev < 0 ? -dev : dev);
        if (!(dev == dev)) return false;
    }
    p.margin = 2.0 * m + 0x1p-40;
    return p.margin < 0.25;  // wildly non-uniform edges: the scalar search is the better path
}

template <class T, std::size_t D>
bool try_blocks(const T* const*, const std::ptrdiff_t*, const BinAxis*,
                std::array<simd::BinAxisParams, D>&, simd::BinBlocks&, std::size_t) {
    return false;  // float32 samples keep the scalar path
}

template <std::size_t D>
bool try_blocks(const double* const*, const std::ptrdiff_t* strides, const BinAxis* axes,
                std::array<simd::BinAxisParams, D>& bp, simd::BinBlocks& bin, std::size_t cells) {
    bin = kernels().bin_f64;
    if (bin.axis == nullptr || bin.pair == nullptr || cells >= (std::size_t{1} << 31)) return false;
    for (std::size_t d = 0; d < D; ++d)
        if (strides[d] != 1 || !bin_params(axes[d], bp[d])) return false;
    return true;
}

template <class T, std::size_t D>
void histogram_d(const T* const* columns, const std::ptrdiff_t* strides, std::size_t n,
                 const BinAxis* axes, std::int64_t* counts, int n_threads) {
    std::array<const T*, D> col{};
    std::array<std::ptrdiff_t, D> st{};
    std::size_t cells = 1;
    for (std::size_t d = 0; d < D; ++d) {
        col[d] = columns[d];
        st[d] = strides[d];
        if (axes[d].nbins == 0) throw std::invalid_argument("bins must be positive");
        cells *= axes[d].nbins;
    }
    std::vector<std::vector<double>> upper(D);
    std::vector<AxisIndexer> ax;
    bool all_uniform = true;
    for (std::size_t d = 0; d < D; ++d) {
        upper[d].assign(axes[d].edges, axes[d].edges + axes[d].nbins + 1);
        upper[d].back() = std::numeric_limits<double>::infinity();
        ax.emplace_back(axes[d], upper[d].data());
        all_uniform = all_uniform && axes[d].uniform;
    }
    const int threads = n < 2 * kMinSamplesPerPart ? 1 : resolve_threads(n_threads);
    const std::size_t parts = part_count(n, threads, cells);
    const std::size_t stride = 2 * (cells + 1);
    std::vector<std::int32_t> tables(parts * stride, 0);
    std::array<simd::BinAxisParams, D> bp{};
    simd::BinBlocks bin{nullptr, nullptr};
    const bool blocks = try_blocks(columns, strides, axes, bp, bin, cells);
    parallel_for(parts, threads, [&](std::size_t p) {
        const std::size_t begin = n * p / parts, end = n * (p + 1) / parts;
        std::int32_t* t = tables.data() + p * stride;
        if constexpr (std::is_same_v<T, double>) {
            if (blocks) return fill_part_blocks<D>(col, begin, end, bp, bin, ax, all_uniform, cells, t);
        }
        if (all_uniform) fill_part<T, D, true>(col, st, begin, end, ax, cells, t);
        else fill_part<T, D, false>(col, st, begin, end, ax, cells, t);
    });
    // Merged in part order (exact integers in any order, but a fixed order costs nothing).
    std::fill(counts, counts + cells, std::int64_t{0});
    for (std::size_t p = 0; p < parts; ++p) {
        const std::int32_t* t = tables.data() + p * stride;
        for (std::size_t c = 0; c < cells; ++c) counts[c] += t[c];
    }
}

}  // namespace

template <class T>
void histogram(const T* const* columns, const std::ptrdiff_t* strides, std::size_t n,
               std::size_t ndim, const BinAxis* axes, std::int64_t* counts, int n_threads) {
    switch (ndim) {
        case 1: return histogram_d<T, 1>(columns, strides, n, axes, counts, n_threads);
        case 2: return histogram_d<T, 2>(columns, strides, n, axes, counts, n_threads);
        case 3: return histogram_d<T, 3>(columns, strides, n, axes, counts, n_threads);
        default: throw std::invalid_argument("histograms have 1, 2 or 3 dimensions");
    }
}

template void histogram<double>(const double* const*, const std::ptrdiff_t*, std::size_t, std::size_t,
                                const BinAxis*, std::int64_t*, int);
template void histogram<float>(const float* const*, const std::ptrdiff_t*, std::size_t, std::size_t,
                               const BinAxis*, std::int64_t*, int);

namespace {

// Four independent accumulators each so the compare-selects pipeline; NaN fails both
// comparisons and is tracked on its own.
template <class T>
void min_max_part(const T* x, std::ptrdiff_t stride, std::size_t begin, std::size_t end, double* out) {
    T lo[4], hi[4];
    bool nan = false;
    for (int a = 0; a < 4; ++a) lo[a] = hi[a] = x[static_cast<std::ptrdiff_t>(begin) * stride];
    std::size_t i = begin;
    for (; i + 4 <= end; i += 4) {
        for (int a = 0; a < 4; ++a) {
            const T v = x[static_cast<std::ptrdiff_t>(i + a) * stride];
            lo[a] = v < lo[a] ? v : lo[a];
            hi[a] = v > hi[a] ? v : hi[a];
            nan |= v != v;
        }
    }
    for (; i < end; ++i) {
        const T v = x[static_cast<std::ptrdiff_t>(i) * stride];
        lo[0] = v < lo[0] ? v : lo[0];
        hi[0] = v > hi[0] ? v : hi[0];
        nan |= v != v;
    }
    const T l = std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3]));
    const T h = std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]));
    const double q = std::numeric_limits<double>::quiet_NaN();
    // lo/hi were seeded with the first sample, which may itself be NaN: `nan` covers it.
    out[0] = nan || l != l ? q : static_cast<double>(l);
    out[1] = nan || h != h ? q : static_cast<double>(h);
}

#if defined(__SSE2__)
// Contiguous float64: two-lane minpd/maxpd, four vectors a step (SSE2 is in every x86-64
// baseline, so no dispatch is needed; GCC will not vectorise the compare-selects above
// without -ffinite-math-only). minpd(v, lo) keeps lo when v is NaN, so NaN is caught by a
// running sum instead, which also turns non-finite on inf or overflow: then the exact scalar
// loop redoes the part (only inputs that end in an error or an infinite range pay it).
void min_max_part_f64(const double* x, std::size_t begin, std::size_t end, double* out) {
    std::size_t i = begin;
    if (end - begin < 8) return min_max_part(x, 1, begin, end, out);
    __m128d lo0 = _mm_loadu_pd(x + i), lo1 = lo0, lo2 = lo0, lo3 = lo0;
    __m128d hi0 = lo0, hi1 = lo0, hi2 = lo0, hi3 = lo0;
    __m128d s0 = _mm_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
    for (; i + 8 <= end; i += 8) {
        const __m128d a = _mm_loadu_pd(x + i), b = _mm_loadu_pd(x + i + 2);
        const __m128d c = _mm_loadu_pd(x + i + 4), d = _mm_loadu_pd(x + i + 6);
        lo0 = _mm_min_pd(a, lo0); hi0 = _mm_max_pd(a, hi0); s0 = _mm_add_pd(s0, a);
        lo1 = _mm_min_pd(b, lo1); hi1 = _mm_max_pd(b, hi1); s1 = _mm_add_pd(s1, b);
        lo2 = _mm_min_pd(c, lo2); hi2 = _mm_max_pd(c, hi2); s2 = _mm_add_pd(s2, c);
        lo3 = _mm_min_pd(d, lo3); hi3 = _mm_max_pd(d, hi3); s3 = _mm_add_pd(s3, d);
    }
    alignas(16) double l[2], h[2], t[2];
    _mm_store_pd(l, _mm_min_pd(_mm_min_pd(lo0, lo1), _mm_min_pd(lo2, lo3)));
    _mm_store_pd(h, _mm_max_pd(_mm_max_pd(hi0, hi1), _mm_max_pd(hi2, hi3)));
    _mm_store_pd(t, _mm_add_pd(_mm_add_pd(s0, s1), _mm_add_pd(s2, s3)));
    double lo = std::min(l[0], l[1]), hi = std::max(h[0], h[1]), sum = t[0] + t[1];
    for (; i < end; ++i) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
        sum += x[i];
    }
    if (!(sum - sum == 0.0)) return min_max_part(x, 1, begin, end, out);  // NaN, inf, overflow
    out[0] = lo;
    out[1] = hi;
}
#endif

}  // namespace

template <class T>
void min_max(const T* x, std::ptrdiff_t stride, std::size_t n, int n_threads, double* lo, double* hi) {
    const int threads = n < 2 * kMinSamplesPerPart ? 1 : resolve_threads(n_threads);
    const std::size_t parts = static_cast<std::size_t>(threads);
    std::vector<double> res(2 * parts);
    parallel_for(parts, threads, [&](std::size_t p) {
#if defined(__SSE2__)
        if constexpr (std::is_same_v<T, double>) {
            if (stride == 1) return min_max_part_f64(x, n * p / parts, n * (p + 1) / parts, res.data() + 2 * p);
        }
#endif
        min_max_part(x, stride, n * p / parts, n * (p + 1) / parts, res.data() + 2 * p);
    });
    double l = res[0], h = res[1];
    for (std::size_t p = 1; p < parts; ++p) {
        if (res[2 * p] != res[2 * p] || l != l) l = h = std::numeric_limits<double>::quiet_NaN();
        else {
            l = std::min(l, res[2 * p]);
            h = std::max(h, res[2 * p + 1]);
        }
    }
    *lo = l;
    *hi = h;
}

template void min_max<double>(const double*, std::ptrdiff_t, std::size_t, int, double*, double*);
template void min_max<float>(const float*, std::ptrdiff_t, std::size_t, int, double*, double*);

void contingency_dense(const std::int64_t* rows, const std::int64_t* cols, std::size_t n,
                       std::size_t n_rows, std::size_t n_cols, std::int64_t* table, int n_threads) {
    const std::size_t cells = n_rows * n_cols;
    const int threads = n < 2 * kMinSamplesPerPart ? 1 : resolve_threads(n_threads);
    const std::size_t parts = part_count(n, threads, cells);
    std::vector<std::int32_t> tables(parts * cells, 0);
    parallel_for(parts, threads, [&](std::size_t p) {
        const std::size_t begin = n * p / parts, end = n * (p + 1) / parts;
        std::int32_t* t = tables.data() + p * cells;
        for (std::size_t i = begin; i < end; ++i) {
            const auto r = static_cast<std::size_t>(rows[i]), c = static_cast<std::size_t>(cols[i]);
            if (r >= n_rows || c >= n_cols) throw std::out_of_range("label code out of range");
            ++t[r * n_cols + c];
        }
    });
    std::fill(table, table + cells, std::int64_t{0});
    for (std::size_t p = 0; p < parts; ++p)
        for (std::size_t c = 0; c < cells; ++c) table[c] += tables[p * cells + c];
}

std::size_t dense_codes(const std::int64_t* labels, std::size_t n, std::int64_t min_label,
                        std::size_t span, std::int64_t* codes, std::int64_t* counts, int n_threads) {
    const int threads = n < 2 * kMinSamplesPerPart ? 1 : resolve_threads(n_threads);
    const std::size_t parts = part_count(n, threads, span);
    std::vector<std::int32_t> tables(parts * span, 0);
    parallel_for(parts, threads, [&](std::size_t p) {
        const std::size_t begin = n * p / parts, end = n * (p + 1) / parts;
        std::int32_t* t = tables.data() + p * span;
        for (std::size_t i = begin; i < end; ++i) {
            const auto v = static_cast<std::size_t>(labels[i] - min_label);
            if (v >= span) throw std::out_of_range("label outside the given span");
            ++t[v];
        }
    });
    // code_of[v]: the rank of value v among the values present (np.unique's order).
    std::vector<std::int64_t> code_of(span, -1);
    std::size_t k = 0;
    for (std::size_t v = 0; v < span; ++v) {
        std::int64_t total = 0;
        for (std::size_t p = 0; p < parts; ++p) total += tables[p * span + v];
        if (total > 0) {
            counts[k] = total;
            code_of[v] = static_cast<std::int64_t>(k++);
        }
    }
    const std::size_t chunk = kMinSamplesPerPart;
    parallel_for((n + chunk - 1) / chunk, threads, [&](std::size_t c) {
        const std::size_t end = std::min(n, (c + 1) * chunk);
        for (std::size_t i = c * chunk; i < end; ++i)
            codes[i] = code_of[static_cast<std::size_t>(labels[i] - min_label)];
    });
    return k;
}

}  // namespace infokit
