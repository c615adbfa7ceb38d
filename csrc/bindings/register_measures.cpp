// Bindings of the discrete measures' kernels: reductions over an axis, elementwise maps,
// and the vector log/exp. Inputs arrive validated and aligned from src/infokit/_measures.py.
#include <cmath>
#include <cstdint>

#include "infokit/bandwidth.hpp"
#include "infokit/measures.hpp"
#include "pybind.hpp"

namespace infokit::bindings {
namespace {

using simd::Reduction;

template <class T>
py::tuple reduce_typed(Reduction which, const py::array& a, const py::object& b_obj, int axis,
                       const py::object& params_obj, int n_threads) {
    RowsView<T> v;
    const auto sa = element_strides(a);
    std::vector<std::ptrdiff_t> sb;
    py::array b;
    if (!b_obj.is_none()) {
        b = py::reinterpret_borrow<py::array>(b_obj);
        if (b.ndim() != a.ndim()) throw py::value_error("b must have a's shape");
        for (py::ssize_t d = 0; d < a.ndim(); ++d) {
            if (b.shape(d) != a.shape(d)) throw py::value_error("b must have a's shape");
        }
        if (!b.dtype().is(a.dtype())) throw py::type_error("a and b must share a dtype");
        sb = element_strides(b);
        v.b = static_cast<const T*>(b.data());
    }
    v.a = static_cast<const T*>(a.data());
    std::vector<py::ssize_t> out_shape;
    for (py::ssize_t d = 0; d < a.ndim(); ++d) {
        const auto du = static_cast<std::size_t>(d);
        if (d == axis) {
            v.n = static_cast<std::size_t>(a.shape(d));
            v.sa = sa[du];
            if (v.b) v.sb = sb[du];
            continue;
        }
        v.outer_shape.push_back(a.shape(d));
        v.outer_strides_a.push_back(sa[du]);
        v.outer_strides_b.push_back(v.b ? sb[du] : 0);
        out_shape.push_back(a.shape(d));
    }
    const int ns = reduction_terms(which);
    const double* params = nullptr;
    std::size_t per_row = 0;
    py::array_t<double, py::array::c_style> params_arr;
    const std::size_t rows = v.rows();
    if (!params_obj.is_none()) {
        params_arr = py::array_t<double, py::array::c_style>::ensure(params_obj);
        if (!params_arr || params_arr.ndim() != 2 || static_cast<std::size_t>(params_arr.shape(0)) != rows)
            throw py::value_error("params must have one row per output");
        params = params_arr.data();
        per_row = static_cast<std::size_t>(params_arr.shape(1));
    }
    std::vector<py::ssize_t> sums_shape = out_shape;
    sums_shape.push_back(ns);
    py::array_t<double> sums(sums_shape);
    py::array_t<bool> bad(out_shape);
    {
        // Raw pointers and shapes were taken above; the arrays stay alive in this frame.
        py::gil_scoped_release release;
        reduce_rows<T>(which, v, params, per_row, sums.mutable_data(),
                       reinterpret_cast<std::uint8_t*>(bad.mutable_data()), n_threads);
    }
    return py::make_tuple(sums, bad);
}

py::tuple reduce(int which, const py::array& a, const py::object& b, int axis, const py::object& params,
                 int n_threads) {
    if (which < 0 || which >= static_cast<int>(Reduction::count)) throw py::value_error("unknown reduction");
    if (axis < 0 || axis >= a.ndim()) throw py::value_error("axis out of range");
    const auto w = static_cast<Reduction>(which);
    if (is_f64(a)) return reduce_typed<double>(w, a, b, axis, params, n_threads);
    if (is_f32(a)) return reduce_typed<float>(w, a, b, axis, params, n_threads);
    throw py::type_error("a must be float32 or float64");
}

// Entropy of a contiguous 1-d float64 vector in one call, for the small-input fast path:
// returns None when the input needs the general path (zero sum, negative, NaN or inf, or a sum
// outside [2^-900, 2^900], which the Python layer rescales).
py::object entropy_1d(const py::array& a, int n_threads) {
    if (!is_f64(a) || a.ndim() != 1 || a.strides(0) != 8) return py::none();
    RowsView<double> v;
    v.a = static_cast<const double*>(a.data());
    v.n = static_cast<std::size_t>(a.shape(0));
    double sums[2];
    std::uint8_t bad = 0;
    if (v.n * 8 >= (1u << 16)) {
        py::gil_scoped_release release;
        reduce_rows<double>(Reduction::entropy, v, nullptr, 0, sums, &bad, n_threads);
    } else {
        reduce_rows<double>(Reduction::entropy, v, nullptr, 0, sums, &bad, n_threads);
    }
    const double s = sums[0];
    if (bad || !(s >= 0x1p-900 && s <= 0x1p900) || !std::isfinite(sums[1])) return py::none();
    return py::float_(std::log(s) - sums[1] / s);
}

template <class T>
void elementwise_typed(simd::Elementwise which, const py::array& x, const py::object& y_obj,
                       py::array& out, int n_threads) {
    const T* y = nullptr;
    std::ptrdiff_t sy = 0;
    if (!y_obj.is_none()) {
        auto ya = py::reinterpret_borrow<py::array>(y_obj);
        if (ya.ndim() != 1 || ya.shape(0) != x.shape(0) || !ya.dtype().is(x.dtype()))
            throw py::value_error("y must be a 1-d array like x");
        y = static_cast<const T*>(ya.data());
        sy = ya.strides(0) / ya.itemsize();
    }
    const T* xp = static_cast<const T*>(x.data());
    const std::ptrdiff_t sx = x.strides(0) / x.itemsize();
    T* op = static_cast<T*>(out.mutable_data());
    const auto n = static_cast<std::size_t>(x.shape(0));
    py::gil_scoped_release release;  // pointers taken above; the caller owns the arrays
    elementwise<T>(which, xp, sx, y, sy, op, n, n_threads);
}

void elementwise_py(int which, const py::array& x, const py::object& y, py::array& out, int n_threads) {
    if (which < 0 || which >= static_cast<int>(simd::Elementwise::count)) throw py::value_error("unknown function");
    if (x.ndim() != 1 || out.ndim() != 1 || out.shape(0) != x.shape(0) || out.strides(0) != out.itemsize() ||
        !out.dtype().is(x.dtype()) || !out.writeable())
        throw py::value_error("out must be a writable contiguous 1-d array like x");
    const auto w = static_cast<simd::Elementwise>(which);
    if (is_f64(x)) return elementwise_typed<double>(w, x, y, out, n_threads);
    if (is_f32(x)) return elementwise_typed<float>(w, x, y, out, n_threads);
    throw py::type_error("x must be float32 or float64");
}

template <class Fn>
void map_py(const py::array& x, py::array& out, int n_threads, Fn fn64, void (*fn32)(const float*, float*, std::size_t, int)) {
    if (!(x.flags() & py::array::c_style) || !(out.flags() & py::array::c_style) || x.size() != out.size() ||
        !out.dtype().is(x.dtype()) || !out.writeable())
        throw py::value_error("x and out must be C-contiguous arrays of one dtype and size");
    const auto n = static_cast<std::size_t>(x.size());
    if (is_f64(x)) {
        const auto* xp = static_cast<const double*>(x.data());
        auto* op = static_cast<double*>(out.mutable_data());
        py::gil_scoped_release release;
        fn64(xp, op, n, n_threads);
    } else if (is_f32(x)) {
        const auto* xp = static_cast<const float*>(x.data());
        auto* op = static_cast<float*>(out.mutable_data());
        py::gil_scoped_release release;
        fn32(xp, op, n, n_threads);
    } else {
        throw py::type_error("x must be float32 or float64");
    }
}

}  // namespace

void register_measures(py::module_& m) {
    m.def("reduce", &reduce, py::arg("which"), py::arg("a"), py::arg("b"), py::arg("axis"),
          py::arg("params"), py::arg("n_threads"));
    m.def("entropy_1d", &entropy_1d, py::arg("a"), py::arg("n_threads"));
    m.def("elementwise", &elementwise_py, py::arg("which"), py::arg("x"), py::arg("y"), py::arg("out"),
          py::arg("n_threads"));
    m.def("log", [](const py::array& x, py::array& out, int n_threads) {
        map_py(x, out, n_threads, &vector_log<double>, &vector_log<float>);
    }, py::arg("x"), py::arg("out"), py::arg("n_threads"));
    m.def("exp", [](const py::array& x, py::array& out, int n_threads) {
        map_py(x, out, n_threads, &vector_exp<double>, &vector_exp<float>);
    }, py::arg("x"), py::arg("out"), py::arg("n_threads"));
    m.def("log_for_sum", [](const py::array& x, py::array& out, int n_threads) {
        map_py(x, out, n_threads, &vector_log_for_sum<double>, &vector_log_for_sum<float>);
    }, py::arg("x"), py::arg("out"), py::arg("n_threads"), "The reductions' log (tests only).");
    m.def("plain_sum", [](const py::array& x, int n_threads) {
        if (!(x.flags() & py::array::c_style)) throw py::value_error("x must be C-contiguous");
        const auto n = static_cast<std::size_t>(x.size());
        if (is_f64(x)) {
            const auto* p = static_cast<const double*>(x.data());
            py::gil_scoped_release release;
            return plain_sum(p, n, n_threads);
        }
        if (is_f32(x)) {
            const auto* p = static_cast<const float*>(x.data());
            py::gil_scoped_release release;
            return plain_sum(p, n, n_threads);
        }
        throw py::type_error("x must be float32 or float64");
    }, py::arg("x"), py::arg("n_threads"), "A plain OpenMP sum: the bandwidth ceiling for benchmarks.");
    m.attr("REDUCTION_ENTROPY") = static_cast<int>(Reduction::entropy);
    m.attr("REDUCTION_CROSS") = static_cast<int>(Reduction::cross);
    m.attr("REDUCTION_KL") = static_cast<int>(Reduction::kl);
    m.attr("REDUCTION_JS") = static_cast<int>(Reduction::js);
    m.attr("REDUCTION_RENYI") = static_cast<int>(Reduction::renyi);
    m.attr("ELEMENTWISE_ENTR") = static_cast<int>(simd::Elementwise::entr);
    m.attr("ELEMENTWISE_REL_ENTR") = static_cast<int>(simd::Elementwise::rel_entr);
    m.attr("ELEMENTWISE_KL_DIV") = static_cast<int>(simd::Elementwise::kl_div);
}

}  // namespace infokit::bindings
