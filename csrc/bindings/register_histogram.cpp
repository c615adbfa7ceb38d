// Bindings of the binning kernels: N-d histograms of float samples, integer label codes and
// contingency tables. Inputs arrive validated from src/infokit/estimators.py and metrics.py.
#include <cstdint>
#include <vector>

#include "infokit/histogram.hpp"
#include "pybind.hpp"

namespace infokit::bindings {
namespace {

using I64 = py::array_t<std::int64_t, py::array::c_style>;
using F64 = py::array_t<double, py::array::c_style>;

template <class T>
void histogram_typed(const std::vector<py::array>& cols, const std::vector<BinAxis>& axes, std::size_t n,
                     std::int64_t* out, int n_threads) {
    std::vector<const T*> ptr;
    std::vector<std::ptrdiff_t> strides;
    for (const auto& c : cols) {
        ptr.push_back(static_cast<const T*>(c.data()));
        strides.push_back(c.strides(0) / c.itemsize());
    }
    // Pointers and strides were taken above; the caller's arrays outlive this call.
    py::gil_scoped_release release;
    histogram<T>(ptr.data(), strides.data(), n, cols.size(), axes.data(), out, n_threads);
}

// columns: 1-d arrays of one float dtype and one length; edges: one float64 array per column
// (increasing); uniform: whether each edges array is np.linspace's. Returns int64 counts.
I64 histogram_py(const std::vector<py::array>& columns, const std::vector<F64>& edges,
                 const std::vector<bool>& uniform, int n_threads) {
    const std::size_t d = columns.size();
    if (d < 1 || d > 3) throw py::value_error("histograms have 1, 2 or 3 dimensions");
    if (edges.size() != d || uniform.size() != d) throw py::value_error("one edges array per column");
    const auto n = static_cast<std::size_t>(columns[0].shape(0));
    std::vector<BinAxis> axes(d);
    std::vector<py::ssize_t> shape;
    for (std::size_t k = 0; k < d; ++k) {
        const py::array& c = columns[k];
        if (c.ndim() != 1 || static_cast<std::size_t>(c.shape(0)) != n) throw py::value_error("columns must be 1-d of one length");
        if (!c.dtype().is(columns[0].dtype())) throw py::type_error("columns must share a dtype");
        if (edges[k].ndim() != 1 || edges[k].shape(0) < 2) throw py::value_error("edges need at least two entries");
        axes[k].edges = edges[k].data();
        axes[k].nbins = static_cast<std::size_t>(edges[k].shape(0) - 1);
        axes[k].uniform = uniform[k];
        shape.push_back(edges[k].shape(0) - 1);
    }
    require_float(columns[0], "x");
    I64 out(shape);
    if (is_f64(columns[0])) histogram_typed<double>(columns, axes, n, out.mutable_data(), n_threads);
    else histogram_typed<float>(columns, axes, n, out.mutable_data(), n_threads);
    return out;
}

// column: 1-d float32 or float64, not empty. Returns (min, max) as floats, NaN if any is NaN.
py::tuple min_max_py(const py::array& column, int n_threads) {
    if (column.ndim() != 1 || column.shape(0) < 1) throw py::value_error("need a non-empty 1-d column");
    require_float(column, "x");
    const auto n = static_cast<std::size_t>(column.shape(0));
    const std::ptrdiff_t stride = column.strides(0) / column.itemsize();
    double lo, hi;
    {
        const void* p = column.data();
        py::gil_scoped_release release;  // raw pointer into an array held by the caller
        if (is_f64(column)) min_max(static_cast<const double*>(p), stride, n, n_threads, &lo, &hi);
        else min_max(static_cast<const float*>(p), stride, n, n_threads, &lo, &hi);
    }
    return py::make_tuple(lo, hi);
}

// labels: int64; values in [min_label, min_label + span). Returns (codes, class sizes).
py::tuple dense_codes_py(const I64& labels, std::int64_t min_label, std::size_t span, int n_threads) {
    if (labels.ndim() != 1) throw py::value_error("labels must be 1-d");
    const auto n = static_cast<std::size_t>(labels.shape(0));
    I64 codes(static_cast<py::ssize_t>(n));
    std::vector<std::int64_t> counts(span);
    std::size_t k;
    {
        const std::int64_t* lp = labels.data();
        std::int64_t* cp = codes.mutable_data();
        py::gil_scoped_release release;  // raw pointers into arrays held by this frame
        k = dense_codes(lp, n, min_label, span, cp, counts.data(), n_threads);
    }
    I64 sizes(static_cast<py::ssize_t>(k));
    std::copy(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(k), sizes.mutable_data());
    return py::make_tuple(codes, sizes);
}

I64 contingency_py(const I64& rows, const I64& cols, std::size_t n_rows, std::size_t n_cols, int n_threads) {
    if (rows.ndim() != 1 || cols.ndim() != 1 || rows.shape(0) != cols.shape(0))
        throw py::value_error("row and column codes must be 1-d of one length");
    I64 table({static_cast<py::ssize_t>(n_rows), static_cast<py::ssize_t>(n_cols)});
    const std::int64_t* rp = rows.data();
    const std::int64_t* cp = cols.data();
    std::int64_t* tp = table.mutable_data();
    const auto n = static_cast<std::size_t>(rows.shape(0));
    {
        py::gil_scoped_release release;  // raw pointers into arrays held by this frame
        contingency_dense(rp, cp, n, n_rows, n_cols, tp, n_threads);
    }
    return table;
}

}  // namespace

void register_histogram(py::module_& m) {
    m.def("histogram", &histogram_py, py::arg("columns"), py::arg("edges"), py::arg("uniform"),
          py::arg("n_threads"));
    m.def("min_max", &min_max_py, py::arg("column"), py::arg("n_threads"));
    m.def("dense_codes", &dense_codes_py, py::arg("labels"), py::arg("min_label"), py::arg("span"),
          py::arg("n_threads"));
    m.def("contingency", &contingency_py, py::arg("rows"), py::arg("cols"), py::arg("n_rows"),
          py::arg("n_cols"), py::arg("n_threads"));
}

}  // namespace infokit::bindings
