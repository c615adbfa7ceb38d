// Bindings of the sample estimators: expected mutual information of labellings, and the
// k-nearest-neighbour estimators. Inputs arrive validated from src/infokit/*.py.
#include <cstdint>

#include "infokit/estimators.hpp"
#include "pybind.hpp"

namespace infokit::bindings {
namespace {

using I64 = py::array_t<std::int64_t, py::array::c_style>;

double emi_py(const I64& a, const I64& b, std::int64_t n, int n_threads) {
    if (a.ndim() != 1 || b.ndim() != 1) throw py::value_error("row and column sums must be 1-d");
    const std::int64_t* ap = a.data();
    const std::int64_t* bp = b.data();
    const auto na = static_cast<std::size_t>(a.shape(0)), nb = static_cast<std::size_t>(b.shape(0));
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return expected_mutual_info(ap, na, bp, nb, n, n_threads);
}

}  // namespace

void register_estimators(py::module_& m) {
    m.def("expected_mutual_info", &emi_py, py::arg("a"), py::arg("b"), py::arg("n_samples"),
          py::arg("n_threads"));
    m.def("digamma", [](double x) { return digamma(x); }, py::arg("x"));
}

}  // namespace infokit::bindings
