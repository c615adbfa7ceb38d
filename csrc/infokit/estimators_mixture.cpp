// Mutual information of discrete-continuous mixtures (Gao, Kannan, Oh, Viswanath 2017): KSG 1
// where a point's k-th neighbour is at a positive distance, plug-in counts of the tied points
// where it is at distance zero.
#include <cmath>
#include <stdexcept>
#include <vector>

#include "infokit/estimators.hpp"
#include "infokit/estimators_detail.hpp"
#include "infokit/knn.hpp"

namespace infokit {

double mutual_info_mixture(const double* x, std::size_t dx, const double* y, std::size_t dy, std::size_t n,
                           std::size_t k, int n_threads) {
    if (k < 1) throw std::invalid_argument("k must be at least 1");
    if (k >= n) throw std::invalid_argument("k must be smaller than the number of samples");
    const std::size_t d = dx + dy;
    std::vector<double> xy(n * d);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t c = 0; c < dx; ++c) xy[i * d + c] = x[i * dx + c];
        for (std::size_t c = 0; c < dy; ++c) xy[i * d + dx + c] = y[i * dy + c];
    }
    const KDTree tree(xy.data(), n, d);
    const detail::MarginalCounter cx(x, n, dx), cy(y, n, dy);
    const double psi_k = digamma(static_cast<double>(k));
    const double mean = detail::mean_knn_term(
        tree, n, k, n_threads, [&](std::size_t i, const std::vector<double>& dist, const std::vector<std::size_t>&) {
            const double rho = dist[k - 1];
            // Radius 0 counts exact copies (itself included); otherwise "strictly within rho",
            // as in KSG 1. Counts include i, so they are k_i, nx_i + 1 and ny_i + 1.
            const double r = rho == 0.0 ? 0.0 : std::nextafter(rho, 0.0);
            const double head = rho == 0.0 ? detail::digamma_int(tree.count_within(xy.data() + i * d, 0.0)) : psi_k;
            return head - detail::digamma_int(cx.count(x + i * dx, r)) - detail::digamma_int(cy.count(y + i * dy, r));
        });
    return digamma(static_cast<double>(n)) + mean;
}

}  // namespace infokit
