// The baseline instantiation of every per-ISA kernel. Compiled with this ISA's flags only
// (CMakeLists.txt); everything it defines lives in infokit::simd::baseline with internal linkage,
// except the one accessor below.
#define INFOKIT_ISA_NS baseline
#define INFOKIT_ISA_NAME "baseline"
#define INFOKIT_ISA_BMI2 false
#include "infokit/simd/ops_baseline.hpp"
#include "infokit/softmax_kernels.hpp"  // before measures_kernels.hpp, whose table uses it
#include "infokit/histogram_kernels.hpp"  // likewise
#include "infokit/rans_kernels.hpp"  // likewise
#include "infokit/measures_kernels.hpp"

namespace infokit::simd {
const KernelTable& table_baseline() { return baseline::kTable; }
}  // namespace infokit::simd
