// CRC-32 (the zlib/PNG polynomial, so a block's checksum equals zlib.crc32 of its bytes). The
// container checks every decoded block, so this sits on the decode path: crc32() folds with
// carry-less multiplication where the CPU has it (256-bit VPCLMULQDQ, else 128-bit PCLMULQDQ,
// ~10x slicing-by-8), chosen at run time in crc32.cpp; crc32_portable() is slicing-by-8 and
// the reference for tests.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace infokit::coding {

namespace detail {
struct Crc32Tables {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    constexpr Crc32Tables() {
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        for (std::uint32_t i = 0; i < 256; ++i)
            for (std::size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
};
inline constexpr Crc32Tables kCrc32{};
}  // namespace detail

inline std::uint32_t crc32_portable(const std::uint8_t* p, std::size_t n, std::uint32_t crc = 0) {
    const auto& t = detail::kCrc32.t;
    crc = ~crc;
    while (n >= 8) {
        const std::uint32_t lo = (static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                                  static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24) ^ crc;
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n--) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

// Which implementation crc32() uses: the fastest the CPU has, or (for tests) a given one.
enum class Crc32Path { automatic, portable, pclmul, vpclmul };
bool crc32_path_available(Crc32Path path);

// Throws std::invalid_argument if `path` is not available on this CPU.
std::uint32_t crc32(const std::uint8_t* p, std::size_t n, std::uint32_t crc = 0, Crc32Path path = Crc32Path::automatic);

// The CRC-32 of the concatenation A || B from crc32(A), crc32(B) and B's length in bytes, in
// O(log len_b) (crc_a times x^(8 len_b) modulo the polynomial, plus crc_b), as zlib's
// crc32_combine: the container checksums its input in fixed units before it knows how many
// units make up a block.
std::uint32_t crc32_combine(std::uint32_t crc_a, std::uint32_t crc_b, std::uint64_t len_b);

}  // namespace infokit::coding
