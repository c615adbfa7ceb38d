#include "infokit/bandwidth.hpp"

#include <algorithm>
#include <vector>

#include "infokit/parallel.hpp"

namespace infokit {

template <class T>
double plain_sum(const T* x, std::size_t n, int n_threads) {
    // Fixed chunks, as in every kernel; eight independent partial sums per chunk keep the
    // adder far ahead of memory, so the time measured is the time to stream the bytes.
    constexpr std::size_t chunk = std::size_t{1} << 16;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    std::vector<double> partial(chunks);
    parallel_for(chunks, resolve_threads(n_threads), [&](std::size_t c) {
        const T* p = x + c * chunk;
        const std::size_t len = std::min(chunk, n - c * chunk);
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        std::size_t i = 0;
        for (; i + 8 <= len; i += 8) {
            for (int k = 0; k < 8; ++k) acc[k] += static_cast<double>(p[i + k]);
        }
        for (; i < len; ++i) acc[0] += static_cast<double>(p[i]);
        partial[c] = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    });
    double total = 0.0;
    for (double v : partial) total += v;
    return total;
}

template double plain_sum<double>(const double*, std::size_t, int);
template double plain_sum<float>(const float*, std::size_t, int);

}  // namespace infokit
