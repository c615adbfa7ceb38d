#include "infokit/estimators.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "infokit/parallel.hpp"

namespace infokit {

double digamma(double x) {
    if (!(x > 0.0)) throw std::domain_error("digamma needs a positive argument");
    double result = 0.0;
    // psi(x) = psi(x + 1) - 1/x moves x where the asymptotic series converges to float64.
    while (x < 6.0) {
        result -= 1.0 / x;
        x += 1.0;
    }
    const double inv = 1.0 / x, inv2 = inv * inv;
    // psi(x) ~ log x - 1/(2x) - sum B_2k / (2k x^2k)
    const double series =
        inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
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

}  // namespace infokit
