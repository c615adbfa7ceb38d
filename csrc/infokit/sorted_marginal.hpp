// One 1-D variable sorted once, and the counts read from it: the building blocks that the
// 1-D kNN estimators (KSG, Ross) share. Internal to the core.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "infokit/scratch.hpp"

namespace infokit::detail {

// Sorts v (n values, no NaN: throws) by (value, index): vals[p] is the p-th smallest value
// and order[p] its index. -0.0 sorts as, and comes back as, +0.0.
void sort_by_value(const double* v, std::size_t n, double* vals, std::size_t* order);

// #{j : |v_j - v[pos]| <= r} on sorted v (n values), r >= 0.
std::size_t count_around(const double* v, std::size_t n, std::size_t pos, double r);

// count_around of m consecutive positions, for radii far below the spread of v (KSG's marginal counts): each end is
// guessed by interpolation from the local spacing of v and found by reading a window of
// values around the guess at once, galloping on only where the guess was far off. Exact
// whatever the guess. out[i] = count_around(v, n, first + i, r[i]) for i < m.
void counts_around_interpolated(const double* v, std::size_t n, std::size_t first, std::size_t m, const double* r,
                                std::size_t* out);

// One 1-D variable sorted once: its sorted values, each point's position among them and each
// position's point (ties by index). Pairs of columns, and permutations of one column, share it.
struct SortedMarginal {
    ScratchVector<double> vals;
    ScratchVector<std::size_t> pos;    // original index -> position in vals
    ScratchVector<std::size_t> order;  // position in vals -> original index
    SortedMarginal(const double* v, std::size_t n);
    // Room for n values, filled by sort(): so that the sort can run inside a parallel phase.
    explicit SortedMarginal(std::size_t n) : vals(n), pos(n), order(n) {}
    void sort(const double* v);
};

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
