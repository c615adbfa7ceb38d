// The per-ISA kernel table: every inner loop that is compiled once per ISA is reached through
// one of these function pointers, chosen once at start-up (dispatch.cpp).
#pragma once
#include <cstddef>
#include <cstdint>

// Forces inlining where a call inside a hot loop would spill its vector registers.
#if defined(__GNUC__)
#define INFOKIT_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define INFOKIT_ALWAYS_INLINE inline
#endif

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

// ------------------------------------------------------------------ softmax family
// Statistics of one softmax row (or of one chunk of it): max m and sum = sum_c exp(x_c - m)
// (log-sum-exp = m + log(sum)); with kSoftmaxLin, lin = sum_c a_c (x_c - m), asum = sum_c a_c
// where a_c = (t ? c1 t_c + c0 : c0) (w ? w_c : 1) (label smoothing, probability targets);
// with kSoftmaxEnt, ent = sum_c exp(x_c - m) (x_c - m) (entropy of the softmax). An all -inf
// row has sum 0 and m the lowest finite value; NaN (and +inf) make sum NaN.
struct SoftmaxStats {
    double max, sum, lin, asum, ent;
};
enum : unsigned { kSoftmaxLin = 1u, kSoftmaxEnt = 2u };
// Per-row parameters of the second pass: mode exp, y = alpha exp(x - m) - (b1 t + b0) w
// (softmax, gradients); mode shift, y = (x - m) - alpha (log-softmax).
struct SoftmaxWrite {
    double m, alpha, b1, b0;
};
enum class SoftmaxMode : int { exp = 0, shift = 1 };

// Rows: one row of n contiguous classes (cs and ncols unused). Columns: `ncols` adjacent rows
// (row stride 1) whose classes lie `cs` apart: SIMD lanes run across rows. t (if given) has
// x's layout; w is indexed by class.
template <class T>
using SoftmaxStatsFn = void (*)(const T* x, std::ptrdiff_t cs, std::size_t n, std::size_t ncols,
                                const T* t, const T* w, double c1, double c0, unsigned flags,
                                SoftmaxStats* out);
template <class T>
using SoftmaxWriteFn = void (*)(const T* x, std::ptrdiff_t cs, std::size_t n, std::size_t ncols,
                                const T* t, const T* w, SoftmaxMode mode, const SoftmaxWrite* p,
                                T* y);
// Binary cross-entropy with logits over n contiguous elements (torch's formula); w and pw
// (pos_weight) are aligned with x or null. Writes the losses (if loss) and gscale * dloss/dx
// (if grad) and adds the sum of the losses to *sum.
template <class T>
using BceFn = void (*)(const T* x, const T* t, const T* w, const T* pw, std::size_t n,
                       double gscale, T* loss, T* grad, double* sum);

// Max-then-sum statistics of one contiguous row (no coefficients); y, when not null, receives
// exp(x - max) and may alias x.
template <class T>
using SoftmaxExpRowFn = void (*)(const T* x, std::size_t n, T* y, SoftmaxStats* out);
// y = alpha y + b over n values, in place.
template <class T>
using SoftmaxScaleFn = void (*)(T* y, std::size_t n, double alpha, double b);

struct SoftmaxKernels {
    SoftmaxStatsFn<double> stats_rows_f64, stats_cols_f64;
    SoftmaxStatsFn<float> stats_rows_f32, stats_cols_f32;
    SoftmaxWriteFn<double> write_rows_f64, write_cols_f64;
    SoftmaxWriteFn<float> write_rows_f32, write_cols_f32;
    BceFn<double> bce_f64;
    BceFn<float> bce_f32;
    SoftmaxExpRowFn<double> exp_row_f64;
    SoftmaxExpRowFn<float> exp_row_f32;
    SoftmaxScaleFn<double> scale_rows_f64;
    SoftmaxScaleFn<float> scale_rows_f32;
};

// ------------------------------------------------------------------ histogram binning
// One histogram axis for the block binning kernel (histogram.cpp sets it up): a sample v in
// [lo, hi] has position f = (v - lo) * inv; `margin` bounds |f(edges[k]) - k| over the edges,
// so a position farther than margin from every integer lies strictly inside bin floor(f).
struct BinAxisParams {
    double lo, hi, inv, nb_d, margin;
    std::uint32_t nb;
};
// Marks in the cell indices a BinBlockFn writes (real cells stay below 2^31).
constexpr std::uint32_t kBinOut = 0xFFFFFFFFu;    // outside some axis' edges, or NaN
constexpr std::uint32_t kBinCheck = 0xFFFFFFFEu;  // near an edge: the caller bins it exactly
// Folds one axis into the C-ordered cell indices of n contiguous samples: idx[j] becomes
// idx[j] * nb + bin (idx[j] read as 0 when `first`), or one of the marks above.
using BinBlockFn = void (*)(const double* v, std::size_t n, const BinAxisParams* p,
                            std::uint32_t* idx, bool first);
// Both axes of a 2-d histogram at once: idx[j] = bin0 * p[1].nb + bin1, or a mark.
using BinBlock2Fn = void (*)(const double* v0, const double* v1, std::size_t n,
                             const BinAxisParams* p, std::uint32_t* idx);
struct BinBlocks {
    BinBlockFn axis;  // nullptr where the scalar loop in histogram.cpp is as fast
    BinBlock2Fn pair;
};

// ------------------------------------------------------------------ rANS decoding
// One rANS payload's eight lanes part-way through decoding (rans.cpp drives the kernel): the
// states, the index of the word each lane reads next in `words` (32-bit little-endian), and
// where the next row of eight symbols goes.
struct RansLaneState {
    std::uint64_t x[8];
    std::uint64_t q[8];
    const std::uint8_t* words;
    std::uint8_t* out;
};
// Decodes `steps` rows of `count` payloads (1 to 8) of one model side by side, one vector of
// eight lanes per payload, so that the payloads' dependency chains (a gather from the slot
// table, a multiply, a refill) overlap. table[slot] = freq | symbol << 32 | (slot - start) << 48
// for the 2^k slots (k <= 16); sym_bytes is 1 or 2. Every lane must have at least `steps` words
// left: each row loads one word per lane, used or not.
using RansDecodeRowsFn = void (*)(const std::uint64_t* table, int k, int sym_bytes, RansLaneState* lanes,
                                  int count, std::size_t steps);

struct KernelTable {
    const char* name;
    MapFn<double> log_f64;
    MapFn<float> log_f32;
    MapFn<double> exp_f64;
    MapFn<float> exp_f32;
    MapFn<double> log_for_sum_f64;  // the reductions' few-ULP logs, exposed for their accuracy tests
    MapFn<float> log_for_sum_f32;
    ReduceFn<double> reduce_f64[static_cast<int>(Reduction::count)];
    ReduceFn<float> reduce_f32[static_cast<int>(Reduction::count)];
    ReduceColsFn<double> reduce_cols_f64[static_cast<int>(Reduction::count)];
    ReduceColsFn<float> reduce_cols_f32[static_cast<int>(Reduction::count)];
    Map2Fn<double> elementwise_f64[static_cast<int>(Elementwise::count)];
    Map2Fn<float> elementwise_f32[static_cast<int>(Elementwise::count)];
    SoftmaxKernels softmax;
    BinBlocks bin_f64;  // histogram.cpp's block path (float64 samples)
    RansDecodeRowsFn rans_decode_rows;  // rans.cpp's container path; nullptr: scalar only
    // The CPU has BMI2 (shrx, mulx; dispatch.cpp requires it for avx2 and avx512), which
    // rans.cpp's x86-64 encoder loop uses; the baseline path runs the compiled loop.
    bool scalar_bmi2;
};

const KernelTable& table_baseline();
#if defined(INFOKIT_HAVE_X86_TARGETS)
const KernelTable& table_avx2();
const KernelTable& table_avx512();
#endif

}  // namespace infokit::simd
