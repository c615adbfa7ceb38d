// The per-ISA kernel table: every inner loop that is compiled once per ISA is reached through
// one of these function pointers, chosen once at start-up (dispatch.cpp).
#pragma once
#include <cstddef>
#include <cstdint>

namespace infokit::simd {

enum class Isa : int { baseline = 0, avx2 = 1, avx512 = 2 };

// Compensated partial sums of one reduction: sum = hi + lo. `bad` is non-zero when an input
// was outside the fast path's domain (negative, NaN, inf, or a zero where the measure needs
// a positive value); the caller then recomputes that slice with the exact reference rules.
struct Partial {
    double hi[3];
    double lo[3];
    std::uint32_t bad;
};

// A reduction over n elements of one or two inputs with element strides sa, sb.
template <class T>
using ReduceFn = void (*)(const T* a, std::ptrdiff_t sa, const T* b, std::ptrdiff_t sb,
                          std::size_t n, const double* params, Partial* out);
// The same reduction for `ncols` adjacent outputs at once: output c reads a + c*ca + i*sa,
// i < n (ca is the column stride, usually 1, so lanes load contiguous memory).
template <class T>
using ReduceColsFn = void (*)(const T* a, std::ptrdiff_t sa, std::ptrdiff_t ca, const T* b,
                              std::ptrdiff_t sb, std::ptrdiff_t cb, std::size_t n,
                              std::size_t ncols, const double* params, Partial* out);

// Elementwise maps over contiguous arrays (the bindings make strided views contiguous first
// or iterate rows).
template <class T>
using MapFn = void (*)(const T* x, T* y, std::size_t n);
template <class T>
using Map2Fn = void (*)(const T* x, std::ptrdiff_t sx, const T* y, std::ptrdiff_t sy, T* out,
                        std::size_t n);

// The reductions that measures.cpp drives.
enum class Reduction : int {
    entropy = 0,   // sums: c, c log c                         (one input)
    cross = 1,     // sums: c, d, c log d                      (two inputs)
    kl = 2,        // sums: c, d, c log(c/d)                   (two inputs)
    js = 3,        // sums: p log(2p/(p+q)) + q log(2q/(p+q)), p = c*params[0], q = d*params[1]
    renyi = 4,     // sums: c, (c*params[1])^params[0] (c scaled by 1/max)   (one input)
    count = 5
};

enum class Elementwise : int { entr = 0, rel_entr = 1, kl_div = 2, count = 3 };

struct KernelTable {
    const char* name;
    MapFn<double> log_f64;
    MapFn<float> log_f32;
    MapFn<double> exp_f64;
    MapFn<float> exp_f32;
    ReduceFn<double> reduce_f64[static_cast<int>(Reduction::count)];
    ReduceFn<float> reduce_f32[static_cast<int>(Reduction::count)];
    ReduceColsFn<double> reduce_cols_f64[static_cast<int>(Reduction::count)];
    ReduceColsFn<float> reduce_cols_f32[static_cast<int>(Reduction::count)];
    Map2Fn<double> elementwise_f64[static_cast<int>(Elementwise::count)];
    Map2Fn<float> elementwise_f32[static_cast<int>(Elementwise::count)];
};

const KernelTable& table_baseline();
#if defined(INFOKIT_HAVE_X86_TARGETS)
const KernelTable& table_avx2();
const KernelTable& table_avx512();
#endif

}  // namespace infokit::simd
