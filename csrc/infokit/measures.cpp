#include "infokit/measures.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "infokit/dispatch.hpp"
#include "infokit/parallel.hpp"

namespace infokit {
namespace {

using simd::Partial;
using simd::Reduction;

// Fixed chunk length along a row: partial sums are per chunk and combined in chunk order, so
// the split never depends on the thread count.
constexpr std::size_t kChunk = std::size_t{1} << 16;
// Columns handed to one work item in the column kernel.
constexpr std::size_t kColBlock = 64;

std::ptrdiff_t row_offset(std::size_t row, const std::vector<std::ptrdiff_t>& shape,
                          const std::vector<std::ptrdiff_t>& strides) {
    std::ptrdiff_t off = 0;
    for (std::size_t d = shape.size(); d-- > 0;) {
        const auto extent = static_cast<std::size_t>(shape[d]);
        off += static_cast<std::ptrdiff_t>(row % extent) * strides[d];
        row /= extent;
    }
    return off;
}

// Neumaier-compensated running sum of chunk partials, in chunk order.
struct Compensated {
    double sum = 0.0, comp = 0.0;
    void add(double x) {
        const double t = sum + x;
        comp += std::fabs(sum) >= std::fabs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }
    double value() const { return sum + comp; }
};

template <class T>
simd::ReduceFn<T> row_kernel(const simd::KernelTable& k, Reduction which) {
    if constexpr (sizeof(T) == 8) return k.reduce_f64[static_cast<int>(which)];
    else return k.reduce_f32[static_cast<int>(which)];
}
template <class T>
simd::ReduceColsFn<T> col_kernel(const simd::KernelTable& k, Reduction which) {
    if constexpr (sizeof(T) == 8) return k.reduce_cols_f64[static_cast<int>(which)];
    else return k.reduce_cols_f32[static_cast<int>(which)];
}

}  // namespace

template <class T>
std::size_t RowsView<T>::rows() const {
    std::size_t r = 1;
    for (auto e : outer_shape) r *= static_cast<std::size_t>(e);
    return r;
}

int reduction_terms(Reduction which) {
    switch (which) {
        case Reduction::entropy: return 2;
        case Reduction::cross: return 3;
        case Reduction::kl: return 3;
        case Reduction::js: return 1;
        case Reduction::renyi: return 2;
        default: break;
    }
    throw std::invalid_argument("unknown reduction");
}

template <class T>
void reduce_rows(Reduction which, const RowsView<T>& v, const double* params,
                 std::size_t params_per_row, double* sums, std::uint8_t* bad, int n_threads) {
    const simd::KernelTable& k = kernels();
    const int ns = reduction_terms(which);
    const std::size_t rows = v.rows();
    if (rows == 0) return;
    const bool two = v.b != nullptr;
    const int threads = rows * v.n < kMinParallelWork ? 1 : resolve_threads(n_threads);
    const std::size_t nd = v.outer_shape.size();
    auto row_params = [&](std::size_t r) { return params ? params + r * params_per_row : nullptr; };

    // Column mode: the reduction is strided but neighbouring outputs are adjacent in memory
    // (e.g. axis=0 of a C-ordered matrix), so SIMD lanes run across outputs.
    const bool columns = nd > 0 && v.sa != 1 && v.outer_shape[nd - 1] > 1 &&
                         v.outer_strides_a[nd - 1] == 1 && (!two || v.outer_strides_b[nd - 1] == 1) &&
                         (params == nullptr || params_per_row == 0);
    if (columns) {
        const auto ncols = static_cast<std::size_t>(v.outer_shape[nd - 1]);
        const std::size_t outer = rows / ncols;
        const std::size_t blocks = (ncols + kColBlock - 1) / kColBlock;
        std::vector<Partial> partial(rows);
        auto kernel = col_kernel<T>(k, which);
        parallel_for(outer * blocks, threads, [&](std::size_t item) {
            const std::size_t o = item / blocks, blk = item % blocks;
            const std::size_t first = o * ncols + blk * kColBlock;
            const std::size_t count = std::min(kColBlock, ncols - blk * kColBlock);
            const T* a = v.a + row_offset(first, v.outer_shape, v.outer_strides_a);
            const T* b = two ? v.b + row_offset(first, v.outer_shape, v.outer_strides_b) : nullptr;
            kernel(a, v.sa, 1, b, v.sb, 1, v.n, count, nullptr, partial.data() + first);
        });
        for (std::size_t r = 0; r < rows; ++r) {
            for (int s = 0; s < ns; ++s) sums[r * ns + s] = partial[r].hi[s] + partial[r].lo[s];
            bad[r] = static_cast<std::uint8_t>(partial[r].bad);
        }
        return;
    }

    const std::size_t chunks = v.n == 0 ? 1 : (v.n + kChunk - 1) / kChunk;
    std::vector<Partial> partial(rows * chunks);
    auto kernel = row_kernel<T>(k, which);
    parallel_for(rows * chunks, threads, [&](std::size_t item) {
        const std::size_t r = item / chunks, c = item % chunks;
        const std::size_t start = c * kChunk;
        const std::size_t len = std::min(kChunk, v.n - std::min(v.n, start));
        const auto s0 = static_cast<std::ptrdiff_t>(start);
        const T* a = v.a + row_offset(r, v.outer_shape, v.outer_strides_a) + s0 * v.sa;
        const T* b = two ? v.b + row_offset(r, v.outer_shape, v.outer_strides_b) + s0 * v.sb : nullptr;
        kernel(a, v.sa, b, v.sb, len, row_params(r), &partial[item]);
    });
    for (std::size_t r = 0; r < rows; ++r) {
        std::uint32_t flag = 0;
        for (int s = 0; s < ns; ++s) {
            Compensated total;
            double lo = 0.0;
            for (std::size_t c = 0; c < chunks; ++c) {
                total.add(partial[r * chunks + c].hi[s]);
                lo += partial[r * chunks + c].lo[s];
            }
            sums[r * ns + s] = total.value() + lo;
        }
        for (std::size_t c = 0; c < chunks; ++c) flag |= partial[r * chunks + c].bad;
        bad[r] = static_cast<std::uint8_t>(flag != 0);
    }
}

template <class T>
void elementwise(simd::Elementwise which, const T* x, std::ptrdiff_t sx, const T* y,
                 std::ptrdiff_t sy, T* out, std::size_t n, int n_threads) {
    const simd::KernelTable& k = kernels();
    simd::Map2Fn<T> fn;
    if constexpr (sizeof(T) == 8) fn = k.elementwise_f64[static_cast<int>(which)];
    else fn = k.elementwise_f32[static_cast<int>(which)];
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    const int threads = n < kMinParallelWork ? 1 : resolve_threads(n_threads);
    parallel_for(chunks, threads, [&](std::size_t c) {
        const std::size_t start = c * kChunk;
        const std::size_t len = std::min(kChunk, n - start);
        const auto s0 = static_cast<std::ptrdiff_t>(start);
        fn(x + s0 * sx, sx, y ? y + s0 * sy : nullptr, sy, out + start, len);
    });
}

namespace {
template <class T, class Pick>
void map_chunks(const T* x, T* y, std::size_t n, int n_threads, Pick pick) {
    const simd::MapFn<T> fn = pick(kernels());
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    const int threads = n < kMinParallelWork ? 1 : resolve_threads(n_threads);
    parallel_for(chunks, threads, [&](std::size_t c) {
        const std::size_t start = c * kChunk;
        fn(x + start, y + start, std::min(kChunk, n - start));
    });
}
}  // namespace

template <class T>
void vector_log(const T* x, T* y, std::size_t n, int n_threads) {
    map_chunks(x, y, n, n_threads, [](const simd::KernelTable& k) {
        if constexpr (sizeof(T) == 8) return k.log_f64; else return k.log_f32;
    });
}
template <class T>
void vector_exp(const T* x, T* y, std::size_t n, int n_threads) {
    map_chunks(x, y, n, n_threads, [](const simd::KernelTable& k) {
        if constexpr (sizeof(T) == 8) return k.exp_f64; else return k.exp_f32;
    });
}
template <class T>
void vector_log_for_sum(const T* x, T* y, std::size_t n, int n_threads) {
    map_chunks(x, y, n, n_threads, [](const simd::KernelTable& k) {
        if constexpr (sizeof(T) == 8) return k.log_for_sum_f64; else return k.log_for_sum_f32;
    });
}

#define INFOKIT_INSTANTIATE(T)                                                                  \
    template struct RowsView<T>;                                                                \
    template void reduce_rows<T>(Reduction, const RowsView<T>&, const double*, std::size_t,     \
                                 double*, std::uint8_t*, int);                                  \
    template void elementwise<T>(simd::Elementwise, const T*, std::ptrdiff_t, const T*,         \
                                 std::ptrdiff_t, T*, std::size_t, int);                         \
    template void vector_log<T>(const T*, T*, std::size_t, int);                                \
    template void vector_exp<T>(const T*, T*, std::size_t, int);                                \
    template void vector_log_for_sum<T>(const T*, T*, std::size_t, int);
INFOKIT_INSTANTIATE(double)
INFOKIT_INSTANTIATE(float)
#undef INFOKIT_INSTANTIATE

}  // namespace infokit
