// scikit-learn's preparation of continuous features for its mutual-information scores, in
// one pass per statistic and without NumPy's temporaries. Internal to the core.
#pragma once
#include <cstddef>

#include "infokit/legacy_normal.hpp"

namespace infokit::detail {

// x: (n, m) row-major, n >= 1. Each column is divided by its standard deviation (1 where that
// is below 10 eps), then 1e-10 max(1, mean |column|) times the stream's normals (drawn in
// x's row-major order) are added; column j goes to xt[j n .. j n + n). The sums run over the
// rows in order, as NumPy's reductions along axis 0 of a C-ordered array with two or more
// columns do, so every value equals that of np.std, np.mean and the in-place arithmetic.
// The result is the same at any thread count.
void scale_with_legacy_noise(const double* x, std::size_t n, std::size_t m, LegacyNormalState& st, double* xt,
                             int n_threads);

}  // namespace infokit::detail
