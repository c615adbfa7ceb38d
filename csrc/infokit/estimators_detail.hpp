// Pieces of the k-nearest-neighbour estimators shared by estimators*.cpp: the fixed point
// chunking, marginal counting and the 1-D KSG kernel. Internal to the core (not part of its
// API); the estimators built on them are declared in estimators.hpp.
#pragma once
#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

#include "infokit/knn.hpp"
#include "infokit/parallel.hpp"
#include "infokit/sorted_marginal.hpp"

namespace infokit::detail {

// Points per work item of the per-point loops: fixed, so the work split never depends on the
// thread count (the terms are stored per point and summed in point order anyway).
inline constexpr std::size_t kPointChunk = 1024;

// The thread count of a per-point loop over n points: one below two chunks of work.
inline int point_threads(std::size_t n, int n_threads) {
    return n < 2 * kPointChunk ? 1 : resolve_threads(n_threads);
}

// Chunks go to whichever thread is free: on a shared machine a preempted thread would
// otherwise hold the others at the barrier with its whole static share still to do. The
// chunks are fixed, so the results are not affected.
template <class Body>
void for_points(std::size_t n, int n_threads, Body&& body) {
    const std::size_t chunks = (n + kPointChunk - 1) / kPointChunk;
    parallel_for<true>(chunks, point_threads(n, n_threads), [&](std::size_t c) {
        const std::size_t end = std::min(n, (c + 1) * kPointChunk);
        for (std::size_t i = c * kPointChunk; i < end; ++i) body(i);
    });
}

template <class Vector>
double mean_in_order(const Vector& v) {
    double s = 0.0;
    for (double t : v) s += t;
    return s / static_cast<double>(v.size());
}

// Counts points within a max-norm radius in a marginal space: binary search on a sorted copy
// in one dimension, a KD-tree otherwise.
class MarginalCounter {
public:
    MarginalCounter(const double* x, std::size_t n, std::size_t d) : d_(d) {
        if (d == 1) axis_ = std::make_unique<SortedAxis>(x, n, 1);
        else tree_ = std::make_unique<KDTree>(x, n, d);
    }
    std::size_t count(const double* q, double r) const {
        return d_ == 1 ? axis_->count_within(q[0], r) : tree_->count_within(q, r);
    }

private:
    std::size_t d_;
    std::unique_ptr<SortedAxis> axis_;
    std::unique_ptr<KDTree> tree_;
};

// The per-point loop every k-NN estimator runs: the mean, in point order, of
// term(i, dist, idx) given point i's k nearest neighbours in `tree`.
template <class Term>
double mean_knn_term(const KDTree& tree, std::size_t n, std::size_t k, int n_threads, Term&& term) {
    std::vector<double> terms(n);
    for_points(n, n_threads, [&](std::size_t i) {
        std::vector<double> dist(k);
        std::vector<std::size_t> idx(k);
        tree.knn(i, k, dist.data(), idx.data());
        terms[i] = term(i, dist, idx);
    });
    return mean_in_order(terms);
}

// digamma of a positive integer, bit-identical to digamma() (small ones from a table).
double digamma_int(std::size_t m);

// KSG 1 for 1-D x (through its sorted marginal xm) against 1-D y, with y's sorted values and
// positions (y_pos, a permutation of 0..n-1: y_pos[i] is a slot of y_vals holding y[i])
// prepared by the caller, so that one sort of each serves every pair and every permutation it
// takes part in. The result does not depend on n_threads.
double ksg1_1d(const SortedMarginal& xm, const double* y, const double* y_vals, const std::size_t* y_pos,
               std::size_t n, std::size_t k, int n_threads);

// ksg1_1d of x and y as given: their sorts run in the same parallel region as the rest.
double ksg1_1d_unsorted(const double* x, const double* y, std::size_t n, std::size_t k, int n_threads);

}  // namespace infokit::detail
