#include "infokit/feature_noise.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "infokit/parallel.hpp"
#include "infokit/scratch.hpp"

namespace infokit::detail {

namespace {

// Column sums of f(row i, column j) over the rows in order, from row 0's value.
template <class F>
std::vector<double> column_sums(std::size_t n, std::size_t m, F f) {
    std::vector<double> s(m);
    for (std::size_t j = 0; j < m; ++j) s[j] = f(0, j);
    for (std::size_t i = 1; i < n; ++i)
        for (std::size_t j = 0; j < m; ++j) s[j] += f(i, j);
    return s;
}

// The columns' scales (np.std, 1 below 10 eps) and noise factors (1e-10 max(1, mean |x / s|)).
void column_statistics(const double* x, std::size_t n, std::size_t m, std::vector<double>& scale,
                       std::vector<double>& factor) {
    const double dn = static_cast<double>(n);
    std::vector<double> mean = column_sums(n, m, [&](std::size_t i, std::size_t j) { return x[i * m + j]; });
    for (double& v : mean) v /= dn;
    scale = column_sums(n, m, [&](std::size_t i, std::size_t j) {
        const double d = x[i * m + j] - mean[j];
        return d * d;
    });
    const double tiny = 10 * std::numeric_limits<double>::epsilon();
    for (double& v : scale) {
        v = std::sqrt(v / dn);
        if (v < tiny) v = 1.0;  // scikit-learn's guard for near-constant columns
    }
    factor = column_sums(n, m, [&](std::size_t i, std::size_t j) { return std::fabs(x[i * m + j] / scale[j]); });
    for (double& v : factor) v = 1e-10 * std::max(1.0, v / dn);
}

// Rows finished at a time: their normals (a few tens of KB) stay in the cache until added.
constexpr std::size_t kRowsPerBlock = 512;

}  // namespace

void scale_with_legacy_noise(const double* x, std::size_t n, std::size_t m, LegacyNormalState& st, double* xt,
                             int n_threads) {
    if (n == 0 || m == 0) return;
    const std::size_t total = n * m;
    // Normal v of the stream (v < total, in x's row-major order) is the cached one for v < head,
    // else normal (v - head) % 2 of accepted point (v - head) / 2.
    const std::size_t head = st.has_gauss ? 1 : 0;
    const double cached = st.gauss;
    const std::size_t n_points = (total - head + 1) / 2;
    LegacyNormals normals(st);  // checks the state before anything runs
    ScratchVector<double> xy(2 * n_points);
    std::vector<double> scale, factor;
    // The stream's sequential part on one thread while the statistics run on another.
    const int threads = total < kMinParallelWork ? 1 : resolve_threads(n_threads);
    parallel_for(2, threads, [&](std::size_t part) {
        if (part == 0) {
            normals.accepted_points(n_points, xy.data());
        } else {
            column_statistics(x, n, m, scale, factor);
        }
    });
    st.has_gauss = false;
    st.gauss = 0.0;
    if ((total - head) % 2 == 1) {  // the last point's second normal stays cached, as in legacy_gauss
        double two[2];
        normal_pair(xy[2 * n_points - 2], xy[2 * n_points - 1], two);
        st.has_gauss = true;
        st.gauss = two[1];
    }
    const std::size_t n_blocks = (n + kRowsPerBlock - 1) / kRowsPerBlock;
    parallel_for(n_blocks, threads, [&](std::size_t b) {
        const std::size_t i0 = b * kRowsPerBlock, rows = std::min(kRowsPerBlock, n - i0);
        const std::size_t v0 = i0 * m, v1 = v0 + rows * m;
        std::vector<double> noise(rows * m + 2);  // from normal v0 - (v0 - head) % 2 on
        double* z = noise.data();
        std::size_t v = v0;
        if (v < head) {
            *z++ = cached;
            ++v;
        } else if ((v - head) % 2 == 1) {
            --v;  // the block starts on a point's second normal: both are computed, the first skipped
        }
        const std::size_t start = v;
        for (; v < v1; v += 2, z += 2) {
            const std::size_t p = (v - head) / 2;
            normal_pair(xy[2 * p], xy[2 * p + 1], z);
        }
        const double* nz = noise.data() + (v0 < head ? 0 : v0 - start);
        for (std::size_t j = 0; j < m; ++j) {
            double* out = xt + j * n + i0;
            for (std::size_t r = 0; r < rows; ++r) out[r] = x[(i0 + r) * m + j] / scale[j] + nz[r * m + j] * factor[j];
        }
    });
}

}  // namespace infokit::detail
