// CPU feature detection and the choice of SIMD path: chosen once, overridable with the
// INFOKIT_ISA environment variable (baseline|avx2|avx512) or, for tests, set_isa().
#pragma once
#include <string>
#include <vector>

#include "infokit/simd/kernels.hpp"

namespace infokit {

// The kernels of the path in use.
const simd::KernelTable& kernels();
// Kernels of a given path, or nullptr if this CPU or build cannot run it.
const simd::KernelTable* kernels_for(simd::Isa isa);

std::vector<std::string> supported_isas();  // best last
std::string current_isa();
// Switches the path in use; throws std::invalid_argument for a name this CPU cannot run.
void set_isa(const std::string& name);
// A message when INFOKIT_ISA asked for something unavailable (empty otherwise).
std::string isa_warning();

}  // namespace infokit
