// One 1-D variable sorted once, and the counts read from it: the building blocks that the
// 1-D kNN estimators (KSG, Ross) share. Internal to the core.
#pragma once
#include <cstddef>
#include <vector>

namespace infokit::detail {

// A value sorted with its original index, for sorting pairs contiguously (ties by index).
struct Keyed {
    double v;
    std::size_t i;
    bool operator<(const Keyed& o) const { return v < o.v || (v == o.v && i < o.i); }
};

// Sorts pairs arriving in increasing index order by (value, index). Values must not be NaN.
void sort_keyed_in_index_order(std::vector<Keyed>& a);

// #{j : |v_j - v[pos]| <= r} on sorted v (n values), r >= 0.
std::size_t count_around(const double* v, std::size_t n, std::size_t pos, double r);

// count_around for a sequence of queries in sorted order with radii of one scale (KSG's
// marginal counts): each end's search starts where the previous query's count, rescaled by
// the ratio of the radii, puts it, so it gallops over the estimate's error (about the square
// root of the count) instead of the whole count. Exact whatever the guess.
class SweepCounter {
public:
    std::size_t count(const double* v, std::size_t n, std::size_t pos, double r);

private:
    double up_ = 0.0, down_ = 0.0;  // points per unit radius on each side, from the last query
};

// One 1-D variable sorted once: its sorted values, each point's position among them and each
// position's point (ties by index). Pairs of columns, and permutations of one column, share it.
struct SortedMarginal {
    std::vector<double> vals;
    std::vector<std::size_t> pos;    // original index -> position in vals
    std::vector<std::size_t> order;  // position in vals -> original index
    SortedMarginal(const double* v, std::size_t n);
};

}  // namespace infokit::detail
