// Inner loops of the discrete measures, written once over one ISA's operations and compiled
// per ISA (target_<isa>.cpp). No threads here: measures.cpp splits the work into fixed chunks
// and calls these on each.
//
// Summation: each of 4 unrolled vector accumulators takes 8 terms per block, then the block
// is added into a running (sum, compensation) pair per lane with Neumaier's rule, and the
// lanes are reduced in a fixed order. The error is at most ~8 eps of the sum of |terms| per
// chunk, better than NumPy's pairwise sum (~log2(n) + 16 eps), and it costs nothing at the
// speed of memory.
#ifndef INFOKIT_ISA_NS
#error "include an ops_<isa>.hpp and define INFOKIT_ISA_NS first"
#endif
#include "infokit/simd/kernels.hpp"
#include "infokit/simd/prefetch.hpp"
#include "infokit/simd/vecmath_impl.hpp"

namespace infokit::simd::INFOKIT_ISA_NS {
namespace {

// ------------------------------------------------------------------ loading one or two inputs
inline vd load_vec(const double* p, std::ptrdiff_t s) { return s == 1 ? load(p) : load_strided(p, s); }
inline vd load_vec(const float* p, std::ptrdiff_t s) { return s == 1 ? load_f32(p) : load_strided_f32(p, s); }

template <class T>
inline vd load_tail(const T* p, std::ptrdiff_t s, int n, double fill) {
    if (s == 1) {
        if constexpr (sizeof(T) == 8) return load_partial(p, n, fill);
        else return load_partial_f32(p, n, fill);
    }
    double buf[kLanes];
    for (int i = 0; i < kLanes; ++i) buf[i] = i < n ? static_cast<double>(p[i * s]) : fill;
    return from_array(buf);
}

inline mask not_finite_nonneg(vd c) { return outside(c, set1(0.0), set1(__DBL_MAX__)); }

// --------------------------------------------------------------------- per-element operations
// Each op maps one vector of each input to NS terms and returns lanes that leave the fast
// path's domain. Term s is t[s], or t[s] * f[s] where kProduct[s] (the driver fuses the
// product into its accumulation). Lanes the mask does not catch are caught by the sums: an
// op's inputs are among its summed terms, so NaN or inf input makes a sum non-finite, and the
// driver flags every chunk with a non-finite sum. Ops with kSignsCheckedByDriver leave
// negative inputs (either sign bit set) to the driver, which ORs the inputs' bits in its hot
// loop (one vector operation) and tests the sign bits once. `F32` selects the float32 log
// (float32 inputs need only ~2^-36).
template <bool F32>
INFOKIT_ALWAYS_INLINE vd log_term(vd x) {  // finite for every input; accurate for finite x > 0
    if constexpr (F32) return log_core_f32(x);
    else return log_for_sum(x);
}

template <bool F32>
struct EntropyOp {
    static constexpr int NS = 2;
    static constexpr bool kProduct[NS] = {false, true};
    static constexpr bool kSignsCheckedByDriver = true;  // negative c (-0.0 too, for nothing)
    const double* params;
    mask operator()(vd c, vd, vd* t, vd* f) const {
        t[0] = c;
        t[1] = c;
        f[1] = log_term<F32>(c);  // c == 0: finite, so the term is 0
        return no_lanes();  // no other condition
    }
};

template <bool F32>
struct CrossOp {
    static constexpr int NS = 3;
    static constexpr bool kProduct[NS] = {false, false, true};
    static constexpr bool kSignsCheckedByDriver = true;
    const double* params;
    mask operator()(vd c, vd d, vd* t, vd* f) const {
        t[0] = c;
        t[1] = d;
        t[2] = c;
        f[2] = log_term<F32>(d);
        // c > 0 against d == 0 (an infinite term) or a subnormal d (whose log log_for_sum does
        // not compute). Against c == 0, any d's finite log gives a 0 term.
        return not_positive_normal_in(gt(c, set1(0.0)), d);
    }
};

template <bool F32>
struct KlOp {
    static constexpr int NS = 3;
    static constexpr bool kProduct[NS] = {false, false, true};
    static constexpr bool kSignsCheckedByDriver = true;
    const double* params;
    mask operator()(vd c, vd d, vd* t, vd* f) const {
        // c == 0 gives a ratio of 0 or NaN (0 / 0) whose log is finite (log_for_sum), times
        // c == 0: no select needed.
        const vd ratio = div(c, d);
        t[0] = c;
        t[1] = d;
        t[2] = c;
        f[2] = log_for_sum(ratio);
        // To the exact path: c > 0 against d == 0 or a ratio that overflows (inf), or a
        // ratio below the normal range, whose log is not computed. NaN or inf input makes a
        // sum non-finite.
        return not_positive_normal_in(gt(c, set1(0.0)), ratio);
    }
};

template <bool F32>
struct JsOp {  // second pass of Jensen-Shannon: params = {1/S, 1/R}
    static constexpr int NS = 1;
    static constexpr bool kProduct[NS] = {false};
    static constexpr bool kSignsCheckedByDriver = false;
    const double* params;
    mask operator()(vd c, vd d, vd* t, vd*) const {
        const vd p = mul(c, set1(params[0]));
        const vd q = mul(d, set1(params[1]));
        const vd m2 = add(p, q);
        const mask ppos = gt(p, set1(0.0));
        const mask qpos = gt(q, set1(0.0));
        const vd lp = log_core(select(ppos, div(add(p, p), m2), set1(1.0)));
        const vd lq = log_core(select(qpos, div(add(q, q), m2), set1(1.0)));
        t[0] = fma(p, lp, mul(q, lq));
        return m_or(not_finite_nonneg(c), not_finite_nonneg(d));
    }
};

template <bool F32>
struct RenyiOp {  // params = {alpha, 1/max}
    static constexpr int NS = 2;
    static constexpr bool kProduct[NS] = {false, false};
    static constexpr bool kSignsCheckedByDriver = false;
    const double* params;
    mask operator()(vd c, vd, vd* t, vd*) const {
        const mask pos = gt(c, set1(0.0));
        const vd l = log_core(select(pos, mul(c, set1(params[1])), set1(1.0)));
        t[0] = c;
        t[1] = zero_unless(pos, exp_f64(mul(set1(params[0]), l)));
        return not_finite_nonneg(c);
    }
};

// ------------------------------------------------------------------------ the summation driver
template <int NS>
struct Accumulator {
    vd blk[NS][4];
    vd sum[NS];
    vd comp[NS];
    int filled = 0;

    Accumulator() {
        for (int s = 0; s < NS; ++s) {
            sum[s] = comp[s] = set1(0.0);
            for (int u = 0; u < 4; ++u) blk[s][u] = set1(0.0);
        }
    }
    // Inlined: a call every 8 steps would spill the loop's constants around it (~15%).
    INFOKIT_ALWAYS_INLINE void flush() {
        for (int s = 0; s < NS; ++s) {
            const vd b = add(add(blk[s][0], blk[s][1]), add(blk[s][2], blk[s][3]));
            const vd t = add(sum[s], b);
            // Neumaier: the rounding error of sum + b, from whichever operand is larger.
            const vd err = select(ge(vabs(sum[s]), vabs(b)), add(sub(sum[s], t), b), add(sub(b, t), sum[s]));
            comp[s] = add(comp[s], err);
            sum[s] = t;
            for (int u = 0; u < 4; ++u) blk[s][u] = set1(0.0);
        }
        filled = 0;
    }
    INFOKIT_ALWAYS_INLINE void step() {
        if (++filled == 8) flush();
    }
    // Adds one vector of each of the op's terms into unroll slot u.
    template <class Op>
    void add_terms(int u, const vd* t, const vd* f) {
        for (int s = 0; s < NS; ++s)
            blk[s][u] = Op::kProduct[s] ? fma(t[s], f[s], blk[s][u]) : add(blk[s][u], t[s]);
    }
    // A chunk whose sums are not finite saw NaN or inf (in the input or in a term): the exact
    // path redoes it.
    bool sums_finite() const {
        bool ok = true;
        for (int s = 0; s < NS; ++s) ok = ok && finite(reduce_add(sum[s])) && finite(reduce_add(comp[s]));
        return ok;
    }
    static bool finite(double x) { return x - x == 0.0; }
    // The chunk's partial sums; flagged (a lane left the fast path) or non-finite sums mark
    // it for the exact path.
    void finish(bool flagged, Partial* out) {
        flush();
        for (int s = 0; s < NS; ++s) {
            out->hi[s] = reduce_add(sum[s]);
            out->lo[s] = reduce_add(comp[s]);
        }
        out->bad = flagged || !sums_finite() ? 1u : 0u;
    }
};

// Ops that leave the inputs' signs to the driver (kSignsCheckedByDriver): the blocks OR the
// inputs' bits and test the sign bits once per chunk, one vector operation where a sign mask
// per vector costs a mask-to-register move and a scalar OR on AVX-512. One step's lanes that
// leave the fast path, the inputs' signs included, for the cold loops (tails, columns):
template <class Op>
INFOKIT_ALWAYS_INLINE mask step_flags(const Op& op, vd x, vd y, vd* t, vd* f) {
    const mask m = op(x, y, t, f);
    if constexpr (Op::kSignsCheckedByDriver) return m_or(m, sign_set(bits_or(x, y)));
    else return m;
}

// The blocks of reduce_impl. CONTIG fixes unit strides at compile time, so the four unrolled
// steps have no branches between them, and hints the hardware prefetchers a few KiB ahead:
// this loop is compute-bound enough that, left alone, they fall behind and each new page
// costs a DRAM round trip.
template <bool CONTIG, class Op, class T, int NS>
std::size_t reduce_blocks(const Op& op, const T* a, std::ptrdiff_t sa, const T* b, std::ptrdiff_t sb,
                          std::size_t n, Accumulator<NS>& acc, mask& bad) {
    vd t[NS], f[NS];
    const vd zero = set1(0.0);
    vd seen = zero;  // the OR of the inputs' bits, for ops with kSignsCheckedByDriver
    const std::size_t V = kLanes;
    std::size_t i = 0;
    for (; i + 4 * V <= n; i += 4 * V) {
        if constexpr (CONTIG) {
            ::infokit::simd::prefetch_ahead(a + i, 4 * V * sizeof(T));
            if (b) ::infokit::simd::prefetch_ahead(b + i, 4 * V * sizeof(T));
        }
        for (int u = 0; u < 4; ++u) {
            const auto k = static_cast<std::ptrdiff_t>(i + u * V);
            const vd x = CONTIG ? load_vec(a + k, 1) : load_vec(a + k * sa, sa);
            const vd y = b ? (CONTIG ? load_vec(b + k, 1) : load_vec(b + k * sb, sb)) : zero;
            bad = m_or(bad, op(x, y, t, f));
            // Without b (entropy) y is zero: skipping its OR saves an operation per vector.
            if constexpr (Op::kSignsCheckedByDriver) seen = bits_or(seen, b ? bits_or(x, y) : x);
            acc.template add_terms<Op>(u, t, f);
        }
        acc.step();
    }
    if constexpr (Op::kSignsCheckedByDriver) bad = m_or(bad, sign_set(seen));
    return i;
}

template <class Op, class T>
void reduce_impl(const T* a, std::ptrdiff_t sa, const T* b, std::ptrdiff_t sb, std::size_t n,
                 const double* params, Partial* out) {
    constexpr int NS = Op::NS;
    const Op op{params};
    Accumulator<NS> acc;
    mask bad = lt(set1(1.0), set1(0.0));
    const bool contiguous = sa == 1 && (b == nullptr || sb == 1);
    std::size_t i = contiguous ? reduce_blocks<true>(op, a, sa, b, sb, n, acc, bad)
                               : reduce_blocks<false>(op, a, sa, b, sb, n, acc, bad);
    vd t[NS], f[NS];
    const vd zero = set1(0.0);
    const std::size_t V = kLanes;
    for (; i < n; i += V) {
        const int m = static_cast<int>(n - i < V ? n - i : V);
        const vd x = load_tail(a + static_cast<std::ptrdiff_t>(i) * sa, sa, m, 0.0);
        const vd y = b ? load_tail(b + static_cast<std::ptrdiff_t>(i) * sb, sb, m, 0.0) : zero;
        bad = m_or(bad, step_flags(op, x, y, t, f));
        acc.template add_terms<Op>(0, t, f);
    }
    acc.finish(any(bad), out);
}

// Columns: lane l of vector v accumulates output column v*kLanes + l. Each reduction step reads
// the whole block of columns (contiguous), so every cache line is used once; the block's
// accumulators live in L1.
constexpr std::size_t kMaxColumns = 64;

template <class Op, class T>
void reduce_cols_impl(const T* a, std::ptrdiff_t sa, std::ptrdiff_t ca, const T* b,
                      std::ptrdiff_t sb, std::ptrdiff_t cb, std::size_t n, std::size_t ncols,
                      const double* params, Partial* out) {
    constexpr int NS = Op::NS;
    constexpr std::size_t kMaxVectors = kMaxColumns / kLanes;
    const Op op{params};
    const vd zero = set1(0.0);
    const std::size_t V = kLanes;
    for (std::size_t c0 = 0; c0 < ncols; c0 += kMaxColumns) {
        const std::size_t count = ncols - c0 < kMaxColumns ? ncols - c0 : kMaxColumns;
        const std::size_t nv = (count + V - 1) / V;
        Accumulator<NS> acc[kMaxVectors];
        mask bad[kMaxVectors];
        for (std::size_t v = 0; v < nv; ++v) bad[v] = lt(set1(1.0), zero);
        vd t[NS], f[NS];
        int u = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const T* ar = a + static_cast<std::ptrdiff_t>(i) * sa + static_cast<std::ptrdiff_t>(c0) * ca;
            const T* br = b ? b + static_cast<std::ptrdiff_t>(i) * sb + static_cast<std::ptrdiff_t>(c0) * cb : nullptr;
            for (std::size_t v = 0; v < nv; ++v) {
                const int m = static_cast<int>(count - v * V < V ? count - v * V : V);
                const auto ka = static_cast<std::ptrdiff_t>(v * V) * ca;
                const auto kb = static_cast<std::ptrdiff_t>(v * V) * cb;
                const vd x = m == kLanes ? load_vec(ar + ka, ca) : load_tail(ar + ka, ca, m, 0.0);
                const vd y = br ? (m == kLanes ? load_vec(br + kb, cb) : load_tail(br + kb, cb, m, 0.0)) : zero;
                bad[v] = m_or(bad[v], step_flags(op, x, y, t, f));
                acc[v].template add_terms<Op>(u, t, f);
            }
            if (++u == 4) {
                u = 0;
                for (std::size_t v = 0; v < nv; ++v) acc[v].step();
            }
        }
        for (std::size_t v = 0; v < nv; ++v) {
            acc[v].flush();
            double hs[NS][kLanes], ls[NS][kLanes], bads[kLanes];
            for (int s = 0; s < NS; ++s) { to_array(acc[v].sum[s], hs[s]); to_array(acc[v].comp[s], ls[s]); }
            to_array(select(bad[v], set1(1.0), zero), bads);
            const int m = static_cast<int>(count - v * V < V ? count - v * V : V);
            for (int l = 0; l < m; ++l) {
                Partial& p = out[c0 + v * V + static_cast<std::size_t>(l)];
                bool finite = true;
                for (int s = 0; s < NS; ++s) {
                    p.hi[s] = hs[s][l];
                    p.lo[s] = ls[s][l];
                    finite = finite && Accumulator<NS>::finite(hs[s][l]) && Accumulator<NS>::finite(ls[s][l]);
                }
                p.bad = bads[l] != 0.0 || !finite ? 1u : 0u;
            }
        }
    }
}

// ------------------------------------------- float32 reductions computed in float32 lanes
// Terms are computed in float32 (twice the lanes of float64) and widened to float64 before
// they are summed, so float32 input keeps float64 accumulation at float32 speed.
inline vf f_load_any(const float* p, std::ptrdiff_t s, int n) {
    if (s == 1) return n == kLanesF ? f_load(p) : f_load_partial(p, n, 0.0f);
    float buf[kLanesF];
    for (int l = 0; l < kLanesF; ++l) buf[l] = l < n ? p[l * s] : 0.0f;
    return f_load(buf);
}

// Each op returns, per sum, a factor t[s] and, where kProduct[s], a second factor f[s]; the
// driver multiplies them after widening, so c log c neither underflows into float32
// subnormals nor overflows float32 for huge c.
// Lanes the float32 log cannot take: negative or positive subnormal (log_f32_for_sum). NaN and
// inf are caught by the sums, as in the float64 ops.
inline maskf f_below_normal(vf x) { return f_and(f_lt(x, f_set1(0x1p-126f)), f_ne(x, f_set1(0.0f))); }

struct EntropyOpF {
    static constexpr int NS = 2;
    static constexpr bool kProduct[NS] = {false, false};
    maskf operator()(vf c, vf, vf* t, vf*) const {
        t[0] = c;
        // c log c in float32 (one widening less). Beyond ~4e36 it overflows to a non-finite
        // sum that sends the chunk to the exact path; c == 0 gives 0. A positive subnormal c
        // gets a wrong log, but its term stays below 2^-119: negligible next to a row sum of
        // 2^-60 or more, and the Python layer rescales rows whose sum is smaller.
        t[1] = f_mul(c, log_f32_for_sum(c));
        return f_sign_set(c);
    }
};
struct CrossOpF {
    static constexpr int NS = 3;
    static constexpr bool kProduct[NS] = {false, false, true};
    maskf operator()(vf c, vf d, vf* t, vf* f) const {
        t[0] = c;
        t[1] = d;
        t[2] = c;
        f[2] = log_f32_for_sum(d);
        const vf zero = f_set1(0.0f);
        const maskf c_without_d = f_and(f_gt(c, zero), f_not(f_ne(d, zero)));  // an infinite term
        return f_or(f_or(f_lt(c, zero), f_below_normal(d)), c_without_d);
    }
};
struct KlOpF {
    static constexpr int NS = 3;
    static constexpr bool kProduct[NS] = {false, false, true};
    maskf operator()(vf c, vf d, vf* t, vf* f) const {
        const maskf cpos = f_gt(c, f_set1(0.0f));
        const maskf both = f_and(cpos, f_gt(d, f_set1(0.0f)));
        const vf ratio = f_select(both, f_div(c, d), f_set1(1.0f));
        t[0] = c;
        t[1] = d;
        t[2] = c;
        f[2] = log_f32_for_sum(ratio);
        // A ratio that leaves float32's normal range loses precision: the exact path takes it.
        const maskf extreme = f_outside(ratio, f_set1(0x1p-126f), f_set1(__FLT_MAX__));
        const maskf c_without_d = f_and(cpos, f_not(both));
        const vf zero = f_set1(0.0f);
        return f_or(f_or(f_lt(c, zero), f_lt(d, zero)), f_or(extreme, c_without_d));
    }
};

// Whether every term of Op is a plain sum (no product to form in float64).
template <class Op>
constexpr bool terms_are_plain_sums() {
    for (bool p : Op::kProduct)
        if (p) return false;
    return true;
}

// Adds one float32 vector of each of Op's terms, widened, into accumulator slots first...
template <class Op, int NS>
inline void consume_f32(Accumulator<NS>& acc, const vf* t, const vf* f, int first) {
    constexpr int W = kLanesF / kLanes;  // float64 vectors per float32 vector
    vd wide[W], wide_f[W];
    for (int s = 0; s < NS; ++s) {
        f_widen(t[s], wide);
        if (Op::kProduct[s]) {
            f_widen(f[s], wide_f);
            for (int w = 0; w < W; ++w) acc.blk[s][first + w] = fma(wide[w], wide_f[w], acc.blk[s][first + w]);
        } else {
            for (int w = 0; w < W; ++w) acc.blk[s][first + w] = add(acc.blk[s][first + w], wide[w]);
        }
    }
}

// The blocks of reduce_f32_native, with reduce_blocks' CONTIG specialisation and prefetch.
template <bool CONTIG, class Op, int NS>
std::size_t reduce_f32_blocks(const Op& op, const float* a, std::ptrdiff_t sa, const float* b, std::ptrdiff_t sb,
                              std::size_t n, Accumulator<NS>& acc, maskf& bad) {
    constexpr int W = kLanesF / kLanes;
    static_assert(2 * W <= 4, "two float32 vectors per step must fit the 4 accumulators");
    vf t[NS], f[NS];
    const vf zero = f_set1(0.0f);
    const std::size_t V = kLanesF;
    auto load_at = [&](const float* p, std::ptrdiff_t s, std::size_t k) {
        return CONTIG ? f_load(p + k) : f_load_any(p + static_cast<std::ptrdiff_t>(k) * s, s, kLanesF);
    };
    std::size_t i = 0;
    if constexpr (terms_are_plain_sums<Op>()) {
        // No products to widen: four vectors' terms are added in float32, then the two halves
        // of the sum, and widened once. At most 8 terms meet in a float64 lane after at most
        // three float32 roundings (NumPy's float32 pairwise sum rounds about log2(n) times),
        // and the loop converts an eighth as often as widening every vector would.
        for (; i + 4 * V <= n; i += 4 * V) {
            if constexpr (CONTIG) {
                ::infokit::simd::prefetch_ahead(a + i, 4 * V * sizeof(float));
                if (b) ::infokit::simd::prefetch_ahead(b + i, 4 * V * sizeof(float));
            }
            vf tu[4][NS];
            for (int u = 0; u < 4; ++u) {
                const std::size_t k = i + u * V;
                bad = f_or(bad, op(load_at(a, sa, k), b ? load_at(b, sb, k) : zero, tu[u], f));
            }
            for (int s = 0; s < NS; ++s) {
                const vf sum4 = f_add(f_add(tu[0][s], tu[1][s]), f_add(tu[2][s], tu[3][s]));
                acc.blk[s][0] = add(acc.blk[s][0], f_fold_widen(sum4));
            }
            acc.step();
        }
        return i;
    }
    for (; i + 2 * V <= n; i += 2 * V) {
        if constexpr (CONTIG) {
            ::infokit::simd::prefetch_ahead(a + i, 2 * V * sizeof(float));
            if (b) ::infokit::simd::prefetch_ahead(b + i, 2 * V * sizeof(float));
        }
        for (int u = 0; u < 2; ++u) {
            const std::size_t k = i + u * V;
            bad = f_or(bad, op(load_at(a, sa, k), b ? load_at(b, sb, k) : zero, t, f));
            consume_f32<Op>(acc, t, f, u * W);
        }
        acc.step();
    }
    return i;
}

template <class Op>
void reduce_f32_native(const float* a, std::ptrdiff_t sa, const float* b, std::ptrdiff_t sb,
                       std::size_t n, const double*, Partial* out) {
    constexpr int NS = Op::NS;
    const Op op{};
    Accumulator<NS> acc;
    maskf bad = f_lt(f_set1(1.0f), f_set1(0.0f));
    const bool contiguous = sa == 1 && (b == nullptr || sb == 1);
    std::size_t i = contiguous ? reduce_f32_blocks<true>(op, a, sa, b, sb, n, acc, bad)
                               : reduce_f32_blocks<false>(op, a, sa, b, sb, n, acc, bad);
    vf t[NS], f[NS];
    const vf zero = f_set1(0.0f);
    const std::size_t V = kLanesF;
    for (; i < n; i += V) {
        const int m = static_cast<int>(n - i < V ? n - i : V);
        const auto k = static_cast<std::ptrdiff_t>(i);
        const vf x = f_load_any(a + k * sa, sa, m);
        const vf y = b ? f_load_any(b + k * sb, sb, m) : zero;
        bad = f_or(bad, op(x, y, t, f));
        consume_f32<Op>(acc, t, f, 0);
        acc.step();
    }
    acc.finish(f_any(bad), out);
}

// ------------------------------------------------------------------------- elementwise maps
// y = fn(x) over contiguous arrays, float32 through float64 lanes; the tail's padding lanes
// take `fill` (a value fn accepts quietly).
template <class T, class Fn>
INFOKIT_ALWAYS_INLINE void map_lanes(const T* x, T* y, std::size_t n, double fill, Fn fn) {
    const std::size_t V = kLanes;
    std::size_t i = 0;
    for (; i + V <= n; i += V) {
        if constexpr (sizeof(T) == 8) store(y + i, fn(load(x + i)));
        else store_f32(y + i, fn(load_f32(x + i)));
    }
    if (i < n) {
        const int m = static_cast<int>(n - i);
        if constexpr (sizeof(T) == 8) store_partial(y + i, m, fn(load_partial(x + i, m, fill)));
        else store_partial_f32(y + i, m, fn(load_partial_f32(x + i, m, fill)));
    }
}

template <class T>
void map_log(const T* x, T* y, std::size_t n) {
    map_lanes(x, y, n, 1.0, [](vd v) {
        if constexpr (sizeof(T) == 8) return log_f64(v); else return log_f32(v);
    });
}
template <class T>
void map_exp(const T* x, T* y, std::size_t n) {
    map_lanes(x, y, n, 0.0, [](vd v) {
        if constexpr (sizeof(T) == 8) return exp_f64(v); else return exp_f32(v);
    });
}

// The reductions' logs over an array: only so that tests can measure their error directly.
void map_log_for_sum(const double* x, double* y, std::size_t n) {
    map_lanes(x, y, n, 1.0, [](vd v) { return log_for_sum(v); });
}
void map_log_f32_for_sum(const float* x, float* y, std::size_t n) {  // in float32 lanes
    const std::size_t V = kLanesF;
    std::size_t i = 0;
    for (; i + V <= n; i += V) f_store(y + i, log_f32_for_sum(f_load(x + i)));
    if (i < n) {
        const int m = static_cast<int>(n - i);
        f_store_partial(y + i, m, log_f32_for_sum(f_load_partial(x + i, m, 1.0f)));
    }
}

// scipy.special semantics, element by element (NaN in, NaN out).
struct EntrOp {
    vd operator()(vd x, vd) const {
        const vd v = mul(x, log_f64(x));  // x > 0: x log x; x == inf: inf
        vd r = select(gt(x, set1(0.0)), sub(set1(0.0), v), set1(-kInf));
        r = select(eq(x, set1(0.0)), set1(0.0), r);
        return select(is_nan(x), x, r);
    }
};
// scipy >= 1.15's algorithm for x, y > 0: with ratio = x / y, x log1p((x - y) / y) when
// 0.5 < ratio < 2 (x - y is exact there, so the result keeps its relative accuracy as x -> y),
// x log(ratio) when ratio is normal and finite, and x (log x - log y) when the ratio would
// overflow or lose bits to underflow.
struct RelEntrOp {
    vd operator()(vd x, vd y) const {
        const vd one = set1(1.0);
        const mask both = m_and(gt(x, set1(0.0)), gt(y, set1(0.0)));
        const vd xs = select(both, x, one);
        const vd ys = select(both, y, one);
        const vd ratio = div(xs, ys);
        const mask near = m_and(gt(ratio, set1(0.5)), lt(ratio, set1(2.0)));
        const mask direct = m_and(gt(ratio, set1(__DBL_MIN__)), lt(ratio, set1(kInf)));
        // log1p(d) = log(u) + (d - (u - 1)) / u with u = fl(1 + d): u - 1 and d - (u - 1)
        // are exact, and the quotient restores what rounding 1 + d dropped.
        const vd d = div(sub(xs, ys), ys);
        const vd u = add(one, d);
        vd l = log_f64(select(near, u, select(direct, ratio, xs)));
        l = add(l, select(near, div(sub(d, sub(u, one)), u), set1(0.0)));
        const mask apart = m_not(direct);
        if (any(apart)) l = select(apart, sub(l, log_f64(ys)), l);
        vd r = select(both, mul(x, l), set1(kInf));
        r = select(m_and(eq(x, set1(0.0)), ge(y, set1(0.0))), set1(0.0), r);
        return select(m_or(is_nan(x), is_nan(y)), add(x, y), r);
    }
};
struct KlDivOp {
    vd operator()(vd x, vd y) const {
        const mask both = m_and(gt(x, set1(0.0)), gt(y, set1(0.0)));
        const vd v = add(sub(mul(x, log_f64(select(both, div(x, y), set1(1.0)))), x), y);
        vd r = select(both, v, set1(kInf));
        r = select(m_and(eq(x, set1(0.0)), ge(y, set1(0.0))), y, r);
        return select(m_or(is_nan(x), is_nan(y)), add(x, y), r);
    }
};

template <class Op, class T>
void map2_impl(const T* x, std::ptrdiff_t sx, const T* y, std::ptrdiff_t sy, T* out, std::size_t n) {
    const Op op{};
    const vd zero = set1(0.0);
    const std::size_t V = kLanes;
    std::size_t i = 0;
    for (; i + V <= n; i += V) {
        const vd a = load_vec(x + static_cast<std::ptrdiff_t>(i) * sx, sx);
        const vd b = y ? load_vec(y + static_cast<std::ptrdiff_t>(i) * sy, sy) : zero;
        if constexpr (sizeof(T) == 8) store(out + i, op(a, b));
        else store_f32(out + i, op(a, b));
    }
    if (i < n) {
        const int m = static_cast<int>(n - i);
        const vd a = load_tail(x + static_cast<std::ptrdiff_t>(i) * sx, sx, m, 1.0);
        const vd b = y ? load_tail(y + static_cast<std::ptrdiff_t>(i) * sy, sy, m, 1.0) : zero;
        if constexpr (sizeof(T) == 8) store_partial(out + i, m, op(a, b));
        else store_partial_f32(out + i, m, op(a, b));
    }
}

// -------------------------------------------------------------------------------- the table
template <template <bool> class Op, class T>
constexpr ReduceFn<T> reducer() { return &reduce_impl<Op<sizeof(T) == 4>, T>; }
template <template <bool> class Op, class T>
constexpr ReduceColsFn<T> col_reducer() { return &reduce_cols_impl<Op<sizeof(T) == 4>, T>; }

const KernelTable kTable = {
    INFOKIT_ISA_NAME,
    &map_log<double>, &map_log<float>, &map_exp<double>, &map_exp<float>, &map_log_for_sum,
    &map_log_f32_for_sum,
    {reducer<EntropyOp, double>(), reducer<CrossOp, double>(), reducer<KlOp, double>(),
     reducer<JsOp, double>(), reducer<RenyiOp, double>()},
    {&reduce_f32_native<EntropyOpF>, &reduce_f32_native<CrossOpF>, &reduce_f32_native<KlOpF>,
     reducer<JsOp, float>(), reducer<RenyiOp, float>()},
    {col_reducer<EntropyOp, double>(), col_reducer<CrossOp, double>(), col_reducer<KlOp, double>(),
     col_reducer<JsOp, double>(), col_reducer<RenyiOp, double>()},
    {col_reducer<EntropyOp, float>(), col_reducer<CrossOp, float>(), col_reducer<KlOp, float>(),
     col_reducer<JsOp, float>(), col_reducer<RenyiOp, float>()},
    {&map2_impl<EntrOp, double>, &map2_impl<RelEntrOp, double>, &map2_impl<KlDivOp, double>},
    {&map2_impl<EntrOp, float>, &map2_impl<RelEntrOp, float>, &map2_impl<KlDivOp, float>},
    kSoftmaxKernels,  // softmax_kernels.hpp, included first by target_<isa>.cpp
    kBinBlocksF64,    // histogram_kernels.hpp, likewise
    kRansDecodeRows,  // rans_kernels.hpp, likewise
    INFOKIT_ISA_BMI2,
};

}  // namespace
}  // namespace infokit::simd::INFOKIT_ISA_NS
