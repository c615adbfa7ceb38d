// Neighbour search in the max-norm: a KD-tree over points of any (small) dimension for k-th
// neighbour distances and radius counts, and a sorted 1-D axis whose counts use binary search
// with the exact floating-point predicate |x_i - x_j| <= r.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace infokit {

class KDTree {
public:
    // Points are rows of a C-ordered n x d array; the tree keeps its own copy in tree order.
    KDTree(const double* data, std::size_t n, std::size_t d);

    std::size_t size() const { return n_; }
    std::size_t dim() const { return d_; }

    // The k nearest neighbours of point `self` (excluding itself; duplicates are neighbours at
    // distance 0), sorted by distance: dist[0..k) and their original indices idx[0..k).
    // Requires k < n. Ties at the k-th distance are broken by tree order (deterministic).
    void knn(std::size_t self, std::size_t k, double* dist, std::size_t* idx) const;

    // Number of points (the query point itself included, if it is one) whose max-norm
    // distance to q is <= r, the distance computed as max_d |q_d - p_d|.
    std::size_t count_within(const double* q, double r) const;

    // Coordinates of original point i.
    const double* point(std::size_t i) const { return orig_.data() + i * d_; }

private:
    struct Node {
        std::size_t begin, end;
        std::int64_t left, right;  // -1 for a leaf
    };
    std::int64_t build(std::size_t begin, std::size_t end);
    double min_dist(std::size_t node, const double* q) const;
    double max_dist(std::size_t node, const double* q) const;

    std::size_t n_, d_;
    std::vector<double> orig_;       // the points in their original order (n x d)
    std::vector<double> pts_;        // the points in tree order (n x d)
    std::vector<std::size_t> perm_;  // tree position -> original index
    std::vector<Node> nodes_;
    std::vector<double> box_;        // per node: lo[d], hi[d]
};

// One coordinate sorted for counting: count_within(x, r) = #{j : |x - v_j| <= r}, evaluated
// with that exact rounding (subtraction is monotone, so the predicate is monotone on each
// side of x and binary search finds its boundary).
class SortedAxis {
public:
    SortedAxis(const double* v, std::size_t n, std::ptrdiff_t stride);
    std::size_t count_within(double x, double r) const;

private:
    std::vector<double> v_;
};

}  // namespace infokit
