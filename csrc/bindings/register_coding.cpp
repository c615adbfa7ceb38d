// Bindings of the entropy coders and the container. Symbols arrive from src/infokit/coding.py
// as C-contiguous uint8/uint16 arrays; encoded data as any bytes-like buffer. DecodeError maps
// to infokit.coding.DecodeError (a ValueError), std::invalid_argument to ValueError.
#include <cstdint>
#include <cstring>

#include "infokit/arith.hpp"
#include "infokit/container.hpp"
#include "infokit/crc32.hpp"
#include "infokit/huffman.hpp"
#include "infokit/parallel.hpp"
#include "infokit/rans.hpp"
#include "pybind.hpp"

namespace infokit::bindings {
namespace {

using coding::DecodeError;

py::bytes to_bytes(const std::vector<std::uint8_t>& v) {
    return py::bytes(reinterpret_cast<const char*>(v.data()), v.size());
}

// A ByteAlloc that creates an uninitialised bytes object of the requested size (taking the GIL
// for that moment only) so encoders write their output into it directly: no vector to copy.
// The object is private to this call until returned, so filling it without the GIL is safe.
struct BytesOut {
    py::object obj;
    coding::ByteAlloc alloc() {
        return [this](std::size_t size) {
            py::gil_scoped_acquire gil;
            PyObject* b = PyBytes_FromStringAndSize(nullptr, static_cast<py::ssize_t>(size));
            if (!b) throw py::error_already_set();
            obj = py::reinterpret_steal<py::object>(b);
            return reinterpret_cast<std::uint8_t*>(PyBytes_AS_STRING(b));
        };
    }
};

struct Symbols {
    const void* data;
    std::size_t n;
    int itemsize;
};

Symbols symbols_of(const py::array& a) {
    const bool u8 = a.dtype().is(py::dtype::of<std::uint8_t>());
    const bool u16 = a.dtype().is(py::dtype::of<std::uint16_t>());
    if (!(u8 || u16) || a.ndim() != 1 || !(a.flags() & py::array::c_style))
        throw py::type_error("symbols must be a C-contiguous 1-d uint8 or uint16 array");
    return {a.data(), static_cast<std::size_t>(a.shape(0)), u8 ? 1 : 2};
}

// Runs fn(typed pointer) with the GIL released; the array outlives the call.
template <class Fn>
auto with_symbols(const py::array& a, Fn&& fn) {
    const Symbols s = symbols_of(a);
    py::gil_scoped_release release;  // pointer and length taken above; `a` is held by the caller
    if (s.itemsize == 1) return fn(static_cast<const std::uint8_t*>(s.data), s.n);
    return fn(static_cast<const std::uint16_t*>(s.data), s.n);
}

// Allocates the output array first, then decodes into it without the GIL.
template <class Fn>
py::array decode_to_array(const py::buffer& data, std::size_t n, int itemsize, Fn&& fn) {
    if (itemsize != 1 && itemsize != 2) throw py::value_error("itemsize must be 1 or 2");
    const py::buffer_info info = data.request();
    if (info.ndim > 1 || (info.ndim == 1 && info.strides[0] != info.itemsize))
        throw py::type_error("data must be a contiguous bytes-like object");
    const auto* p = static_cast<const std::uint8_t*>(info.ptr);
    const auto size = static_cast<std::size_t>(info.size * info.itemsize);
    py::array out = itemsize == 1 ? py::array(py::array_t<std::uint8_t>(static_cast<py::ssize_t>(n)))
                                  : py::array(py::array_t<std::uint16_t>(static_cast<py::ssize_t>(n)));
    void* o = out.mutable_data();
    {
        py::gil_scoped_release release;  // `info` keeps the input buffer alive and unmoved
        if (itemsize == 1) fn(p, size, static_cast<std::uint8_t*>(o));
        else fn(p, size, static_cast<std::uint16_t*>(o));
    }
    return out;
}

std::pair<const std::uint8_t*, std::size_t> bytes_view(const py::buffer_info& info) {
    if (info.ndim > 1 || (info.ndim == 1 && info.strides[0] != info.itemsize))
        throw py::type_error("data must be a contiguous bytes-like object");
    return {static_cast<const std::uint8_t*>(info.ptr), static_cast<std::size_t>(info.size * info.itemsize)};
}

template <class T>
py::array_t<T> vector_to_array(const std::vector<T>& v) {
    py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
    if (!v.empty()) std::memcpy(out.mutable_data(), v.data(), v.size() * sizeof(T));
    return out;
}

// encode/decode/to_bytes/from_bytes are the same for every static codec (Huffman, rANS):
// `what` names the model in the error for trailing bytes.
template <class Codec>
void bind_static_codec(py::class_<Codec>& cls, const char* what) {
    cls.def("encode", [](const Codec& c, const py::array& symbols) {
            BytesOut out;
            with_symbols(symbols, [&](auto* p, std::size_t n) { c.encode_to(p, n, out.alloc()); });
            return out.obj;
        }, py::arg("symbols"))
        .def("decode", [](const Codec& c, const py::buffer& data, std::size_t n, int itemsize) {
            return decode_to_array(data, n, itemsize, [&](const std::uint8_t* p, std::size_t size, auto* o) {
                c.decode(p, size, o, n);
            });
        }, py::arg("data"), py::arg("n"), py::arg("itemsize"))
        .def("to_bytes", [](const Codec& c) {
            std::vector<std::uint8_t> v;
            coding::ByteWriter w(v);
            c.serialize(w);
            return to_bytes(v);
        })
        .def_static("from_bytes", [what](const py::buffer& data) {
            const py::buffer_info info = data.request();
            const auto [p, size] = bytes_view(info);
            coding::ByteReader r(p, size);
            auto c = Codec::deserialize(r);
            if (r.remaining()) throw DecodeError(std::string("trailing bytes after the ") + what + " model");
            return c;
        }, py::arg("data"));
}

using CountsArray = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;

// A model built from 1-d symbol counts without the GIL (Huffman lengths, rANS frequencies),
// returned as an array.
template <class Build>
py::array model_from_counts(const CountsArray& counts, Build&& build) {
    if (counts.ndim() != 1) throw py::value_error("counts must be 1-d");
    const std::uint64_t* p = counts.data();
    const auto n = static_cast<std::size_t>(counts.shape(0));
    decltype(build(p, n)) model;
    {
        py::gil_scoped_release release;  // pointer taken above; `counts` is held by the caller
        model = build(p, n);
    }
    return vector_to_array(model);
}

void register_huffman(py::module_& m) {
    m.def("huffman_lengths", [](const CountsArray& counts, int max_length) {
        return model_from_counts(counts, [&](const std::uint64_t* p, std::size_t n) {
            return coding::huffman_lengths(p, n, max_length);
        });
    }, py::arg("counts"), py::arg("max_length"));

    py::class_<coding::HuffmanCodec> huffman(m, "HuffmanCodec");
    huffman
        .def(py::init([](const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>& lengths) {
            const std::uint8_t* p = lengths.data();
            return coding::HuffmanCodec(std::vector<std::uint8_t>(p, p + lengths.size()));
        }), py::arg("lengths"))
        .def_property_readonly("lengths", [](const coding::HuffmanCodec& c) { return vector_to_array(c.lengths()); })
        .def_property_readonly("codes", [](const coding::HuffmanCodec& c) {
            // Canonical codes recomputed from the lengths (for inspection and tests only).
            std::vector<std::uint32_t> codes(c.alphabet_size(), 0);
            std::uint32_t count[coding::kHuffmanMaxLength + 2] = {};
            for (auto l : c.lengths()) ++count[l];
            count[0] = 0;
            std::uint32_t next[coding::kHuffmanMaxLength + 2] = {};
            std::uint32_t code = 0;
            for (int l = 1; l <= coding::kHuffmanMaxLength; ++l) next[l] = code = (code + count[l - 1]) << 1;
            for (std::size_t s = 0; s < codes.size(); ++s)
                if (c.lengths()[s]) codes[s] = next[c.lengths()[s]]++;
            return vector_to_array(codes);
        });
    bind_static_codec(huffman, "Huffman");
}

void register_rans(py::module_& m) {
    m.def("rans_quantize", [](const CountsArray& counts, int precision_bits) {
        return model_from_counts(counts, [&](const std::uint64_t* p, std::size_t n) {
            return coding::rans_quantize(p, n, precision_bits);
        });
    }, py::arg("counts"), py::arg("precision_bits"));
    m.def("rans_default_precision", &coding::rans_default_precision, py::arg("present_symbols"));
    m.attr("RANS_MAX_PRECISION") = coding::kRansMaxPrecision;

    py::class_<coding::RansCodec> rans(m, "RansCodec");
    rans
        .def(py::init([](const py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>& freqs, int k) {
            const std::uint32_t* p = freqs.data();
            return coding::RansCodec(std::vector<std::uint32_t>(p, p + freqs.size()), k);
        }), py::arg("freqs"), py::arg("precision_bits"))
        .def_property_readonly("freqs", [](const coding::RansCodec& c) { return vector_to_array(c.freqs()); })
        .def_property_readonly("precision_bits", &coding::RansCodec::precision_bits);
    bind_static_codec(rans, "rANS");
}

coding::ArithParams arith_params(std::uint32_t alphabet, std::uint32_t increment, std::uint32_t limit) {
    coding::ArithParams p;
    p.alphabet = alphabet;
    p.increment = increment;
    p.limit = limit;
    return p;
}

void register_arith(py::module_& m) {
    m.def("arith_default_limit", &coding::arith_default_limit, py::arg("alphabet"));
    m.def("arith_default_increment", &coding::arith_default_increment, py::arg("alphabet"));
    m.def("arith_params_error", [](std::uint32_t a, std::uint32_t inc, std::uint32_t limit) {
        return std::string(coding::arith_params_error(arith_params(a, inc, limit)));
    }, py::arg("alphabet"), py::arg("increment"), py::arg("limit"));
    m.def("arith_encode", [](const py::array& symbols, std::uint32_t a, std::uint32_t inc, std::uint32_t limit) {
        const auto p = arith_params(a, inc, limit);
        BytesOut out;
        with_symbols(symbols, [&](auto* s, std::size_t n) { coding::arith_encode_to(s, n, p, out.alloc()); });
        return out.obj;
    }, py::arg("symbols"), py::arg("alphabet"), py::arg("increment"), py::arg("limit"));
    m.def("arith_decode", [](const py::buffer& data, std::size_t n, int itemsize, std::uint32_t a, std::uint32_t inc,
                             std::uint32_t limit) {
        const auto params = arith_params(a, inc, limit);
        return decode_to_array(data, n, itemsize, [&](const std::uint8_t* p, std::size_t size, auto* o) {
            coding::arith_decode(p, size, o, n, params);
        });
    }, py::arg("data"), py::arg("n"), py::arg("itemsize"), py::arg("alphabet"), py::arg("increment"), py::arg("limit"));
}

// The progress counter of compress/decompress: None, or a writable 1-element uint64 array that
// the caller keeps alive and polls from another thread while the call runs without the GIL.
std::uint64_t* progress_counter(const py::object& progress) {
    if (progress.is_none()) return nullptr;
    auto a = progress.cast<py::array_t<std::uint64_t>>();
    if (a.ndim() != 1 || a.shape(0) != 1 || !a.writeable() || !(a.flags() & py::array::c_style) ||
        a.ptr() != progress.ptr())
        throw py::type_error("progress must be a writable 1-element uint64 array");
    return a.mutable_data();
}

void register_container(py::module_& m) {
    // The container's checksum primitives, for the tests that hold them to zlib.crc32.
    // path: "auto" (what the container uses), or one implementation by name, so that each one
    // the CPU has can be tested; crc32_paths() lists those.
    static const std::pair<const char*, coding::Crc32Path> kCrcPaths[] = {
        {"auto", coding::Crc32Path::automatic}, {"portable", coding::Crc32Path::portable},
        {"pclmul", coding::Crc32Path::pclmul}, {"vpclmul", coding::Crc32Path::vpclmul}};
    m.def("crc32", [](const py::buffer& data, std::uint32_t value, const std::string& path) {
        for (const auto& [name, id] : kCrcPaths) {
            if (path != name) continue;
            if (!coding::crc32_path_available(id)) throw py::value_error("path '" + path + "' is not available on this CPU");
            const py::buffer_info info = data.request();
            const auto [p, size] = bytes_view(info);
            return coding::crc32(p, size, value, id);
        }
        throw py::value_error("path must be one of auto, portable, pclmul, vpclmul");
    }, py::arg("data"), py::arg("value") = 0, py::arg("path") = "auto");
    m.def("crc32_paths", [] {
        std::vector<std::string> out;
        for (const auto& [name, id] : kCrcPaths)
            if (id != coding::Crc32Path::automatic && coding::crc32_path_available(id)) out.emplace_back(name);
        return out;
    });
    m.def("crc32_portable", [](const py::buffer& data, std::uint32_t value) {
        const py::buffer_info info = data.request();
        const auto [p, size] = bytes_view(info);
        return coding::crc32_portable(p, size, value);
    }, py::arg("data"), py::arg("value") = 0);

    m.def("compress", [](const py::array& symbols, int method, int max_length, int precision, std::uint32_t increment,
                         std::uint32_t limit, std::uint32_t block_size, int flags, int n_threads,
                         const py::object& progress) {
        if (method < 1 || method > 3) throw py::value_error("unknown method");
        coding::CompressOptions o;
        o.method = static_cast<coding::Method>(method);
        o.huffman_max_length = max_length;
        o.rans_precision = precision;
        o.arith_increment = increment;
        o.arith_limit = limit;
        o.block_size = block_size;
        o.flags = static_cast<std::uint8_t>(flags);
        o.threads = resolve_threads(n_threads);
        o.progress = progress_counter(progress);
        BytesOut out;
        with_symbols(symbols, [&](auto* p, std::size_t n) { coding::compress_to(p, n, o, out.alloc()); });
        return out.obj;
    }, py::arg("symbols"), py::arg("method"), py::arg("max_length"), py::arg("precision"), py::arg("increment"),
       py::arg("limit"), py::arg("block_size"), py::arg("flags"), py::arg("n_threads"),
       py::arg("progress") = py::none());

    m.def("container_info", [](const py::buffer& blob) {
        const py::buffer_info info = blob.request();
        const auto [p, size] = bytes_view(info);
        const coding::ParsedContainer pc = coding::parse_container(p, size);
        py::dict d;
        d["method"] = static_cast<int>(pc.method);
        d["itemsize"] = pc.symbol_bytes;
        d["flags"] = static_cast<int>(pc.flags);
        d["n"] = pc.n;
        d["block_size"] = pc.block_size;
        d["n_blocks"] = pc.blocks.size();
        d["model_size"] = pc.model_size;
        d["header_size"] = pc.header_size;
        d["payload_size"] = pc.payload_size;
        return d;
    }, py::arg("blob"));

    // Returns (symbols, flags). max_size < 0: no limit on the decoded size.
    m.def("decompress", [](const py::buffer& blob, int n_threads, long long max_size, const py::object& progress) {
        std::uint64_t* counter = progress_counter(progress);
        const py::buffer_info info = blob.request();
        const auto [p, size] = bytes_view(info);
        coding::ParsedContainer pc;
        {
            py::gil_scoped_release release;  // `info` keeps the blob alive and unmoved
            pc = coding::parse_container(p, size);
        }
        if (max_size >= 0 && pc.n * static_cast<std::uint64_t>(pc.symbol_bytes) > static_cast<std::uint64_t>(max_size))
            throw DecodeError("decoded size " + std::to_string(pc.n * pc.symbol_bytes) + " bytes exceeds max_size");
        const auto n = static_cast<py::ssize_t>(pc.n);
        py::array out = pc.symbol_bytes == 1 ? py::array(py::array_t<std::uint8_t>(n))
                                             : py::array(py::array_t<std::uint16_t>(n));
        void* o = out.mutable_data();
        const int threads = resolve_threads(n_threads);
        {
            py::gil_scoped_release release;  // output allocated above; blob held by `info`
            coding::decode_container(p, pc, o, threads, counter);
        }
        return py::make_tuple(out, static_cast<int>(pc.flags));
    }, py::arg("blob"), py::arg("n_threads"), py::arg("max_size"), py::arg("progress") = py::none());
}

}  // namespace

void register_coding(py::module_& m) {
    // Map DecodeError to the Python class in infokit._coding_errors, imported on first use (the
    // GIL is held while translating), so the public exception is a plain documented Python class.
    py::register_exception_translator([](std::exception_ptr e) {
        try {
            if (e) std::rethrow_exception(e);
        } catch (const DecodeError& err) {
            const py::object cls = py::module_::import("infokit._coding_errors").attr("DecodeError");
            PyErr_SetString(cls.ptr(), err.what());
        }
    });
    register_huffman(m);
    register_rans(m);
    register_arith(m);
    register_container(m);
}

}  // namespace infokit::bindings
