// Build and runtime configuration: ISA in use and available, OpenMP runtime, threads.
#include "infokit/dispatch.hpp"
#include "infokit/parallel.hpp"
#include "infokit/scratch.hpp"
#include "pybind.hpp"

namespace infokit::bindings {

void register_config(py::module_& m) {
    m.def("config", [] {
        py::dict d;
        d["isa"] = current_isa();
        d["isas_available"] = supported_isas();
        d["isa_warning"] = isa_warning();
        d["openmp"] = openmp_runtime();
        d["default_threads"] = default_threads();
        d["cpu_count"] = cpu_count();
#if defined(__clang__)
        d["compiler"] = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
        d["compiler"] = std::string("gcc ") + __VERSION__;
#else
        d["compiler"] = std::string("unknown");
#endif
        return d;
    });
    m.def("set_isa", [](const std::string& name) {
        const std::string previous = current_isa();
        set_isa(name);
        return previous;
    }, py::arg("name"), "Switch the SIMD path in use (tests and benchmarks); returns the previous one.");
    m.def("resolve_threads", &resolve_threads, py::arg("n_threads"));
    m.def("scratch_kept_bytes", &detail::scratch_kept_bytes,
          "Bytes of temporary arrays kept for reuse between calls (bounded by scratch_kept_limit).");
    m.attr("scratch_kept_limit") = detail::kScratchKeptBytes;
}

}  // namespace infokit::bindings
