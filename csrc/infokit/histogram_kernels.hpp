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

#if defined(__AVX2__)
constexpr BinBlockFn kBinBlockF64 = &bin_block;
#else
// With SSE2's two lanes (and no vector double -> int32 GCC would use here) this measured no
// faster than the scalar loop, which binds exactly with no second pass.
constexpr BinBlockFn kBinBlockF64 = nullptr;
#endif

}  // namespace
}  // namespace infokit::simd::INFOKIT_ISA_NS
