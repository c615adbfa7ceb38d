#include "infokit/softmax.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "infokit/dispatch.hpp"
#include "infokit/parallel.hpp"

namespace infokit {
namespace {

using simd::SoftmaxMode;
using simd::SoftmaxStats;
using simd::SoftmaxWrite;

// Rows longer than this are reduced in chunks of this length, merged in chunk order: the
// boundaries depend on the row length only, so results never depend on the thread count.
constexpr std::size_t kChunk = std::size_t{1} << 16;
// Adjacent rows handed to one work item in the column layout (classes strided).
constexpr std::size_t kColBlock = 64;

template <class T>
struct Fns {
    simd::SoftmaxStatsFn<T> stats_rows, stats_cols;
    simd::SoftmaxWriteFn<T> write_rows, write_cols;
    simd::BceFn<T> bce;
    simd::SoftmaxExpRowFn<T> exp_row;
    simd::SoftmaxScaleFn<T> scale_rows;
};
template <class T>
Fns<T> fns() {
    const simd::SoftmaxKernels& k = kernels().softmax;
    if constexpr (sizeof(T) == 8)
        return {k.stats_rows_f64, k.stats_cols_f64, k.write_rows_f64, k.write_cols_f64, k.bce_f64, k.exp_row_f64, k.scale_rows_f64};
    else return {k.stats_rows_f32, k.stats_cols_f32, k.write_rows_f32, k.write_cols_f32, k.bce_f32, k.exp_row_f32, k.scale_rows_f32};
}

template <class T>
constexpr double lowest() { return sizeof(T) == 8 ? -DBL_MAX : -FLT_MAX; }

// Merges the statistics of two consecutive chunks of one row.
SoftmaxStats merge(const SoftmaxStats& a, const SoftmaxStats& b) {
    const double m = std::isnan(a.max) || std::isnan(b.max) ? NAN : std::max(a.max, b.max);
    const double fa = std::exp(a.max - m), fb = std::exp(b.max - m);
    SoftmaxStats r;
    r.max = m;
    r.sum = a.sum * fa + b.sum * fb;
    const double sa = a.sum > 0 ? (m - a.max) * a.sum : 0.0, sb = b.sum > 0 ? (m - b.max) * b.sum : 0.0;
    r.ent = fa * (a.ent - sa) + fb * (b.ent - sb);
    const double la = a.asum != 0 ? (m - a.max) * a.asum : 0.0, lb = b.asum != 0 ? (m - b.max) * b.asum : 0.0;
    r.lin = (a.lin - la) + (b.lin - lb);
    r.asum = a.asum + b.asum;
    return r;
}

// Statistics of one contiguous row of any length.
template <class T>
SoftmaxStats row_stats(const Fns<T>& f, const T* x, std::size_t n, const T* t, const T* w, double c1, double c0,
                       unsigned flags) {
    SoftmaxStats s{lowest<T>(), 0.0, 0.0, 0.0, 0.0};
    for (std::size_t start = 0; start < n; start += kChunk) {
        SoftmaxStats c;
        const std::size_t len = std::min(kChunk, n - start);
        f.stats_rows(x + start, 1, len, 1, t ? t + start : nullptr, w ? w + start : nullptr, c1, c0, flags, &c);
        s = start == 0 ? c : merge(s, c);
    }
    return s;
}

double lse_of(const SoftmaxStats& s) { return s.max + std::log(s.sum); }

int threads_for(const ClassLayout& l, int n_threads) {
    return l.rows() * l.classes < kMinParallelWork ? 1 : resolve_threads(n_threads);
}

// Calls item(first_row, count, x_offset, class_stride, columns) over the work items of a
// layout: single rows when classes are contiguous (inner == 1), blocks of kColBlock adjacent
// rows otherwise.
template <class Item>
void for_each_block(const ClassLayout& l, int threads, Item&& item) {
    const auto C = static_cast<std::ptrdiff_t>(l.classes);
    if (l.inner == 1) {
        parallel_for(l.outer, threads, [&](std::size_t r) {
            item(r, std::size_t{1}, static_cast<std::ptrdiff_t>(r) * C, std::ptrdiff_t{1}, false);
        });
        return;
    }
    const std::size_t blocks = (l.inner + kColBlock - 1) / kColBlock;
    const auto inner = static_cast<std::ptrdiff_t>(l.inner);
    parallel_for(l.outer * blocks, threads, [&](std::size_t it) {
        const std::size_t o = it / blocks, i0 = (it % blocks) * kColBlock;
        const std::size_t count = std::min(kColBlock, l.inner - i0);
        const std::ptrdiff_t off = static_cast<std::ptrdiff_t>(o) * C * inner + static_cast<std::ptrdiff_t>(i0);
        item(o * l.inner + i0, count, off, inner, true);
    });
}

// Statistics of `count` rows starting at x + off (one contiguous row, or a column block).
template <class T>
void block_stats(const Fns<T>& f, const ClassLayout& l, const T* x, std::ptrdiff_t off, std::ptrdiff_t cs,
                 std::size_t count, bool columns, const T* t, const T* w, double c1, double c0, unsigned flags,
                 SoftmaxStats* out) {
    if (columns) f.stats_cols(x + off, cs, l.classes, count, t ? t + off : nullptr, w, c1, c0, flags, out);
    else *out = row_stats(f, x + off, l.classes, t ? t + off : nullptr, w, c1, c0, flags);
}

template <class T>
void block_write(const Fns<T>& f, const ClassLayout& l, const T* x, std::ptrdiff_t off, std::ptrdiff_t cs,
                 std::size_t count, bool columns, const T* t, const T* w, SoftmaxMode mode, const SoftmaxWrite* p,
                 T* y) {
    if (columns) f.write_cols(x + off, cs, l.classes, count, t ? t + off : nullptr, w, mode, p, y + off);
    else f.write_rows(x + off, 1, l.classes, 1, t ? t + off : nullptr, w, mode, p, y + off);
}

// Few rows longer than a chunk: too few rows to keep every thread busy, so the work items
// are the rows' fixed chunks instead.
bool split_rows(const ClassLayout& l, int threads) {
    return l.inner == 1 && l.classes > kChunk && l.outer < 4 * static_cast<std::size_t>(threads);
}

// Statistics of each row of a split_rows layout: chunks in parallel, merged in chunk order as
// row_stats merges them, so the result is the same bits as row_stats' at any thread count.
template <class T>
std::vector<SoftmaxStats> split_row_stats(const Fns<T>& f, const ClassLayout& l, const T* x, const T* t, const T* w,
                                          double c1, double c0, unsigned flags, int threads) {
    const std::size_t chunks = (l.classes + kChunk - 1) / kChunk;
    std::vector<SoftmaxStats> part(l.outer * chunks);
    parallel_for(part.size(), threads, [&](std::size_t it) {
        const std::size_t r = it / chunks, start = (it % chunks) * kChunk;
        const std::size_t off = r * l.classes + start;
        f.stats_rows(x + off, 1, std::min(kChunk, l.classes - start), 1, t ? t + off : nullptr, w ? w + start : nullptr,
                     c1, c0, flags, &part[it]);
    });
    std::vector<SoftmaxStats> out(l.outer);
    for (std::size_t r = 0; r < l.outer; ++r) {
        SoftmaxStats s = part[r * chunks];
        for (std::size_t c = 1; c < chunks; ++c) s = merge(s, part[r * chunks + c]);
        out[r] = s;
    }
    return out;
}

// The second pass over the rows of a split_rows layout, chunks in parallel; p holds one
// SoftmaxWrite per row.
template <class T>
void split_row_write(const Fns<T>& f, const ClassLayout& l, const T* x, const T* t, const T* w, SoftmaxMode mode,
                     const SoftmaxWrite* p, T* y, int threads) {
    const std::size_t chunks = (l.classes + kChunk - 1) / kChunk;
    parallel_for(l.outer * chunks, threads, [&](std::size_t it) {
        const std::size_t r = it / chunks, start = (it % chunks) * kChunk;
        const std::size_t off = r * l.classes + start;
        f.write_rows(x + off, 1, std::min(kChunk, l.classes - start), 1, t ? t + off : nullptr, w ? w + start : nullptr,
                     mode, p + r, y + off);
    });
}

}  // namespace

template <class T>
void logsumexp_rows(const T* x, const ClassLayout& l, double* lse, double* entropy, int n_threads) {
    const Fns<T> f = fns<T>();
    const unsigned flags = entropy ? simd::kSoftmaxEnt : 0u;
    const int threads = threads_for(l, n_threads);
    auto finish = [&](std::size_t r, const SoftmaxStats& s) {
        lse[r] = lse_of(s);
        if (entropy) entropy[r] = std::log(s.sum) - s.ent / s.sum;
    };
    if (split_rows(l, threads)) {
        const std::vector<SoftmaxStats> st =
            split_row_stats(f, l, x, static_cast<const T*>(nullptr), static_cast<const T*>(nullptr), 0.0, 0.0, flags,
                            threads);
        for (std::size_t r = 0; r < l.outer; ++r) finish(r, st[r]);
        return;
    }
    for_each_block(l, threads, [&](std::size_t r0, std::size_t count, std::ptrdiff_t off, std::ptrdiff_t cs, bool cols) {
        SoftmaxStats st[kColBlock];
        block_stats(f, l, x, off, cs, count, cols, static_cast<const T*>(nullptr), static_cast<const T*>(nullptr), 0.0,
                    0.0, flags, st);
        for (std::size_t k = 0; k < count; ++k) finish(r0 + k, st[k]);
    });
}

template <class T>
void softmax_rows(const T* x, const ClassLayout& l, bool log, T* y, double* lse, int n_threads) {
    const Fns<T> f = fns<T>();
    const T* none = nullptr;
    const SoftmaxMode mode = log ? SoftmaxMode::shift : SoftmaxMode::exp;
    auto params = [&](std::size_t r, const SoftmaxStats& s) {
        lse[r] = lse_of(s);
        // log_softmax = (x - m) - log(sum): x - m is exact near the maximum.
        return log ? SoftmaxWrite{s.max, std::log(s.sum), 0.0, 0.0} : SoftmaxWrite{s.max, 1.0 / s.sum, 0.0, 0.0};
    };
    const int threads = threads_for(l, n_threads);
    if (split_rows(l, threads)) {
        const std::vector<SoftmaxStats> st = split_row_stats(f, l, x, none, none, 0.0, 0.0, 0u, threads);
        std::vector<SoftmaxWrite> p(l.outer);
        for (std::size_t r = 0; r < l.outer; ++r) p[r] = params(r, st[r]);
        split_row_write(f, l, x, none, none, mode, p.data(), y, threads);
        return;
    }
    for_each_block(l, threads, [&](std::size_t r0, std::size_t count, std::ptrdiff_t off, std::ptrdiff_t cs, bool cols) {
        SoftmaxStats st[kColBlock];
        SoftmaxWrite p[kColBlock];
        block_stats(f, l, x, off, cs, count, cols, none, none, 0.0, 0.0, 0u, st);
        for (std::size_t k = 0; k < count; ++k) p[k] = params(r0 + k, st[k]);
        block_write(f, l, x, off, cs, count, cols, none, none, mode, p, y);
    });
}

template <class T>
void cross_entropy(const CrossEntropyArgs<T>& a, double* loss, int n_threads) {
    const ClassLayout& l = a.layout;
    const std::size_t rows = l.rows();
    const auto C = static_cast<std::int64_t>(l.classes);
    const bool index = a.target != nullptr;
    if (!index && a.target_prob == nullptr) throw std::invalid_argument("target is required");
    if (index) {  // checked up front: the kernels must never read outside the row
        for (std::size_t r = 0; r < rows; ++r) {
            const std::int64_t y = a.target[r];
            if (y != a.ignore_index && (y < 0 || y >= C))
                throw std::out_of_range("target " + std::to_string(y) + " is out of bounds for " +
                                        std::to_string(C) + " classes");
        }
    }
    const Fns<T> f = fns<T>();
    const double eps = a.label_smoothing;
    const double inv_c = 1.0 / static_cast<double>(l.classes);
    // Probability targets: a_c = ((1 - eps) t_c + eps / C) w_c. Index targets with smoothing:
    // a_c = w_c (the smoothing term sum_c w_c (lse - x_c)).
    const bool lin = !index || eps > 0;
    const double c1 = index ? 0.0 : 1.0 - eps, c0 = index ? 1.0 : eps * inv_c;
    const unsigned flags = lin ? simd::kSoftmaxLin : 0u;
    // The target logit x[y] of row r (index targets), NaN when the row is ignored: read before
    // the gradient may overwrite x.
    auto target_logit = [&](std::size_t r, std::ptrdiff_t y_elem) {
        return !index || a.target[r] == a.ignore_index ? NAN : static_cast<double>(a.x[y_elem]);
    };
    // Row r's loss and second-pass parameters from its statistics (and its target logit).
    auto finish = [&](std::size_t r, const SoftmaxStats& s, double xy, SoftmaxWrite& p) {
        const double log_sum = std::log(s.sum);
        const double lse = s.max + log_sum;
        const double sc = a.grad_scale * (a.row_scale ? a.row_scale[r] : 1.0);
        // Softmax of an all -inf row is NaN (torch): exp(x - m) must see m = -inf there.
        const double m = s.sum == 0.0 ? -INFINITY : s.max;
        if (!index) {
            loss[r] = s.asum * log_sum - s.lin;  // sum_c a_c (lse - x_c)
            p = {m, sc * s.asum / s.sum, sc * c1, sc * c0};
            return;
        }
        const std::int64_t y = a.target[r];
        if (y == a.ignore_index) {
            loss[r] = 0.0;
            p = {m, 0.0, 0.0, 0.0};  // zero gradient (NaN where the row's softmax is NaN, as torch)
            return;
        }
        const double wy = a.weight ? static_cast<double>(a.weight[y]) : 1.0;
        double value = (1.0 - eps) * wy * (lse - xy);
        double coef = (1.0 - eps) * wy;
        if (eps > 0) {
            value += eps * inv_c * (s.asum * log_sum - s.lin);
            coef += eps * inv_c * s.asum;
        }
        loss[r] = value;
        p = {m, sc * coef / s.sum, 0.0, sc * eps * inv_c};
    };
    // g[y] = alpha p_y-part - (b0 + sc (1 - eps)) w_y, in float64 from the saved x[y].
    auto fix_target_grad = [&](std::size_t r, std::ptrdiff_t y_elem, const SoftmaxWrite& p, double xy) {
        const std::int64_t y = a.target[r];
        if (y == a.ignore_index) return;
        const double wy = a.weight ? static_cast<double>(a.weight[y]) : 1.0;
        const double sc = a.grad_scale * (a.row_scale ? a.row_scale[r] : 1.0);
        a.grad[y_elem] = static_cast<T>(p.alpha * std::exp(xy - p.m) - (p.b0 + sc * (1.0 - eps)) * wy);
    };
    const int threads = threads_for(l, n_threads);
    if (split_rows(l, threads)) {
        const std::vector<SoftmaxStats> st = split_row_stats(f, l, a.x, a.target_prob, a.weight, c1, c0, flags, threads);
        std::vector<SoftmaxWrite> p(l.outer);
        std::vector<double> xy(l.outer);
        auto y_elem = [&](std::size_t r) {
            return static_cast<std::ptrdiff_t>(r * l.classes) + (index ? static_cast<std::ptrdiff_t>(a.target[r]) : 0);
        };
        for (std::size_t r = 0; r < l.outer; ++r) finish(r, st[r], xy[r] = target_logit(r, y_elem(r)), p[r]);
        if (!a.grad) return;
        split_row_write(f, l, a.x, a.target_prob, a.weight, SoftmaxMode::exp, p.data(), a.grad, threads);
        if (index)
            for (std::size_t r = 0; r < l.outer; ++r) fix_target_grad(r, y_elem(r), p[r], xy[r]);
        return;
    }
    // Index targets without weights or smoothing on rows of one chunk: the statistics pass
    // leaves exp(x - max) in the gradient, which one scaling pass finishes (same loss bits as
    // the forward-only pass, whose statistics come from the same kernel).
    const bool fused = a.grad && index && !lin && !a.weight && l.classes <= kChunk;
    for_each_block(l, threads, [&](std::size_t r0, std::size_t count, std::ptrdiff_t off, std::ptrdiff_t cs, bool cols) {
        SoftmaxStats st[kColBlock];
        SoftmaxWrite p[kColBlock];
        double xy[kColBlock];
        auto y_elem = [&](std::size_t k) {
            return off + static_cast<std::ptrdiff_t>(k) + (index ? static_cast<std::ptrdiff_t>(a.target[r0 + k]) * cs : 0);
        };
        for (std::size_t k = 0; k < count; ++k) xy[k] = target_logit(r0 + k, y_elem(k));
        if (fused && !cols) {
            f.exp_row(a.x + off, l.classes, a.grad + off, st);
            finish(r0, st[0], xy[0], p[0]);
            // An all -inf or NaN row has a NaN softmax (torch), ignored or not.
            const bool nan_row = !(st[0].sum > 0.0 && std::isfinite(st[0].sum));
            f.scale_rows(a.grad + off, l.classes, nan_row ? NAN : p[0].alpha, -p[0].b0);
            fix_target_grad(r0, y_elem(0), p[0], xy[0]);
            return;
        }
        block_stats(f, l, a.x, off, cs, count, cols, a.target_prob, a.weight, c1, c0, flags, st);
        for (std::size_t k = 0; k < count; ++k) finish(r0 + k, st[k], xy[k], p[k]);
        if (!a.grad) return;
        block_write(f, l, a.x, off, cs, count, cols, a.target_prob, a.weight, SoftmaxMode::exp, p, a.grad);
        if (index)
            for (std::size_t k = 0; k < count; ++k) fix_target_grad(r0 + k, y_elem(k), p[k], xy[k]);
    });
}

template <class T>
double bce_with_logits(const BceArgs<T>& a, int n_threads) {
    const Fns<T> f = fns<T>();
    // Work items of fixed length (a multiple of the pos_weight period, so that each item
    // starts at period offset 0); partial sums are combined in item order.
    std::size_t len = kChunk;
    const std::size_t period = a.pos_weight ? a.pos_weight_len : 0;
    if (period > 0) len = std::max<std::size_t>(1, kChunk / period) * period;
    const std::size_t items = a.n == 0 ? 0 : (a.n + len - 1) / len;
    std::vector<double> part(items, 0.0);
    const int threads = a.n < kMinParallelWork ? 1 : resolve_threads(n_threads);
    parallel_for(items, threads, [&](std::size_t it) {
        const std::size_t start = it * len, n = std::min(len, a.n - start);
        T* loss = a.loss ? a.loss + start : nullptr;
        T* grad = a.grad ? a.grad + start : nullptr;
        const T* w = a.weight ? a.weight + start : nullptr;
        if (period == 0) {
            f.bce(a.x + start, a.target + start, w, nullptr, n, a.grad_scale, loss, grad, &part[it]);
            return;
        }
        for (std::size_t s = 0; s < n; s += period) {  // one call per period: pos_weight aligned
            const std::size_t m = std::min(period, n - s);
            f.bce(a.x + start + s, a.target + start + s, w ? w + s : nullptr, a.pos_weight, m, a.grad_scale,
                  loss ? loss + s : nullptr, grad ? grad + s : nullptr, &part[it]);
        }
    });
    double sum = 0.0, comp = 0.0;  // Neumaier, in item order
    for (double v : part) {
        const double t = sum + v;
        comp += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
    }
    return sum + comp;
}

#define INFOKIT_INSTANTIATE(T)                                                                   \
    template void logsumexp_rows<T>(const T*, const ClassLayout&, double*, double*, int);       \
    template void softmax_rows<T>(const T*, const ClassLayout&, bool, T*, double*, int);        \
    template void cross_entropy<T>(const CrossEntropyArgs<T>&, double*, int);                   \
    template double bce_with_logits<T>(const BceArgs<T>&, int);
INFOKIT_INSTANTIATE(double)
INFOKIT_INSTANTIATE(float)
#undef INFOKIT_INSTANTIATE

}  // namespace infokit
