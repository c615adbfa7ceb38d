// NumPy's legacy normal stream (numpy.random.RandomState.standard_normal over MT19937), value
// for value: scikit-learn draws its feature-selection noise from it, and drawing it here
// saves NumPy's per-value overhead and the temporary array. Internal to the core.
#pragma once
#include <cstddef>
#include <cmath>
#include <cstdint>

namespace infokit::detail {

// RandomState's state as get_state() gives it: the MT19937 key, the position of the next word
// in it (624: regenerate first) and the normal cached by the polar method's previous pair.
struct LegacyNormalState {
    std::uint32_t key[624];
    std::size_t pos;
    bool has_gauss;
    double gauss;
};

// The stream's normals, drawn in blocks into out; the state advances as that many calls of
// NumPy's legacy_gauss would. The state is read at construction and written back by each
// draw. Throws std::invalid_argument where pos > 624.
class LegacyNormals {
public:
    explicit LegacyNormals(LegacyNormalState& st);
    // The next n normals.
    void draw(std::size_t n, double* out);
    // The polar method's next n accepted points (x1, x2) into xy (2 n values), the sequential
    // part of drawing 2 n normals: normal_pair() turns each into its two normals, in any order
    // and on any thread. The cached normal, if any, is left for the caller to take first.
    void accepted_points(std::size_t n, double* xy);

private:
    LegacyNormalState& st_;
    std::uint32_t tempered_[624];  // the key's words tempered at once: no dependences between them
};

// The two normals of an accepted point, in the stream's order: f x2, then f x1.
inline void normal_pair(double x1, double x2, double* out2) {
    const double r2 = x1 * x1 + x2 * x2;
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    out2[0] = f * x2;
    out2[1] = f * x1;
}

}  // namespace infokit::detail
