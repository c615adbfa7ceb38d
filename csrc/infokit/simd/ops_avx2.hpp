// AVX2 + FMA vector operations for the generic kernels.
// Included only by target_avx2.cpp; internal linkage keeps AVX2 code out of other paths.
#pragma once
#include <immintrin.h>
#include <cstddef>
#include <cstdint>

namespace infokit::simd::avx2 {
namespace {

// Whether 16-entry table lookups are cheap on this path (gathers cost more than a division here).
constexpr bool kTableLookupsAreCheap = false;
constexpr bool kFusedMultiplyAdd = true;
constexpr int kLanes = 4;
using vd = __m256d;
using vi = __m256i;
using mask = __m256d;   // all-ones / all-zeros lanes

inline vd set1(double x) { return _mm256_set1_pd(x); }
inline vi set1_i(std::int64_t x) { return _mm256_set1_epi64x(x); }
inline vd load(const double* p) { return _mm256_loadu_pd(p); }
inline void store(double* p, vd v) { _mm256_storeu_pd(p, v); }
inline __m256i tail_mask(int n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_set_epi64x(3, 2, 1, 0));
}
inline vd load_partial(const double* p, int n, double fill) {
    const __m256i m = tail_mask(n);
    return _mm256_blendv_pd(_mm256_set1_pd(fill), _mm256_maskload_pd(p, m), _mm256_castsi256_pd(m));
}
inline void store_partial(double* p, int n, vd v) { _mm256_maskstore_pd(p, tail_mask(n), v); }
inline vd load_strided(const double* p, std::ptrdiff_t s) {
    return _mm256_set_pd(p[3 * s], p[2 * s], p[s], p[0]);
}
inline vd load_f32(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
inline vd load_partial_f32(const float* p, int n, double fill) {
    const __m128i m = _mm_cmpgt_epi32(_mm_set1_epi32(n), _mm_set_epi32(3, 2, 1, 0));
    const __m128 f = _mm_blendv_ps(_mm_set1_ps(static_cast<float>(fill)), _mm_maskload_ps(p, m),
                                   _mm_castsi128_ps(m));
    return _mm256_cvtps_pd(f);
}
inline vd load_strided_f32(const float* p, std::ptrdiff_t s) {
    return _mm256_cvtps_pd(_mm_set_ps(p[3 * s], p[2 * s], p[s], p[0]));
}
inline void store_f32(float* p, vd v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }
inline void store_partial_f32(float* p, int n, vd v) {
    const __m128i m = _mm_cmpgt_epi32(_mm_set1_epi32(n), _mm_set_epi32(3, 2, 1, 0));
    _mm_maskstore_ps(p, m, _mm256_cvtpd_ps(v));
}

inline vd add(vd a, vd b) { return _mm256_add_pd(a, b); }
inline vd sub(vd a, vd b) { return _mm256_sub_pd(a, b); }
inline vd mul(vd a, vd b) { return _mm256_mul_pd(a, b); }
inline vd div(vd a, vd b) { return _mm256_div_pd(a, b); }
inline vd fma(vd a, vd b, vd c) { return _mm256_fmadd_pd(a, b, c); }
inline vd fms(vd a, vd b, vd c) { return _mm256_fmsub_pd(a, b, c); }  // a*b - c
inline vd sqrt(vd a) { return _mm256_sqrt_pd(a); }
inline vd two_prod_err(vd a, vd b, vd p) { return _mm256_fmsub_pd(a, b, p); }
inline vd vmax(vd a, vd b) { return _mm256_max_pd(a, b); }
inline vd vabs(vd a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }

inline vi as_int(vd a) { return _mm256_castpd_si256(a); }
inline vd as_double(vi a) { return _mm256_castsi256_pd(a); }
inline vi i_add(vi a, vi b) { return _mm256_add_epi64(a, b); }
inline vi i_sub(vi a, vi b) { return _mm256_sub_epi64(a, b); }
inline vi i_and(vi a, vi b) { return _mm256_and_si256(a, b); }
inline vi i_srl(vi a, int s) { return _mm256_srl_epi64(a, _mm_cvtsi32_si128(s)); }
inline vi i_sll(vi a, int s) { return _mm256_sll_epi64(a, _mm_cvtsi32_si128(s)); }
// Arithmetic shift (AVX2 has none for 64-bit lanes): shift logically, then sign-extend.
inline vi i_sra(vi a, int s) {
    const vi sign = _mm256_set1_epi64x(static_cast<std::int64_t>(std::uint64_t{1} << (63 - s)));
    return _mm256_sub_epi64(_mm256_xor_si256(i_srl(a, s), sign), sign);
}
// The bitwise OR of two vectors' bits (sign-bit flags).
inline vd bits_or(vd a, vd b) { return _mm256_or_pd(a, b); }
// Small non-negative or negative integers (|k| < 2^51) to double via the 2^52+2^51 trick.
inline vd small_int_to_double(vi k) {
    const vd magic = _mm256_set1_pd(0x1.8p52);
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_add_epi64(k, _mm256_castpd_si256(magic))), magic);
}

inline mask lt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
// Lanes whose sign bit is set (negative, -0.0, NaN with the sign bit), free here: the value
// itself. Only for m_or and any(), which read the sign bits alone (m_and, m_not, select and
// zero_unless need the all-ones lanes of a comparison).
inline mask sign_set(vd a) { return a; }
inline mask le(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
inline mask gt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
inline mask ge(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
inline mask eq(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
inline mask is_nan(vd a) { return _mm256_cmp_pd(a, a, _CMP_UNORD_Q); }
inline mask outside(vd a, vd lo, vd hi) {
    return _mm256_or_pd(_mm256_cmp_pd(a, lo, _CMP_NGE_UQ), _mm256_cmp_pd(a, hi, _CMP_NLE_UQ));
}
inline mask m_or(mask a, mask b) { return _mm256_or_pd(a, b); }
inline mask m_and(mask a, mask b) { return _mm256_and_pd(a, b); }
// Lanes of `a` among `lanes` that are not a positive normal finite number (NaN included).
inline mask not_positive_normal_in(mask lanes, vd a) { return m_and(lanes, outside(a, _mm256_set1_pd(0x1p-1022), _mm256_set1_pd(__DBL_MAX__))); }
inline mask no_lanes() { return _mm256_setzero_pd(); }
inline mask m_not(mask a) { return _mm256_xor_pd(a, _mm256_castsi256_pd(_mm256_set1_epi64x(-1))); }
inline bool any(mask m) { return _mm256_movemask_pd(m) != 0; }
inline bool lane(mask m, int i) { return (_mm256_movemask_pd(m) >> i) & 1; }
inline vd select(mask m, vd a, vd b) { return _mm256_blendv_pd(b, a, m); }
inline vd zero_unless(mask m, vd a) { return _mm256_and_pd(m, a); }

inline vd lookup16(const double* table, vi idx) {
    return _mm256_i64gather_pd(table, _mm256_and_si256(idx, _mm256_set1_epi64x(15)), 8);
}
inline vi lookup16_bits(const std::uint64_t* table, vi idx) {
    return _mm256_i64gather_epi64(reinterpret_cast<const long long*>(table),
                                  _mm256_and_si256(idx, _mm256_set1_epi64x(15)), 8);
}

inline double first_lane(vd a) { return _mm256_cvtsd_f64(a); }
inline double reduce_add(vd a) {
    const __m128d q = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    return _mm_cvtsd_f64(_mm_add_sd(q, _mm_unpackhi_pd(q, q)));
}
inline void to_array(vd a, double* out) { _mm256_storeu_pd(out, a); }
inline vd from_array(const double* in) { return _mm256_loadu_pd(in); }


// ------------------------------------------------------------------ float32 lanes (8)
constexpr int kLanesF = 8;
using vf = __m256;
using vfi = __m256i;  // 8 int32
using maskf = __m256;

inline vf f_set1(float x) { return _mm256_set1_ps(x); }
inline vfi fi_set1(std::int32_t x) { return _mm256_set1_epi32(x); }
inline vf f_load(const float* p) { return _mm256_loadu_ps(p); }
inline vf f_load_partial(const float* p, int n, float fill) {
    const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0));
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
}
inline vf f_add(vf a, vf b) { return _mm256_add_ps(a, b); }
inline vf f_sub(vf a, vf b) { return _mm256_sub_ps(a, b); }
inline vf f_mul(vf a, vf b) { return _mm256_mul_ps(a, b); }
inline vf f_div(vf a, vf b) { return _mm256_div_ps(a, b); }
inline vf f_fma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
inline vf f_fms(vf a, vf b, vf c) { return _mm256_fmsub_ps(a, b, c); }  // a*b - c
inline vfi f_as_int(vf a) { return _mm256_castps_si256(a); }
inline vf f_as_float(vfi a) { return _mm256_castsi256_ps(a); }
inline vfi fi_add(vfi a, vfi b) { return _mm256_add_epi32(a, b); }
inline vfi fi_sub(vfi a, vfi b) { return _mm256_sub_epi32(a, b); }
inline vfi fi_and(vfi a, vfi b) { return _mm256_and_si256(a, b); }
inline vfi fi_sra(vfi a, int s) { return _mm256_sra_epi32(a, _mm_cvtsi32_si128(s)); }
inline vfi fi_srl(vfi a, int s) { return _mm256_srl_epi32(a, _mm_cvtsi32_si128(s)); }
// 16-entry float32 table lookup (low 4 bits of idx): two 8-entry permutes, bit 3 picks one.
inline vf f_lookup16(const float* table, vfi idx) {
    const vf lo = _mm256_permutevar8x32_ps(_mm256_load_ps(table), idx);
    const vf hi = _mm256_permutevar8x32_ps(_mm256_load_ps(table + 8), idx);
    return _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(idx, 28)));
}
inline vf fi_to_float(vfi a) { return _mm256_cvtepi32_ps(a); }
inline maskf f_gt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
inline maskf f_lt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
inline maskf f_sign_set(vf a) { return a; }  // as sign_set: for f_or and f_any only
inline maskf f_ne(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_NEQ_UQ); }
inline maskf f_outside(vf a, vf lo, vf hi) {
    return _mm256_or_ps(_mm256_cmp_ps(a, lo, _CMP_NGE_UQ), _mm256_cmp_ps(a, hi, _CMP_NLE_UQ));
}
inline maskf f_or(maskf a, maskf b) { return _mm256_or_ps(a, b); }
inline maskf f_and(maskf a, maskf b) { return _mm256_and_ps(a, b); }
inline maskf f_not(maskf a) { return _mm256_xor_ps(a, _mm256_castsi256_ps(_mm256_set1_epi32(-1))); }
inline bool f_any(maskf m) { return _mm256_movemask_ps(m) != 0; }
inline vf f_select(maskf m, vf a, vf b) { return _mm256_blendv_ps(b, a, m); }
inline vfi fi_select(maskf m, vfi a, vfi b) {
    return _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(b), _mm256_castsi256_ps(a), m));
}
// Widening for float64 accumulation: kLanesF floats become kLanesF / kLanes vectors of doubles.
inline void f_widen(vf a, vd* out) {
    out[0] = _mm256_cvtps_pd(_mm256_castps256_ps128(a));
    out[1] = _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1));
}
// The two halves of a float32 vector added in float32, widened to one float64 vector.
inline vd f_fold_widen(vf a) {
    return _mm256_cvtps_pd(_mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1)));
}
// For the softmax kernels. f_max/f_min return b when either operand is NaN.
inline vf f_max(vf a, vf b) { return _mm256_max_ps(a, b); }
inline vf f_min(vf a, vf b) { return _mm256_min_ps(a, b); }
inline __m256i f_tail_mask(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0));
}
inline void f_store(float* p, vf v) { _mm256_storeu_ps(p, v); }
inline void f_store_partial(float* p, int n, vf v) { _mm256_maskstore_ps(p, f_tail_mask(n), v); }
inline vfi fi_sll(vfi a, int s) { return _mm256_sll_epi32(a, _mm_cvtsi32_si128(s)); }
inline void f_to_array(vf a, float* out) { _mm256_storeu_ps(out, a); }
inline vf f_from_array(const float* in) { return _mm256_loadu_ps(in); }
inline vd vmin(vd a, vd b) { return _mm256_min_pd(a, b); }

}  // namespace
}  // namespace infokit::simd::avx2
