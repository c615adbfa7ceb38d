// infokit._core: wires the binding areas together; nothing else lives here.
#include "pybind.hpp"

PYBIND11_MODULE(_core, m) {
    m.doc() = "infokit's compiled kernels (private: use the infokit package)";
    infokit::bindings::register_config(m);
    infokit::bindings::register_measures(m);
    infokit::bindings::register_coding(m);
    infokit::bindings::register_histogram(m);
    infokit::bindings::register_estimators(m);
    infokit::bindings::register_softmax(m);
    infokit::bindings::register_feature_noise(m);
}
