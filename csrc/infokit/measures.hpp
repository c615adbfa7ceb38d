// The discrete measures' reductions over strided N-d data: entropy, cross-entropy, KL,
// Jensen-Shannon and Renyi partial sums per output, computed in parallel over fixed chunks.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "infokit/simd/kernels.hpp"

namespace infokit {

// One or two inputs viewed as rows: outer dimensions (C order, any strides, in elements) and
// a reduction axis of length n with stride s.
template <class T>
struct RowsView {
    const T* a = nullptr;
    const T* b = nullptr;  // second input or nullptr
    std::vector<std::ptrdiff_t> outer_shape;
    std::vector<std::ptrdiff_t> outer_strides_a;
    std::vector<std::ptrdiff_t> outer_strides_b;
    std::size_t n = 0;
    std::ptrdiff_t sa = 1;
    std::ptrdiff_t sb = 1;

    std::size_t rows() const;
};

int reduction_terms(simd::Reduction which);

// Writes, for each row, the reduction's sums (rows x reduction_terms) and a bad flag (see
// simd::Partial). params: `params_per_row` doubles per row (may be 0).
template <class T>
void reduce_rows(simd::Reduction which, const RowsView<T>& view, const double* params,
                 std::size_t params_per_row, double* sums, std::uint8_t* bad, int n_threads);

// Elementwise scipy.special functions over contiguous output, inputs with element strides.
template <class T>
void elementwise(simd::Elementwise which, const T* x, std::ptrdiff_t sx, const T* y,
                 std::ptrdiff_t sy, T* out, std::size_t n, int n_threads);

template <class T>
void vector_log(const T* x, T* y, std::size_t n, int n_threads);
template <class T>
void vector_exp(const T* x, T* y, std::size_t n, int n_threads);
// The few-ULP log the reductions use (finite for any input), for tests of its accuracy.
template <class T>
void vector_log_for_sum(const T* x, T* y, std::size_t n, int n_threads);

}  // namespace infokit
