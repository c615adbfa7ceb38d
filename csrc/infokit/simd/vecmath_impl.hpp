// Vector log and exp, written once over the operations of one ISA (ops_<isa>.hpp) and
// compiled once per ISA inside that ISA's namespace (see target_<isa>.cpp). Always inlined:
// their callers are loops over vectors, and a call per vector reloads every constant and,
// since the calling convention saves no vector register, spills the caller's accumulators
// around it (GCC declines to inline them on its own once a loop is unrolled).
//
// Accuracy (measured by tests/test_vecmath.py against a long-double/mpmath reference):
//   log, exp float64: <= 1 ULP over the whole domain, subnormals included (typically ~0.52);
//   log, exp float32: computed in float64, rounded once to float32 (<= 0.51 ULP).
//   log_f32_native, exp_f32_nonpos: float32 arithmetic, ~1 ULP (softmax);
//   log_for_sum, log_f32_for_sum (the entropy/divergence sums' logs): <= 1.95 / 1.9 ULP on
//   the table paths, ~1.1 / 0.95 ULP on AVX2 (tableless), finite for every bit pattern.
// Every table and coefficient comes from tools/gen_vecmath_tables.py, with its error bound.
//
// log(x), x = 2^k m: log(x) = k ln2 - log(invc) + log1p(m invc - 1). m invc - 1 is carried
// exactly as r + perr (r = fl(m invc) - 1 is exact, perr is the product's rounding error), and
// k ln2_hi - log(invc)_hi is exact by construction of the table, so the only large rounding is
// the final addition: max error ~0.52 ULP. The interval around 1 has invc = 1: no
// cancellation near x = 1.
//
// exp(x) = 2^e 2^(j/16) exp(r) with r = x - (16e + j) ln2/16 exact (ln2/16 split hi/lo),
// 2^(j/16) = T (1 + tail), exp(r) - 1 a degree-7 polynomial: max error ~0.51 ULP. Results
// that overflow or are subnormal take a scalar path that scales in two steps so that the
// final rounding happens once.
#ifndef INFOKIT_ISA_NS
#error "include an ops_<isa>.hpp and define INFOKIT_ISA_NS first"
#endif
#pragma once  // included by several kernel headers of one target_<isa>.cpp
#include "infokit/simd/kernels.hpp"  // INFOKIT_ALWAYS_INLINE
#include "infokit/simd/vecmath_tables.hpp"

namespace infokit::simd::INFOKIT_ISA_NS {
namespace {

namespace T = ::infokit::simd::tables;

inline std::uint64_t scalar_bits(double x) { std::uint64_t b; __builtin_memcpy(&b, &x, 8); return b; }
inline double scalar_from_bits(std::uint64_t b) { double x; __builtin_memcpy(&x, &b, 8); return x; }

constexpr double kInf = __builtin_inf();
constexpr double kNaN = __builtin_nan("");

// log for finite x > 0 (normal or subnormal), table-driven. Other inputs give unspecified but
// finite values (log_for_sum relies on it without FMA): k comes from a 12-bit field, m keeps
// x's mantissa bits below LOG_OFF's exponent, and the table index has 4 bits.
INFOKIT_ALWAYS_INLINE vd log_core_table(vd x) {
    vd kbias = set1(-1024.0);
    const mask subnormal = lt(x, set1(0x1p-1022));
    if (any(subnormal)) {  // rare: bring subnormals into the normal range
        x = select(subnormal, mul(x, set1(0x1p52)), x);
        kbias = select(subnormal, set1(-1024.0 - 52.0), kbias);
    }
    const vi ix = as_int(x);
    const vi tmp = i_sub(ix, set1_i(static_cast<std::int64_t>(T::LOG_OFF)));
    // k = tmp >> 52 (arithmetic), computed as a logical shift of tmp + 1024 * 2^52.
    const vi kb = i_srl(i_add(tmp, set1_i(std::int64_t{0x400} << 52)), 52);
    const vd kd = add(small_int_to_double(kb), kbias);
    const vi idx = i_srl(tmp, 48);
    const vd m = as_double(i_sub(ix, i_and(tmp, set1_i(static_cast<std::int64_t>(0xfff0000000000000ull)))));
    const vd invc = lookup16(T::LOG_INVC, idx);
    const vd lch = lookup16(T::LOG_LOGC_HI, idx);
    const vd lcl = lookup16(T::LOG_LOGC_LO, idx);

    const vd p = mul(m, invc);
    const vd perr = two_prod_err(m, invc, p);
    const vd r = sub(p, set1(1.0));  // exact: p lies in [0.5, 2]

    const vd w = fma(kd, set1(T::LN2_HI), lch);  // exact
    const vd hi = add(w, r);
    vd lo = add(sub(w, hi), r);  // exact: |w| >= |r| or w == 0
    // log1p(r + perr) = log1p(r) + perr / (1 + r) + O(perr^2); perr (1 - r) is accurate enough.
    const vd perr_scaled = fma(sub(set1(0.0), perr), r, perr);
    lo = add(lo, fma(kd, set1(T::LN2_LO), add(lcl, perr_scaled)));

    const vd r2 = mul(r, r);
    const vd r4 = mul(r2, r2);
    const double* c = T::LOG_P64;
    const vd p01 = fma(r, set1(c[1]), set1(c[0]));
    const vd p23 = fma(r, set1(c[3]), set1(c[2]));
    const vd p45 = fma(r, set1(c[5]), set1(c[4]));
    const vd p67 = fma(r, set1(c[7]), set1(c[6]));
    const vd poly = fma(r4, fma(r2, p67, p45), fma(r2, p23, p01));
    const vd q = mul(r2, fma(r, poly, set1(-0.5)));  // log1p(r) - r
    return add(hi, add(lo, q));
}

// Replaces the lanes of `res` where x is not a finite positive number by log's special values.
// log without tables, for paths where table lookups are slow (AVX2 gathers): fdlibm's
// reduction m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f) and
// log1p(f) = f - (f^2/2 - s (f^2/2 + R(s^2))), R a degree-7 polynomial in s^2 (error < 2^-58);
// k ln2 is split hi/lo with ln2_hi exact in k * ln2_hi. Max error ~0.85 ULP.
constexpr std::int64_t kSqrtHalfBits = 0x3fe6a09e667f3bcdLL;
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLg[7] = {6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
                           2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
                           1.479819860511658591e-01};

// Splits finite x > 0 into k (as a double) and m in [sqrt(1/2), sqrt(2)), x = 2^k m.
inline void split_sqrt_half(vd x, vd kbias, vd& kd, vd& m) {
    const vi ix = as_int(x);
    const vi tmp = i_sub(ix, set1_i(kSqrtHalfBits));
    const vi kb = i_srl(i_add(tmp, set1_i(std::int64_t{0x400} << 52)), 52);
    kd = add(small_int_to_double(kb), kbias);
    m = as_double(i_sub(ix, i_and(tmp, set1_i(static_cast<std::int64_t>(0xfff0000000000000ull)))));
}

INFOKIT_ALWAYS_INLINE vd log_core_tableless(vd x) {
    vd kbias = set1(-1024.0);
    const mask subnormal = lt(x, set1(0x1p-1022));
    if (any(subnormal)) {
        x = select(subnormal, mul(x, set1(0x1p52)), x);
        kbias = select(subnormal, set1(-1024.0 - 52.0), kbias);
    }
    vd kd, m;
    split_sqrt_half(x, kbias, kd, m);
    const vd f = sub(m, set1(1.0));  // exact
    const vd s = div(f, add(set1(2.0), f));
    const vd z = mul(s, s);
    const vd w = mul(z, z);
    const vd t1 = mul(w, fma(w, fma(w, set1(kLg[5]), set1(kLg[3])), set1(kLg[1])));
    const vd t2 = mul(z, fma(w, fma(w, fma(w, set1(kLg[6]), set1(kLg[4])), set1(kLg[2])), set1(kLg[0])));
    const vd hfsq = mul(set1(0.5), mul(f, f));
    const vd inner = fma(s, add(hfsq, add(t2, t1)), mul(kd, set1(kLn2Lo)));
    return fma(kd, set1(kLn2Hi), sub(f, sub(hfsq, inner)));
}

// log for the terms of a reduction (x log x, x log y), where a term only has to be accurate to
// a few ULP and the callers detect invalid input themselves: no subnormal rescaling and no
// special values. The loop is bound by the number of vector operations (22 per vector with
// the caller's product and sum), so each one counts:
// - one integer add serves both k and m (the k bias and the sqrt(1/2) offset differ only in
//   the exponent bits, which m does not keep);
// - log1p(f) = f + s (z P(z) - f) with P in Horner form (s = f / (m + 1), z = s^2);
// - k ln2 in one multiply-add with ln2 rounded to double: its error, k 2^-54 at most, stays
//   below half an ULP of the result whatever k is.
// Max error ~1.2 ULP for normal x > 0 (measured on 1.6e7 arguments over the whole exponent
// range). Every other bit pattern (0, subnormal, negative, inf, NaN) gives a finite value: m
// keeps x's 52 mantissa bits and gets the exponent field of sqrt(1/2) or 1 whatever x is,
// and k is a 12-bit integer. So x log x needs no masking for x == 0, and a subnormal x gets a
// wrong but finite log whose term is below 2^-1012, negligible next to a row sum the callers
// keep above 2^-900.
INFOKIT_ALWAYS_INLINE vd log_for_sum_tableless(vd x) {
    constexpr std::int64_t kMantissa = 0x000fffffffffffffLL;
    // t = bits(x) - bits(sqrt(1/2)) + 1024 * 2^52: its top 12 bits are k + 1024.
    const vi t = i_add(as_int(x), set1_i((std::int64_t{0x400} << 52) - kSqrtHalfBits));
    // (k + 1024) | 2^52 (as bits) is the double 2^52 + k + 1024; one subtraction leaves k.
    const vd kd = sub(as_double(i_add(i_srl(t, 52), set1_i(std::int64_t{0x433} << 52))), set1(0x1p52 + 1024.0));
    const vd m = as_double(i_add(i_and(t, set1_i(kMantissa)), set1_i(kSqrtHalfBits)));
    const vd f = sub(m, set1(1.0));          // exact
    const vd s = div(f, add(m, set1(1.0)));  // m + 1 is exact too, and off f's critical path
    const vd z = mul(s, s);
    vd p = fma(z, set1(kLg[6]), set1(kLg[5]));
    for (int j = 4; j >= 0; --j) p = fma(z, p, set1(kLg[j]));
    const vd log1p_f = fma(s, fms(z, p, f), f);
    return fma(kd, set1(kLn2Hi + kLn2Lo), log1p_f);
}

// The same for float32 values held in float64 lanes (no subnormals there; error ~2^-40).
INFOKIT_ALWAYS_INLINE vd log_core_f32_tableless(vd x) {
    vd kd, m;
    split_sqrt_half(x, set1(-1024.0), kd, m);
    const vd f = sub(m, set1(1.0));
    const vd s = div(f, add(set1(2.0), f));
    const vd z = mul(s, s);
    const vd w = mul(z, z);
    const vd r = fma(w, fma(w, set1(kLg[4]), fma(z, set1(kLg[3]), set1(kLg[2]))), fma(z, set1(kLg[1]), set1(kLg[0])));
    const vd hfsq = mul(set1(0.5), mul(f, f));
    return fma(kd, set1(kLn2Hi + kLn2Lo), sub(f, sub(hfsq, mul(s, fma(z, r, hfsq)))));
}

// Each path picks the variant that is fastest on it (ops_<isa>.hpp: kTableLookupsAreCheap).
INFOKIT_ALWAYS_INLINE vd log_core(vd x) {
    if constexpr (kTableLookupsAreCheap) return log_core_table(x);
    else return log_core_tableless(x);
}

// log_core_table cut down for the terms of a reduction (a few ULP, no special values, see
// log_for_sum_tableless): 19 vector operations instead of 38. The same reduction and table
// index, but log(invc) rounded once (one lookup), r = m invc - 1 in one multiply-add (its
// rounding costs r eps/2, below half an ULP of the result), k ln2 in one multiply-add with
// ln2 rounded to double, w + log1p(r) in one multiply-add instead of a hi/lo sum, and a
// polynomial one degree shorter (2^-54.7 of |r|). Max error 1.95 ULP for normal x > 0, next
// to 1 where log(invc) and r cancel (tests/test_vecmath.py; splitting log(invc) hi/lo costs
// 10% and gains little). Like
// log_for_sum_tableless, every bit pattern gives a finite value: m keeps x's mantissa bits
// below an exponent field in [LOG_OFF, 2 LOG_OFF), k is a 12-bit integer and the table index
// 4 bits, so 0, subnormals, negatives, inf and NaN need no masking.
INFOKIT_ALWAYS_INLINE vd log_for_sum_table(vd x) {
    constexpr std::int64_t kMantissa = 0x000fffffffffffffLL;
    constexpr auto kOff = static_cast<std::int64_t>(T::LOG_OFF);
    // t = bits(x) - LOG_OFF: its top 12 bits are k (signed), bits 48-51 the table index.
    const vi t = i_sub(as_int(x), set1_i(kOff));
    const vd kd = small_int_to_double(i_sra(t, 52));
    const vi idx = i_srl(t, 48);
    const vd m = as_double(i_add(i_and(t, set1_i(kMantissa)), set1_i(kOff)));
    const vd r = fma(m, lookup16(T::LOG_INVC, idx), set1(-1.0));
    const vd w = fma(kd, set1(kLn2Hi + kLn2Lo), lookup16(T::LOG_LOGC, idx));
    // log1p(r) = r (1 + r (r P(r) - 1/2)) in Horner form, and the result w + r (...) in one
    // multiply-add: no r^2 and no separate w + r (fewer operations than Estrin's form, and
    // one rounding less); the longer dependency chain hides behind the other unrolled vectors.
    const double* c = T::LOG_P64_SUM;
    vd q = fma(r, set1(c[6]), set1(c[5]));
    for (int j = 4; j >= 0; --j) q = fma(r, q, set1(c[j]));
    q = fma(r, q, set1(-0.5));
    q = fma(r, q, set1(1.0));
    return fma(r, q, w);
}

// The log a reduction's terms use: finite for every input. log_for_sum_table's one-rounding r
// needs a fused multiply-add; without one (baseline x86-64) log_core_table's exact product is
// cheaper than emulating it (and more accurate: 0.52 ULP). Always inlined: the reductions
// unroll it four times, and a call per vector (GCC's choice otherwise) reloads every
// constant and spills the accumulators around it.
INFOKIT_ALWAYS_INLINE vd log_for_sum(vd x) {
    if constexpr (!kTableLookupsAreCheap) return log_for_sum_tableless(x);
    else if constexpr (kFusedMultiplyAdd) return log_for_sum_table(x);
    else return log_core_table(x);
}

INFOKIT_ALWAYS_INLINE vd log_fix_special(vd x, vd res, double smallest) {
    const mask special = outside(x, set1(smallest), set1(__DBL_MAX__));
    if (!any(special)) return res;
    vd s = select(lt(x, set1(0.0)), set1(kNaN), add(x, x));  // +inf -> inf, NaN -> NaN
    s = select(eq(x, set1(0.0)), set1(-kInf), s);
    return select(special, s, res);
}

INFOKIT_ALWAYS_INLINE vd log_f64(vd x) {
    const mask special = outside(x, set1(__DBL_DENORM_MIN__), set1(__DBL_MAX__));
    const vd safe = any(special) ? select(special, set1(1.0), x) : x;
    return log_fix_special(x, log_core(safe), __DBL_DENORM_MIN__);
}

// log of float32 values held in float64 lanes; accurate to ~2^-36 before rounding to float32.
// Float32 subnormals are normal doubles, so no scaling is needed.
INFOKIT_ALWAYS_INLINE vd log_core_f32_table(vd x) {
    const vi ix = as_int(x);
    const vi tmp = i_sub(ix, set1_i(static_cast<std::int64_t>(T::LOG_OFF)));
    const vi kb = i_srl(i_add(tmp, set1_i(std::int64_t{0x400} << 52)), 52);
    const vd kd = sub(small_int_to_double(kb), set1(1024.0));
    const vi idx = i_srl(tmp, 48);
    const vd m = as_double(i_sub(ix, i_and(tmp, set1_i(static_cast<std::int64_t>(0xfff0000000000000ull)))));
    const vd r = fma(m, lookup16(T::LOG_INVC, idx), set1(-1.0));
    const vd w = fma(kd, set1(T::LN2_HI + T::LN2_LO), lookup16(T::LOG_LOGC_HI, idx));
    const double* c = T::LOG_P32;
    const vd r2 = mul(r, r);
    const vd poly = fma(r2, fma(r, set1(c[3]), set1(c[2])), fma(r, set1(c[1]), set1(c[0])));
    return add(w, fma(r2, fma(r, poly, set1(-0.5)), r));
}

INFOKIT_ALWAYS_INLINE vd log_core_f32(vd x) {
    if constexpr (kTableLookupsAreCheap) return log_core_f32_table(x);
    else return log_core_f32_tableless(x);
}

INFOKIT_ALWAYS_INLINE vd log_f32(vd x) {
    const double smallest = 0x1p-149;
    const mask special = outside(x, set1(smallest), set1(0x1.fffffep127));
    const vd safe = any(special) ? select(special, set1(1.0), x) : x;
    return log_fix_special(x, log_core_f32(safe), smallest);
}

// ---------------------------------------------------------------------------------- exp
constexpr double kExpShift = 0x1.8p52;

// exp(r) - 1 for |r| <= ln2/32 (the reduced argument).
INFOKIT_ALWAYS_INLINE vd expm1_reduced(vd r) {
    const double* c = T::EXP_Q64;
    const vd r2 = mul(r, r);
    const vd q01 = fma(r, set1(c[1]), set1(c[0]));
    const vd q23 = fma(r, set1(c[3]), set1(c[2]));
    const vd q = fma(r2, fma(r2, set1(c[4]), q23), q01);
    return fma(r2, fma(r, q, set1(0.5)), r);
}

// Scalar exp for the lanes whose result overflows, underflows or is subnormal.
inline double exp_scalar_special(double x) {
    if (x != x) return x + x;
    if (x > 709.782712893384) return kInf;
    if (x < -745.2) return 0.0;
    const double z = x * T::EXP_INV_LN2_N;
    const double kd = (z + kExpShift) - kExpShift;
    const std::int64_t k = static_cast<std::int64_t>(kd);
    const double r = (x - kd * T::EXP_LN2_N_HI) - kd * T::EXP_LN2_N_LO;
    const std::int64_t j = k & 15;
    const std::int64_t e = (k - j) / 16;
    const double t = scalar_from_bits(T::EXP_TBL_BITS[j] + (static_cast<std::uint64_t>(j) << 48));
    const double em1 = first_lane(expm1_reduced(set1(r)));
    const double y = t + t * (T::EXP_TAIL[j] + em1);  // in [0.7, 1.5)
    if (e > 0) {  // 2^e may not be representable: scale by 2^(e-1), then by 2
        return y * scalar_from_bits(static_cast<std::uint64_t>(e - 1 + 1023) << 52) * 2.0;
    }
    // 2^(e+1022) is normal and exact; the last multiplication rounds once into the subnormals.
    return y * scalar_from_bits(static_cast<std::uint64_t>(e + 1022 + 1023) << 52) * 0x1p-1022;
}

// The lanes of exp_f64 whose result overflows, underflows or is subnormal, kept out of line
// so that the inlined fast path stays small.
__attribute__((noinline)) vd exp_fix_special(vd x, vd res, mask special) {
    double xs[kLanes], rs[kLanes];
    to_array(x, xs);
    to_array(res, rs);
    for (int i = 0; i < kLanes; ++i) {
        if (lane(special, i)) rs[i] = exp_scalar_special(xs[i]);
    }
    return from_array(rs);
}

INFOKIT_ALWAYS_INLINE vd exp_f64(vd x) {
    const vd z = mul(x, set1(T::EXP_INV_LN2_N));
    vd kd = add(z, set1(kExpShift));
    const vi ki = as_int(kd);
    kd = sub(kd, set1(kExpShift));
    vd r = fma(kd, set1(-T::EXP_LN2_N_HI), x);
    r = fma(kd, set1(-T::EXP_LN2_N_LO), r);
    const vd scale = as_double(i_add(lookup16_bits(T::EXP_TBL_BITS, ki), i_sll(ki, 48)));
    const vd t = add(expm1_reduced(r), lookup16(T::EXP_TAIL, ki));
    vd res = fma(scale, t, scale);
    const mask special = outside(x, set1(-708.0), set1(709.0));
    if (any(special)) res = exp_fix_special(x, res, special);
    return res;
}

// exp of float32 values held in float64 lanes (result rounded to float32 by the caller's store).
// Clamping keeps 2^e representable in float64; float32 overflow and underflow happen in the
// final conversion, which rounds once.
INFOKIT_ALWAYS_INLINE vd exp_f32(vd x) {
    const vd xc = select(is_nan(x), x, vmax(set1(-110.0), select(gt(x, set1(100.0)), set1(100.0), x)));
    const vd z = mul(xc, set1(T::EXP_INV_LN2_N));
    vd kd = add(z, set1(kExpShift));
    const vi ki = as_int(kd);
    kd = sub(kd, set1(kExpShift));
    const vd r = fma(kd, set1(-(T::EXP_LN2_N_HI + T::EXP_LN2_N_LO)), xc);
    const vd scale = as_double(i_add(lookup16_bits(T::EXP_TBL_BITS, ki), i_sll(ki, 48)));
    const double* c = T::EXP_Q32;
    const vd r2 = mul(r, r);
    const vd em1 = fma(r2, fma(r, fma(r, set1(c[1]), set1(c[0])), set1(0.5)), r);
    const vd res = fma(scale, em1, scale);
    return select(is_nan(x), x, res);
}

}  // namespace
}  // namespace infokit::simd::INFOKIT_ISA_NS

// ------------------------------------------------------------ float32 computed in float32
namespace infokit::simd::INFOKIT_ISA_NS {
namespace {

// log of finite float32 x > 0 in float32 arithmetic (fdlibm's logf: m in [sqrt(1/2), sqrt(2)),
// s = f / (2 + f), a degree-4 polynomial in s^2). About 1 ULP of float32; used by the float32
// reductions, whose terms are summed in float64 (the public float32 log goes through float64).
INFOKIT_ALWAYS_INLINE vf log_f32_native(vf x) {
    vf kbias = f_set1(0.0f);
    const maskf subnormal = f_lt(x, f_set1(0x1p-126f));
    if (f_any(subnormal)) {
        x = f_select(subnormal, f_mul(x, f_set1(0x1p23f)), x);
        kbias = f_select(subnormal, f_set1(-23.0f), kbias);
    }
    const vfi ix = f_as_int(x);
    const vfi tmp = fi_sub(ix, fi_set1(0x3f3504f3));  // bits of sqrt(1/2)
    const vf k = f_add(fi_to_float(fi_sra(tmp, 23)), kbias);
    const vf m = f_as_float(fi_sub(ix, fi_and(tmp, fi_set1(static_cast<std::int32_t>(0xff800000u)))));
    const vf f = f_sub(m, f_set1(1.0f));
    const vf s = f_div(f, f_add(f_set1(2.0f), f));
    const vf z = f_mul(s, s);
    const vf w = f_mul(z, z);
    const vf t1 = f_mul(w, f_fma(w, f_set1(0x1.f13c4cp-3f), f_set1(0x1.999c26p-2f)));
    const vf t2 = f_mul(z, f_fma(w, f_set1(0x1.23d3dcp-2f), f_set1(0x1.555554p-1f)));
    const vf hfsq = f_mul(f_set1(0.5f), f_mul(f, f));
    const vf inner = f_fma(s, f_add(hfsq, f_add(t2, t1)), f_mul(k, f_set1(9.0580006145e-06f)));
    return f_fma(k, f_set1(6.9313812256e-01f), f_sub(f, f_sub(hfsq, inner)));
}

// log_f32_native without the subnormal branch and special values, for reductions, with
// log_for_sum_tableless's economies (Horner form, log1p(f) = f + s (z P(z) - f), k ln2 in one
// multiply-add: float32(ln2) is within 2^-29 of ln2, so k ln2 is off by 0.05 ULP at most).
// P has three coefficients, not fdlibm's four: a weighted minimax fit of
// (2 atanh(s) / s - 2) / z on z in [0, (3 - 2 sqrt 2)^2] whose error in log1p is 2^-30, far
// below float32's 2^-24, and one multiply-add fewer. Max error 0.95 ULP of float32 for normal
// x > 0, measured on every normal float (fdlibm's polynomial: 0.94). Finite for every bit
// pattern (m gets the exponent field of sqrt(1/2) or 1 whatever x is). A positive subnormal x
// gets a log wrong by up to 16 in absolute value: callers route it elsewhere, or multiply it
// by x itself.
INFOKIT_ALWAYS_INLINE vf log_f32_for_sum_divide(vf x) {
    const vfi ix = f_as_int(x);
    const vfi tmp = fi_sub(ix, fi_set1(0x3f3504f3));  // bits of sqrt(1/2)
    const vf k = fi_to_float(fi_sra(tmp, 23));
    const vf m = f_as_float(fi_sub(ix, fi_and(tmp, fi_set1(static_cast<std::int32_t>(0xff800000u)))));
    const vf f = f_sub(m, f_set1(1.0f));
    const vf s = f_div(f, f_add(m, f_set1(1.0f)));
    const vf z = f_mul(s, s);
    const vf p = f_fma(z, f_fma(z, f_set1(0x1.31e2f2p-2f), f_set1(0x1.995ebap-2f)), f_set1(0x1.55557ap-1f));
    const vf log1p_f = f_fma(s, f_fms(z, p, f), f);
    return f_fma(k, f_set1(0x1.62e430p-1f), log1p_f);  // float32(ln2)
}

// The float32 counterpart of log_for_sum_table, for the paths with cheap lookups and a fused
// multiply-add: a 16-entry float32 table is one register (one permute per lookup), and no
// division (log_f32_for_sum_divide's f / (m + 1) costs ~10 cycles per 16 lanes on AVX-512,
// more than the rest of the log). r = m invc - 1 in one multiply-add, log1p(r) with three
// coefficients (2^-29.8 of |r|), k ln2 with float32(ln2). Max error 1.9 ULP of float32 for
// normal x > 0 (tests/test_vecmath.py); finite for every bit pattern, as the divide variant.
INFOKIT_ALWAYS_INLINE vf log_f32_for_sum_table(vf x) {
    constexpr auto kOff = static_cast<std::int32_t>(T::LOG_OFF_F32);
    const vfi t = fi_sub(f_as_int(x), fi_set1(kOff));  // top 9 bits: k; bits 19-22: the index
    const vf k = fi_to_float(fi_sra(t, 23));
    const vfi idx = fi_srl(t, 19);
    const vf m = f_as_float(fi_add(fi_and(t, fi_set1(0x007fffff)), fi_set1(kOff)));
    const vf r = f_fma(m, f_lookup16(T::LOG_INVC_F32, idx), f_set1(-1.0f));
    const vf w = f_fma(k, f_set1(0x1.62e430p-1f), f_lookup16(T::LOG_LOGC_F32, idx));
    const float* c = T::LOG_P32_SUM;  // log1p(r) = r (1 + r (r P(r) - 1/2)), as for float64
    vf q = f_fma(r, f_set1(c[2]), f_set1(c[1]));
    q = f_fma(r, q, f_set1(c[0]));
    q = f_fma(r, q, f_set1(-0.5f));
    q = f_fma(r, q, f_set1(1.0f));
    return f_fma(r, q, w);
}

// The float32 reductions' log: finite for every bit pattern, ~1-2 ULP of float32 for normal x.
INFOKIT_ALWAYS_INLINE vf log_f32_for_sum(vf x) {
    if constexpr (kTableLookupsAreCheap && kFusedMultiplyAdd) return log_f32_for_sum_table(x);
    else return log_f32_for_sum_divide(x);
}

// exp of float32 x <= 0 (or NaN) in float32 arithmetic (Cephes expf's reduction: x = k ln2 + r
// with |r| <= ln2/2, ln2 split so that k ln2_hi is exact), with exp(r) - 1 = r + r^2 P(r) and
// P of degree 4, not Cephes's 5: a weighted minimax fit whose error, 2^-28 of exp(r), is far
// below float32's 2^-24. Max error 1.01 ULP of float32, measured on every float in [-88, 0]
// with a normal result (Cephes's polynomial: the same). The softmax kernels' arguments are
// x - max <= 0, so this skips the overflow handling, and it counts operations (13 per
// vector): the exponent bias rides in the rounding shift, so the scale is one shift of its
// bits, and clamping x at -88 gives k = -127, whose scale is +0, so results below ~2^-126
// (-inf included) are 0 without a select (x in (-87.7, -87.34) gives a normal value near
// 2^-126). Sums of exponentials and softmax gradients need no subnormals. NaN propagates
// (f_max returns its second operand when it is NaN).
INFOKIT_ALWAYS_INLINE vf exp_f32_nonpos(vf x) {
    const vf xc = f_max(f_set1(-88.0f), x);
    // Adding shift rounds x log2(e) to an integer k and leaves k + 127 in the low bits.
    const vf shift = f_set1(0x1.8p23f + 127.0f);
    const vf kshift = f_fma(xc, f_set1(1.44269504088896341f), shift);
    const vf k = f_sub(kshift, shift);
    vf r = f_fma(k, f_set1(-0.693359375f), xc);  // exact: 0.693359375 has 9 bits, |k| <= 127
    r = f_fma(k, f_set1(2.12194440e-4f), r);
    vf p = f_fma(f_set1(0x1.6a241ap-10f), r, f_set1(0x1.1239f2p-7f));
    p = f_fma(p, r, f_set1(0x1.5558f2p-5f));
    p = f_fma(p, r, f_set1(0x1.555492p-3f));
    p = f_fma(p, r, f_set1(0x1.fffffcp-2f));
    const vf em1 = f_fma(p, f_mul(r, r), r);  // exp(r) - 1
    const vf scale = f_as_float(fi_sll(f_as_int(kshift), 23));  // 2^k, or 0 for k = -127
    return f_fma(scale, em1, scale);
}

}  // namespace
}  // namespace infokit::simd::INFOKIT_ISA_NS
