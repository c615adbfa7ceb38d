// Information estimators from samples: the expected mutual information of two labellings under
// the permutation model (for the adjusted mutual information), and the k-nearest-neighbour
// estimators of Kozachenko-Leonenko, Kraskov-Stoegbauer-Grassberger, Ross and Frenzel-Pompe.
#pragma once
#include <cstddef>
#include <cstdint>

namespace infokit {

// E[MI] over all labellings with row sums a (n_rows) and column sums b (n_cols) of n samples:
// the sum over cells of the hypergeometric expectation of (nij/n) log(n nij / (a_i b_j)).
// Each cell walks out from the mode of its hypergeometric law with the ratio of consecutive
// probabilities and stops once they fall below 1e-20 of the mode's, so the cost is about
// the law's width, not min(a_i, b_j). Parallel over rows, summed in row order.
double expected_mutual_info(const std::int64_t* a, std::size_t n_rows, const std::int64_t* b,
                            std::size_t n_cols, std::int64_t n, int n_threads);

// digamma(x) for x > 0 (recurrence up to x >= 6, then the asymptotic series); float64 accurate.
double digamma(double x);

}  // namespace infokit
