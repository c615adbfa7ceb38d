// The avx512 instantiation of every per-ISA kernel. Compiled with this ISA's flags only
// (CMakeLists.txt); everything it defines lives in infokit::simd::avx512 with internal linkage,
// except the one accessor below.
#define INFOKIT_ISA_NS avx512
#define INFOKIT_ISA_NAME "avx512"
#define INFOKIT_ISA_BMI2 true
#include "infokit/simd/ops_avx512.hpp"
#include "infokit/softmax_kernels.hpp"  // before measures_kernels.hpp, whose table uses it
#include "infokit/histogram_kernels.hpp"  // likewise
#include "infokit/rans_kernels.hpp"  // likewise
#include "infokit/measures_kernels.hpp"

namespace infokit::simd {
const KernelTable& table_avx512() { return avx512::kTable; }
}  // namespace infokit::simd
