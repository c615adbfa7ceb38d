// The one header through which every binding file includes pybind11, so that all translation
// units see the same type casters (the build also sets -Werror=odr).
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <string>
#include <vector>

namespace py = pybind11;

namespace infokit::bindings {

void register_config(py::module_& m);
void register_measures(py::module_& m);
void register_coding(py::module_& m);
void register_histogram(py::module_& m);
void register_estimators(py::module_& m);
void register_softmax(py::module_& m);
void register_feature_noise(py::module_& m);

// Element strides of a NumPy array whose byte strides are multiples of its item size
// (the Python layer passes only aligned arrays).
inline std::vector<std::ptrdiff_t> element_strides(const py::array& a) {
    std::vector<std::ptrdiff_t> s(static_cast<std::size_t>(a.ndim()));
    for (py::ssize_t d = 0; d < a.ndim(); ++d) s[static_cast<std::size_t>(d)] = a.strides(d) / a.itemsize();
    return s;
}

inline bool is_f64(const py::array& a) { return a.dtype().is(py::dtype::of<double>()); }
inline bool is_f32(const py::array& a) { return a.dtype().is(py::dtype::of<float>()); }

inline void require_float(const py::array& a, const char* name) {
    if (!is_f64(a) && !is_f32(a)) throw py::type_error(std::string(name) + " must be float32 or float64");
}

}  // namespace infokit::bindings
