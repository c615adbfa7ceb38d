// Inner loops of the softmax family (log-sum-exp, softmax, log-softmax, fused softmax
// cross-entropy and its gradient, BCE with logits), written once over one ISA's operations
// and compiled per ISA (target_<isa>.cpp). No threads here: softmax.cpp drives them.
//
// Rows with coefficients (label smoothing, class weights, probability targets, softmax
// entropy) and column blocks take one pass: a block of 4 vectors gives a per-lane block max;
// when it raises a lane's running max m, that lane's sum is rescaled by exp(m_old - m_new)
// (rare after the first blocks), then exp(x - m) of the 4 vectors is added. Rows without take
// a max pass and an exp pass from cache (exp_row_impl), which lets the fused gradient store
// its exponentials. One exponential per element either way. float32 rows run in float32
// lanes with a float32 exp (~1 ULP); the exponentials of a block (and in exp_row_impl, of four
// blocks) are added in float32 and those partial sums accumulate in float64, so the row sum
// is accurate to a few float32 ULP whatever the row length. float64 rows use
// exp_f64 (<= 1 ULP) and float64 sums. Lanes are merged at the end of the row in a fixed order.
#ifndef INFOKIT_ISA_NS
#error "include an ops_<isa>.hpp and define INFOKIT_ISA_NS first"
#endif
#include "infokit/simd/prefetch.hpp"
#include "infokit/simd/kernels.hpp"
#include "infokit/simd/vecmath_impl.hpp"

namespace infokit::simd::INFOKIT_ISA_NS {
namespace {

// ------------------------------------------------------- one kernel body for both precisions
struct LanesF32 {
    using T = float;
    using V = vf;
    static constexpr int L = kLanesF;
    static constexpr int W = kLanesF / kLanes;  // float64 vectors per V when widened
    static constexpr float kLowest = -__FLT_MAX__;
    static V set(double x) { return f_set1(static_cast<float>(x)); }
    static V load(const float* p) { return f_load(p); }
    static V load_part(const float* p, int n, float fill) { return f_load_partial(p, n, fill); }
    static void store(float* p, V v) { f_store(p, v); }
    static void store_part(float* p, int n, V v) { f_store_partial(p, n, v); }
    static V add(V a, V b) { return f_add(a, b); }
    static V sub(V a, V b) { return f_sub(a, b); }
    static V mul(V a, V b) { return f_mul(a, b); }
    static V div(V a, V b) { return f_div(a, b); }
    static V fmadd(V a, V b, V c) { return f_fma(a, b, c); }
    static V max(V a, V b) { return f_max(a, b); }  // b when either is NaN
    static bool any_gt(V a, V b) { return f_any(f_gt(a, b)); }
    static V sel_gt(V a, V b, V x, V y) { return f_select(f_gt(a, b), x, y); }
    static V abs(V a) { return f_as_float(fi_and(f_as_int(a), fi_set1(0x7fffffff))); }
    static V exp_nonpos(V d) { return exp_f32_nonpos(d); }
    static V log_pos(V x) { return log_f32_native(x); }  // finite x > 0
    // log1p(e) for e in [0, 1] (or NaN): log1p(e) = 2 atanh(s) = e - s (e - R(s^2)) with
    // s = e / (2 + e) <= 1/3 and R the series 2 z / 3 + 2 z^2 / 5 + ... to z^6 (truncation
    // below 2^-26 of the result). No exponent split and no special cases: ~1 ULP, and e's
    // relative accuracy is kept for tiny e.
    static V log1p_unit(V e) {
        const V s = f_div(e, f_add(f_set1(2.0f), e));
        const V z = f_mul(s, s);
        const V z3 = f_mul(f_mul(z, z), z);
        const V p = f_fma(z3, f_fma(z, f_fma(z, f_set1(2.0f / 13), f_set1(2.0f / 11)), f_set1(2.0f / 9)),
                          f_fma(z, f_fma(z, f_set1(2.0f / 7), f_set1(2.0f / 5)), f_set1(2.0f / 3)));
        return f_fma(s, f_sub(f_mul(z, p), e), e);
    }
    static void widen(V a, vd* out) { f_widen(a, out); }
    static void to_array(V a, float* o) { f_to_array(a, o); }
    static V from_array(const float* p) { return f_from_array(p); }
};

struct LanesF64 {
    using T = double;
    using V = vd;
    static constexpr int L = kLanes;
    static constexpr int W = 1;
    static constexpr double kLowest = -__DBL_MAX__;
    static V set(double x) { return set1(x); }
    static V load(const double* p) { return ::infokit::simd::INFOKIT_ISA_NS::load(p); }
    static V load_part(const double* p, int n, double fill) { return load_partial(p, n, fill); }
    static void store(double* p, V v) { ::infokit::simd::INFOKIT_ISA_NS::store(p, v); }
    static void store_part(double* p, int n, V v) { store_partial(p, n, v); }
    static V add(V a, V b) { return ::infokit::simd::INFOKIT_ISA_NS::add(a, b); }
    static V sub(V a, V b) { return ::infokit::simd::INFOKIT_ISA_NS::sub(a, b); }
    static V mul(V a, V b) { return ::infokit::simd::INFOKIT_ISA_NS::mul(a, b); }
    static V div(V a, V b) { return ::infokit::simd::INFOKIT_ISA_NS::div(a, b); }
    static V fmadd(V a, V b, V c) { return fma(a, b, c); }
    static V max(V a, V b) { return vmax(a, b); }  // b when either is NaN
    static bool any_gt(V a, V b) { return any(gt(a, b)); }
    static V sel_gt(V a, V b, V x, V y) { return select(gt(a, b), x, y); }
    static V sel_eq1(V u, V x, V y) { return select(eq(u, set1(1.0)), x, y); }
    static V abs(V a) { return vabs(a); }
    // exp for d <= 0 (or NaN): results below 2^-1021 flush to 0, so that masked (-inf) and far
    // smaller logits never send exp_f64 to its scalar lane fix-up.
    static V exp_nonpos(V d) {
        return select(lt(d, set1(-708.0)), set1(0.0), exp_f64(vmax(set1(-708.0), d)));
    }
    static V log_pos(V x) { return log_core(x); }
    // log1p(e) for e in [0, 1] (or NaN) as e log(u) / (u - 1), u = 1 + e (Goldberg): exact
    // rounding of u compensated, e's relative accuracy kept for tiny e.
    static V log1p_unit(V e) {
        const V one = set1(1.0);
        const V u = add(one, e);
        return sel_eq1(u, e, div(mul(e, log_pos(u)), sel_eq1(u, one, sub(u, one))));
    }
    static void widen(V a, vd* out) { out[0] = a; }
    static void to_array(V a, double* o) { ::infokit::simd::INFOKIT_ISA_NS::to_array(a, o); }
    static V from_array(const double* p) { return ::infokit::simd::INFOKIT_ISA_NS::from_array(p); }
};

template <class Ln>
inline typename Ln::V ones_part(int n) {
    alignas(64) static const typename Ln::T ones[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    return Ln::load_part(ones, n, 0);
}

// Running (max, sum of exponentials[, lin, asum, ent]) per lane.
template <class Ln, bool LIN, bool ENT>
struct OnlineLse {
    using V = typename Ln::V;
    static constexpr int W = Ln::W;
    V m = Ln::set(Ln::kLowest);
    vd s[W], lin[W], asum[W], u[W];

    OnlineLse() {
        for (int w = 0; w < W; ++w) s[w] = lin[w] = asum[w] = u[w] = set1(0.0);
    }

    // K vectors of logits x (padding -inf) and, with LIN, their coefficients a (padding 0)
    // and the logits to weight (xl, padding finite).
    template <int K>
    void consume(const V* x, const V* a, const V* xl) {
        V bm = x[0];
        for (int k = 1; k < K; ++k) bm = Ln::max(bm, x[k]);
        const V mn = Ln::max(m, bm);
        if (Ln::any_gt(mn, m)) rescale(mn);
        m = mn;
        V e[K];
        for (int k = 0; k < K; ++k) e[k] = Ln::exp_nonpos(Ln::sub(x[k], m));
        add_wide(s, tree_sum<K>(e));
        if constexpr (ENT) {
            V t = Ln::mul(e[0], Ln::max(Ln::set(Ln::kLowest), Ln::sub(x[0], m)));  // 0 * -inf -> 0
            for (int k = 1; k < K; ++k) t = Ln::fmadd(e[k], Ln::max(Ln::set(Ln::kLowest), Ln::sub(x[k], m)), t);
            add_wide(u, t);
        }
        if constexpr (LIN) {
            // Weighted logits relative to the running max: no cancellation against lse later.
            V l = Ln::mul(a[0], Ln::sub(xl[0], m));
            V as = a[0];
            for (int k = 1; k < K; ++k) {
                l = Ln::fmadd(a[k], Ln::sub(xl[k], m), l);
                as = Ln::add(as, a[k]);
            }
            add_wide(lin, l);
            add_wide(asum, as);
        }
    }

    template <int K>
    static V tree_sum(const V* e) {
        if constexpr (K == 1) return e[0];
        else if constexpr (K == 4) return Ln::add(Ln::add(e[0], e[1]), Ln::add(e[2], e[3]));
        else {
            V t = e[0];
            for (int k = 1; k < K; ++k) t = Ln::add(t, e[k]);
            return t;
        }
    }
    static void add_wide(vd* acc, V v) {
        vd wv[W];
        Ln::widen(v, wv);
        for (int w = 0; w < W; ++w) acc[w] = add(acc[w], wv[w]);
    }

    void rescale(V mn) {
        vd f[W];
        Ln::widen(Ln::exp_nonpos(Ln::sub(m, mn)), f);
        if constexpr (ENT || LIN) {
            vd mo[W], mw[W];
            Ln::widen(m, mo);
            Ln::widen(mn, mw);
            // sum a (x - mn) = sum a (x - m) - (mn - m) sum a (asum = 0: nothing to shift, and
            // mn - m may overflow while the max is still the lowest value).
            if constexpr (LIN) {
                for (int w = 0; w < W; ++w)
                    lin[w] = sub(lin[w], zero_unless(m_not(eq(asum[w], set1(0.0))), mul(sub(mw[w], mo[w]), asum[w])));
            }
            // sum e (x - mn) = f (sum e_old (x - m) - (mn - m) sum e_old); likewise for s = 0.
            for (int w = 0; w < W && ENT; ++w) {
                const vd shift = zero_unless(gt(s[w], set1(0.0)), mul(sub(mw[w], mo[w]), s[w]));
                u[w] = mul(f[w], sub(u[w], shift));
            }
        }
        for (int w = 0; w < W; ++w) s[w] = mul(s[w], f[w]);
    }

    // Merges the lanes of one row (fixed order) into out.
    void finish_row(SoftmaxStats* out) {
        typename Ln::T ms[Ln::L];
        Ln::to_array(m, ms);
        typename Ln::T big = Ln::kLowest;
        for (int l = 0; l < Ln::L; ++l) big = ms[l] > big ? ms[l] : big;  // NaN lanes: s is NaN
        const V M = Ln::set(big);
        vd f[W];
        Ln::widen(Ln::exp_nonpos(Ln::sub(m, M)), f);
        vd S = set1(0.0), U = set1(0.0), Lv = set1(0.0), A = set1(0.0);
        vd mw[W];
        if constexpr (ENT || LIN) Ln::widen(m, mw);
        const vd bigv = set1(static_cast<double>(big));
        for (int w = 0; w < W; ++w) {
            S = add(S, mul(f[w], s[w]));
            if constexpr (ENT) {
                const vd shift = zero_unless(gt(s[w], set1(0.0)), mul(sub(bigv, mw[w]), s[w]));
                U = add(U, mul(f[w], sub(u[w], shift)));
            }
            if constexpr (LIN) {
                Lv = add(Lv, sub(lin[w], zero_unless(m_not(eq(asum[w], set1(0.0))), mul(sub(bigv, mw[w]), asum[w]))));
                A = add(A, asum[w]);
            }
        }
        out->max = static_cast<double>(big);
        out->sum = reduce_add(S);
        out->ent = ENT ? reduce_add(U) : 0.0;
        out->lin = LIN ? reduce_add(Lv) : 0.0;
        out->asum = LIN ? reduce_add(A) : 0.0;
    }

    // Column mode: every lane is its own row; writes the first `count` lanes.
    void finish_lanes(SoftmaxStats* out, int count) {
        typename Ln::T ms[Ln::L];
        Ln::to_array(m, ms);
        double ss[Ln::L], ls[Ln::L], as[Ln::L], us[Ln::L];
        for (int w = 0; w < W; ++w) {
            ::infokit::simd::INFOKIT_ISA_NS::to_array(s[w], ss + w * kLanes);
            ::infokit::simd::INFOKIT_ISA_NS::to_array(lin[w], ls + w * kLanes);
            ::infokit::simd::INFOKIT_ISA_NS::to_array(asum[w], as + w * kLanes);
            ::infokit::simd::INFOKIT_ISA_NS::to_array(u[w], us + w * kLanes);
        }
        for (int l = 0; l < count; ++l) {
            out[l].max = static_cast<double>(ms[l]);
            out[l].sum = ss[l];
            out[l].lin = LIN ? ls[l] : 0.0;
            out[l].asum = LIN ? as[l] : 0.0;
            out[l].ent = ENT ? us[l] : 0.0;
        }
    }
};

// a = (t ? c1 t + c0 : c0) (w ? w : 1) for one vector of classes.
template <class Ln>
inline typename Ln::V coef(typename Ln::V t, bool has_t, typename Ln::V w, bool has_w, typename Ln::V c1,
                           typename Ln::V c0) {
    typename Ln::V a = has_t ? Ln::fmadd(c1, t, c0) : c0;
    return has_w ? Ln::mul(a, w) : a;
}

template <class Ln, bool LIN, bool ENT>
void stats_row_impl(const typename Ln::T* x, std::size_t n, const typename Ln::T* t,
                    const typename Ln::T* w, double c1d, double c0d, SoftmaxStats* out) {
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    OnlineLse<Ln, LIN, ENT> acc;
    const V c1 = Ln::set(c1d), c0 = Ln::set(c0d), one = Ln::set(1.0);
    V xv[4], a[4];
    std::size_t i = 0;
    if (n >= 4 * L) {  // start from the first block's max (never below the lowest finite value): no rescaling for it
        const V bm = Ln::max(Ln::max(Ln::load(x), Ln::load(x + L)), Ln::max(Ln::load(x + 2 * L), Ln::load(x + 3 * L)));
        acc.m = Ln::max(Ln::set(Ln::kLowest), bm);
    }
    for (; i + 4 * L <= n; i += 4 * L) {
        ::infokit::simd::prefetch_ahead(x + i, 4 * L * sizeof(typename Ln::T));
        for (int k = 0; k < 4; ++k) xv[k] = Ln::load(x + i + k * L);
        if constexpr (LIN) {
            for (int k = 0; k < 4; ++k) {
                const std::size_t j = i + k * L;
                a[k] = coef<Ln>(t ? Ln::load(t + j) : one, t != nullptr, w ? Ln::load(w + j) : one, w != nullptr, c1, c0);
            }
        }
        acc.template consume<4>(xv, a, xv);
    }
    for (; i < n; i += L) {
        const int m = static_cast<int>(n - i < L ? n - i : L);
        xv[0] = Ln::load_part(x + i, m, -__builtin_inf());
        V xl = xv[0];
        if constexpr (LIN) {
            xl = Ln::load_part(x + i, m, 0);  // padding must not turn 0 * x into NaN
            a[0] = coef<Ln>(t ? Ln::load_part(t + i, m, 0) : one, t != nullptr,
                            w ? Ln::load_part(w + i, m, 0) : one, w != nullptr, c1, c0);
            a[0] = Ln::mul(a[0], ones_part<Ln>(m));
        }
        acc.template consume<1>(xv, a, &xl);
    }
    acc.finish_row(out);
}

template <class Ln, bool LIN, bool ENT>
void stats_cols_impl(const typename Ln::T* x, std::ptrdiff_t cs, std::size_t n, std::size_t ncols,
                     const typename Ln::T* t, const typename Ln::T* w, double c1d, double c0d,
                     SoftmaxStats* out) {
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    const V c1 = Ln::set(c1d), c0 = Ln::set(c0d), one = Ln::set(1.0);
    for (std::size_t col = 0; col < ncols; col += L) {
        const int m = static_cast<int>(ncols - col < L ? ncols - col : L);
        // Lanes past the last row read nothing (partial loads) and are never written out.
        auto ld = [&](const typename Ln::T* p, double fill) {
            return m == static_cast<int>(L) ? Ln::load(p) : Ln::load_part(p, m, static_cast<typename Ln::T>(fill));
        };
        OnlineLse<Ln, LIN, ENT> acc;
        V xv[4], a[4];
        auto load_class = [&](std::size_t j, int k) {
            const std::ptrdiff_t off = static_cast<std::ptrdiff_t>(j) * cs + static_cast<std::ptrdiff_t>(col);
            xv[k] = ld(x + off, -__builtin_inf());
            if constexpr (LIN) {
                a[k] = coef<Ln>(t ? ld(t + off, 0.0) : one, t != nullptr, w ? Ln::set(static_cast<double>(w[j])) : one,
                                w != nullptr, c1, c0);
            }
        };
        std::size_t j = 0;
        for (; j + 4 <= n; j += 4) {
            for (int k = 0; k < 4; ++k) load_class(j + k, k);
            acc.template consume<4>(xv, a, xv);
        }
        for (; j < n; ++j) {
            load_class(j, 0);
            acc.template consume<1>(xv, a, xv);
        }
        acc.finish_lanes(out + col, m);
    }
}

// ------------------------------------------- rows with no coefficients: the max, then the sum
// A row whose statistics are only (max, sum of exponentials) -- logsumexp, softmax, and
// cross-entropy with index targets and neither weights nor smoothing -- is read twice: a max
// pass (one operation per vector, about what the online rescaling checks cost), then
// exp(x - max) summed from L1 or L2. Its exponentials are then final, so the fused gradient
// stores them in y (which may alias x) and scales them in place (scale_rows_impl) instead of
// computing each one again. Storing or not, the sums are the same bits. The max pass reads
// memory and the exp pass computes, so the exp pass hints the rows that follow this one in
// memory (the next rows of a row-by-row loop), and those of y: their passes then find them
// in cache.
template <class Ln>
typename Ln::T row_max(const typename Ln::T* x, std::size_t n) {
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    V mv[4] = {Ln::set(Ln::kLowest), Ln::set(Ln::kLowest), Ln::set(Ln::kLowest), Ln::set(Ln::kLowest)};
    std::size_t i = 0;
    for (; i + 4 * L <= n; i += 4 * L) {
        ::infokit::simd::prefetch_ahead(x + i, 4 * L * sizeof(typename Ln::T));  // a first row, or a long one
        for (int k = 0; k < 4; ++k) mv[k] = Ln::max(mv[k], Ln::load(x + i + k * L));
    }
    for (; i < n; i += L) mv[0] = Ln::max(mv[0], Ln::load_part(x + i, static_cast<int>(n - i < L ? n - i : L), Ln::kLowest));
    // NaN may be lost here (Ln::max keeps its second operand); exp(NaN - m) then makes the sum NaN.
    typename Ln::T ms[L];
    Ln::to_array(Ln::max(Ln::max(mv[0], mv[1]), Ln::max(mv[2], mv[3])), ms);
    typename Ln::T big = Ln::kLowest;
    for (std::size_t l = 0; l < L; ++l) big = ms[l] > big ? ms[l] : big;
    return big;
}

template <class Ln>
void exp_row_impl(const typename Ln::T* x, std::size_t n, typename Ln::T* y, SoftmaxStats* out) {
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    constexpr int W = Ln::W;
    const typename Ln::T big = row_max<Ln>(x, n);
    const V m = Ln::set(big);
    vd s[W];
    for (int w = 0; w < W; ++w) s[w] = set1(0.0);
    auto add_wide = [&](V v) {
        vd wv[W];
        Ln::widen(v, wv);
        for (int w = 0; w < W; ++w) s[w] = add(s[w], wv[w]);
    };
    std::size_t i = 0;
    constexpr std::size_t kBlockBytes = 4 * L * sizeof(typename Ln::T);
    // Whole rows ahead, at least 8 KiB: a short row takes about as long to fetch as to
    // compute, so a hint only one short row ahead often arrives late (4-9% measured on rows of
    // 1000 float32).
    const std::size_t row_bytes = n * sizeof(typename Ln::T);
    const std::size_t ahead = row_bytes * (row_bytes == 0 ? 1 : (8192 + row_bytes - 1) / row_bytes);
    auto exp_block = [&](std::size_t j) {
        ::infokit::simd::prefetch_range<::infokit::simd::PrefetchTo::l2>(x + j, ahead, kBlockBytes);
        if (y) ::infokit::simd::prefetch_range<::infokit::simd::PrefetchTo::l2>(y + j, ahead, kBlockBytes);
        V e[4];
        for (int k = 0; k < 4; ++k) e[k] = Ln::exp_nonpos(Ln::sub(Ln::load(x + j + k * L), m));
        if (y)
            for (int k = 0; k < 4; ++k) Ln::store(y + j + k * L, e[k]);
        return Ln::add(Ln::add(e[0], e[1]), Ln::add(e[2], e[3]));
    };
    // Four blocks are summed in the lanes' own precision before one widening: 16 exponentials
    // (each <= 1) per float32 lane, four roundings, and the widening is ~10% of the loop's
    // time when done per block.
    while (i + 4 * L <= n) {
        V group = exp_block(i);
        i += 4 * L;
        for (int b = 1; b < 4 && i + 4 * L <= n; ++b, i += 4 * L) group = Ln::add(group, exp_block(i));
        add_wide(group);
    }
    for (; i < n; i += L) {
        const int r = static_cast<int>(n - i < L ? n - i : L);
        const V e = Ln::exp_nonpos(Ln::sub(Ln::load_part(x + i, r, -__builtin_inf()), m));
        if (y) Ln::store_part(y + i, r, e);
        add_wide(e);
    }
    vd S = s[0];
    for (int w = 1; w < W; ++w) S = add(S, s[w]);
    *out = SoftmaxStats{static_cast<double>(big), reduce_add(S), 0.0, 0.0, 0.0};
}

// y = alpha y + b, in place: the second half of the fused gradient.
template <class Ln>
void scale_rows_impl(typename Ln::T* y, std::size_t n, double alpha, double b) {
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    const V av = Ln::set(alpha), bv = Ln::set(b);
    std::size_t i = 0;
    for (; i + L <= n; i += L) Ln::store(y + i, Ln::fmadd(av, Ln::load(y + i), bv));
    if (i < n) {
        const int r = static_cast<int>(n - i);
        Ln::store_part(y + i, r, Ln::fmadd(av, Ln::load_part(y + i, r, 0), bv));
    }
}

template <class Ln, bool COLS>
void stats_dispatch(const typename Ln::T* x, std::ptrdiff_t cs, std::size_t n, std::size_t ncols,
                    const typename Ln::T* t, const typename Ln::T* w, double c1, double c0, unsigned flags,
                    SoftmaxStats* out) {
    const bool lin = (flags & kSoftmaxLin) != 0, ent = (flags & kSoftmaxEnt) != 0;
    if constexpr (COLS) {
        if (lin && ent) stats_cols_impl<Ln, true, true>(x, cs, n, ncols, t, w, c1, c0, out);
        else if (lin) stats_cols_impl<Ln, true, false>(x, cs, n, ncols, t, w, c1, c0, out);
        else if (ent) stats_cols_impl<Ln, false, true>(x, cs, n, ncols, t, w, c1, c0, out);
        else stats_cols_impl<Ln, false, false>(x, cs, n, ncols, t, w, c1, c0, out);
    } else {
        if (lin && ent) stats_row_impl<Ln, true, true>(x, n, t, w, c1, c0, out);
        else if (lin) stats_row_impl<Ln, true, false>(x, n, t, w, c1, c0, out);
        else if (ent) stats_row_impl<Ln, false, true>(x, n, t, w, c1, c0, out);
        else exp_row_impl<Ln>(x, n, nullptr, out);
    }
}

// ------------------------------------------------------------------------ the second pass
template <class Ln>
inline typename Ln::V write_one(typename Ln::V x, typename Ln::V t, typename Ln::V w, SoftmaxMode mode,
                                typename Ln::V m, typename Ln::V alpha, typename Ln::V b1, typename Ln::V b0) {
    if (mode == SoftmaxMode::shift) return Ln::sub(Ln::sub(x, m), alpha);
    const typename Ln::V b = Ln::mul(Ln::fmadd(b1, t, b0), w);
    return Ln::fmadd(alpha, Ln::exp_nonpos(Ln::sub(x, m)), Ln::sub(Ln::set(0.0), b));
}

template <class Ln>
void write_rows_impl(const typename Ln::T* x, std::ptrdiff_t, std::size_t n, std::size_t,
                     const typename Ln::T* t, const typename Ln::T* w, SoftmaxMode mode,
                     const SoftmaxWrite* p, typename Ln::T* y) {
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    const V m = Ln::set(p->m), alpha = Ln::set(p->alpha), b1 = Ln::set(p->b1), b0 = Ln::set(p->b0);
    const V zero = Ln::set(0.0), one = Ln::set(1.0);
    std::size_t i = 0;
    // x is read before y is written, vector by vector: y may alias x.
    if (!t && !w && mode == SoftmaxMode::exp) {  // index targets without weights: the common case
        const V nb = Ln::sub(zero, b0);
        for (; i + L <= n; i += L) Ln::store(y + i, Ln::fmadd(alpha, Ln::exp_nonpos(Ln::sub(Ln::load(x + i), m)), nb));
    }
    for (; i + L <= n; i += L) {
        const V tv = t ? Ln::load(t + i) : zero;
        const V wv = w ? Ln::load(w + i) : one;
        Ln::store(y + i, write_one<Ln>(Ln::load(x + i), tv, wv, mode, m, alpha, b1, b0));
    }
    if (i < n) {
        const int r = static_cast<int>(n - i);
        const V tv = t ? Ln::load_part(t + i, r, 0) : zero;
        const V wv = w ? Ln::load_part(w + i, r, 0) : one;
        Ln::store_part(y + i, r, write_one<Ln>(Ln::load_part(x + i, r, 0), tv, wv, mode, m, alpha, b1, b0));
    }
}

template <class Ln>
void write_cols_impl(const typename Ln::T* x, std::ptrdiff_t cs, std::size_t n, std::size_t ncols,
                     const typename Ln::T* t, const typename Ln::T* w, SoftmaxMode mode,
                     const SoftmaxWrite* p, typename Ln::T* y) {
    using T = typename Ln::T;
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    const V zero = Ln::set(0.0), one = Ln::set(1.0);
    for (std::size_t col = 0; col < ncols; col += L) {
        const int r = static_cast<int>(ncols - col < L ? ncols - col : L);
        T mv[L], av[L], b1v[L], b0v[L];
        for (std::size_t l = 0; l < L; ++l) {
            const SoftmaxWrite& q = p[col + (static_cast<int>(l) < r ? l : 0)];
            mv[l] = static_cast<T>(q.m);
            av[l] = static_cast<T>(q.alpha);
            b1v[l] = static_cast<T>(q.b1);
            b0v[l] = static_cast<T>(q.b0);
        }
        const V m = Ln::from_array(mv), alpha = Ln::from_array(av), b1 = Ln::from_array(b1v), b0 = Ln::from_array(b0v);
        for (std::size_t j = 0; j < n; ++j) {
            const std::ptrdiff_t off = static_cast<std::ptrdiff_t>(j) * cs + static_cast<std::ptrdiff_t>(col);
            const V wv = w ? Ln::set(static_cast<double>(w[j])) : one;
            if (r == static_cast<int>(L)) {
                const V tv = t ? Ln::load(t + off) : zero;
                Ln::store(y + off, write_one<Ln>(Ln::load(x + off), tv, wv, mode, m, alpha, b1, b0));
            } else {
                const V tv = t ? Ln::load_part(t + off, r, 0) : zero;
                Ln::store_part(y + off, r, write_one<Ln>(Ln::load_part(x + off, r, 0), tv, wv, mode, m, alpha, b1, b0));
            }
        }
    }
}

// ------------------------------------------------------------------- BCE with logits
// loss = (1 - t) x + lw softplus(-x), lw = 1 + (pw - 1) t, softplus(-x) = max(-x, 0) +
// log1p(exp(-|x|)), the linear terms combined exactly per sign of x, and log1p(e) computed
// with e's relative accuracy (Ln::log1p_unit): the loss keeps its relative accuracy when it
// is tiny (torch's formula loses it to cancellation for x << 0). d/dx = (1 - t) - lw sigmoid(-x).
template <class Ln>
void bce_impl(const typename Ln::T* x, const typename Ln::T* t, const typename Ln::T* w,
              const typename Ln::T* pw, std::size_t n, double gscale, typename Ln::T* loss,
              typename Ln::T* grad, double* sum) {
    using V = typename Ln::V;
    constexpr std::size_t L = Ln::L;
    constexpr int W = Ln::W;
    const V zero = Ln::set(0.0), one = Ln::set(1.0), gs = Ln::set(gscale);
    vd acc[W];
    for (int k = 0; k < W; ++k) acc[k] = set1(0.0);
    struct LossGrad {
        V loss, grad;
    };
    auto body = [&](V xv, V tv, V wv, V pv, bool has_w, bool has_pw) {
        const V e = Ln::exp_nonpos(Ln::sub(zero, Ln::abs(xv)));
        const V u = Ln::add(one, e);
        const V l1p = Ln::log1p_unit(e);
        const V lw = has_pw ? Ln::fmadd(Ln::sub(pv, one), tv, one) : one;
        // (1 - t) x + lw max(-x, 0) without cancellation: (1 - t) x for x >= 0, -pw t x below.
        const V neg = Ln::mul(Ln::sub(zero, xv), has_pw ? Ln::mul(pv, tv) : tv);
        V l = Ln::fmadd(lw, l1p, Ln::sel_gt(zero, xv, neg, Ln::mul(Ln::sub(one, tv), xv)));
        if (has_w) l = Ln::mul(l, wv);
        V g = zero;
        if (grad) {
            // sigmoid(-x): e / (1 + e) for x >= 0 (NaN stays NaN through e), 1 / (1 + e) for x < 0.
            const V sig = Ln::div(Ln::sel_gt(zero, xv, one, e), u);
            g = Ln::sub(Ln::sub(one, tv), Ln::mul(lw, sig));
            g = Ln::mul(has_w ? Ln::mul(g, wv) : g, gs);
        }
        return LossGrad{l, g};
    };
    std::size_t i = 0;
    for (; i + L <= n; i += L) {
        const auto r = body(Ln::load(x + i), Ln::load(t + i), w ? Ln::load(w + i) : one, pw ? Ln::load(pw + i) : one,
                            w != nullptr, pw != nullptr);
        if (loss) Ln::store(loss + i, r.loss);
        if (grad) Ln::store(grad + i, r.grad);
        OnlineLse<Ln, false, false>::add_wide(acc, r.loss);
    }
    if (i < n) {
        const int m = static_cast<int>(n - i);
        const auto r = body(Ln::load_part(x + i, m, 0), Ln::load_part(t + i, m, 0), w ? Ln::load_part(w + i, m, 0) : one,
                            pw ? Ln::load_part(pw + i, m, 1) : one, w != nullptr, pw != nullptr);
        if (loss) Ln::store_part(loss + i, m, r.loss);
        if (grad) Ln::store_part(grad + i, m, r.grad);
        OnlineLse<Ln, false, false>::add_wide(acc, Ln::mul(r.loss, ones_part<Ln>(m)));
    }
    double s = 0.0;
    for (int k = 0; k < W; ++k) s += reduce_add(acc[k]);
    *sum += s;
}

const SoftmaxKernels kSoftmaxKernels = {
    &stats_dispatch<LanesF64, false>, &stats_dispatch<LanesF64, true>,
    &stats_dispatch<LanesF32, false>, &stats_dispatch<LanesF32, true>,
    &write_rows_impl<LanesF64>, &write_cols_impl<LanesF64>,
    &write_rows_impl<LanesF32>, &write_cols_impl<LanesF32>,
    &bce_impl<LanesF64>, &bce_impl<LanesF32>,
    &exp_row_impl<LanesF64>, &exp_row_impl<LanesF32>,
    &scale_rows_impl<LanesF64>, &scale_rows_impl<LanesF32>,
};

}  // namespace
}  // namespace infokit::simd::INFOKIT_ISA_NS
