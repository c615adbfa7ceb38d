// KSG 1 for a 1-D x against a 1-D y: the kernel behind mutual_info_regression, the pairwise
// matrix and the permutation test.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

#include "infokit/estimators.hpp"
#include "infokit/estimators_detail.hpp"
#include "infokit/phased.hpp"

namespace infokit::detail {

namespace {

// Points per grid cell on average. Larger cells waste distance computations, smaller ones
// cost more cells visited per query (each a pair of loads and a loop); measured at 1e5 and
// 1e6 points, a broad optimum around this value.
constexpr double kCellPoints = 2.0;

constexpr double kInf = std::numeric_limits<double>::infinity();

// The joint space cut into a G x G grid by rank: column a holds the points of x-ranks
// [a W, (a + 1) W), row b those of y-ranks [b W, (b + 1) W), so every cell holds about W^2 / n
// points however the marginals are distributed. Points are stored cell by cell (columns
// outer), each column's cells contiguous, so a column's run of rows is one range.
struct RankGrid {
    std::size_t W, G;
    ScratchVector<std::size_t> start;  // cell a G + b -> its first point; start[G G] = n
    ScratchVector<double> px, py;      // coordinates in cell order
    ScratchVector<std::size_t> xr, yr;  // x- and y-rank in cell order

    explicit RankGrid(std::size_t n)
        : W(std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(kCellPoints * static_cast<double>(n))))),
          G((n + W - 1) / W), start(G * G + 1), px(n), py(n), xr(n), yr(n) {
        start[G * G] = n;
    }

    // Column a: a contiguous block of x-ranks and of cell-order slots, so columns are
    // bucketed independently (a counting sort by row each).
    void fill_column(const SortedMarginal& xm, const double* y, const std::size_t* y_pos, std::size_t a) {
        const std::size_t b = a * W, e = std::min(xm.order.size(), b + W);
        std::vector<std::size_t> at(G + 1, 0);
        for (std::size_t q = b; q < e; ++q) ++at[y_pos[xm.order[q]] / W + 1];
        for (std::size_t r = 0; r < G; ++r) {
            at[r + 1] += at[r];
            start[a * G + r] = b + at[r];
        }
        for (std::size_t q = b; q < e; ++q) {
            const std::size_t i = xm.order[q], s = y_pos[i];
            const std::size_t p = b + at[s / W]++;
            px[p] = xm.vals[q];
            py[p] = y[i];
            xr[p] = q;
            yr[p] = s;
        }
    }
};

// The K smallest distances offered so far, ascending, for K known at compile time: kept in
// registers and updated without branches (each slot keeps the smaller of itself and what an
// insertion would move into it), as most candidates near a query are offered to them.
template <std::size_t K>
struct FixedBest {
    double b[K];
    explicit FixedBest(std::size_t) { reset(); }
    void reset() { std::fill(b, b + K, kInf); }
    void offer(double d) {
        for (std::size_t q = K - 1; q > 0; --q) b[q] = std::min(b[q], std::max(b[q - 1], d));
        b[0] = std::min(b[0], d);
    }
    double kth() const { return b[K - 1]; }
};

// The same for any k, in memory: an insertion only for a distance below the k-th best.
struct AnyBest {
    std::vector<double> b;
    explicit AnyBest(std::size_t k) : b(k, kInf) {}
    void reset() { std::fill(b.begin(), b.end(), kInf); }
    void offer(double d) {
        if (!(d < b.back())) return;
        std::size_t q = b.size() - 1;
        for (; q > 0 && b[q - 1] > d; --q) b[q] = b[q - 1];
        b[q] = d;
    }
    double kth() const { return b.back(); }
};

// Distances from (qx, qy) to the points in slots [lo, hi), slot `self` skipped, offered to best.
template <class Best>
inline void scan(const RankGrid& g, double qx, double qy, std::size_t self, std::size_t lo, std::size_t hi,
                 Best& best) {
    for (std::size_t j = lo; j < hi; ++j) {
        const double d = std::max(std::fabs(qx - g.px[j]), std::fabs(qy - g.py[j]));
        best.offer(j == self ? kInf : d);
    }
}

// best reset to the distances from the point in slot p, column a, to the block of cells
// [alo, ahi] x [blo, bhi] around it, itself excluded.
template <class Best>
void scan_block(const RankGrid& g, std::size_t p, std::size_t /*a*/, std::size_t alo, std::size_t ahi,
                std::size_t blo, std::size_t bhi, Best& best) {
    best.reset();
    for (std::size_t c = alo; c <= ahi; ++c)
        scan(g, g.px[p], g.py[p], p, g.start[c * g.G + blo], g.start[c * g.G + bhi + 1], best);
}

#if defined(__SSE2__) || defined(_M_X64)
// Two lanes of FixedBest<K>, each keeping the K smallest of the distances offered to it, so
// that a block's candidates go two at a time through the same branch-free update; the lanes
// are merged into one FixedBest at the end (the K smallest of a multiset do not depend on
// the order the distances came in). The same subtractions and comparisons as scan().
template <std::size_t K>
struct LaneBest {
    __m128d b[K];
    LaneBest() {
        for (auto& v : b) v = _mm_set1_pd(kInf);
    }
    void offer(__m128d d) {
        for (std::size_t q = K - 1; q > 0; --q) b[q] = _mm_min_pd(b[q], _mm_max_pd(b[q - 1], d));
        b[0] = _mm_min_pd(b[0], d);
    }
    // Slots [lo, hi): pairs to the lanes, an odd last one to `best`.
    void scan(const RankGrid& g, double qx, double qy, std::size_t lo, std::size_t hi, FixedBest<K>& best) {
        const __m128d vx = _mm_set1_pd(qx), vy = _mm_set1_pd(qy), sign = _mm_set1_pd(-0.0);
        for (; lo + 1 < hi; lo += 2) {
            const __m128d dx = _mm_andnot_pd(sign, _mm_sub_pd(vx, _mm_loadu_pd(g.px.data() + lo)));
            const __m128d dy = _mm_andnot_pd(sign, _mm_sub_pd(vy, _mm_loadu_pd(g.py.data() + lo)));
            offer(_mm_max_pd(dx, dy));
        }
        if (lo < hi) best.offer(std::max(std::fabs(qx - g.px[lo]), std::fabs(qy - g.py[lo])));
    }
    void merge_into(FixedBest<K>& best) const {
        alignas(16) double t[2];
        for (std::size_t q = 0; q < K; ++q) {
            _mm_store_pd(t, b[q]);
            best.offer(t[0]);
            best.offer(t[1]);
        }
    }
};

// scan_block for K known at compile time: the query's own slot is skipped by splitting its
// column's run around it rather than by a test on every slot.
template <std::size_t K>
void scan_block(const RankGrid& g, std::size_t p, std::size_t a, std::size_t alo, std::size_t ahi, std::size_t blo,
                std::size_t bhi, FixedBest<K>& best) {
    best.reset();
    LaneBest<K> lanes;
    const double qx = g.px[p], qy = g.py[p];
    for (std::size_t c = alo; c <= ahi; ++c) {
        const std::size_t lo = g.start[c * g.G + blo], hi = g.start[c * g.G + bhi + 1];
        if (c == a) {
            lanes.scan(g, qx, qy, lo, p, best);
            lanes.scan(g, qx, qy, p + 1, hi, best);
        } else {
            lanes.scan(g, qx, qy, lo, hi, best);
        }
    }
    lanes.merge_into(best);
}
#endif

// Completes the k-th smallest distance max(|dx|, |dy|) from the point in slot p, given best
// over the rectangle of cells [alo, ahi] x [blo, bhi] already scanned: grows the rectangle on
// the side whose next column or row is nearest until that nearest gap reaches the k-th best
// (every point outside lies at least that far; the gaps are differences of the rounded
// coordinates, monotone, so they bound the rounded distances too). The value is a property of
// the multiset of distances, so it is the KD-tree's, duplicates included.
template <class Best>
double kth_distance(const RankGrid& g, const double* xv, const double* yv, std::size_t p, Best& best,
                    std::size_t alo, std::size_t ahi, std::size_t blo, std::size_t bhi) {
    const double qx = g.px[p], qy = g.py[p];
    const std::size_t W = g.W, G = g.G;
    for (;;) {
        // Gaps to the next column or row on each side: its nearest coordinate.
        const double gl = alo > 0 ? qx - xv[alo * W - 1] : kInf;
        const double gr = ahi + 1 < G ? xv[(ahi + 1) * W] - qx : kInf;
        const double gd = blo > 0 ? qy - yv[blo * W - 1] : kInf;
        const double gu = bhi + 1 < G ? yv[(bhi + 1) * W] - qy : kInf;
        const double m = std::min(std::min(gl, gr), std::min(gd, gu));
        if (!(best.kth() > m)) break;  // also ends once the rectangle is the whole grid
        if (m == gl || m == gr) {
            const std::size_t a = m == gl ? --alo : ++ahi;
            scan(g, qx, qy, p, g.start[a * G + blo], g.start[a * G + bhi + 1], best);
        } else {
            const std::size_t b = m == gd ? --blo : ++bhi;
            for (std::size_t a = alo; a <= ahi; ++a) scan(g, qx, qy, p, g.start[a * G + b], g.start[a * G + b + 1], best);
        }
    }
    return best.kth();
}

// The k-th distances of the points of column a into kth (by slot), cell by cell. The points
// of a cell all scan the same block of up to 3 x 3 cells around it (three contiguous runs of
// slots); the few whose k-th best is not within the block's margin go on growing it alone.
template <class Best>
void column_kth(const RankGrid& g, const double* xv, const double* yv, std::size_t a, std::size_t k, double* rx,
                double* ry) {
    const std::size_t W = g.W, G = g.G;
    const std::size_t alo = a > 0 ? a - 1 : 0, ahi = std::min(G - 1, a + 1);
    // Coordinates bounding the points outside the block, where there are any.
    const double xl = alo > 0 ? xv[alo * W - 1] : -kInf, xh = ahi + 1 < G ? xv[(ahi + 1) * W] : kInf;
    Best best(k);
    for (std::size_t b = 0; b < G; ++b) {
        const std::size_t blo = b > 0 ? b - 1 : 0, bhi = std::min(G - 1, b + 1);
        const double yl = blo > 0 ? yv[blo * W - 1] : -kInf, yh = bhi + 1 < G ? yv[(bhi + 1) * W] : kInf;
        for (std::size_t p = g.start[a * G + b], e = g.start[a * G + b + 1]; p < e; ++p) {
            const double qx = g.px[p], qy = g.py[p];
            scan_block(g, p, a, alo, ahi, blo, bhi, best);
            const double margin = std::min(std::min(qx - xl, xh - qx), std::min(qy - yl, yh - qy));
            double kth;
            if (best.kth() <= margin) {
                kth = best.kth();
            } else {
                Best more = best;  // a copy, so that `best` itself never leaves registers
                kth = kth_distance(g, xv, yv, p, more, alo, ahi, blo, bhi);
            }
            // The radius strictly inside the k-th distance, by x-rank and by y-rank.
            const double r = next_below(kth);
            rx[g.xr[p]] = r;
            ry[g.yr[p]] = r;
        }
    }
}

template <class Best>
Phase kth_phase(const RankGrid& g, const double* xv, const double* yv, std::size_t k, double* rx, double* ry) {
    return {g.G, [&g, xv, yv, k, rx, ry](std::size_t a) { column_kth<Best>(g, xv, yv, a, k, rx, ry); }};
}

// KSG 1 with x's and y's marginals filled by `prepare` (no items: already filled), all in one
// run of phases: the marginals, the rank grid's columns, the k-th joint distances by column,
// and the marginal counts by chunk of sorted positions. Each count chunk sums its digamma
// terms in a fixed order, and the chunks' sums are added in chunk order, so the mean does not
// depend on the thread count.
double ksg1_1d_phased(Phase prepare, const SortedMarginal& xm, const double* y, const double* y_vals,
                      const std::size_t* y_pos, std::size_t n, std::size_t k, int threads) {
    RankGrid grid(n);
    ScratchVector<double> rx(n), ry(n);
    const double* xv = xm.vals.data();
    const std::size_t n_chunks = (n + kPointChunk - 1) / kPointChunk;
    std::vector<double> x_sums(n_chunks), y_sums(n_chunks);
    std::vector<Phase> phases;
    if (prepare.n_items > 0) phases.push_back(std::move(prepare));
    phases.push_back({grid.G, [&](std::size_t a) { grid.fill_column(xm, y, y_pos, a); }});
    switch (k) {  // the usual small k with their best distances in registers
        case 1: phases.push_back(kth_phase<FixedBest<1>>(grid, xv, y_vals, k, rx.data(), ry.data())); break;
        case 2: phases.push_back(kth_phase<FixedBest<2>>(grid, xv, y_vals, k, rx.data(), ry.data())); break;
        case 3: phases.push_back(kth_phase<FixedBest<3>>(grid, xv, y_vals, k, rx.data(), ry.data())); break;
        case 4: phases.push_back(kth_phase<FixedBest<4>>(grid, xv, y_vals, k, rx.data(), ry.data())); break;
        case 5: phases.push_back(kth_phase<FixedBest<5>>(grid, xv, y_vals, k, rx.data(), ry.data())); break;
        default: phases.push_back(kth_phase<AnyBest>(grid, xv, y_vals, k, rx.data(), ry.data()));
    }
    // Counts include i itself: nx_i + 1 and ny_i + 1. x's and y's terms are summed apart and
    // added last, so that swapping x and y gives the same bits.
    phases.push_back({n_chunks, [&](std::size_t c) {
                          const std::size_t q = c * kPointChunk, m = std::min(n, q + kPointChunk) - q;
                          std::size_t counts[kPointChunk];
                          counts_around_interpolated(xv, n, q, m, rx.data() + q, counts);
                          double sum = 0.0;
                          for (std::size_t i = 0; i < m; ++i) sum += digamma_int(counts[i]);
                          x_sums[c] = sum;
                          counts_around_interpolated(y_vals, n, q, m, ry.data() + q, counts);
                          sum = 0.0;
                          for (std::size_t i = 0; i < m; ++i) sum += digamma_int(counts[i]);
                          y_sums[c] = sum;
                      }});
    run_phases(threads, phases);
    double sx = 0.0, sy = 0.0;
    for (std::size_t c = 0; c < n_chunks; ++c) {
        sx += x_sums[c];
        sy += y_sums[c];
    }
    const double sum = sx + sy;
    return digamma(static_cast<double>(n)) + digamma(static_cast<double>(k)) - sum / static_cast<double>(n);
}

}  // namespace

double ksg1_1d(const SortedMarginal& xm, const double* y, const double* y_vals, const std::size_t* y_pos,
               std::size_t n, std::size_t k, int n_threads) {
    return ksg1_1d_phased({0, {}}, xm, y, y_vals, y_pos, n, k, point_threads(n, n_threads));
}

double ksg1_1d_unsorted(const double* x, const double* y, std::size_t n, std::size_t k, int n_threads) {
    SortedMarginal xm(n), ym(n);
    Phase sorts{2, [&](std::size_t t) { t == 0 ? xm.sort(x) : ym.sort(y); }};
    return ksg1_1d_phased(std::move(sorts), xm, y, ym.vals.data(), ym.pos.data(), n, k, point_threads(n, n_threads));
}

}  // namespace infokit::detail
