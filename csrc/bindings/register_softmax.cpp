// Bindings of the softmax family: log-sum-exp, softmax/log-softmax, fused cross-entropy (and
// gradient), BCE with logits. Arrays arrive C-contiguous from src/infokit/losses.py and
// special.py, viewed as (outer, classes, inner); these functions check what the kernels rely on.
#include <cstdint>
#include <stdexcept>

#include "infokit/softmax.hpp"
#include "pybind.hpp"

namespace infokit::bindings {
namespace {

bool c_contiguous(const py::array& a) { return (a.flags() & py::array::c_style) != 0; }

ClassLayout layout_of(const py::array& x, std::size_t outer, std::size_t classes, std::size_t inner) {
    require_float(x, "input");
    if (!c_contiguous(x)) throw py::value_error("input must be C-contiguous");
    if (static_cast<std::size_t>(x.size()) != outer * classes * inner)
        throw py::value_error("input size does not match (outer, classes, inner)");
    return ClassLayout{outer, classes, inner};
}

// An optional array of x's dtype: `size` elements, C-contiguous (writable if asked).
template <class T>
T* optional_like(const py::object& obj, const py::array& x, std::size_t size, const char* name, bool writable) {
    if (obj.is_none()) return nullptr;
    auto a = py::reinterpret_borrow<py::array>(obj);
    if (!a.dtype().is(x.dtype())) throw py::type_error(std::string(name) + " must have the input's dtype");
    if (!c_contiguous(a) || static_cast<std::size_t>(a.size()) != size)
        throw py::value_error(std::string(name) + " must be C-contiguous with " + std::to_string(size) + " elements");
    if (writable && !a.writeable()) throw py::value_error(std::string(name) + " must be writable");
    return static_cast<T*>(const_cast<void*>(a.data()));
}

template <class T>
py::tuple logsumexp_typed(const py::array& x, const ClassLayout& l, bool want_entropy, int n_threads) {
    const auto rows = static_cast<py::ssize_t>(l.rows());
    py::array_t<double> lse(rows);
    py::object ent = py::none();
    double* ent_p = nullptr;
    if (want_entropy) {
        py::array_t<double> e(rows);
        ent_p = e.mutable_data();
        ent = e;
    }
    const T* xp = static_cast<const T*>(x.data());
    double* lp = lse.mutable_data();
    {
        py::gil_scoped_release release;  // pointers taken above; the arrays live in this frame
        logsumexp_rows<T>(xp, l, lp, ent_p, n_threads);
    }
    return py::make_tuple(lse, ent);
}

template <class T>
py::array softmax_typed(const py::array& x, const ClassLayout& l, bool log, const py::object& out, int n_threads) {
    T* y = optional_like<T>(out, x, static_cast<std::size_t>(x.size()), "out", true);
    if (!y) throw py::value_error("out is required");
    py::array_t<double> lse(static_cast<py::ssize_t>(l.rows()));
    const T* xp = static_cast<const T*>(x.data());
    double* lp = lse.mutable_data();
    {
        py::gil_scoped_release release;  // pointers taken above; the caller owns out
        softmax_rows<T>(xp, l, log, y, lp, n_threads);
    }
    return lse;
}

template <class T>
py::array cross_entropy_typed(const py::array& x, const ClassLayout& l, const py::object& target,
                              const py::object& target_prob, const py::object& weight, std::int64_t ignore_index,
                              double smoothing, const py::object& grad, double grad_scale,
                              const py::object& row_scale, int n_threads) {
    CrossEntropyArgs<T> a;
    a.x = static_cast<const T*>(x.data());
    a.layout = l;
    const std::size_t rows = l.rows();
    py::array_t<std::int64_t, py::array::c_style> tgt;
    if (!target.is_none()) {
        tgt = py::array_t<std::int64_t, py::array::c_style>::ensure(target);
        if (!tgt || static_cast<std::size_t>(tgt.size()) != rows)
            throw py::value_error("target must hold one int64 class index per row");
        a.target = tgt.data();
    }
    a.target_prob = optional_like<T>(target_prob, x, static_cast<std::size_t>(x.size()), "target", false);
    if ((a.target == nullptr) == (a.target_prob == nullptr))
        throw py::value_error("give exactly one of class indices and class probabilities");
    a.weight = optional_like<T>(weight, x, l.classes, "weight", false);
    a.ignore_index = ignore_index;
    a.label_smoothing = smoothing;
    a.grad = optional_like<T>(grad, x, static_cast<std::size_t>(x.size()), "grad_out", true);
    a.grad_scale = grad_scale;
    py::array_t<double, py::array::c_style> rs;
    if (!row_scale.is_none()) {
        rs = py::array_t<double, py::array::c_style>::ensure(row_scale);
        if (!rs || static_cast<std::size_t>(rs.size()) != rows) throw py::value_error("row_scale must have one value per row");
        a.row_scale = rs.data();
    }
    py::array_t<double> loss(static_cast<py::ssize_t>(rows));
    double* lp = loss.mutable_data();
    try {
        py::gil_scoped_release release;  // pointers taken above; the arrays live in this frame
        cross_entropy<T>(a, lp, n_threads);
    } catch (const std::out_of_range& e) {
        throw py::value_error(e.what());
    }
    return loss;
}

template <class T>
double bce_typed(const py::array& x, const py::array& target, const py::object& weight, const py::object& pos_weight,
                 const py::object& loss, const py::object& grad, double grad_scale, int n_threads) {
    BceArgs<T> a;
    const auto n = static_cast<std::size_t>(x.size());
    a.x = static_cast<const T*>(x.data());
    a.n = n;
    a.target = optional_like<T>(target, x, n, "target", false);
    a.weight = optional_like<T>(weight, x, n, "weight", false);
    if (!pos_weight.is_none()) {
        auto pw = py::reinterpret_borrow<py::array>(pos_weight);
        if (!pw.dtype().is(x.dtype()) || !c_contiguous(pw) || pw.size() == 0 || n % static_cast<std::size_t>(pw.size()) != 0)
            throw py::value_error("pos_weight must be a contiguous period of the flattened input");
        a.pos_weight = static_cast<const T*>(pw.data());
        a.pos_weight_len = static_cast<std::size_t>(pw.size());
    }
    a.loss = optional_like<T>(loss, x, n, "loss", true);
    a.grad = optional_like<T>(grad, x, n, "grad", true);
    a.grad_scale = grad_scale;
    py::gil_scoped_release release;  // pointers taken above; the caller owns the arrays
    return bce_with_logits<T>(a, n_threads);
}

}  // namespace

void register_softmax(py::module_& m) {
    m.def("logsumexp", [](const py::array& x, std::size_t outer, std::size_t classes, std::size_t inner,
                          bool entropy, int n_threads) {
        const ClassLayout l = layout_of(x, outer, classes, inner);
        return is_f64(x) ? logsumexp_typed<double>(x, l, entropy, n_threads) : logsumexp_typed<float>(x, l, entropy, n_threads);
    }, py::arg("x"), py::arg("outer"), py::arg("classes"), py::arg("inner"), py::arg("entropy"), py::arg("n_threads"),
       "Per-row log-sum-exp (and softmax entropy) of x viewed as (outer, classes, inner).");
    m.def("softmax", [](const py::array& x, std::size_t outer, std::size_t classes, std::size_t inner, bool log,
                        const py::object& out, int n_threads) {
        const ClassLayout l = layout_of(x, outer, classes, inner);
        return is_f64(x) ? softmax_typed<double>(x, l, log, out, n_threads) : softmax_typed<float>(x, l, log, out, n_threads);
    }, py::arg("x"), py::arg("outer"), py::arg("classes"), py::arg("inner"), py::arg("log"), py::arg("out"),
       py::arg("n_threads"), "softmax or log_softmax into out; returns each row's log-sum-exp.");
    m.def("cross_entropy", [](const py::array& x, std::size_t outer, std::size_t classes, std::size_t inner,
                              const py::object& target, const py::object& target_prob, const py::object& weight,
                              std::int64_t ignore_index, double label_smoothing, const py::object& grad,
                              double grad_scale, const py::object& row_scale, int n_threads) {
        const ClassLayout l = layout_of(x, outer, classes, inner);
        if (is_f64(x))
            return cross_entropy_typed<double>(x, l, target, target_prob, weight, ignore_index, label_smoothing, grad,
                                               grad_scale, row_scale, n_threads);
        return cross_entropy_typed<float>(x, l, target, target_prob, weight, ignore_index, label_smoothing, grad,
                                          grad_scale, row_scale, n_threads);
    }, py::arg("x"), py::arg("outer"), py::arg("classes"), py::arg("inner"), py::arg("target"), py::arg("target_prob"),
       py::arg("weight"), py::arg("ignore_index"), py::arg("label_smoothing"), py::arg("grad"), py::arg("grad_scale"),
       py::arg("row_scale"), py::arg("n_threads"), "Per-row softmax cross-entropy, optionally with its gradient.");
    m.def("bce_with_logits", [](const py::array& x, const py::array& target, const py::object& weight,
                                const py::object& pos_weight, const py::object& loss, const py::object& grad,
                                double grad_scale, int n_threads) {
        require_float(x, "input");
        if (!c_contiguous(x)) throw py::value_error("input must be C-contiguous");
        if (is_f64(x)) return bce_typed<double>(x, target, weight, pos_weight, loss, grad, grad_scale, n_threads);
        return bce_typed<float>(x, target, weight, pos_weight, loss, grad, grad_scale, n_threads);
    }, py::arg("x"), py::arg("target"), py::arg("weight"), py::arg("pos_weight"), py::arg("loss"), py::arg("grad"),
       py::arg("grad_scale"), py::arg("n_threads"), "BCE with logits; returns the sum of the losses.");
}

}  // namespace infokit::bindings
