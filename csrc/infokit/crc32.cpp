#include "infokit/crc32.hpp"

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
// polynomial, as in zlib/Chromium's crc32_simd: four 128-bit lanes fold 64 bytes per step,
// then fold to 128 bits, to 64, and a Barrett reduction gives the 32-bit remainder. `crc` is
// the internal (inverted) state; n >= 64 and n % 16 == 0. Compiled for PCLMUL + SSE4.1 only,
// called only when the CPU reports both.
// One 128-bit fold of acc over 16 bytes into next (a lambda would not inherit the target).
__attribute__((target("pclmul,sse4.1"))) inline __m128i fold16(__m128i acc, __m128i next, __m128i k3k4) {
    const __m128i lo = _mm_clmulepi64_si128(acc, k3k4, 0x00);
    const __m128i hi = _mm_clmulepi64_si128(acc, k3k4, 0x11);
    return _mm_xor_si128(_mm_xor_si128(hi, next), lo);
}

__attribute__((target("pclmul,sse4.1"))) std::uint32_t crc32_fold(const std::uint8_t* buf, std::size_t n,
                                                                   std::uint32_t crc) {
    const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
    const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
    const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124);
    const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
    __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf));
    __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 16));
    __m128i x3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 32));
    __m128i x4 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 48));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(static_cast<int>(crc)));
    buf += 64;
    n -= 64;
    while (n >= 64) {
        const __m128i x5 = _mm_clmulepi64_si128(x1, k1k2, 0x00), x6 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
        const __m128i x7 = _mm_clmulepi64_si128(x3, k1k2, 0x00), x8 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
        x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
        x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
        x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
        x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf)));
        x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 16)));
        x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 32)));
        x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 48)));
        buf += 64;
        n -= 64;
    }
    x1 = fold16(x1, x2, k3k4);
    x1 = fold16(x1, x3, k3k4);
    x1 = fold16(x1, x4, k3k4);
    while (n >= 16) {
        x1 = fold16(x1, _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf)), k3k4);
        buf += 16;
        n -= 16;
    }
    // 128 -> 64 bits.
    const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
    x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
    x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_and_si128(x1, mask32);
    x1 = _mm_clmulepi64_si128(x1, k5k0, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    // Barrett reduction to 32 bits.
    x2 = _mm_and_si128(x1, mask32);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x10);
    x2 = _mm_and_si128(x2, mask32);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    return static_cast<std::uint32_t>(_mm_extract_epi32(x1, 1));
}

bool cpu_has_pclmul() {
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    }();
    return has;
}

}  // namespace
#endif

std::uint32_t crc32(const std::uint8_t* p, std::size_t n, std::uint32_t crc) {
#if IK_CRC_PCLMUL
    if (n >= 64 && cpu_has_pclmul()) {
        const std::size_t bulk = n & ~std::size_t{15};
        crc = ~crc32_fold(p, bulk, ~crc);
        p += bulk;
        n -= bulk;
    }
#endif
    return crc32_portable(p, n, crc);
}

}  // namespace infokit::coding
