// Bindings of the sample estimators: expected mutual information of labellings, and the
// k-nearest-neighbour estimators. Inputs arrive validated from src/infokit/*.py.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "infokit/estimators.hpp"
#include "pybind.hpp"

namespace infokit::bindings {
namespace {

using I64 = py::array_t<std::int64_t, py::array::c_style>;
using F64 = py::array_t<double, py::array::c_style>;

// (n, d) C-ordered float64 samples: rows and columns.
std::pair<std::size_t, std::size_t> rows_cols(const F64& a, const char* name) {
    if (a.ndim() != 2) throw py::value_error(std::string(name) + " must be 2-d (n_samples, n_dims)");
    return {static_cast<std::size_t>(a.shape(0)), static_cast<std::size_t>(a.shape(1))};
}

std::size_t same_rows(std::initializer_list<std::size_t> ns) {
    const std::size_t n = *ns.begin();
    for (std::size_t m : ns)
        if (m != n) throw py::value_error("all inputs must have the same number of samples");
    return n;
}

double entropy_kl_py(const F64& x, std::size_t k, int n_threads) {
    const auto [n, d] = rows_cols(x, "x");
    const double* xp = x.data();
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return entropy_kl(xp, n, d, k, n_threads);
}

double ksg_py(const F64& x, const F64& y, std::size_t k, int algorithm, int n_threads) {
    const auto [nx, dx] = rows_cols(x, "x");
    const auto [ny, dy] = rows_cols(y, "y");
    const std::size_t n = same_rows({nx, ny});
    const double *xp = x.data(), *yp = y.data();
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return mutual_info_ksg(xp, dx, yp, dy, n, k, algorithm, n_threads);
}

double mixed_py(const F64& c, const I64& codes, std::size_t n_classes, std::size_t k, int n_threads) {
    const auto [n, dc] = rows_cols(c, "c");
    if (codes.ndim() != 1) throw py::value_error("codes must be 1-d");
    same_rows({n, static_cast<std::size_t>(codes.shape(0))});
    const double* cp = c.data();
    const std::int64_t* dp = codes.data();
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return mutual_info_mixed(cp, dc, dp, n_classes, n, k, n_threads);
}

double cmi_py(const F64& x, const F64& y, const F64& z, std::size_t k, int n_threads) {
    const auto [nx, dx] = rows_cols(x, "x");
    const auto [ny, dy] = rows_cols(y, "y");
    const auto [nz, dz] = rows_cols(z, "z");
    const std::size_t n = same_rows({nx, ny, nz});
    const double *xp = x.data(), *yp = y.data(), *zp = z.data();
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return conditional_mutual_info_fp(xp, dx, yp, dy, zp, dz, n, k, n_threads);
}

// xt: (n_features, n) continuous features; y: (n,) target.
F64 ksg_features_py(const F64& xt, const F64& y, std::size_t k, int n_threads) {
    const auto [nf, n] = rows_cols(xt, "xt");
    if (y.ndim() != 1) throw py::value_error("y must be 1-d");
    same_rows({n, static_cast<std::size_t>(y.shape(0))});
    F64 out(static_cast<py::ssize_t>(nf));
    const double *xp = xt.data(), *yp = y.data();
    double* op = out.mutable_data();
    {
        py::gil_scoped_release release;  // raw pointers into arrays held by this frame
        mutual_info_ksg_features(xp, nf, yp, n, k, op, n_threads);
    }
    return out;
}

F64 mixed_features_py(const F64& ct, const I64& codes, std::size_t n_classes, std::size_t k, int n_threads) {
    const auto [nf, n] = rows_cols(ct, "ct");
    if (codes.ndim() != 1) throw py::value_error("codes must be 1-d");
    same_rows({n, static_cast<std::size_t>(codes.shape(0))});
    F64 out(static_cast<py::ssize_t>(nf));
    const double* cp = ct.data();
    const std::int64_t* dp = codes.data();
    double* op = out.mutable_data();
    {
        py::gil_scoped_release release;  // raw pointers into arrays held by this frame
        mutual_info_mixed_features(cp, nf, dp, n_classes, n, k, op, n_threads);
    }
    return out;
}

// xt: (d, n), one variable a row; returns (d, d) with the diagonal left at zero.
F64 ksg_matrix_py(const F64& xt, std::size_t k, int n_threads) {
    const auto [d, n] = rows_cols(xt, "xt");
    F64 out({static_cast<py::ssize_t>(d), static_cast<py::ssize_t>(d)});
    double* op = out.mutable_data();
    std::fill(op, op + d * d, 0.0);
    const double* xp = xt.data();
    {
        py::gil_scoped_release release;  // raw pointers into arrays held by this frame
        mutual_info_ksg_matrix(xp, d, n, k, op, n_threads);
    }
    return out;
}

// x, y: (n,); perms: (m, n) indices into y.
F64 ksg_permutations_py(const F64& x, const F64& y, const I64& perms, std::size_t k, int n_threads) {
    if (x.ndim() != 1 || y.ndim() != 1) throw py::value_error("x and y must be 1-d");
    if (perms.ndim() != 2) throw py::value_error("perms must be 2-d (n_permutations, n_samples)");
    const auto m = static_cast<std::size_t>(perms.shape(0)), n = static_cast<std::size_t>(perms.shape(1));
    same_rows({static_cast<std::size_t>(x.shape(0)), static_cast<std::size_t>(y.shape(0)), n});
    F64 out(static_cast<py::ssize_t>(m));
    const double *xp = x.data(), *yp = y.data();
    const std::int64_t* pp = perms.data();
    double* op = out.mutable_data();
    {
        py::gil_scoped_release release;  // raw pointers into arrays held by this frame
        mutual_info_ksg_permutations(xp, yp, n, pp, m, k, op, n_threads);
    }
    return out;
}

double mixture_py(const F64& x, const F64& y, std::size_t k, int n_threads) {
    const auto [nx, dx] = rows_cols(x, "x");
    const auto [ny, dy] = rows_cols(y, "y");
    const std::size_t n = same_rows({nx, ny});
    const double *xp = x.data(), *yp = y.data();
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return mutual_info_mixture(xp, dx, yp, dy, n, k, n_threads);
}

double emi_py(const I64& a, const I64& b, std::int64_t n, int n_threads) {
    if (a.ndim() != 1 || b.ndim() != 1) throw py::value_error("row and column sums must be 1-d");
    const std::int64_t* ap = a.data();
    const std::int64_t* bp = b.data();
    const auto na = static_cast<std::size_t>(a.shape(0)), nb = static_cast<std::size_t>(b.shape(0));
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return expected_mutual_info(ap, na, bp, nb, n, n_threads);
}

// A (3, width) C-ordered float64 table.
void check_table(const F64& t, py::ssize_t width, const char* name) {
    if (t.ndim() != 2 || t.shape(0) != 3 || t.shape(1) != width)
        throw py::value_error(std::string(name) + " must have shape (3, " + std::to_string(width) + ")");
}

double emi_in_order_py(const I64& a, const I64& b, std::int64_t n, const F64& rows, const F64& cols,
                       const F64& nij) {
    if (a.ndim() != 1 || b.ndim() != 1) throw py::value_error("row and column sums must be 1-d");
    check_table(rows, a.shape(0), "rows");
    check_table(cols, b.shape(0), "cols");
    if (nij.ndim() != 2 || nij.shape(0) != 3) throw py::value_error("nij must have shape (3, n_nij)");
    const std::int64_t* ap = a.data();
    const std::int64_t* bp = b.data();
    const auto na = static_cast<std::size_t>(a.shape(0)), nb = static_cast<std::size_t>(b.shape(0));
    const auto nn = static_cast<std::size_t>(nij.shape(1));
    const double *rp = rows.data(), *cp = cols.data(), *tp = nij.data();
    py::gil_scoped_release release;  // raw pointers into arrays held by the caller
    return expected_mutual_info_in_order(ap, na, bp, nb, n, rp, cp, tp, nn);
}

}  // namespace

void register_estimators(py::module_& m) {
    m.def("expected_mutual_info_in_order", &emi_in_order_py, py::arg("a"), py::arg("b"), py::arg("n_samples"),
          py::arg("rows"), py::arg("cols"), py::arg("nij"));
    m.def("expected_mutual_info", &emi_py, py::arg("a"), py::arg("b"), py::arg("n_samples"),
          py::arg("n_threads"));
    m.def("entropy_kl", &entropy_kl_py, py::arg("x"), py::arg("k"), py::arg("n_threads"));
    m.def("mutual_info_ksg", &ksg_py, py::arg("x"), py::arg("y"), py::arg("k"), py::arg("algorithm"),
          py::arg("n_threads"));
    m.def("mutual_info_mixed", &mixed_py, py::arg("c"), py::arg("codes"), py::arg("n_classes"), py::arg("k"),
          py::arg("n_threads"));
    m.def("conditional_mutual_info", &cmi_py, py::arg("x"), py::arg("y"), py::arg("z"), py::arg("k"),
          py::arg("n_threads"));
    m.def("mutual_info_ksg_features", &ksg_features_py, py::arg("xt"), py::arg("y"), py::arg("k"),
          py::arg("n_threads"));
    m.def("mutual_info_mixed_features", &mixed_features_py, py::arg("ct"), py::arg("codes"),
          py::arg("n_classes"), py::arg("k"), py::arg("n_threads"));
    m.def("mutual_info_ksg_matrix", &ksg_matrix_py, py::arg("xt"), py::arg("k"), py::arg("n_threads"));
    m.def("mutual_info_ksg_permutations", &ksg_permutations_py, py::arg("x"), py::arg("y"), py::arg("perms"),
          py::arg("k"), py::arg("n_threads"));
    m.def("mutual_info_mixture", &mixture_py, py::arg("x"), py::arg("y"), py::arg("k"), py::arg("n_threads"));
    m.def("digamma", [](double x) { return digamma(x); }, py::arg("x"));
}

}  // namespace infokit::bindings
