#include "infokit/estimators.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "infokit/estimators_detail.hpp"
#include "infokit/knn.hpp"
#include "infokit/parallel.hpp"

namespace infokit {

using namespace detail;

double digamma(double x) {
    if (!(x > 0.0)) throw std::domain_error("digamma needs a positive argument");
    double result = 0.0;
    // psi(x) = psi(x + 1) - 1/x moves x where seven terms of the asymptotic series are
    // accurate to float64 (the first dropped term is below 1e-17 for x >= 10).
    while (x < 10.0) {
        result -= 1.0 / x;
        x += 1.0;
    }
    const double inv = 1.0 / x, inv2 = inv * inv;
    // psi(x) ~ log x - 1/(2x) - sum_k B_2k / (2k x^2k)
    const double series =
        inv2 * (1.0 / 12 -
                inv2 * (1.0 / 120 -
                        inv2 * (1.0 / 252 -
                                inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 * (1.0 / 12)))))));
    return result + std::log(x) - 0.5 * inv - series;
}

namespace {

// Terms smaller than this fraction of the hypergeometric mode's probability are dropped: the
// law is log-concave, so the tails past them decay geometrically and add far below 1e-15.
constexpr double kTailCut = 1e-20;

double emi_cell(std::int64_t a, std::int64_t b, std::int64_t n, double log_n, double log_a, double log_b,
                double gln_abn) {
    const std::int64_t lo = std::max<std::int64_t>(1, a + b - n);
    const std::int64_t hi = std::min(a, b);
    if (lo > hi) return 0.0;
    // Mode of the hypergeometric law, moved into the summed range (nij = 0 adds nothing).
    std::int64_t mode = static_cast<std::int64_t>(
        std::floor((static_cast<double>(a) + 1.0) * (static_cast<double>(b) + 1.0) / (static_cast<double>(n) + 2.0)));
    mode = std::clamp(mode, lo, hi);
    // P(mode) in log space as scikit-learn writes it (lgamma of counts, no overflow).
    auto lg = [](std::int64_t v) { return std::lgamma(static_cast<double>(v) + 1.0); };
    const double p_mode = std::exp(gln_abn - lg(mode) - lg(a - mode) - lg(b - mode) - lg(n - a - b + mode));
    const double inv_n = 1.0 / static_cast<double>(n);
    const double shift = log_n - log_a - log_b;
    auto term = [&](std::int64_t k, double p) {
        const double kd = static_cast<double>(k);
        return kd * inv_n * (shift + std::log(kd)) * p;
    };
    const double floor_p = p_mode * kTailCut;
    double up = 0.0, down = 0.0;
    double p = p_mode;
    // Upward: P(k+1)/P(k) = (a-k)(b-k) / ((k+1)(n-a-b+k+1)).
    for (std::int64_t k = mode; k <= hi; ++k) {
        up += term(k, p);
        const double r = static_cast<double>(a - k) * static_cast<double>(b - k) /
                         (static_cast<double>(k + 1) * static_cast<double>(n - a - b + k + 1));
        p *= r;
        if (p < floor_p || p == 0.0) break;
    }
    p = p_mode;
    // Downward: P(k-1)/P(k) = k (n-a-b+k) / ((a-k+1)(b-k+1)).
    for (std::int64_t k = mode - 1; k >= lo; --k) {
        const double r = static_cast<double>(k + 1) * static_cast<double>(n - a - b + k + 1) /
                         (static_cast<double>(a - k) * static_cast<double>(b - k));
        p *= r;
        if (p < floor_p || p == 0.0) break;
        down += term(k, p);
    }
    return up + down;
}

}  // namespace

double expected_mutual_info(const std::int64_t* a, std::size_t n_rows, const std::int64_t* b,
                            std::size_t n_cols, std::int64_t n, int n_threads) {
    if (n_rows <= 1 || n_cols <= 1) return 0.0;  // a labelling with zero entropy
    if (n <= 0) throw std::invalid_argument("n_samples must be positive");
    const double log_n = std::log(static_cast<double>(n));
    const double gln_n = std::lgamma(static_cast<double>(n) + 1.0);
    std::vector<double> log_b(n_cols), gln_b(n_cols);
    for (std::size_t j = 0; j < n_cols; ++j) {
        if (b[j] <= 0 || b[j] > n) throw std::invalid_argument("column sums must lie in 1..n_samples");
        log_b[j] = std::log(static_cast<double>(b[j]));
        gln_b[j] = std::lgamma(static_cast<double>(b[j]) + 1.0) + std::lgamma(static_cast<double>(n - b[j]) + 1.0);
    }
    for (std::size_t i = 0; i < n_rows; ++i)
        if (a[i] <= 0 || a[i] > n) throw std::invalid_argument("row sums must lie in 1..n_samples");
    const int threads = n_rows * n_cols < 64 ? 1 : resolve_threads(n_threads);
    std::vector<double> row_sum(n_rows, 0.0);
    parallel_for(n_rows, threads, [&](std::size_t i) {
        const double log_a = std::log(static_cast<double>(a[i]));
        const double gln_a = std::lgamma(static_cast<double>(a[i]) + 1.0) +
                             std::lgamma(static_cast<double>(n - a[i]) + 1.0) - gln_n;
        double s = 0.0;
        for (std::size_t j = 0; j < n_cols; ++j) s += emi_cell(a[i], b[j], n, log_n, log_a, log_b[j], gln_a + gln_b[j]);
        row_sum[i] = s;
    });
    double total = 0.0;
    for (double s : row_sum) total += s;  // row order: the same at any thread count
    return total;
}

double expected_mutual_info_in_order(const std::int64_t* a, std::size_t n_rows, const std::int64_t* b,
                                     std::size_t n_cols, std::int64_t n, const double* rows,
                                     const double* cols, const double* nij, std::size_t n_nij) {
    if (n_rows <= 1 || n_cols <= 1) return 0.0;  // a labelling with zero entropy
    for (std::size_t i = 0; i < n_rows; ++i)
        if (a[i] <= 0 || a[i] > n || static_cast<std::size_t>(a[i]) >= n_nij)
            throw std::invalid_argument("row sums must lie in 1..n_samples and within the nij table");
    for (std::size_t j = 0; j < n_cols; ++j)
        if (b[j] <= 0 || b[j] > n || static_cast<std::size_t>(b[j]) >= n_nij)
            throw std::invalid_argument("column sums must lie in 1..n_samples and within the nij table");
    const double *log_a = rows, *gln_a = rows + n_rows, *gln_na = rows + 2 * n_rows;
    const double *log_b = cols, *gln_b = cols + n_cols, *gln_nb = cols + 2 * n_cols;
    const double *term1 = nij, *log_nnij = nij + n_nij, *gln_nnij = nij + 2 * n_nij;
    double emi = 0.0;
    for (std::size_t i = 0; i < n_rows; ++i) {
        for (std::size_t j = 0; j < n_cols; ++j) {
            const std::int64_t start = std::max<std::int64_t>(1, a[i] - n + b[j]);
            const std::int64_t end = std::min(a[i], b[j]) + 1;
            for (std::int64_t k = start; k < end; ++k) {
                // Operand for operand and in the same order as scikit-learn's loop (no FMA
                // contraction in this build), so that the rounding is the same too.
                const double term2 = log_nnij[k] - log_a[i] - log_b[j];
                const double gln = gln_a[i] + gln_b[j] + gln_na[i] + gln_nb[j] - gln_nnij[k] -
                                   std::lgamma(static_cast<double>(a[i] - k + 1)) -
                                   std::lgamma(static_cast<double>(b[j] - k + 1)) -
                                   std::lgamma(static_cast<double>(n - a[i] - b[j] + k + 1));
                const double term3 = std::exp(gln);
                emi += term1[k] * term2 * term3;
            }
        }
    }
    return emi;
}

namespace {

// Rows of a and b side by side: the joint space.
std::vector<double> join(const double* a, std::size_t da, const double* b, std::size_t db, std::size_t n,
                         const double* c = nullptr, std::size_t dc = 0) {
    const std::size_t d = da + db + dc;
    std::vector<double> out(n * d);
    for (std::size_t i = 0; i < n; ++i) {
        std::copy(a + i * da, a + i * da + da, out.data() + i * d);
        std::copy(b + i * db, b + i * db + db, out.data() + i * d + da);
        if (c) std::copy(c + i * dc, c + i * dc + dc, out.data() + i * d + da + db);
    }
    return out;
}

// The k >= 1 check of every k-NN estimator (the mixed ones have no k < n bound).
void check_k_positive(std::size_t k) {
    if (k < 1) throw std::invalid_argument("k must be at least 1");
}

void check_k(std::size_t k, std::size_t n) {
    check_k_positive(k);
    if (k >= n) throw std::invalid_argument("k must be smaller than the number of samples");
}

double max_dist(const double* a, const double* b, std::size_t d) {
    double m = 0.0;
    for (std::size_t c = 0; c < d; ++c) m = std::max(m, std::fabs(a[c] - b[c]));
    return m;
}

// The mean <psi(nx) + psi(ny)> shared by both KSG algorithms: nx and ny count the points within
// the marginal radii (rx, ry) = radii(i, dist, idx) of point i, less `self` (1 excludes i).
template <class Radii>
double ksg_mean(const double* x, std::size_t dx, const double* y, std::size_t dy, const MarginalCounter& cy,
                std::size_t n, std::size_t k, std::size_t self, int n_threads, Radii&& radii) {
    const std::vector<double> xy = join(x, dx, y, dy, n);
    const KDTree tree(xy.data(), n, dx + dy);
    const MarginalCounter cx(x, n, dx);
    return mean_knn_term(tree, n, k, n_threads,
                         [&](std::size_t i, const std::vector<double>& dist, const std::vector<std::size_t>& idx) {
                             const std::pair<double, double> r = radii(i, dist, idx);
                             const std::size_t nx = cx.count(x + i * dx, r.first) - self;
                             const std::size_t ny = cy.count(y + i * dy, r.second) - self;
                             return digamma(static_cast<double>(nx)) + digamma(static_cast<double>(ny));
                         });
}

}  // namespace

// digamma of a positive integer. Counts repeat heavily (most are small), so the first
// kDigammaTable values come from a table filled once with digamma() itself: bit-identical to
// calling it, at a load's cost. Zero still goes to digamma() and throws.
constexpr std::size_t kDigammaTable = 4096;

double detail::digamma_int(std::size_t m) {
    static const std::vector<double> table = [] {
        std::vector<double> t(kDigammaTable, 0.0);
        for (std::size_t i = 1; i < kDigammaTable; ++i) t[i] = digamma(static_cast<double>(i));
        return t;
    }();
    return m != 0 && m < kDigammaTable ? table[m] : digamma(static_cast<double>(m));
}

namespace {

// KSG 1 of a 1-D feature against y's prepared marginal (the feature sorted here).
double ksg1_1d_against(const double* x, const double* y, const SortedMarginal& ym, std::size_t n, std::size_t k,
                       int n_threads) {
    const SortedMarginal xm(x, n);
    return ksg1_1d(xm, y, ym.vals.data(), ym.pos.data(), n, k, n_threads);
}

// KSG 1 against a prepared y marginal.
double ksg1(const double* x, std::size_t dx, const double* y, std::size_t dy, const MarginalCounter& cy,
            std::size_t n, std::size_t k, int n_threads) {
    // Counts include i itself: nx_i + 1 and ny_i + 1.
    const double mean = ksg_mean(x, dx, y, dy, cy, n, k, 0, n_threads,
                                 [&](std::size_t, const std::vector<double>& dist, const std::vector<std::size_t>&) {
                                     const double r = std::nextafter(dist[k - 1], 0.0);
                                     return std::make_pair(r, r);
                                 });
    return digamma(static_cast<double>(n)) + digamma(static_cast<double>(k)) - mean;
}

}  // namespace

double entropy_kl(const double* x, std::size_t n, std::size_t d, std::size_t k, int n_threads) {
    check_k(k, n);
    const KDTree tree(x, n, d);
    const double mean = mean_knn_term(
        tree, n, k, n_threads,
        [&](std::size_t, const std::vector<double>& dist, const std::vector<std::size_t>&) {
            return std::log(2.0 * dist[k - 1]);
        });
    return digamma(static_cast<double>(n)) - digamma(static_cast<double>(k)) + static_cast<double>(d) * mean;
}

double mutual_info_ksg(const double* x, std::size_t dx, const double* y, std::size_t dy, std::size_t n,
                       std::size_t k, int algorithm, int n_threads) {
    check_k(k, n);
    if (algorithm != 1 && algorithm != 2) throw std::invalid_argument("algorithm must be 1 or 2");
    if (algorithm == 1 && dx == 1 && dy == 1) {
        return ksg1_1d_unsorted(x, y, n, k, n_threads);
    }
    const MarginalCounter cy(y, n, dy);
    if (algorithm == 1) return ksg1(x, dx, y, dy, cy, n, k, n_threads);
    // Points within (<=) the largest marginal distance among the k neighbours, itself excluded.
    const double mean = ksg_mean(x, dx, y, dy, cy, n, k, 1, n_threads,
                                 [&](std::size_t i, const std::vector<double>&, const std::vector<std::size_t>& idx) {
                                     double ex = 0.0, ey = 0.0;
                                     for (std::size_t j : idx) {
                                         ex = std::max(ex, max_dist(x + i * dx, x + j * dx, dx));
                                         ey = std::max(ey, max_dist(y + i * dy, y + j * dy, dy));
                                     }
                                     return std::make_pair(ex, ey);
                                 });
    return digamma(static_cast<double>(k)) - 1.0 / static_cast<double>(k) + digamma(static_cast<double>(n)) - mean;
}

namespace {

// Class membership shared by all features: the points of each class in index order.
struct Classes {
    std::vector<std::vector<std::size_t>> members;
    std::vector<std::size_t> kept;  // points of classes with two or more samples, in index order
    std::vector<std::size_t> kept_code;  // class of each kept point, by kept position
    std::size_t n;  // points, kept or not

    Classes(const std::int64_t* codes, std::size_t n_classes, std::size_t n_points)
        : members(n_classes), n(n_points) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto c = static_cast<std::size_t>(codes[i]);
            if (codes[i] < 0 || c >= n_classes) throw std::invalid_argument("label code out of range");
            members[c].push_back(i);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const auto c = static_cast<std::size_t>(codes[i]);
            if (members[c].size() > 1) {
                kept.push_back(i);
                kept_code.push_back(c);
            }
        }
        if (kept.empty()) throw std::invalid_argument("no class has two or more samples");
    }
};

// The distance from point i to its k-th neighbour among `vals` (its class's values, sorted),
// where `pos` is i's position there: k steps of a merge outwards from pos.
double kth_in_sorted(const std::vector<double>& vals, std::size_t pos, std::size_t k) {
    const double x = vals[pos];
    std::size_t l = pos, r = pos + 1;
    double d = 0.0;
    for (std::size_t step = 0; step < k; ++step) {
        const double dl = l > 0 ? x - vals[l - 1] : std::numeric_limits<double>::infinity();
        const double dr = r < vals.size() ? vals[r] - x : std::numeric_limits<double>::infinity();
        if (dl <= dr) {
            d = dl;
            --l;
        } else {
            d = dr;
            ++r;
        }
    }
    return d;
}

// scikit-learn's k-th neighbour distance within a class small enough (k >= m / 2) that its
// NearestNeighbors searches by brute force, where the distance is the rounded expansion
// sqrt(max(x^2 - 2xy + y^2, 0)) in that order rather than |x - y|: reproduced so that a
// neighbour lying on the radius falls on the same side of it.
double kth_brute_sklearn(const std::vector<double>& vals, std::size_t pos, std::size_t k) {
    const double x = vals[pos];
    std::vector<double> d;
    d.reserve(vals.size());
    for (std::size_t j = 0; j < vals.size(); ++j) {
        if (j == pos) continue;
        const double y = vals[j];
        const double sq = (x * x + (-2.0 * (x * y))) + y * y;
        d.push_back(std::sqrt(sq > 0.0 ? sq : 0.0));
    }
    std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k - 1), d.end());
    return d[k - 1];
}

// The feature-independent means of Ross's estimator over the kept points, in kept order:
// <psi(k_i)> and <psi(n_class)>.
struct ClassTerms {
    double k_mean, size_mean;
    ClassTerms(const Classes& cls, std::size_t k) {
        const std::size_t n_cls = cls.members.size();
        std::vector<double> psi_k(n_cls, 0.0), psi_m(n_cls, 0.0);
        for (std::size_t cl = 0; cl < n_cls; ++cl) {
            const std::size_t m = cls.members[cl].size();
            if (m < 2) continue;
            psi_k[cl] = digamma(static_cast<double>(std::min(k, m - 1)));
            psi_m[cl] = digamma(static_cast<double>(m));
        }
        std::vector<double> kterm(cls.kept.size()), label_term(cls.kept.size());
        for (std::size_t p = 0; p < cls.kept.size(); ++p) {
            kterm[p] = psi_k[cls.kept_code[p]];
            label_term[p] = psi_m[cls.kept_code[p]];
        }
        k_mean = mean_in_order(kterm);
        size_mean = mean_in_order(label_term);
    }
};

// Ross for 1-D c, the terms of mixed() below in the same order. One sort of the kept points
// by (value, index) serves both the per-class neighbour search (a class's points taken in that
// order are its own sorted list, ties by index as before) and the marginal counts, where two
// sorts did the same work twice; the counts gallop from each point's own sorted position.
double mixed_1d(const double* c, const Classes& cls, const ClassTerms& terms, std::size_t k, int n_threads,
                bool sklearn_brute) {
    const std::size_t n_kept = cls.kept.size();
    std::vector<double> vals(n_kept);
    std::vector<std::size_t> order(n_kept);  // sorted position -> position among kept points
    if (n_kept == cls.n) {
        sort_by_value(c, n_kept, vals.data(), order.data());  // every point kept: c as it is
    } else {
        std::vector<double> kept_vals(n_kept);
        for (std::size_t p = 0; p < n_kept; ++p) kept_vals[p] = c[cls.kept[p]];
        sort_by_value(kept_vals.data(), n_kept, vals.data(), order.data());
    }
    const std::size_t n_cls = cls.members.size();
    std::vector<std::vector<double>> cvals(n_cls);
    std::vector<std::vector<std::size_t>> cidx(n_cls);
    for (std::size_t cl = 0; cl < n_cls; ++cl) {
        cvals[cl].reserve(cls.members[cl].size());
        cidx[cl].reserve(cls.members[cl].size());
    }
    // The classes in sorted order first, by a loop of independent loads (many misses in
    // flight), where reading them inside the loop below stalled it on each miss.
    std::vector<std::size_t> code(n_kept);
    for (std::size_t q = 0; q < n_kept; ++q) code[q] = cls.kept_code[order[q]];
    for (std::size_t q = 0; q < n_kept; ++q) {
        cvals[code[q]].push_back(vals[q]);
        cidx[code[q]].push_back(q);
    }
    // Radii by sorted position (so the counts below read vals near q in sequence); the
    // per-point terms are scattered back to kept order, where they are summed as before.
    std::vector<double> radius(n_kept);
    for (std::size_t cl = 0; cl < n_cls; ++cl) {
        const std::vector<double>& cv = cvals[cl];
        const std::size_t m = cv.size();
        if (m < 2) continue;
        const std::size_t kk = std::min(k, m - 1);
        for (std::size_t q = 0; q < m; ++q) {
            const double kth = sklearn_brute && kk >= m / 2 ? kth_brute_sklearn(cv, q, kk) : kth_in_sorted(cv, q, kk);
            radius[cidx[cl][q]] = next_below(kth);
        }
    }
    std::vector<double> mterm(n_kept);
    for_points(n_kept, n_threads, [&](std::size_t q) {
        mterm[order[q]] = digamma_int(count_around(vals.data(), n_kept, q, radius[q]));
    });
    return digamma(static_cast<double>(n_kept)) + terms.k_mean - terms.size_mean - mean_in_order(mterm);
}

double mixed(const double* c, std::size_t dc, const Classes& cls, std::size_t k, int n_threads) {
    if (dc == 1) return mixed_1d(c, cls, ClassTerms(cls, k), k, n_threads, false);
    const std::size_t n_kept = cls.kept.size();
    // Radius per kept point from the k-th neighbour within its own class.
    std::vector<double> radius_of_kept(n_kept);
    std::vector<double> kterm(n_kept), label_term(n_kept);
    // Map from original index to position among kept points.
    std::vector<std::size_t> where;
    {
        std::size_t max_i = cls.kept.back() + 1;
        where.assign(max_i, 0);
        for (std::size_t p = 0; p < n_kept; ++p) where[cls.kept[p]] = p;
    }
    const std::size_t n_cls = cls.members.size();
    parallel_for(n_cls, n_cls < 2 ? 1 : resolve_threads(n_threads), [&](std::size_t cl) {
        const auto& mem = cls.members[cl];
        const std::size_t m = mem.size();
        if (m < 2) return;
        const std::size_t kk = std::min(k, m - 1);
        const double psi_k = digamma(static_cast<double>(kk)), psi_m = digamma(static_cast<double>(m));
        std::vector<double> pts(m * dc);
        for (std::size_t q = 0; q < m; ++q) std::copy(c + mem[q] * dc, c + mem[q] * dc + dc, pts.data() + q * dc);
        const KDTree tree(pts.data(), m, dc);
        std::vector<double> dist(kk);
        std::vector<std::size_t> idx(kk);
        for (std::size_t q = 0; q < m; ++q) {
            tree.knn(q, kk, dist.data(), idx.data());
            const std::size_t p = where[mem[q]];
            radius_of_kept[p] = std::nextafter(dist[kk - 1], 0.0);
            kterm[p] = psi_k;
            label_term[p] = psi_m;
        }
    });
    std::vector<double> kept_pts(n_kept * dc);
    for (std::size_t p = 0; p < n_kept; ++p)
        std::copy(c + cls.kept[p] * dc, c + cls.kept[p] * dc + dc, kept_pts.data() + p * dc);
    std::vector<double> mterm(n_kept);
    const MarginalCounter counter(kept_pts.data(), n_kept, dc);
    for_points(n_kept, n_threads, [&](std::size_t p) {
        mterm[p] = digamma(static_cast<double>(counter.count(kept_pts.data() + p * dc, radius_of_kept[p])));
    });
    return digamma(static_cast<double>(n_kept)) + mean_in_order(kterm) - mean_in_order(label_term) -
           mean_in_order(mterm);
}

}  // namespace

double mutual_info_mixed(const double* c, std::size_t dc, const std::int64_t* codes, std::size_t n_classes,
                         std::size_t n, std::size_t k, int n_threads) {
    check_k_positive(k);
    const Classes cls(codes, n_classes, n);
    return mixed(c, dc, cls, k, n_threads);
}

double conditional_mutual_info_fp(const double* x, std::size_t dx, const double* y, std::size_t dy,
                                  const double* z, std::size_t dz, std::size_t n, std::size_t k,
                                  int n_threads) {
    check_k(k, n);
    const std::vector<double> xyz = join(x, dx, y, dy, n, z, dz);
    const KDTree tree(xyz.data(), n, dx + dy + dz);
    const std::vector<double> xz = join(x, dx, z, dz, n), yz = join(y, dy, z, dz, n);
    const MarginalCounter cxz(xz.data(), n, dx + dz), cyz(yz.data(), n, dy + dz), cz(z, n, dz);
    const double mean = mean_knn_term(
        tree, n, k, n_threads,
        [&](std::size_t i, const std::vector<double>& dist, const std::vector<std::size_t>&) {
            const double r = std::nextafter(dist[k - 1], 0.0);
            // Counts include i itself, so each is the estimator's n + 1.
            return digamma(static_cast<double>(cxz.count(xz.data() + i * (dx + dz), r))) +
                   digamma(static_cast<double>(cyz.count(yz.data() + i * (dy + dz), r))) -
                   digamma(static_cast<double>(cz.count(z + i * dz, r)));
        });
    return digamma(static_cast<double>(k)) - mean;
}

void mutual_info_ksg_features(const double* xt, std::size_t n_features, const double* y, std::size_t n,
                              std::size_t k, double* out, int n_threads) {
    check_k(k, n);
    // Several features run one per thread (each single-threaded, so each result is the same as
    // at any thread count); one feature uses the threads inside, from its two sorts on.
    const int threads = n < 2 * kPointChunk ? 1 : resolve_threads(n_threads);
    if (n_features == 1) {
        out[0] = ksg1_1d_unsorted(xt, y, n, k, n_threads);
        return;
    }
    const SortedMarginal ym(y, n);
    if (threads > 1)
        parallel_for<true>(n_features, threads, [&](std::size_t f) { out[f] = ksg1_1d_against(xt + f * n, y, ym, n, k, 1); });
    else
        for (std::size_t f = 0; f < n_features; ++f) out[f] = ksg1_1d_against(xt + f * n, y, ym, n, k, n_threads);
}

void mutual_info_mixed_features(const double* ct, std::size_t n_features, const std::int64_t* codes,
                                std::size_t n_classes, std::size_t n, std::size_t k, double* out,
                                int n_threads) {
    check_k_positive(k);
    const Classes cls(codes, n_classes, n);
    // As in mutual_info_ksg_features: several features run one per thread.
    const ClassTerms terms(cls, k);
    const int threads = n < 2 * kPointChunk ? 1 : resolve_threads(n_threads);
    if (n_features > 1 && threads > 1)
        parallel_for<true>(n_features, threads,
                           [&](std::size_t f) { out[f] = mixed_1d(ct + f * n, cls, terms, k, 1, true); });
    else
        for (std::size_t f = 0; f < n_features; ++f) out[f] = mixed_1d(ct + f * n, cls, terms, k, n_threads, true);
}

}  // namespace infokit
