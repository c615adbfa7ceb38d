// Portable one-lane "vector" operations: the baseline path on every CPU (x86-64 without
// AVX2, aarch64, anything else). The generic kernels compile unchanged on top of these.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace infokit::simd::baseline {
namespace {

// Whether 16-entry table lookups are cheap on this path (scalar loads from L1).
constexpr bool kTableLookupsAreCheap = true;
constexpr int kLanes = 1;
using vd = double;
using vi = std::int64_t;
using mask = bool;

inline vd set1(double x) { return x; }
inline vi set1_i(std::int64_t x) { return x; }
inline vd load(const double* p) { return *p; }
inline void store(double* p, vd v) { *p = v; }
inline vd load_partial(const double* p, int n, double fill) { return n > 0 ? *p : fill; }
inline void store_partial(double* p, int n, vd v) { if (n > 0) *p = v; }
inline vd load_strided(const double* p, std::ptrdiff_t) { return *p; }
inline vd load_f32(const float* p) { return static_cast<double>(*p); }
inline vd load_partial_f32(const float* p, int n, double fill) { return n > 0 ? *p : fill; }
inline vd load_strided_f32(const float* p, std::ptrdiff_t) { return static_cast<double>(*p); }
inline void store_f32(float* p, vd v) { *p = static_cast<float>(v); }
inline void store_partial_f32(float* p, int n, vd v) { if (n > 0) *p = static_cast<float>(v); }

inline vd add(vd a, vd b) { return a + b; }
inline vd sub(vd a, vd b) { return a - b; }
inline vd mul(vd a, vd b) { return a * b; }
inline vd div(vd a, vd b) { return a / b; }
// Without hardware FMA, a*b+c rounded twice: only used where the analysis allows it.
#if defined(__FMA__) || defined(__aarch64__)
constexpr bool kFusedMultiplyAdd = true;
inline vd fma(vd a, vd b, vd c) { return std::fma(a, b, c); }
inline vd fms(vd a, vd b, vd c) { return std::fma(a, b, -c); }
inline vd two_prod_err(vd a, vd b, vd p) { return std::fma(a, b, -p); }
#else
constexpr bool kFusedMultiplyAdd = false;
inline vd fma(vd a, vd b, vd c) { return a * b + c; }
inline vd fms(vd a, vd b, vd c) { return a * b - c; }
// Dekker's exact product error, by Veltkamp splitting (no FMA on baseline x86-64).
inline vd two_prod_err(vd a, vd b, vd p) {
    constexpr double split = 134217729.0;  // 2^27 + 1
    const double ca = split * a, cb = split * b;
    const double ah = ca - (ca - a), al = a - ah;
    const double bh = cb - (cb - b), bl = b - bh;
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
#endif
inline vd sqrt(vd a) { return std::sqrt(a); }
inline vd vmax(vd a, vd b) { return a > b ? a : b; }
inline vd vabs(vd a) { return std::fabs(a); }

inline vi as_int(vd a) { vi r; std::memcpy(&r, &a, sizeof r); return r; }
inline vd as_double(vi a) { vd r; std::memcpy(&r, &a, sizeof r); return r; }
inline vi i_add(vi a, vi b) { return static_cast<vi>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b)); }
inline vi i_sub(vi a, vi b) { return static_cast<vi>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)); }
inline vi i_and(vi a, vi b) { return a & b; }
inline vi i_srl(vi a, int s) { return static_cast<vi>(static_cast<std::uint64_t>(a) >> s); }
inline vi i_sll(vi a, int s) { return static_cast<vi>(static_cast<std::uint64_t>(a) << s); }
inline vi i_sra(vi a, int s) { return a >> s; }  // arithmetic on every supported compiler
// The bitwise OR of two vectors' bits (sign-bit flags).
inline vd bits_or(vd a, vd b) { return as_double(as_int(a) | as_int(b)); }
inline vd small_int_to_double(vi k) { return static_cast<double>(k); }

inline mask lt(vd a, vd b) { return a < b; }
// Lanes whose sign bit is set (negative, -0.0, NaN with the sign bit); see ops_avx2.hpp.
inline mask sign_set(vd a) { return std::signbit(a); }
inline mask le(vd a, vd b) { return a <= b; }
inline mask gt(vd a, vd b) { return a > b; }
inline mask ge(vd a, vd b) { return a >= b; }
inline mask eq(vd a, vd b) { return a == b; }
inline mask is_nan(vd a) { return a != a; }
inline mask outside(vd a, vd lo, vd hi) { return !(a >= lo && a <= hi); }
inline mask m_or(mask a, mask b) { return a || b; }
inline mask m_and(mask a, mask b) { return a && b; }
inline mask m_not(mask a) { return !a; }
inline mask no_lanes() { return false; }
inline mask not_positive_normal_in(mask lanes, vd a) { return lanes && !(a >= 0x1p-1022 && a <= __DBL_MAX__); }
inline bool any(mask m) { return m; }
inline bool lane(mask m, int) { return m; }
inline vd select(mask m, vd a, vd b) { return m ? a : b; }
inline vd zero_unless(mask m, vd a) { return m ? a : 0.0; }

inline vd lookup16(const double* table, vi idx) { return table[idx & 15]; }
inline vi lookup16_bits(const std::uint64_t* table, vi idx) { return static_cast<vi>(table[idx & 15]); }

inline double first_lane(vd a) { return a; }
inline double reduce_add(vd a) { return a; }
inline void to_array(vd a, double* out) { *out = a; }
inline vd from_array(const double* in) { return *in; }


// ------------------------------------------------------------------ float32 "lanes" (1)
constexpr int kLanesF = 1;
using vf = float;
using vfi = std::int32_t;
using maskf = bool;

inline vf f_set1(float x) { return x; }
inline vfi fi_set1(std::int32_t x) { return x; }
inline vf f_load(const float* p) { return *p; }
inline vf f_load_partial(const float* p, int n, float fill) { return n > 0 ? *p : fill; }
inline vf f_add(vf a, vf b) { return a + b; }
inline vf f_sub(vf a, vf b) { return a - b; }
inline vf f_mul(vf a, vf b) { return a * b; }
inline vf f_div(vf a, vf b) { return a / b; }
#if defined(__FMA__) || defined(__aarch64__)
inline vf f_fma(vf a, vf b, vf c) { return std::fma(a, b, c); }
inline vf f_fms(vf a, vf b, vf c) { return std::fma(a, b, -c); }
#else
inline vf f_fma(vf a, vf b, vf c) { return a * b + c; }
inline vf f_fms(vf a, vf b, vf c) { return a * b - c; }
#endif
inline vfi f_as_int(vf a) { vfi r; std::memcpy(&r, &a, sizeof r); return r; }
inline vf f_as_float(vfi a) { vf r; std::memcpy(&r, &a, sizeof r); return r; }
inline vfi fi_add(vfi a, vfi b) { return static_cast<vfi>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b)); }
inline vfi fi_sub(vfi a, vfi b) { return static_cast<vfi>(static_cast<std::uint32_t>(a) - static_cast<std::uint32_t>(b)); }
inline vfi fi_and(vfi a, vfi b) { return a & b; }
inline vfi fi_sra(vfi a, int s) { return a >> s; }  // arithmetic on every supported compiler
inline vfi fi_srl(vfi a, int s) { return static_cast<vfi>(static_cast<std::uint32_t>(a) >> s); }
inline vf f_lookup16(const float* table, vfi idx) { return table[idx & 15]; }
inline vf fi_to_float(vfi a) { return static_cast<float>(a); }
inline maskf f_gt(vf a, vf b) { return a > b; }
inline maskf f_lt(vf a, vf b) { return a < b; }
inline maskf f_sign_set(vf a) { return std::signbit(a); }  // as sign_set
inline maskf f_ne(vf a, vf b) { return a != b; }
inline maskf f_outside(vf a, vf lo, vf hi) { return !(a >= lo && a <= hi); }
inline maskf f_or(maskf a, maskf b) { return a || b; }
inline maskf f_and(maskf a, maskf b) { return a && b; }
inline maskf f_not(maskf a) { return !a; }
inline bool f_any(maskf m) { return m; }
inline vf f_select(maskf m, vf a, vf b) { return m ? a : b; }
inline vfi fi_select(maskf m, vfi a, vfi b) { return m ? a : b; }
inline vd f_fold_widen(vf a) { return static_cast<double>(a); }  // one lane: nothing to fold
inline void f_widen(vf a, vd* out) { out[0] = static_cast<double>(a); }
// For the softmax kernels. f_max/f_min return b when either operand is NaN, as SSE does.
inline vf f_max(vf a, vf b) { return a > b ? a : b; }
inline vf f_min(vf a, vf b) { return a < b ? a : b; }
inline void f_store(float* p, vf v) { *p = v; }
inline void f_store_partial(float* p, int n, vf v) { if (n > 0) *p = v; }
inline vfi fi_sll(vfi a, int s) { return static_cast<vfi>(static_cast<std::uint32_t>(a) << s); }
inline void f_to_array(vf a, float* out) { *out = a; }
inline vf f_from_array(const float* in) { return *in; }
inline vd vmin(vd a, vd b) { return a < b ? a : b; }

}  // namespace
}  // namespace infokit::simd::baseline
