// Binding of scikit-learn's feature scaling and noise (src/infokit/feature_selection.py):
// NumPy's RandomState hands its MT19937 state over and takes the advanced one back.
#include <cstdint>
#include <cstring>
#include <tuple>

#include "infokit/feature_noise.hpp"
#include "pybind.hpp"

namespace infokit::bindings {
namespace {

using F64 = py::array_t<double, py::array::c_style>;
using U32 = py::array_t<std::uint32_t, py::array::c_style>;

// x: (n, m) C-ordered; key: the 624 words of the state, updated in place. Returns xt (m, n)
// and the rest of the new state: (xt, pos, has_gauss, gauss).
std::tuple<F64, std::size_t, bool, double> scale_with_legacy_noise_py(const F64& x, U32& key, std::size_t pos,
                                                                       bool has_gauss, double gauss,
                                                                       int n_threads) {
    if (x.ndim() != 2) throw py::value_error("x must be 2-d (n_samples, n_features)");
    if (key.ndim() != 1 || key.shape(0) != 624) throw py::value_error("key must hold the 624 words of MT19937");
    if (pos > 624) throw py::value_error("pos must lie in 0..624");
    const auto n = static_cast<std::size_t>(x.shape(0)), m = static_cast<std::size_t>(x.shape(1));
    F64 xt({static_cast<py::ssize_t>(m), static_cast<py::ssize_t>(n)});
    detail::LegacyNormalState st;
    std::memcpy(st.key, key.data(), sizeof st.key);
    st.pos = pos;
    st.has_gauss = has_gauss;
    st.gauss = gauss;
    const double* xp = x.data();
    double* op = xt.mutable_data();
    {
        py::gil_scoped_release release;  // raw pointers into arrays held by this frame
        detail::scale_with_legacy_noise(xp, n, m, st, op, n_threads);
    }
    std::memcpy(key.mutable_data(), st.key, sizeof st.key);
    return {xt, st.pos, st.has_gauss, st.gauss};
}

}  // namespace

void register_feature_noise(py::module_& m) {
    m.def("scale_with_legacy_noise", &scale_with_legacy_noise_py, py::arg("x"), py::arg("key").noconvert(),
          py::arg("pos"), py::arg("has_gauss"), py::arg("gauss"), py::arg("n_threads"));
}

}  // namespace infokit::bindings
