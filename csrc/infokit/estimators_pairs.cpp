// KSG 1 over many pairs of 1-D variables that share their sorts: all pairs of columns of a
// matrix, and one pair under many permutations (the permutation test's null distribution).
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "infokit/estimators.hpp"
#include "infokit/estimators_detail.hpp"
#include "infokit/parallel.hpp"

namespace infokit {

using detail::SortedMarginal;

namespace {

void check_k_in_range(std::size_t k, std::size_t n) {
    if (k < 1) throw std::invalid_argument("k must be at least 1");
    if (k >= n) throw std::invalid_argument("k must be smaller than the number of samples");
}

// Runs job(t, inner_threads) for t in [0, n_jobs): several jobs one per thread (dynamic, as
// their costs differ), a single job with the threads inside it. Either way each job's result
// is the same, so the split never shows in the output.
template <class Job>
void run_jobs(std::size_t n_jobs, std::size_t n, int n_threads, Job&& job) {
    const int threads = resolve_threads(n_threads);
    if (n_jobs > 1 && threads > 1)
        parallel_for<true>(n_jobs, threads, [&](std::size_t t) { job(t, 1); });
    else
        for (std::size_t t = 0; t < n_jobs; ++t) job(t, detail::point_threads(n, n_threads));
}

}  // namespace

void mutual_info_ksg_matrix(const double* xt, std::size_t d, std::size_t n, std::size_t k, double* out,
                            int n_threads) {
    check_k_in_range(k, n);
    std::vector<std::unique_ptr<SortedMarginal>> cols(d);
    run_jobs(d, n, n_threads, [&](std::size_t j, int) { cols[j] = std::make_unique<SortedMarginal>(xt + j * n, n); });
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    pairs.reserve(d * (d - (d > 0 ? 1 : 0)) / 2);
    for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = i + 1; j < d; ++j) pairs.emplace_back(i, j);
    run_jobs(pairs.size(), n, n_threads, [&](std::size_t t, int inner) {
        const auto [i, j] = pairs[t];
        const SortedMarginal& ym = *cols[j];
        const double mi = detail::ksg1_1d(*cols[i], xt + j * n, ym.vals.data(), ym.pos.data(), n, k, inner);
        out[i * d + j] = mi;
        out[j * d + i] = mi;
    });
}

void mutual_info_ksg_permutations(const double* x, const double* y, std::size_t n, const std::int64_t* perms,
                                  std::size_t m, std::size_t k, double* out, int n_threads) {
    check_k_in_range(k, n);
    const SortedMarginal xm(x, n), ym(y, n);
    run_jobs(m, n, n_threads, [&](std::size_t r, int inner) {
        const std::int64_t* perm = perms + r * n;
        // y[perm] takes its values, and its sorted positions, from y's own: sorted values stay.
        std::vector<double> yp(n);
        std::vector<std::size_t> pos(n);
        std::vector<char> seen(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::int64_t s = perm[i];
            if (s < 0 || static_cast<std::uint64_t>(s) >= n || seen[static_cast<std::size_t>(s)])
                throw std::invalid_argument("each row of perms must be a permutation of 0..n_samples-1");
            seen[static_cast<std::size_t>(s)] = 1;
            yp[i] = y[s];
            pos[i] = ym.pos[static_cast<std::size_t>(s)];
        }
        out[r] = detail::ksg1_1d(xm, yp.data(), ym.vals.data(), pos.data(), n, k, inner);
    });
}

}  // namespace infokit
