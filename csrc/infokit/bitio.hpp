// Byte and bit I/O for the entropy coders. Every reader is bounded by the buffer it was given:
// reads past the end yield zeros (so hot loops need no per-bit checks) and the caller compares
// the position reached with the size afterwards, or the reader throws DecodeError at once.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace infokit::coding {

// Raised for any input that is not a well-formed encoding. Never raised for a caller's mistake
// (those are std::invalid_argument), so that bindings can map the two to different Python errors.
struct DecodeError : std::runtime_error {
    explicit DecodeError(const std::string& what) : std::runtime_error(what) {}
};

inline std::uint32_t load_le32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

inline std::uint64_t load_le64(const std::uint8_t* p) {
    return static_cast<std::uint64_t>(load_le32(p)) | static_cast<std::uint64_t>(load_le32(p + 4)) << 32;
}

inline void store_le32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
    p[2] = static_cast<std::uint8_t>(v >> 16);
    p[3] = static_cast<std::uint8_t>(v >> 24);
}

inline void store_le64(std::uint8_t* p, std::uint64_t v) {
    store_le32(p, static_cast<std::uint32_t>(v));
    store_le32(p + 4, static_cast<std::uint32_t>(v >> 32));
}

inline std::uint64_t load_be64(const std::uint8_t* p) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    std::uint64_t v;
    std::memcpy(&v, p, 8);  // one unaligned load + bswap on the decoders' hot path
    return __builtin_bswap64(v);
#else
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
    return v;
#endif
}

// The encoders' flush of a 64-bit bit buffer (bytes in stream order).
inline void store_be64(std::uint8_t* p, std::uint64_t v) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
    std::memcpy(p, &v, 8);
#else
    for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<std::uint8_t>(v);
#endif
}

// Eight bytes from `pos` as a big-endian word, zeros beyond `size`: the fast branch is taken
// everywhere except the last few bytes of a stream, so it predicts well.
inline std::uint64_t load_be64_bounded(const std::uint8_t* data, std::size_t size, std::size_t pos) {
    if (pos + 8 <= size) return load_be64(data + pos);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) v = v << 8 | (pos + i < size ? data[pos + i] : 0u);
    return v;
}

// Where an encoder puts its output: called once with the exact size, returns memory for it.
// Lets the bindings encode straight into a Python bytes object instead of copying a vector.
using ByteAlloc = std::function<std::uint8_t*(std::size_t)>;

// Runs an encoder written against ByteAlloc (encode(alloc)) and returns its bytes in a vector.
template <class Encode>
std::vector<std::uint8_t> encode_to_vector(Encode&& encode) {
    std::vector<std::uint8_t> out;
    encode(ByteAlloc([&out](std::size_t size) {
        out.resize(size);
        return out.data();
    }));
    return out;
}

// Appends little-endian integers and LEB128 varints to a byte vector (models and headers).
class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}
    void u8(std::uint32_t v) { out_.push_back(static_cast<std::uint8_t>(v)); }
    void u32(std::uint32_t v) {
        const std::size_t at = out_.size();
        out_.resize(at + 4);
        store_le32(out_.data() + at, v);
    }
    void u64(std::uint64_t v) {
        const std::size_t at = out_.size();
        out_.resize(at + 8);
        store_le64(out_.data() + at, v);
    }
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            u8(static_cast<std::uint32_t>(v & 0x7f) | 0x80);
            v >>= 7;
        }
        u8(static_cast<std::uint32_t>(v));
    }
    void bytes(const std::uint8_t* p, std::size_t n) { out_.insert(out_.end(), p, p + n); }

private:
    std::vector<std::uint8_t>& out_;
};

// Reads what ByteWriter wrote; every read checks the remaining length and throws DecodeError.
class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
    std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
    const std::uint8_t* position() const { return p_; }
    void need(std::size_t n, const char* what) const {
        if (remaining() < n) throw DecodeError(std::string("truncated input: ") + what);
    }
    std::uint32_t u8(const char* what) {
        need(1, what);
        return *p_++;
    }
    std::uint32_t u32(const char* what) {
        need(4, what);
        const std::uint32_t v = load_le32(p_);
        p_ += 4;
        return v;
    }
    std::uint64_t u64(const char* what) {
        need(8, what);
        const std::uint64_t v = load_le64(p_);
        p_ += 8;
        return v;
    }
    std::uint64_t varint(const char* what) {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const std::uint32_t b = u8(what);
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                if (shift == 63 && b > 1) break;  // more than 64 bits
                return v;
            }
        }
        throw DecodeError(std::string("malformed varint: ") + what);
    }
    const std::uint8_t* take(std::size_t n, const char* what) {
        need(n, what);
        const std::uint8_t* at = p_;
        p_ += n;
        return at;
    }

private:
    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

// Model tables (Huffman code lengths, rANS frequencies) over alphabets of up to 65536 letters
// of which few may be in use: each non-zero value goes out through put(value), and each run of
// r zeros as put(0) followed by the varint r - 1, so a sparse table stays small.
template <class T, class Put>
void write_zero_runs(ByteWriter& w, const std::vector<T>& values, Put&& put) {
    for (std::size_t s = 0; s < values.size();) {
        if (values[s]) {
            put(values[s++]);
            continue;
        }
        std::size_t run = 0;
        while (s + run < values.size() && !values[s + run]) ++run;
        put(T{0});
        w.varint(run - 1);
        s += run;
    }
}

// Reads `count` values written by write_zero_runs; get() reads (and checks) one value. A run
// that would pass `count` throws, so the table never grows beyond the size the caller bounded.
template <class T, class Get>
std::vector<T> read_zero_runs(ByteReader& r, std::uint32_t count, Get&& get, const char* what) {
    std::vector<T> values;
    values.reserve(count);
    while (values.size() < count) {
        const T v = get();
        if (v) {
            values.push_back(v);
            continue;
        }
        const std::uint64_t run = r.varint(what);
        if (run >= count - values.size()) throw DecodeError(std::string(what) + " past the alphabet");
        values.insert(values.end(), static_cast<std::size_t>(run) + 1, T{0});
    }
    return values;
}

// MSB-first bit writer into a buffer whose exact size in bits the caller computed beforehand:
// whole 32-bit words go out as soon as they are complete, and finish() writes only the bytes
// that hold the remaining bits, so nothing is ever written past the end.
class BitWriter {
public:
    explicit BitWriter(std::uint8_t* out) : out_(out) {}
    // len <= 32; code < 2^len.
    void put(std::uint32_t code, unsigned len) {
        acc_ = (acc_ << len) | code;
        nbits_ += len;
        if (nbits_ >= 32) {
            nbits_ -= 32;
            const auto w = static_cast<std::uint32_t>(acc_ >> nbits_);
            out_[0] = static_cast<std::uint8_t>(w >> 24);
            out_[1] = static_cast<std::uint8_t>(w >> 16);
            out_[2] = static_cast<std::uint8_t>(w >> 8);
            out_[3] = static_cast<std::uint8_t>(w);
            out_ += 4;
        }
    }
    void finish() {
        while (nbits_ > 0) {
            const unsigned take = nbits_ >= 8 ? 8 : nbits_;
            nbits_ -= take;
            *out_++ = static_cast<std::uint8_t>((acc_ >> nbits_) << (8 - take));
        }
    }

private:
    std::uint8_t* out_;
    std::uint64_t acc_ = 0;
    unsigned nbits_ = 0;
};

}  // namespace infokit::coding
