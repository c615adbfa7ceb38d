// Runs the AVX-512 kernels through SIMDe's portable implementation of the intrinsics and holds
// them to the baseline kernels and to long-double log/exp, so the AVX-512 path is checked on
// machines without AVX-512 (tools/check_avx512_emulated.sh builds and runs this).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <random>
#include <vector>

#include "infokit/simd/kernels.hpp"

using infokit::simd::KernelTable;
using infokit::simd::Partial;

namespace {
int failures = 0;

void expect(bool ok, const char* what, double value) {
    if (!ok) { ++failures; std::printf("FAIL %s: %.17g\n", what, value); }
}

template <class T>
double ulp_error(T y, long double ref) {
    if (std::isnan(ref)) return std::isnan(y) ? 0.0 : 1e9;
    if (std::isinf(static_cast<T>(ref))) return y == static_cast<T>(ref) ? 0.0 : 1e9;  // overflows T
    int e;
    std::frexp(static_cast<double>(ref), &e);
    const int mant = sizeof(T) == 8 ? 52 : 23;
    const int min_e = sizeof(T) == 8 ? -1074 : -149;
    const long double ulp = std::ldexp(1.0L, std::max(e - 1 - mant, min_e));
    return static_cast<double>(std::fabs(static_cast<long double>(y) - ref) / ulp);
}

template <class T>
void check_maps(const KernelTable& k, std::mt19937_64& rng) {
    std::vector<T> x;
    std::uniform_real_distribution<double> u01(0, 1);
    for (int i = 0; i < 400000; ++i) x.push_back(static_cast<T>(std::exp2(u01(rng) * (sizeof(T) == 8 ? 2090 : 270) - (sizeof(T) == 8 ? 1070 : 145))));
    for (T v : {T(0), T(-0.0), T(-1), T(1), T(INFINITY), T(-INFINITY), T(NAN)}) x.push_back(v);
    std::vector<T> y(x.size());
    if constexpr (sizeof(T) == 8) k.log_f64(x.data(), y.data(), x.size()); else k.log_f32(x.data(), y.data(), x.size());
    double worst = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const long double ref = x[i] < 0 ? NAN : std::log(static_cast<long double>(x[i]));
        worst = std::max(worst, ulp_error(y[i], ref));
    }
    std::printf("log  %s max ulp %.3f\n", sizeof(T) == 8 ? "f64" : "f32", worst);
    expect(worst <= 1.0, "log ulp", worst);
    std::vector<T> e;
    const double lo = sizeof(T) == 8 ? -745.2 : -104, hi = sizeof(T) == 8 ? 709.7 : 88.7;
    for (int i = 0; i < 400000; ++i) e.push_back(static_cast<T>(lo + (hi - lo) * u01(rng)));
    for (T v : {T(0), T(INFINITY), T(-INFINITY), T(NAN), T(800), T(-800)}) e.push_back(v);
    y.resize(e.size());
    if constexpr (sizeof(T) == 8) k.exp_f64(e.data(), y.data(), e.size()); else k.exp_f32(e.data(), y.data(), e.size());
    worst = 0;
    for (size_t i = 0; i < e.size(); ++i) worst = std::max(worst, ulp_error(y[i], std::exp(static_cast<long double>(e[i]))));
    std::printf("exp  %s max ulp %.3f\n", sizeof(T) == 8 ? "f64" : "f32", worst);
    expect(worst <= 1.0, "exp ulp", worst);
}

template <class T>
void check_reductions(const KernelTable& k, const KernelTable& base, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u01(0, 1);
    const double tol = sizeof(T) == 8 ? 1e-12 : 2e-6;
    for (size_t n : {0, 1, 7, 16, 33, 1000, 4099}) {
        std::vector<T> a(n * 3), b(n * 3);
        for (auto& v : a) v = static_cast<T>(u01(rng) < 0.1 ? 0.0 : u01(rng));
        for (auto& v : b) v = static_cast<T>(0.01 + u01(rng));
        for (int which = 0; which < 5; ++which) {
            const double params[2] = {which == 4 ? 2.5 : 1.0 / (n + 1.0), which == 4 ? 1.0 : 1.0 / (n + 2.0)};
            for (std::ptrdiff_t stride : {1, 3}) {
                Partial p1{}, p2{};
                if constexpr (sizeof(T) == 8) {
                    k.reduce_f64[which](a.data(), stride, b.data(), stride, n, params, &p1);
                    base.reduce_f64[which](a.data(), stride, b.data(), stride, n, params, &p2);
                } else {
                    k.reduce_f32[which](a.data(), stride, b.data(), stride, n, params, &p1);
                    base.reduce_f32[which](a.data(), stride, b.data(), stride, n, params, &p2);
                }
                for (int s = 0; s < 3; ++s) {
                    const double v1 = p1.hi[s] + p1.lo[s], v2 = p2.hi[s] + p2.lo[s];
                    const double err = std::fabs(v1 - v2) / std::max(1.0, std::fabs(v2));
                    if (which == 3 && s > 0) continue;
                    if ((which == 0 || which == 4) && s > 1) continue;
                    expect(err <= tol, "reduction vs baseline", err);
                }
                expect(p1.bad == p2.bad, "bad flag", p1.bad);
            }
            // Columns: 3 adjacent outputs, reduction stride 3.
            std::vector<Partial> c1(3), c2(3);
            if (which == 3 || which == 4) continue;
            if constexpr (sizeof(T) == 8) {
                k.reduce_cols_f64[which](a.data(), 3, 1, b.data(), 3, 1, n, 3, nullptr, c1.data());
                base.reduce_cols_f64[which](a.data(), 3, 1, b.data(), 3, 1, n, 3, nullptr, c2.data());
            } else {
                k.reduce_cols_f32[which](a.data(), 3, 1, b.data(), 3, 1, n, 3, nullptr, c1.data());
                base.reduce_cols_f32[which](a.data(), 3, 1, b.data(), 3, 1, n, 3, nullptr, c2.data());
            }
            for (int c = 0; c < 3; ++c) {
                const double v1 = c1[c].hi[0] + c1[c].lo[0], v2 = c2[c].hi[0] + c2[c].lo[0];
                expect(std::fabs(v1 - v2) <= tol * std::max(1.0, std::fabs(v2)), "column reduction", v1 - v2);
            }
        }
        for (int which = 0; which < 3; ++which) {
            std::vector<T> o1(n), o2(n);
            if constexpr (sizeof(T) == 8) {
                k.elementwise_f64[which](a.data(), 1, b.data(), 1, o1.data(), n);
                base.elementwise_f64[which](a.data(), 1, b.data(), 1, o2.data(), n);
            } else {
                k.elementwise_f32[which](a.data(), 1, b.data(), 1, o1.data(), n);
                base.elementwise_f32[which](a.data(), 1, b.data(), 1, o2.data(), n);
            }
            for (size_t i = 0; i < n; ++i) {
                expect(std::fabs(o1[i] - o2[i]) <= tol * std::max(1.0, std::fabs(static_cast<double>(o2[i]))),
                       "elementwise", o1[i] - o2[i]);
            }
        }
    }
    // One special entry in the vector part of a long input: the fast loops flag its chunk for
    // the exact path where the baseline does (negative input, -0, q = 0 or subnormal against
    // p > 0), and agree with it elsewhere (p = q = 0).
    const double specials[][2] = {{-1.0, 0.5}, {-0.0, 0.5}, {0.5, 0.0}, {0.5, 1e-310}, {0.5, -1.0}, {0.0, 0.0}};
    for (const auto& sp : specials) {
        for (int which = 0; which < 3; ++which) {
            const size_t n = 1000;
            std::vector<T> a(n), b(n);
            for (size_t i = 0; i < n; ++i) a[i] = static_cast<T>(0.01 + u01(rng)), b[i] = static_cast<T>(0.01 + u01(rng));
            a[517] = static_cast<T>(sp[0]);
            b[517] = static_cast<T>(sp[1]);
            const double params[2] = {1.0, 1.0};
            Partial p1{}, p2{};
            if constexpr (sizeof(T) == 8) {
                k.reduce_f64[which](a.data(), 1, b.data(), 1, n, params, &p1);
                base.reduce_f64[which](a.data(), 1, b.data(), 1, n, params, &p2);
            } else {
                k.reduce_f32[which](a.data(), 1, b.data(), 1, n, params, &p1);
                base.reduce_f32[which](a.data(), 1, b.data(), 1, n, params, &p2);
            }
            expect(p1.bad == p2.bad, "special entry's chunk flag", which);
            if (!p2.bad) {
                const double v1 = p1.hi[0] + p1.lo[0], v2 = p2.hi[0] + p2.lo[0];
                expect(std::fabs(v1 - v2) <= tol * std::max(1.0, std::fabs(v2)), "special entry's sum", v1 - v2);
            }
        }
    }
}
// The softmax kernels against the baseline ones: statistics (rows and columns, with the
// linear and entropy terms), the second pass, and BCE with logits, on data with -inf masks,
// an all -inf row, NaN and +inf.
template <class T>
void check_softmax(const KernelTable& k, const KernelTable& base, std::mt19937_64& rng) {
    using infokit::simd::SoftmaxMode;
    using infokit::simd::SoftmaxStats;
    using infokit::simd::SoftmaxWrite;
    const bool f64 = sizeof(T) == 8;
    const auto& ks = k.softmax;
    const auto& bs = base.softmax;
    auto stats_rows = [&](const infokit::simd::SoftmaxKernels& s) { if constexpr (sizeof(T) == 8) return s.stats_rows_f64; else return s.stats_rows_f32; };
    auto stats_cols = [&](const infokit::simd::SoftmaxKernels& s) { if constexpr (sizeof(T) == 8) return s.stats_cols_f64; else return s.stats_cols_f32; };
    auto write_rows = [&](const infokit::simd::SoftmaxKernels& s) { if constexpr (sizeof(T) == 8) return s.write_rows_f64; else return s.write_rows_f32; };
    auto write_cols = [&](const infokit::simd::SoftmaxKernels& s) { if constexpr (sizeof(T) == 8) return s.write_cols_f64; else return s.write_cols_f32; };
    auto bce = [&](const infokit::simd::SoftmaxKernels& s) { if constexpr (sizeof(T) == 8) return s.bce_f64; else return s.bce_f32; };
    const double tol = f64 ? 1e-13 : 2e-6;
    auto close = [&](double a, double b) {
        if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
        if (std::isinf(a) || std::isinf(b)) return a == b;
        return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b));
    };
    std::normal_distribution<double> gauss(0, 4);
    std::uniform_real_distribution<double> u01(0, 1);
    for (size_t n : {1, 5, 16, 17, 64, 333, 1000}) {
        std::vector<T> x(n * 3), t(n * 3), w(n), y1(n * 3), y2(n * 3);
        for (auto& v : x) v = static_cast<T>(u01(rng) < 0.05 ? -INFINITY : gauss(rng) * (u01(rng) < 0.1 ? 100 : 1));
        for (auto& v : t) v = static_cast<T>(u01(rng));
        for (auto& v : w) v = static_cast<T>(0.5 + u01(rng));
        for (int variant = 0; variant < 4; ++variant) {
            std::vector<T> xv = x;
            if (variant == 1) for (size_t i = 0; i < n; ++i) xv[i] = -INFINITY;
            if (variant == 2) xv[n / 2] = NAN;
            if (variant == 3) xv[n / 3] = INFINITY;
            for (unsigned flags = 0; flags < 4; ++flags) {
                SoftmaxStats a{}, b{};
                stats_rows(ks)(xv.data(), 1, n, 1, t.data(), w.data(), 0.7, 0.1, flags, &a);
                stats_rows(bs)(xv.data(), 1, n, 1, t.data(), w.data(), 0.7, 0.1, flags, &b);
                const double la = a.max + std::log(a.sum), lb = b.max + std::log(b.sum);
                expect(close(la, lb), "softmax lse rows", la - lb);
                if (variant == 0) {
                    expect(close(a.lin, b.lin) && close(a.asum, b.asum), "softmax lin rows", a.lin - b.lin);
                    expect(close(a.ent / a.sum, b.ent / b.sum), "softmax entropy rows", a.ent / a.sum - b.ent / b.sum);
                }
                // Columns: n classes 3 apart, 3 adjacent rows.
                SoftmaxStats ca[3], cb[3];
                stats_cols(ks)(xv.data(), 3, n, 3, t.data(), w.data(), 0.7, 0.1, flags, ca);
                stats_cols(bs)(xv.data(), 3, n, 3, t.data(), w.data(), 0.7, 0.1, flags, cb);
                for (int c = 0; c < 3; ++c) {
                    const double l1 = ca[c].max + std::log(ca[c].sum), l2 = cb[c].max + std::log(cb[c].sum);
                    expect(close(l1, l2), "softmax lse cols", l1 - l2);
                }
            }
            if (variant != 0) continue;
            for (int mode = 0; mode < 2; ++mode) {
                SoftmaxStats s{};
                stats_rows(bs)(xv.data(), 1, n, 1, nullptr, nullptr, 0, 0, 0, &s);
                const SoftmaxWrite p{s.max, mode ? std::log(s.sum) : 0.5 / s.sum, 0.3, 0.02};
                write_rows(ks)(xv.data(), 1, n, 1, t.data(), w.data(), static_cast<SoftmaxMode>(mode), &p, y1.data());
                write_rows(bs)(xv.data(), 1, n, 1, t.data(), w.data(), static_cast<SoftmaxMode>(mode), &p, y2.data());
                for (size_t i = 0; i < n; ++i) expect(close(y1[i], y2[i]), "softmax write rows", y1[i] - y2[i]);
                const SoftmaxWrite pc[3] = {p, p, p};
                write_cols(ks)(xv.data(), 3, n, 3, t.data(), w.data(), static_cast<SoftmaxMode>(mode), pc, y1.data());
                write_cols(bs)(xv.data(), 3, n, 3, t.data(), w.data(), static_cast<SoftmaxMode>(mode), pc, y2.data());
                for (size_t i = 0; i < 3 * n; ++i) expect(close(y1[i], y2[i]), "softmax write cols", y1[i] - y2[i]);
            }
            std::vector<T> l1(n), l2(n), g1(n), g2(n), xb(n);
            for (size_t i = 0; i < n; ++i) xb[i] = static_cast<T>(gauss(rng) * 10);
            double s1 = 0, s2 = 0;
            bce(ks)(xb.data(), t.data(), w.data(), w.data(), n, 0.5, l1.data(), g1.data(), &s1);
            bce(bs)(xb.data(), t.data(), w.data(), w.data(), n, 0.5, l2.data(), g2.data(), &s2);
            expect(close(s1, s2), "bce sum", s1 - s2);
            // (1 - t) x + lw softplus(-x) cancels: float32 rounding is relative to |x|.
            for (size_t i = 0; i < n; ++i) {
                const double scale = std::max(1.0, std::fabs(static_cast<double>(xb[i])));
                expect(std::fabs(l1[i] - l2[i]) <= tol * scale && close(g1[i], g2[i]), "bce", l1[i] - l2[i]);
            }
        }
    }
    // The exponential of the second pass (y = exp(x - 0)), in ULP against long double.
    std::vector<T> e(200000), ey(e.size());
    for (auto& v : e) v = static_cast<T>(-(f64 ? 708.0 : 87.3) * u01(rng));
    const SoftmaxWrite one{0.0, 1.0, 0.0, 0.0};
    for (const auto* table : {&ks, &bs}) {
        write_rows(*table)(e.data(), 1, e.size(), 1, nullptr, nullptr, SoftmaxMode::exp, &one, ey.data());
        double worst = 0;
        for (size_t i = 0; i < e.size(); ++i) worst = std::max(worst, ulp_error(ey[i], std::exp(static_cast<long double>(e[i]))));
        std::printf("softmax exp %s (%s) max ulp %.3f\n", f64 ? "f64" : "f32", table == &ks ? "avx512" : "baseline", worst);
        expect(worst <= (f64 ? 1.0 : 2.0), "softmax exp ulp", worst);
    }
    std::printf("softmax %s checked against baseline\n", f64 ? "f64" : "f32");
}
}  // namespace

// The rANS side-by-side kernel against the same row step taken lane by lane: random slot
// tables (2^k slots split among the symbols at random cut points), random states and words.
void check_rans_rows(const KernelTable& k, std::mt19937_64& rng) {
    using infokit::simd::RansLaneState;
    if (k.rans_decode_rows == nullptr) {
        expect(false, "rANS kernel present", 0);
        return;
    }
    constexpr std::size_t kSteps = 40, kWords = 23 + 200;
    int mismatches = 0;
    for (int bits : {12, 16}) {
        for (int width : {1, 2}) {
            const std::uint32_t slots = 1u << bits, alphabet = width == 1 ? 256 : 1000;
            std::vector<std::uint32_t> cuts{0, slots};
            for (std::uint32_t s = 1; s < alphabet; ++s) cuts.push_back(static_cast<std::uint32_t>(rng() % slots));
            std::sort(cuts.begin(), cuts.end());
            std::vector<std::uint64_t> table(slots);
            std::uint32_t sym = 0;
            for (std::uint32_t c = 0; c + 1 < cuts.size(); ++c) {
                const std::uint32_t f = cuts[c + 1] - cuts[c];
                if (f == 0) continue;
                for (std::uint32_t j = 0; j < f; ++j)
                    table[cuts[c] + j] = f | std::uint64_t{sym} << 32 | std::uint64_t{j} << 48;
                ++sym;
            }
            for (int count = 1; count <= 8; ++count) {
                std::vector<std::vector<std::uint8_t>> words(count, std::vector<std::uint8_t>(4 * kWords));
                std::vector<std::vector<std::uint8_t>> out(count, std::vector<std::uint8_t>(8 * width * kSteps));
                std::vector<RansLaneState> lanes(count), ref(count);
                for (int g = 0; g < count; ++g) {
                    for (auto& b : words[g]) b = static_cast<std::uint8_t>(rng());
                    lanes[g].words = words[g].data();
                    lanes[g].out = out[g].data();
                    for (int j = 0; j < 8; ++j) {
                        lanes[g].x[j] = (std::uint64_t{1} << 31) + rng() % ((std::uint64_t{1} << 63) - (std::uint64_t{1} << 31));
                        lanes[g].q[j] = 23 + rng() % (kWords - 23 - kSteps);
                    }
                    ref[g] = lanes[g];
                }
                k.rans_decode_rows(table.data(), bits, width, lanes.data(), count, kSteps);
                for (int g = 0; g < count; ++g) {
                    for (std::size_t s = 0; s < kSteps; ++s) {
                        for (int j = 0; j < 8; ++j) {
                            std::uint64_t& x = ref[g].x[j];
                            const std::uint64_t e = table[x & (slots - 1)];
                            const std::uint32_t got = width == 1 ? out[g][8 * s + j]
                                                                 : out[g][2 * (8 * s + j)] | out[g][2 * (8 * s + j) + 1] << 8;
                            mismatches += got != ((e >> 32) & 0xffff);
                            x = (e & 0xffffffffu) * (x >> bits) + (e >> 48);
                            if (x < (std::uint64_t{1} << 31)) {
                                std::uint32_t w;
                                std::memcpy(&w, words[g].data() + 4 * ref[g].q[j]++, 4);
                                x = x << 32 | w;
                            }
                        }
                    }
                    for (int j = 0; j < 8; ++j)
                        mismatches += (ref[g].x[j] != lanes[g].x[j]) + (ref[g].q[j] != lanes[g].q[j]);
                    mismatches += lanes[g].out != out[g].data() + 8 * width * kSteps;
                }
            }
        }
    }
    std::printf("rANS rows: %d mismatches\n", mismatches);
    expect(mismatches == 0, "rANS rows vs lane-by-lane", mismatches);
}

int main() {
    const KernelTable& k = infokit::simd::table_avx512();
    const KernelTable& base = infokit::simd::table_baseline();
    std::mt19937_64 rng(7);
    check_maps<double>(k, rng);
    check_maps<float>(k, rng);
    check_reductions<double>(k, base, rng);
    check_reductions<float>(k, base, rng);
    check_softmax<double>(k, base, rng);
    check_softmax<float>(k, base, rng);
    check_rans_rows(k, rng);
    std::printf("%s (%d failures)\n", failures ? "FAILED" : "passed", failures);
    return failures ? 1 : 0;
}
