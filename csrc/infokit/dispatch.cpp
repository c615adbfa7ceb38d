#include "infokit/dispatch.hpp"

#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace infokit {
namespace {

using simd::Isa;
using simd::KernelTable;

bool cpu_has(Isa isa) {
#if defined(INFOKIT_HAVE_X86_TARGETS)
    __builtin_cpu_init();
    switch (isa) {
        case Isa::baseline: return true;
        // BMI2 came with AVX2 (Haswell, Excavator); the rANS encoder's asm loop uses it.
        case Isa::avx2:
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
        case Isa::avx512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") &&
                   __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
    }
    return false;
#else
    return isa == Isa::baseline;
#endif
}

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::baseline: return "baseline";
        case Isa::avx2: return "avx2";
        case Isa::avx512: return "avx512";
    }
    return "?";
}

bool parse_isa(const std::string& name, Isa& out) {
    for (Isa isa : {Isa::baseline, Isa::avx2, Isa::avx512}) {
        if (name == isa_name(isa)) { out = isa; return true; }
    }
    return false;
}

Isa best_isa() {
    for (Isa isa : {Isa::avx512, Isa::avx2}) {
        if (cpu_has(isa)) return isa;
    }
    return Isa::baseline;
}

std::string g_warning;

Isa initial_isa() {
    const char* env = std::getenv("INFOKIT_ISA");
    if (env == nullptr || *env == '\0') return best_isa();
    Isa wanted;
    if (!parse_isa(env, wanted)) {
        g_warning = std::string("INFOKIT_ISA=") + env +
                    " is not one of baseline, avx2, avx512; using " + isa_name(best_isa());
        return best_isa();
    }
    if (!cpu_has(wanted)) {
        // Fall back to the best path below the one asked for.
        Isa fallback = Isa::baseline;
        for (Isa isa : {Isa::avx2, Isa::baseline}) {
            if (static_cast<int>(isa) < static_cast<int>(wanted) && cpu_has(isa)) { fallback = isa; break; }
        }
        g_warning = std::string("INFOKIT_ISA=") + env + " is not supported by this CPU or build; using " +
                    isa_name(fallback);
        return fallback;
    }
    return wanted;
}

std::atomic<const KernelTable*>& current() {
    static std::atomic<const KernelTable*> table{kernels_for(initial_isa())};
    return table;
}

}  // namespace

const KernelTable* kernels_for(Isa isa) {
    if (!cpu_has(isa)) return nullptr;
    switch (isa) {
        case Isa::baseline: return &simd::table_baseline();
#if defined(INFOKIT_HAVE_X86_TARGETS)
        case Isa::avx2: return &simd::table_avx2();
        case Isa::avx512: return &simd::table_avx512();
#else
        default: return nullptr;
#endif
    }
    return nullptr;
}

const KernelTable& kernels() { return *current().load(std::memory_order_relaxed); }

std::vector<std::string> supported_isas() {
    std::vector<std::string> out;
    for (Isa isa : {Isa::baseline, Isa::avx2, Isa::avx512}) {
        if (cpu_has(isa)) out.emplace_back(isa_name(isa));
    }
    return out;
}

std::string current_isa() { return kernels().name; }

void set_isa(const std::string& name) {
    Isa isa;
    if (!parse_isa(name, isa)) throw std::invalid_argument("isa must be one of baseline, avx2, avx512, got '" + name + "'");
    const KernelTable* table = kernels_for(isa);
    if (table == nullptr) throw std::invalid_argument("isa '" + name + "' is not supported by this CPU or build");
    current().store(table, std::memory_order_relaxed);
}

std::string isa_warning() {
    (void)current();
    return g_warning;
}

}  // namespace infokit
