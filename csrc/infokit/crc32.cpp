#include "infokit/crc32.hpp"

#include <stdexcept>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define IK_CRC_PCLMUL 1
#include <immintrin.h>
#else
#define IK_CRC_PCLMUL 0
#endif

namespace infokit::coding {

#if IK_CRC_PCLMUL
namespace {

// Folding CRC-32 with carry-less multiplication (Gopal et al., "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ", Intel 2009), in the bit-reflected domain of zlib's
// polynomial, as in zlib/Chromium's crc32_simd. A 128-bit accumulator is folded D bits
// forward onto the data D bits later by multiplying its low and high halves by the constants
// x^(D+32) and x^(D-32) mod P (reflected, shifted left by one; tools/crc32_fold_constants.py
// derives them) and xor-ing both products into that data. The bulk loops keep several
// accumulators D bits apart, fold them into one, and a Barrett reduction gives the 32-bit
// remainder. `crc` is the internal (inverted) state throughout.
#define IK_PCLMUL __attribute__((target("pclmul,sse4.1")))
#define IK_VPCLMUL __attribute__((target("vpclmulqdq,avx2,pclmul,sse4.1")))

// One 128-bit fold of acc over D bits into next; k holds the two constants for D.
IK_PCLMUL inline __m128i fold16(__m128i acc, __m128i next, __m128i k) {
    const __m128i lo = _mm_clmulepi64_si128(acc, k, 0x00);
    const __m128i hi = _mm_clmulepi64_si128(acc, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(hi, next), lo);
}

IK_PCLMUL inline __m128i load16(const std::uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

const __m128i* fold128_constants() {
    alignas(16) static const std::uint64_t k[2] = {0x01751997d0, 0x00ccaa009e};  // D = 128
    return reinterpret_cast<const __m128i*>(k);
}

// Folds the rest 16 bytes at a time into acc (n % 16 == 0), then reduces to 32 bits.
IK_PCLMUL std::uint32_t fold_tail_and_reduce(__m128i acc, const std::uint8_t* buf, std::size_t n) {
    const __m128i k3k4 = _mm_load_si128(fold128_constants());
    const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124);
    const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
    for (; n >= 16; buf += 16, n -= 16) acc = fold16(acc, load16(buf), k3k4);
    // 128 -> 64 bits.
    const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
    __m128i t = _mm_clmulepi64_si128(acc, k3k4, 0x10);
    acc = _mm_xor_si128(_mm_srli_si128(acc, 8), t);
    t = _mm_srli_si128(acc, 4);
    acc = _mm_and_si128(acc, mask32);
    acc = _mm_clmulepi64_si128(acc, k5k0, 0x00);
    acc = _mm_xor_si128(acc, t);
    // Barrett reduction to 32 bits.
    t = _mm_and_si128(acc, mask32);
    t = _mm_clmulepi64_si128(t, poly, 0x10);
    t = _mm_and_si128(t, mask32);
    t = _mm_clmulepi64_si128(t, poly, 0x00);
    acc = _mm_xor_si128(acc, t);
    return static_cast<std::uint32_t>(_mm_extract_epi32(acc, 1));
}

// PCLMULQDQ: four 128-bit accumulators fold 64 bytes per step (D = 512). n >= 64, n % 16 == 0.
IK_PCLMUL std::uint32_t crc32_fold(const std::uint8_t* buf, std::size_t n, std::uint32_t crc) {
    const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);  // D = 512
    const __m128i k3k4 = _mm_load_si128(fold128_constants());
    __m128i x1 = _mm_xor_si128(load16(buf), _mm_cvtsi32_si128(static_cast<int>(crc)));
    __m128i x2 = load16(buf + 16), x3 = load16(buf + 32), x4 = load16(buf + 48);
    for (buf += 64, n -= 64; n >= 64; buf += 64, n -= 64) {
        x1 = fold16(x1, load16(buf), k1k2);
        x2 = fold16(x2, load16(buf + 16), k1k2);
        x3 = fold16(x3, load16(buf + 32), k1k2);
        x4 = fold16(x4, load16(buf + 48), k1k2);
    }
    x1 = fold16(x1, x2, k3k4);
    x1 = fold16(x1, x3, k3k4);
    x1 = fold16(x1, x4, k3k4);
    return fold_tail_and_reduce(x1, buf, n);
}

// The same fold on both 128-bit halves of a 256-bit register (VPCLMULQDQ).
IK_VPCLMUL inline __m256i fold32(__m256i acc, __m256i next, __m256i k) {
    const __m256i lo = _mm256_clmulepi64_epi128(acc, k, 0x00);
    const __m256i hi = _mm256_clmulepi64_epi128(acc, k, 0x11);
    return _mm256_xor_si256(_mm256_xor_si256(hi, next), lo);
}

IK_VPCLMUL inline __m256i load32(const std::uint8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// VPCLMULQDQ: four 256-bit accumulators (eight 128-bit lanes) fold 128 bytes per step
// (D = 1024). Each carry-less multiply does the work of two, so where the 128-bit instruction
// limits crc32_fold (Zen 3: ~12 GB/s), this runs about twice as fast. n >= 128, n % 16 == 0.
IK_VPCLMUL std::uint32_t crc32_fold_wide(const std::uint8_t* buf, std::size_t n, std::uint32_t crc) {
    const __m256i k1024 = _mm256_set_epi64x(0x014a7fe880, 0x01e88ef372, 0x014a7fe880, 0x01e88ef372);
    const __m256i k256 = _mm256_set_epi64x(0x015a546366, 0x00f1da05aa, 0x015a546366, 0x00f1da05aa);
    __m256i x1 = _mm256_xor_si256(load32(buf), _mm256_setr_epi32(static_cast<int>(crc), 0, 0, 0, 0, 0, 0, 0));
    __m256i x2 = load32(buf + 32), x3 = load32(buf + 64), x4 = load32(buf + 96);
    for (buf += 128, n -= 128; n >= 128; buf += 128, n -= 128) {
        x1 = fold32(x1, load32(buf), k1024);
        x2 = fold32(x2, load32(buf + 32), k1024);
        x3 = fold32(x3, load32(buf + 64), k1024);
        x4 = fold32(x4, load32(buf + 96), k1024);
    }
    // Lanes 32 bytes apart fold with D = 256, then the low half onto the high one (D = 128).
    x1 = fold32(x1, x2, k256);
    x1 = fold32(x1, x3, k256);
    x1 = fold32(x1, x4, k256);
    const __m128i acc =
        fold16(_mm256_castsi256_si128(x1), _mm256_extracti128_si256(x1, 1), _mm_load_si128(fold128_constants()));
    return fold_tail_and_reduce(acc, buf, n);
}

bool cpu_has_pclmul() {
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    }();
    return has;
}

bool cpu_has_vpclmul() {
    static const bool has = [] {
        __builtin_cpu_init();
        return cpu_has_pclmul() && __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("avx2");
    }();
    return has;
}

}  // namespace
#endif

bool crc32_path_available(Crc32Path path) {
    switch (path) {
        case Crc32Path::automatic:
        case Crc32Path::portable:
            return true;
#if IK_CRC_PCLMUL
        case Crc32Path::pclmul:
            return cpu_has_pclmul();
        case Crc32Path::vpclmul:
            return cpu_has_vpclmul();
#endif
        default:
            return false;
    }
}

std::uint32_t crc32(const std::uint8_t* p, std::size_t n, std::uint32_t crc, Crc32Path path) {
    if (!crc32_path_available(path)) throw std::invalid_argument("CRC-32 path not available on this CPU");
#if IK_CRC_PCLMUL
    const bool automatic = path == Crc32Path::automatic;
    const bool wide = path == Crc32Path::vpclmul || (automatic && cpu_has_vpclmul());
    const bool narrow = path == Crc32Path::pclmul || (automatic && cpu_has_pclmul());
    if ((wide && n >= 128) || (narrow && n >= 64)) {
        const std::size_t bulk = n & ~std::size_t{15};
        crc = ~(wide && n >= 128 ? crc32_fold_wide(p, bulk, ~crc) : crc32_fold(p, bulk, ~crc));
        p += bulk;
        n -= bulk;
    }
#endif
    return crc32_portable(p, n, crc);
}

namespace {

// Polynomials over GF(2) modulo the CRC's, in its reflected bit order (x^0 is bit 31).
std::uint32_t mul_mod_poly(std::uint32_t a, std::uint32_t b) {
    std::uint32_t product = 0;
    for (std::uint32_t m = 1u << 31; m != 0; m >>= 1) {
        if (a & m) product ^= b;
        b = (b & 1) ? (b >> 1) ^ 0xEDB88320u : b >> 1;  // b * x
    }
    return product;
}

}  // namespace

std::uint32_t crc32_combine(std::uint32_t crc_a, std::uint32_t crc_b, std::uint64_t len_b) {
    // x^(8 len_b) by squaring: power holds x^(2^k) for k = 3, 4, ... (x^8 is one byte).
    std::uint32_t shift = 1u << 31;  // x^0
    std::uint32_t power = 1u << 23;  // x^8
    for (; len_b != 0; len_b >>= 1) {
        if (len_b & 1) shift = mul_mod_poly(power, shift);
        power = mul_mod_poly(power, power);
    }
    return mul_mod_poly(shift, crc_a) ^ crc_b;
}

}  // namespace infokit::coding
