// The per-ISA part of rANS decoding (rans.cpp drives it): several payloads of one model decoded
// side by side, each payload's eight lanes in one AVX-512 vector. Included once per ISA by
// simd/target_<isa>.cpp, before measures_kernels.hpp (whose table points at it); only the
// AVX-512 path has the kernel, the others leave it null and rans.cpp decodes each payload with
// its scalar loop.
//
// Why several payloads: one payload's eight lanes in one vector leave the vector unit waiting
// on each row's chain (a gather from the slot table in L2, two multiplies, a compare, a
// select: 50 cycles and more), which is slower than the scalar loop's eight overlapping
// chains. Three to eight payloads (the container's blocks, which share one model) fill that
// wait, and each row of eight symbols then costs about fifteen vector instructions and two
// gathers instead of about 140 scalar instructions. Measured on source (a) of
// benchmarks/bench_coding.py, one core of the machine in benchmarks/RESULTS.md, GB/s: the
// scalar loop 0.89; side by side, three payloads 0.95, four 1.22, five 1.40, six to eight
// 1.47-1.52 (two: 0.86, so rans.cpp leaves one or two to the scalar loop). The bit streams
// are those of the scalar coder.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "infokit/simd/kernels.hpp"

namespace infokit::simd::INFOKIT_ISA_NS {
namespace {

#if defined(__AVX512F__) || defined(INFOKIT_EMULATE_AVX512)

#if defined(INFOKIT_EMULATE_AVX512)
// SIMDe 0.7 has no AVX-512 gathers or narrowing stores: lane by lane, with the same results.
inline __m512i rans_gather_u64(__m512i idx, const std::uint64_t* table) {
    std::uint64_t i[8], v[8];
    _mm512_storeu_si512(i, idx);
    for (int j = 0; j < 8; ++j) v[j] = table[i[j]];
    return _mm512_loadu_si512(v);
}
inline __m512i rans_gather_words(__m512i idx, const std::uint8_t* words) {
    std::uint64_t i[8], v[8];
    _mm512_storeu_si512(i, idx);
    for (int j = 0; j < 8; ++j) {
        std::uint32_t w;
        std::memcpy(&w, words + 4 * i[j], 4);
        v[j] = std::uint64_t{w} << 32;
    }
    return _mm512_loadu_si512(v);
}
template <int W>
inline void rans_store_symbols(std::uint8_t* out, __m512i sym) {
    std::uint64_t v[8];
    _mm512_storeu_si512(v, sym);
    for (int j = 0; j < 8; ++j) {
        if constexpr (W == 1) out[j] = static_cast<std::uint8_t>(v[j]);
        else {
            const std::uint16_t s = static_cast<std::uint16_t>(v[j]);
            std::memcpy(out + 2 * j, &s, 2);
        }
    }
}
#else
inline __m512i rans_gather_u64(__m512i idx, const std::uint64_t* table) {
    return _mm512_i64gather_epi64(idx, static_cast<const void*>(table), 8);
}
// Lane j's word words[q_j] in the high half of the lane: the eight bytes from word q_j - 1,
// which every lane has (the payload's header precedes the streams), so that one permute then
// puts the word under the state's low half.
inline __m512i rans_gather_words(__m512i idx, const std::uint8_t* words) {
    return _mm512_i64gather_epi64(idx, reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(words) - 4), 4);
}
// The low byte (or 16 bits) of each lane, eight symbols side by side: vpmovqb / vpmovqw.
template <int W>
inline void rans_store_symbols(std::uint8_t* out, __m512i sym) {
    if constexpr (W == 1) _mm512_mask_cvtepi64_storeu_epi8(out, 0xff, sym);
    else _mm512_mask_cvtepi64_storeu_epi16(out, 0xff, sym);
}
#endif

// One payload's lanes in registers: states, word indices, its words and output.
struct RansVecLanes {
    __m512i x, q;
    const std::uint8_t* words;
    std::uint8_t* out;
};

struct RansRowConstants {
    __m512i slot_mask, below_low, one, refill_idx;
    __m128i kshift;
};

// One row of eight symbols of one payload. W bytes per symbol; K16: k == 16 (the default
// precision), an immediate shift.
template <int W, bool K16>
INFOKIT_ALWAYS_INLINE void rans_row(RansVecLanes& l, const std::uint64_t* table, const RansRowConstants& c) {
    // The next word of every lane, loaded before it is known which lanes need one, so that
    // this gather waits only on the word indices, not on the state.
    const __m512i w = rans_gather_words(l.q, l.words);
    const __m512i e = rans_gather_u64(_mm512_and_si512(l.x, c.slot_mask), table);
    rans_store_symbols<W>(l.out, _mm512_srli_epi64(e, 32));
    l.out += 8 * W;
    // x' = freq * (x >> k) + (slot - start). x >> k < 2^47 and freq <= 2^16: two
    // 32 x 32 -> 64 multiplies (vpmuludq reads the low halves, where freq sits) are
    // shorter on the chain than one vpmullq.
    const __m512i h = K16 ? _mm512_srli_epi64(l.x, 16) : _mm512_srl_epi64(l.x, c.kshift);
    const __m512i lo = _mm512_mul_epu32(h, e);
    const __m512i hi = _mm512_slli_epi64(_mm512_mul_epu32(_mm512_srli_epi64(h, 32), e), 32);
    const __m512i nx = _mm512_add_epi64(_mm512_add_epi64(lo, hi), _mm512_srli_epi64(e, 48));
    // Refill: a lane whose state fell below 2^31 becomes its low half over its word
    // (one dword permute of the state and the gathered words) and moves on.
    const __mmask8 m = _mm512_cmple_epu64_mask(nx, c.below_low);
    l.x = _mm512_mask_mov_epi64(nx, m, _mm512_permutex2var_epi32(w, c.refill_idx, nx));
    l.q = _mm512_mask_add_epi64(l.q, m, l.q, c.one);
}

inline RansVecLanes rans_load_lanes(const RansLaneState& s) {
    return {_mm512_loadu_si512(s.x), _mm512_loadu_si512(s.q), s.words, s.out};
}

inline void rans_store_lanes(const RansVecLanes& l, RansLaneState& s) {
    _mm512_storeu_si512(s.x, l.x);
    _mm512_storeu_si512(s.q, l.q);
    s.out = l.out;
}

// G payloads side by side. Named locals, not an array: GCC kept an array of states in
// registers but also stored every element back to the stack on every row.
template <int G, int W, bool K16>
void rans_rows(const std::uint64_t* table, int k, RansLaneState* lanes, std::size_t steps) {
    const RansRowConstants c{
        _mm512_set1_epi64(static_cast<long long>((std::uint64_t{1} << k) - 1)),
        _mm512_set1_epi64(static_cast<long long>((std::uint64_t{1} << 31) - 1)), _mm512_set1_epi64(1),
        _mm512_setr_epi32(1, 16, 3, 18, 5, 20, 7, 22, 9, 24, 11, 26, 13, 28, 15, 30), _mm_cvtsi32_si128(k)};
    RansVecLanes l0 = rans_load_lanes(lanes[0]), l1{}, l2{}, l3{}, l4{}, l5{}, l6{}, l7{};
    if constexpr (G > 1) l1 = rans_load_lanes(lanes[1]);
    if constexpr (G > 2) l2 = rans_load_lanes(lanes[2]);
    if constexpr (G > 3) l3 = rans_load_lanes(lanes[3]);
    if constexpr (G > 4) l4 = rans_load_lanes(lanes[4]);
    if constexpr (G > 5) l5 = rans_load_lanes(lanes[5]);
    if constexpr (G > 6) l6 = rans_load_lanes(lanes[6]);
    if constexpr (G > 7) l7 = rans_load_lanes(lanes[7]);
    for (std::size_t s = 0; s < steps; ++s) {
        rans_row<W, K16>(l0, table, c);
        if constexpr (G > 1) rans_row<W, K16>(l1, table, c);
        if constexpr (G > 2) rans_row<W, K16>(l2, table, c);
        if constexpr (G > 3) rans_row<W, K16>(l3, table, c);
        if constexpr (G > 4) rans_row<W, K16>(l4, table, c);
        if constexpr (G > 5) rans_row<W, K16>(l5, table, c);
        if constexpr (G > 6) rans_row<W, K16>(l6, table, c);
        if constexpr (G > 7) rans_row<W, K16>(l7, table, c);
    }
    rans_store_lanes(l0, lanes[0]);
    if constexpr (G > 1) rans_store_lanes(l1, lanes[1]);
    if constexpr (G > 2) rans_store_lanes(l2, lanes[2]);
    if constexpr (G > 3) rans_store_lanes(l3, lanes[3]);
    if constexpr (G > 4) rans_store_lanes(l4, lanes[4]);
    if constexpr (G > 5) rans_store_lanes(l5, lanes[5]);
    if constexpr (G > 6) rans_store_lanes(l6, lanes[6]);
    if constexpr (G > 7) rans_store_lanes(l7, lanes[7]);
}

template <int W, bool K16>
void rans_rows_for(const std::uint64_t* table, int k, RansLaneState* lanes, int count, std::size_t steps) {
    switch (count) {
        case 1: return rans_rows<1, W, K16>(table, k, lanes, steps);
        case 2: return rans_rows<2, W, K16>(table, k, lanes, steps);
        case 3: return rans_rows<3, W, K16>(table, k, lanes, steps);
        case 4: return rans_rows<4, W, K16>(table, k, lanes, steps);
        case 5: return rans_rows<5, W, K16>(table, k, lanes, steps);
        case 6: return rans_rows<6, W, K16>(table, k, lanes, steps);
        case 7: return rans_rows<7, W, K16>(table, k, lanes, steps);
        default: return rans_rows<8, W, K16>(table, k, lanes, steps);
    }
}

void rans_decode_rows(const std::uint64_t* table, int k, int sym_bytes, RansLaneState* lanes, int count,
                      std::size_t steps) {
    if (sym_bytes == 1) (k == 16 ? rans_rows_for<1, true> : rans_rows_for<1, false>)(table, k, lanes, count, steps);
    else (k == 16 ? rans_rows_for<2, true> : rans_rows_for<2, false>)(table, k, lanes, count, steps);
}

constexpr RansDecodeRowsFn kRansDecodeRows = &rans_decode_rows;

#else
constexpr RansDecodeRowsFn kRansDecodeRows = nullptr;
#endif

}  // namespace
}  // namespace infokit::simd::INFOKIT_ISA_NS
