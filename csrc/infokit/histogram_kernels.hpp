// The per-ISA part of the histogram binning (histogram.cpp drives it): bin positions of a
// block of samples, written branch-free so the compiler vectorises it with this ISA's flags.
// Included once per ISA by simd/target_<isa>.cpp, before measures_kernels.hpp (whose table
// points at it).
#pragma once
#include <cstddef>
#include <cstdint>

#include "infokit/simd/kernels.hpp"

namespace infokit::simd::INFOKIT_ISA_NS {
namespace {

// Why no edge lookups: the exact correction against the edges (k -= v < e[k] ...) needs a
// gather, which GCC will not vectorise under generic tuning; instead a position f whose
// fraction is farther than p->margin from an integer is provably in bin floor(f) (f(v) is
// monotone in v, and |f(e[k]) - k| <= margin), and the rare rest is marked kBinCheck for the
// caller's exact scalar rule. Same operations as histogram.cpp's margin computation
// (-ffp-contract=off keeps them unfused).
template <bool First>
void bin_block_impl(const double* __restrict v, std::size_t n, const BinAxisParams* p,
                    std::uint32_t* __restrict idx) {
    const double lo = p->lo, hi = p->hi, inv = p->inv, top = p->nb_d, m = p->margin, um = 1.0 - m;
    const std::uint32_t nb = p->nb;
    for (std::size_t j = 0; j < n; ++j) {
        const double x = v[j];
        const bool ok = (x >= lo) & (x <= hi);  // false for NaN
        double f = (x - lo) * inv;
        f = f >= 0.0 ? f : 0.0;  // also NaN; a clamped position has fraction 0: checked
        f = f < top ? f : top;
        const std::int32_t k = static_cast<std::int32_t>(f);
        const double fr = f - static_cast<double>(k);  // exact (Sterbenz)
        const bool safe = (fr > m) & (fr < um);
        const std::uint32_t prev = First ? 0u : idx[j];
        std::uint32_t c = prev * nb + static_cast<std::uint32_t>(k);
        c = (prev == kBinCheck) | !safe ? kBinCheck : c;
        c = (prev == kBinOut) | !ok ? kBinOut : c;
        idx[j] = c;
    }
}

void bin_block(const double* v, std::size_t n, const BinAxisParams* p, std::uint32_t* idx, bool first) {
    if (first) bin_block_impl<true>(v, n, p, idx);
    else bin_block_impl<false>(v, n, p, idx);
}

// Two axes in one pass (the common joint histogram of mutual_info_hist): no round trip of
// the indices through memory between the axes, and no multiply by a loaded prefix.
void bin_block2(const double* __restrict v0, const double* __restrict v1, std::size_t n,
                const BinAxisParams* p, std::uint32_t* __restrict idx) {
    const double lo0 = p[0].lo, hi0 = p[0].hi, inv0 = p[0].inv, top0 = p[0].nb_d, m0 = p[0].margin;
    const double lo1 = p[1].lo, hi1 = p[1].hi, inv1 = p[1].inv, top1 = p[1].nb_d, m1 = p[1].margin;
    const double um0 = 1.0 - m0, um1 = 1.0 - m1;
    const std::uint32_t nb1 = p[1].nb;
    for (std::size_t j = 0; j < n; ++j) {
        const double x = v0[j], y = v1[j];
        const bool ok = (x >= lo0) & (x <= hi0) & (y >= lo1) & (y <= hi1);
        double f = (x - lo0) * inv0;
        f = f >= 0.0 ? f : 0.0;
        f = f < top0 ? f : top0;
        double g = (y - lo1) * inv1;
        g = g >= 0.0 ? g : 0.0;
        g = g < top1 ? g : top1;
        const std::int32_t k = static_cast<std::int32_t>(f), l = static_cast<std::int32_t>(g);
        const double fr = f - static_cast<double>(k), gr = g - static_cast<double>(l);
        const bool safe = (fr > m0) & (fr < um0) & (gr > m1) & (gr < um1);
        std::uint32_t c = static_cast<std::uint32_t>(k) * nb1 + static_cast<std::uint32_t>(l);
        c = safe ? c : kBinCheck;
        c = ok ? c : kBinOut;
        idx[j] = c;
    }
}

#if defined(__AVX2__)
constexpr BinBlocks kBinBlocksF64 = {&bin_block, &bin_block2};
#else
// With SSE2's two lanes (and no vector double -> int32 GCC would use here) this measured no
// faster than the scalar loop, which binds exactly with no second pass.
constexpr BinBlocks kBinBlocksF64 = {nullptr, nullptr};
#endif

}  // namespace
}  // namespace infokit::simd::INFOKIT_ISA_NS
