// What the Huffman encoder and decoder sources share: the split of a block into four streams,
// the big-endian store, and the run-time choice of the BMI2 copy of their loops.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "infokit/huffman.hpp"

namespace infokit::coding::huffman_detail {

// Symbols [quarter_begin(n, k), quarter_begin(n, k + 1)) go to stream k: contiguous quarters
// (not symbol i to stream i % 4), so each stream's decoder writes its own run of the output and
// a table entry holding two symbols stores them side by side.
inline std::size_t quarter_begin(std::size_t n, int k) {
    const std::size_t q = (n + kHuffmanStreams - 1) / kHuffmanStreams;
    return std::min(n, q * static_cast<std::size_t>(k));
}

// The bit-buffer loops are chains of variable shifts; BMI2's shlx/shrx take the count from any
// register (legacy shifts need it in CL), which removes moves and spills. Same code, compiled
// twice, chosen at run time: no -march flag, and CPUs without BMI2 take the generic copy.
#if IK_HUFFMAN_BMI2
inline bool cpu_has_bmi2() {
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("bmi2") != 0;
    }();
    return has;
}
#endif

}  // namespace infokit::coding::huffman_detail
