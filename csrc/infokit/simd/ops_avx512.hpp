// AVX-512 (F + DQ + VL) vector operations for the generic kernels.
// Included only by target_avx512.cpp, inside namespace infokit::simd::avx512; every function
// here has internal linkage so no AVX-512 code can be picked by the linker for another path.
#pragma once
#if defined(INFOKIT_EMULATE_AVX512)
// tools/check_avx512_emulated.sh: the same code on a CPU without AVX-512, through SIMDe.
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

#include <cstdint>
#include <cstring>
// SIMDe 0.7 lacks this one: lanes outside the mask keep src, and are not read.
static inline simde__m512d infokit_emulated_mask_loadu_pd(simde__m512d src, simde__mmask8 k, const void* p) {
    double lanes[8];
    simde_mm512_storeu_pd(lanes, src);
    for (int i = 0; i < 8; ++i) {
        if ((k >> i) & 1) lanes[i] = static_cast<const double*>(p)[i];
    }
    return simde_mm512_loadu_pd(lanes);
}
static inline void infokit_emulated_mask_storeu_pd(void* p, simde__mmask8 k, simde__m512d v) {
    double lanes[8];
    simde_mm512_storeu_pd(lanes, v);
    for (int i = 0; i < 8; ++i) {
        if ((k >> i) & 1) static_cast<double*>(p)[i] = lanes[i];
    }
}
static inline simde__m512d infokit_emulated_cvtps_pd(simde__m256 v) {
    float f[8];
    double d[8];
    simde_mm256_storeu_ps(f, v);
    for (int i = 0; i < 8; ++i) d[i] = f[i];
    return simde_mm512_loadu_pd(d);
}
static inline simde__m256 infokit_emulated_mask_loadu_ps(simde__m256 src, simde__mmask8 k, const void* p) {
    float lanes[8];
    simde_mm256_storeu_ps(lanes, src);
    for (int i = 0; i < 8; ++i) {
        if ((k >> i) & 1) lanes[i] = static_cast<const float*>(p)[i];
    }
    return simde_mm256_loadu_ps(lanes);
}
static inline void infokit_emulated_mask_storeu_ps(void* p, simde__mmask8 k, simde__m256 v) {
    float lanes[8];
    simde_mm256_storeu_ps(lanes, v);
    for (int i = 0; i < 8; ++i) {
        if ((k >> i) & 1) static_cast<float*>(p)[i] = lanes[i];
    }
}
static inline simde__m512 infokit_emulated_mask_loadu_ps16(simde__m512 src, simde__mmask16 k, const void* p) {
    float lanes[16];
    simde_mm512_storeu_ps(lanes, src);
    for (int i = 0; i < 16; ++i) {
        if ((k >> i) & 1) lanes[i] = static_cast<const float*>(p)[i];
    }
    return simde_mm512_loadu_ps(lanes);
}
static inline void infokit_emulated_mask_storeu_ps16(void* p, simde__mmask16 k, simde__m512 v) {
    float lanes[16];
    simde_mm512_storeu_ps(lanes, v);
    for (int i = 0; i < 16; ++i) {
        if ((k >> i) & 1) static_cast<float*>(p)[i] = lanes[i];
    }
}
#define _mm512_mask_storeu_ps infokit_emulated_mask_storeu_ps16
#define _mm256_mask_loadu_ps infokit_emulated_mask_loadu_ps
#define _mm256_mask_storeu_ps infokit_emulated_mask_storeu_ps
#define _mm512_mask_loadu_ps infokit_emulated_mask_loadu_ps16
static inline simde__m256 infokit_emulated_cvtpd_ps(simde__m512d v) {
    double d[8];
    float f[8];
    simde_mm512_storeu_pd(d, v);
    for (int i = 0; i < 8; ++i) f[i] = static_cast<float>(d[i]);
    return simde_mm256_loadu_ps(f);
}
static inline simde__m512d infokit_emulated_cvtepi64_pd(simde__m512i v) {
    long long q[8];
    double d[8];
    simde_mm512_storeu_si512(q, v);
    for (int i = 0; i < 8; ++i) d[i] = static_cast<double>(q[i]);
    return simde_mm512_loadu_pd(d);
}
static inline double infokit_emulated_cvtsd_f64(simde__m512d v) {
    double d[8];
    simde_mm512_storeu_pd(d, v);
    return d[0];
}
static inline simde__m512i infokit_emulated_srai_epi32(simde__m512i v, unsigned s) {
    int w[16];
    simde_mm512_storeu_si512(w, v);
    for (int i = 0; i < 16; ++i) w[i] >>= s;
    return simde_mm512_loadu_si512(w);
}
static inline simde__m512 infokit_emulated_cvtepi32_ps(simde__m512i v) {
    int w[16];
    float f[16];
    simde_mm512_storeu_si512(w, v);
    for (int i = 0; i < 16; ++i) f[i] = static_cast<float>(w[i]);
    return simde_mm512_loadu_ps(f);
}
static inline simde__m256 infokit_emulated_extractf32x8_ps(simde__m512 v, int hi) {
    float f[16];
    simde_mm512_storeu_ps(f, v);
    return simde_mm256_loadu_ps(f + 8 * hi);
}
static inline simde__m512i infokit_emulated_srai_epi64(simde__m512i v, unsigned s) {
    long long q[8];
    simde_mm512_storeu_si512(q, v);
    for (int i = 0; i < 8; ++i) q[i] >>= s;
    return simde_mm512_loadu_si512(q);
}
// VFPCLASSPD's categories (imm8 bits): QNaN 0x01, +0 0x02, -0 0x04, +inf 0x08, -inf 0x10,
// denormal 0x20, finite negative 0x40, SNaN 0x80; a lane is set where k allows and any
// selected category holds.
static inline simde__mmask8 infokit_emulated_mask_fpclass_pd_mask(simde__mmask8 k, simde__m512d v, int imm) {
    double d[8];
    simde_mm512_storeu_pd(d, v);
    unsigned out = 0;
    for (int i = 0; i < 8; ++i) {
        std::uint64_t b;
        std::memcpy(&b, &d[i], 8);
        const bool neg = b >> 63, nan = d[i] != d[i];
        const std::uint64_t exp = (b >> 52) & 0x7ff, man = b & 0xfffffffffffffULL;
        unsigned cat = 0;
        if (nan) cat |= (man >> 51) ? 0x01 : 0x80;
        else if (exp == 0 && man == 0) cat |= neg ? 0x04 : 0x02;
        else if (exp == 0x7ff) cat |= neg ? 0x10 : 0x08;
        else {
            if (exp == 0) cat |= 0x20;
            if (neg) cat |= 0x40;
        }
        if (((k >> i) & 1) && (cat & static_cast<unsigned>(imm))) out |= 1u << i;
    }
    return static_cast<simde__mmask8>(out);
}
#define _mm512_srai_epi64 infokit_emulated_srai_epi64
#define _mm512_mask_fpclass_pd_mask infokit_emulated_mask_fpclass_pd_mask
#define _mm512_cvtepi32_ps infokit_emulated_cvtepi32_ps
#define _mm512_extractf32x8_ps infokit_emulated_extractf32x8_ps
#define _mm512_srai_epi32 infokit_emulated_srai_epi32
#define _mm512_cvtepi64_pd infokit_emulated_cvtepi64_pd
#define _mm512_cvtsd_f64 infokit_emulated_cvtsd_f64
#define _mm512_cvtps_pd infokit_emulated_cvtps_pd
#define _mm512_cvtpd_ps infokit_emulated_cvtpd_ps
#define _mm512_mask_loadu_pd infokit_emulated_mask_loadu_pd
#define _mm512_mask_storeu_pd infokit_emulated_mask_storeu_pd
#else
#include <immintrin.h>
#endif
#include <cstddef>
#include <cstdint>

namespace infokit::simd::avx512 {
namespace {

// Whether 16-entry table lookups are cheap on this path (vpermt2pd: one instruction per 16-entry table).
constexpr bool kTableLookupsAreCheap = true;
constexpr bool kFusedMultiplyAdd = true;
constexpr int kLanes = 8;
using vd = __m512d;   // 8 doubles
using vi = __m512i;   // 8 int64
using mask = __mmask8;

inline vd set1(double x) { return _mm512_set1_pd(x); }
inline vi set1_i(std::int64_t x) { return _mm512_set1_epi64(x); }
inline vd load(const double* p) { return _mm512_loadu_pd(p); }
inline void store(double* p, vd v) { _mm512_storeu_pd(p, v); }
// Loads lanes [0, n) and fills the rest with `fill` (tails without reading past the end).
inline vd load_partial(const double* p, int n, double fill) {
    return _mm512_mask_loadu_pd(_mm512_set1_pd(fill), static_cast<mask>((1u << n) - 1u), p);
}
inline void store_partial(double* p, int n, vd v) {
    _mm512_mask_storeu_pd(p, static_cast<mask>((1u << n) - 1u), v);
}
// Strided lanes: plain loads (the strided layouts are rare and gathers are no faster).
inline vd load_strided(const double* p, std::ptrdiff_t stride) {
    return _mm512_set_pd(p[7 * stride], p[6 * stride], p[5 * stride], p[4 * stride], p[3 * stride],
                         p[2 * stride], p[stride], p[0]);
}
// float32 in memory, float64 in registers: 8 floats widen to 8 doubles.
inline vd load_f32(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
inline vd load_partial_f32(const float* p, int n, double fill) {
    const __m256 f = _mm256_mask_loadu_ps(_mm256_set1_ps(static_cast<float>(fill)),
                                          static_cast<mask>((1u << n) - 1u), p);
    return _mm512_cvtps_pd(f);
}
inline vd load_strided_f32(const float* p, std::ptrdiff_t s) {
    return _mm512_cvtps_pd(_mm256_set_ps(p[7 * s], p[6 * s], p[5 * s], p[4 * s], p[3 * s], p[2 * s], p[s], p[0]));
}
inline void store_f32(float* p, vd v) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(v)); }
inline void store_partial_f32(float* p, int n, vd v) {
    _mm256_mask_storeu_ps(p, static_cast<mask>((1u << n) - 1u), _mm512_cvtpd_ps(v));
}

inline vd add(vd a, vd b) { return _mm512_add_pd(a, b); }
inline vd sub(vd a, vd b) { return _mm512_sub_pd(a, b); }
inline vd mul(vd a, vd b) { return _mm512_mul_pd(a, b); }
inline vd div(vd a, vd b) { return _mm512_div_pd(a, b); }
inline vd fma(vd a, vd b, vd c) { return _mm512_fmadd_pd(a, b, c); }
inline vd fms(vd a, vd b, vd c) { return _mm512_fmsub_pd(a, b, c); }  // a*b - c
inline vd sqrt(vd a) { return _mm512_sqrt_pd(a); }
// Exact error of the product a*b given p = fl(a*b): a*b = p + two_prod_err(a, b, p).
inline vd two_prod_err(vd a, vd b, vd p) { return _mm512_fmsub_pd(a, b, p); }
inline vd vmax(vd a, vd b) { return _mm512_max_pd(a, b); }
inline vd vabs(vd a) { return _mm512_abs_pd(a); }

inline vi as_int(vd a) { return _mm512_castpd_si512(a); }
inline vd as_double(vi a) { return _mm512_castsi512_pd(a); }
inline vi i_add(vi a, vi b) { return _mm512_add_epi64(a, b); }
inline vi i_sub(vi a, vi b) { return _mm512_sub_epi64(a, b); }
inline vi i_and(vi a, vi b) { return _mm512_and_si512(a, b); }
inline vi i_srl(vi a, int s) { return _mm512_srli_epi64(a, static_cast<unsigned>(s)); }
inline vi i_sll(vi a, int s) { return _mm512_slli_epi64(a, static_cast<unsigned>(s)); }
inline vi i_sra(vi a, int s) { return _mm512_srai_epi64(a, static_cast<unsigned>(s)); }
// The bitwise OR of two vectors' bits (sign-bit flags): one vector operation, where OR-ing
// comparison masks costs a mask-to-register move and a scalar OR per vector.
inline vd bits_or(vd a, vd b) { return _mm512_or_pd(a, b); }
// Converts small integers (|k| < 2^31) held in int64 lanes to double.
inline vd small_int_to_double(vi k) { return _mm512_cvtepi64_pd(k); }

inline mask lt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
// Lanes whose sign bit is set (negative, -0.0, NaN with the sign bit).
inline mask sign_set(vd a) { return _mm512_movepi64_mask(_mm512_castpd_si512(a)); }
inline mask le(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
// Lanes of `a` among `lanes` that are not a positive normal finite number: one classification.
inline mask not_positive_normal_in(mask lanes, vd a) { return _mm512_mask_fpclass_pd_mask(lanes, a, 0xff); }
inline mask gt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
inline mask ge(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
inline mask eq(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
inline mask is_nan(vd a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
// Lanes where a is not in [lo, hi] (NaN included).
inline mask outside(vd a, vd lo, vd hi) {
    return static_cast<mask>(~(_mm512_cmp_pd_mask(a, lo, _CMP_GE_OQ) &
                               _mm512_cmp_pd_mask(a, hi, _CMP_LE_OQ)));
}
inline mask m_or(mask a, mask b) { return static_cast<mask>(a | b); }
inline mask m_and(mask a, mask b) { return static_cast<mask>(a & b); }
inline mask m_not(mask a) { return static_cast<mask>(~a); }
inline mask no_lanes() { return 0; }
inline bool any(mask m) { return m != 0; }
inline bool lane(mask m, int i) { return (m >> i) & 1u; }
inline vd select(mask m, vd a, vd b) { return _mm512_mask_blend_pd(m, b, a); }
inline vd zero_unless(mask m, vd a) { return _mm512_maskz_mov_pd(m, a); }

// 16-entry table lookup: the low 4 bits of each lane of idx pick the entry.
inline vd lookup16(const double* table, vi idx) {
    return _mm512_permutex2var_pd(_mm512_load_pd(table), idx, _mm512_load_pd(table + 8));
}
inline vi lookup16_bits(const std::uint64_t* table, vi idx) {
    return _mm512_permutex2var_epi64(_mm512_load_si512(table), idx, _mm512_load_si512(table + 8));
}

inline double first_lane(vd a) { return _mm512_cvtsd_f64(a); }
inline double reduce_add(vd a) {
    // Fixed order, independent of anything but the lanes: (0+4 .. 3+7) then pairwise.
    const __m256d h = _mm256_add_pd(_mm512_castpd512_pd256(a), _mm512_extractf64x4_pd(a, 1));
    const __m128d q = _mm_add_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
    return _mm_cvtsd_f64(_mm_add_sd(q, _mm_unpackhi_pd(q, q)));
}
inline void to_array(vd a, double* out) { _mm512_storeu_pd(out, a); }
inline vd from_array(const double* in) { return _mm512_loadu_pd(in); }


// ------------------------------------------------------------------ float32 lanes (16)
constexpr int kLanesF = 16;
using vf = __m512;
using vfi = __m512i;  // 16 int32
using maskf = __mmask16;

inline vf f_set1(float x) { return _mm512_set1_ps(x); }
inline vfi fi_set1(std::int32_t x) { return _mm512_set1_epi32(x); }
inline vf f_load(const float* p) { return _mm512_loadu_ps(p); }
inline vf f_load_partial(const float* p, int n, float fill) {
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), static_cast<maskf>((1u << n) - 1u), p);
}
inline vf f_add(vf a, vf b) { return _mm512_add_ps(a, b); }
inline vf f_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
inline vf f_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }
inline vf f_div(vf a, vf b) { return _mm512_div_ps(a, b); }
inline vf f_fma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
inline vf f_fms(vf a, vf b, vf c) { return _mm512_fmsub_ps(a, b, c); }  // a*b - c
inline vfi f_as_int(vf a) { return _mm512_castps_si512(a); }
inline vf f_as_float(vfi a) { return _mm512_castsi512_ps(a); }
inline vfi fi_add(vfi a, vfi b) { return _mm512_add_epi32(a, b); }
inline vfi fi_sub(vfi a, vfi b) { return _mm512_sub_epi32(a, b); }
inline vfi fi_and(vfi a, vfi b) { return _mm512_and_si512(a, b); }
inline vfi fi_sra(vfi a, int s) { return _mm512_srai_epi32(a, static_cast<unsigned>(s)); }
inline vfi fi_srl(vfi a, int s) { return _mm512_srli_epi32(a, static_cast<unsigned>(s)); }
// 16-entry float32 table lookup, one register: the low 4 bits of each lane of idx pick the entry.
inline vf f_lookup16(const float* table, vfi idx) { return _mm512_permutexvar_ps(idx, _mm512_load_ps(table)); }
inline vf fi_to_float(vfi a) { return _mm512_cvtepi32_ps(a); }
inline maskf f_gt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
inline maskf f_lt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
inline maskf f_sign_set(vf a) { return _mm512_movepi32_mask(_mm512_castps_si512(a)); }
inline maskf f_ne(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_NEQ_UQ); }
inline maskf f_outside(vf a, vf lo, vf hi) {
    return static_cast<maskf>(~(_mm512_cmp_ps_mask(a, lo, _CMP_GE_OQ) & _mm512_cmp_ps_mask(a, hi, _CMP_LE_OQ)));
}
inline maskf f_or(maskf a, maskf b) { return static_cast<maskf>(a | b); }
inline maskf f_and(maskf a, maskf b) { return static_cast<maskf>(a & b); }
inline maskf f_not(maskf a) { return static_cast<maskf>(~a); }
inline bool f_any(maskf m) { return m != 0; }
inline vf f_select(maskf m, vf a, vf b) { return _mm512_mask_blend_ps(m, b, a); }
inline vfi fi_select(maskf m, vfi a, vfi b) { return _mm512_mask_blend_epi32(m, b, a); }
// The two halves of a float32 vector added in float32, widened to one float64 vector.
inline vd f_fold_widen(vf a) {
    return _mm512_cvtps_pd(_mm256_add_ps(_mm512_castps512_ps256(a), _mm512_extractf32x8_ps(a, 1)));
}
inline void f_widen(vf a, vd* out) {
    out[0] = _mm512_cvtps_pd(_mm512_castps512_ps256(a));
    out[1] = _mm512_cvtps_pd(_mm512_extractf32x8_ps(a, 1));
}
// For the softmax kernels. f_max/f_min return b when either operand is NaN.
inline vf f_max(vf a, vf b) { return _mm512_max_ps(a, b); }
inline vf f_min(vf a, vf b) { return _mm512_min_ps(a, b); }
inline void f_store(float* p, vf v) { _mm512_storeu_ps(p, v); }
inline void f_store_partial(float* p, int n, vf v) {
    _mm512_mask_storeu_ps(p, static_cast<maskf>((1u << n) - 1u), v);
}
inline vfi fi_sll(vfi a, int s) { return _mm512_slli_epi32(a, static_cast<unsigned>(s)); }
inline void f_to_array(vf a, float* out) { _mm512_storeu_ps(out, a); }
inline vf f_from_array(const float* in) { return _mm512_loadu_ps(in); }
inline vd vmin(vd a, vd b) { return _mm512_min_pd(a, b); }

}  // namespace
}  // namespace infokit::simd::avx512
