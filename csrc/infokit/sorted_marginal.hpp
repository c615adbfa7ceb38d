// One 1-D variable sorted once, and the counts read from it: the building blocks that the
// 1-D kNN estimators (KSG, Ross) share. Internal to the core.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace infokit::detail {

// Sorts v (n values, no NaN: throws) by (value, index): vals[p] is the p-th smallest value
// and order[p] its index. -0.0 sorts as, and comes back as, +0.0.
void sort_by_value(const double* v, std::size_t n, double* vals, std::size_t* order);

// #{j : |v_j - v[pos]| <= r} on sorted v (n values), r >= 0.
std::size_t count_around(const double* v, std::size_t n, std::size_t pos, double r);

// count_around for a sequence of queries in sorted order with radii of one scale (KSG's
// marginal counts): each end's search starts where the recent queries' density times the
// radius puts it, so it scans over the estimate's error (about the square root of the count)
// instead of galloping over the whole count. Exact whatever the guess.
class SweepCounter {
public:
    std::size_t count(const double* v, std::size_t n, std::size_t pos, double r);

private:
    double up_ = 0.0, down_ = 0.0;  // points per unit radius on each side, averaged over recent queries
};

// One 1-D variable sorted once: its sorted values, each point's position among them and each
// position's point (ties by index). Pairs of columns, and permutations of one column, share it.
struct SortedMarginal {
    std::vector<double> vals;
    std::vector<std::size_t> pos;    // original index -> position in vals
    std::vector<std::size_t> order;  // position in vals -> original index
    SortedMarginal(const double* v, std::size_t n);
};

using MarginalPtr = std::unique_ptr<SortedMarginal>;

// Two variables sorted side by side, one per thread where there are two.
std::pair<MarginalPtr, MarginalPtr> sorted_pair(const double* x, const double* y, std::size_t n, int threads);

// The largest double below a distance d >= 0 (0 stays 0, +inf gives the largest finite):
// "strictly within d" as "within next_below(d)". std::nextafter(d, 0.0) without the call.
inline double next_below(double d) {
    if (!(d > 0.0)) return d;
    std::uint64_t u;
    std::memcpy(&u, &d, sizeof u);
    --u;
    std::memcpy(&d, &u, sizeof d);
    return d;
}

}  // namespace infokit::detail
