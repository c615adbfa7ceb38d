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

// The same expectation summed term by term in scikit-learn's order (rows, then columns, then
// nij from its lowest value), with its tables passed in: rows (3 x n_rows) holds log a_i,
// gammaln(a_i + 1), gammaln(n - a_i + 1); cols (3 x n_cols) the same for b_j; nij (3 x n_nij,
// n_nij > max(a, b)) holds nij / n, log n + log nij, gammaln(nij + 1) + gammaln(n + 1). The
// remaining log-gamma and exp terms are libm's, as in scikit-learn. The adjusted score uses it
// only when its denominator cancels to rounding level, where the score is decided by the last
// bits of the expectation (one labelling of singletons makes the two equal exactly); it costs
// the sum over cells of min(a_i, b_j) terms, one thread, since the order of the sum is the point.
double expected_mutual_info_in_order(const std::int64_t* a, std::size_t n_rows, const std::int64_t* b,
                                     std::size_t n_cols, std::int64_t n, const double* rows,
                                     const double* cols, const double* nij, std::size_t n_nij);

// digamma(x) for x > 0 (recurrence up to x >= 6, then the asymptotic series); float64 accurate.
double digamma(double x);

}  // namespace infokit

namespace infokit {

// The k-nearest-neighbour estimators, in nats, on C-ordered float64 samples (n rows of dx,
// dy, dz columns). Distances are max-norm. "Strictly within the k-th neighbour distance e"
// is counted as "within nextafter(e, 0)", which is the same for e > 0 and, for duplicate
// points (e = 0), counts the duplicates instead of nothing (scikit-learn's convention).
// Per-point terms are summed in point order, so results do not depend on the thread count.

// Kozachenko-Leonenko: psi(n) - psi(k) + (d / n) sum_i log(2 e_i) (the max-norm ball of
// radius e has volume (2e)^d). Duplicate points give -inf.
double entropy_kl(const double* x, std::size_t n, std::size_t d, std::size_t k, int n_threads);

// Kraskov-Stoegbauer-Grassberger. algorithm 1: psi(k) + psi(n) - <psi(nx + 1) + psi(ny + 1)>,
// nx counting points strictly within the joint k-th neighbour distance in x's space;
// algorithm 2: psi(k) - 1/k + psi(n) - <psi(nx) + psi(ny)>, nx counting points within the
// largest x-distance among the k neighbours.
double mutual_info_ksg(const double* x, std::size_t dx, const double* y, std::size_t dy, std::size_t n,
                       std::size_t k, int algorithm, int n_threads);

// Ross (2014) for continuous c against labels `codes` (0..n_classes-1), with scikit-learn's
// conventions: classes with one sample are dropped; k is min(k, class size - 1); m_i counts the
// remaining points (itself included) strictly within the distance to the k-th neighbour of
// the same class: psi(n') + <psi(k_i)> - <psi(n_class)> - <psi(m_i)>. Throws if no class has
// two samples.
double mutual_info_mixed(const double* c, std::size_t dc, const std::int64_t* codes, std::size_t n_classes,
                         std::size_t n, std::size_t k, int n_threads);

// Frenzel-Pompe: psi(k) - <psi(nxz + 1) + psi(nyz + 1) - psi(nz + 1)>.
double conditional_mutual_info_fp(const double* x, std::size_t dx, const double* y, std::size_t dy,
                                  const double* z, std::size_t dz, std::size_t n, std::size_t k,
                                  int n_threads);

// KSG 1 of each row of xt (n_features x n, C-ordered) against y (n), scikit-learn's
// _compute_mi_cc: y's sorted marginal is built once and shared by all features.
void mutual_info_ksg_features(const double* xt, std::size_t n_features, const double* y, std::size_t n,
                              std::size_t k, double* out, int n_threads);

// Ross of each row of ct (n_features x n continuous features) against one labelling, sharing
// the class membership lists across features (scikit-learn's _compute_mi_cd, including its
// brute-force distance rounding in classes where k >= size / 2).
void mutual_info_mixed_features(const double* ct, std::size_t n_features, const std::int64_t* codes,
                                std::size_t n_classes, std::size_t n, std::size_t k, double* out,
                                int n_threads);

// KSG 1 of every pair of rows of xt (d variables x n samples, C-ordered): out (d x d) gets
// the estimate for each pair i != j at both (i, j) and (j, i); the diagonal is not written.
// Each variable is sorted once and its sorted marginal shared by the d - 1 pairs it is in.
// Several pairs run one per thread, each single-threaded (a pair's result does not depend on
// the thread count anyway).
void mutual_info_ksg_matrix(const double* xt, std::size_t d, std::size_t n, std::size_t k, double* out,
                            int n_threads);

// KSG 1 of x against y permuted by each row of perms (m rows of n indices, each a permutation
// of 0..n-1: the r-th estimate pairs x[i] with y[perms[r][i]]) into out[r]. x's sorted marginal
// and y's sorted values are built once; a permutation only reorders y's sorted positions. The
// identity permutation gives mutual_info_ksg(x, y) bit for bit. Throws if a row is not a
// permutation.
void mutual_info_ksg_permutations(const double* x, const double* y, std::size_t n, const std::int64_t* perms,
                                  std::size_t m, std::size_t k, double* out, int n_threads);

// Gao, Kannan, Oh and Viswanath (2017) for discrete-continuous mixtures, on KSG 1's terms as
// the authors' code writes them: psi(n) + <psi(k_i) - psi(nx_i + 1) - psi(ny_i + 1)>. Where
// the k-th joint neighbour distance is positive, k_i = k and the counts are strictly within it
// (KSG 1 exactly); where it is zero (a tie of k or more points), k_i counts the points equal
// to i in the joint space and nx_i + 1, ny_i + 1 those equal to it in each marginal, itself
// included each time: the plug-in terms of the discrete part.
double mutual_info_mixture(const double* x, std::size_t dx, const double* y, std::size_t dy, std::size_t n,
                           std::size_t k, int n_threads);

}  // namespace infokit
