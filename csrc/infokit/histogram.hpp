// Binning of samples into 1-D, 2-D and 3-D histograms (NumPy's edge conventions), and the
// contingency table of two integer labellings.
#pragma once
#include <cstddef>
#include <cstdint>

namespace infokit {

// One histogram axis: `nbins` bins between `nbins + 1` increasing edges. With `uniform` set the
// edges are NumPy's linspace and a bin is found by one multiply, then corrected against the
// edges (as np.histogram does), so the result equals a binary search over the same edges.
struct BinAxis {
    const double* edges = nullptr;
    std::size_t nbins = 0;
    bool uniform = false;
};

// Counts the samples (columns[d][i * strides[d]] for d < ndim, strides in elements) into
// `counts`, a C-ordered table of nbins[0] x ... x nbins[ndim-1] entries, which it overwrites.
// A sample belongs to bin k of an axis when edges[k] <= v < edges[k + 1], the last bin also
// holding v == edges[nbins]; samples outside any axis' edges, or NaN, are not counted.
// ndim is 1, 2 or 3. Counts are exact integers, so they do not depend on the thread count.
template <class T>
void histogram(const T* const* columns, const std::ptrdiff_t* strides, std::size_t n,
               std::size_t ndim, const BinAxis* axes, std::int64_t* counts, int n_threads);

// Smallest and largest of n samples x[i * stride] in one pass (np.min and np.max read the
// data twice); both NaN when any sample is NaN, as NumPy's propagate it. n >= 1.
template <class T>
void min_max(const T* x, std::ptrdiff_t stride, std::size_t n, int n_threads, double* lo, double* hi);

// Contingency table of two labellings already mapped to 0..n_rows-1 and 0..n_cols-1
// (dense, C-ordered n_rows x n_cols, overwritten).
void contingency_dense(const std::int64_t* rows, const std::int64_t* cols, std::size_t n,
                       std::size_t n_rows, std::size_t n_cols, std::int64_t* table, int n_threads);

// Maps integer labels whose values span a range of at most `span` (max - min + 1) to dense
// codes 0..k-1 in increasing label order, as np.unique's inverse does; returns k. `codes`
// receives n entries and `counts` (capacity span) the size of each class.
std::size_t dense_codes(const std::int64_t* labels, std::size_t n, std::int64_t min_label,
                        std::size_t span, std::int64_t* codes, std::int64_t* counts, int n_threads);

}  // namespace infokit
