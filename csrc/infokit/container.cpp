#include "infokit/container.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>

#include "infokit/crc32.hpp"
#include "infokit/parallel.hpp"
#include "infokit/scratch.hpp"

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace infokit::coding {
namespace {

// Relaxed atomic add: the reader only needs to see the count grow, never exact ordering.
void report_progress(std::uint64_t* counter, std::uint64_t symbols) {
    if (!counter) return;
#if defined(_MSC_VER) && !defined(__clang__)
    _InterlockedExchangeAdd64(reinterpret_cast<volatile long long*>(counter), static_cast<long long>(symbols));
#else
    __atomic_fetch_add(counter, symbols, __ATOMIC_RELAXED);
#endif
}

std::size_t block_count(std::uint64_t n, std::uint32_t block_size) {
    return static_cast<std::size_t>((n + block_size - 1) / block_size);
}

template <class Sym>
std::uint32_t block_crc(const Sym* p, std::size_t n) {
    // Host byte order is little-endian on every platform infokit ships wheels for.
    return crc32(reinterpret_cast<const std::uint8_t*>(p), n * sizeof(Sym));
}

// The one read of the input before coding: per block, the histogram over every value the
// symbol type can hold (so no separate pass for the largest symbol) and the block's CRC,
// taken chunk by chunk so each chunk is still in L1 for the second of the two. Blocks are
// independent (parallel); the per-block tables are summed in block order afterwards.
constexpr std::size_t kScanChunk = 1 << 14;

template <class Sym>
void scan_block(const Sym* p, std::size_t len, std::uint32_t* h, std::uint32_t& crc_out) {
    constexpr std::size_t kValues = std::size_t{1} << (8 * sizeof(Sym));
    std::uint32_t crc = 0;
    for (std::size_t lo = 0; lo < len; lo += kScanChunk) {
        const std::size_t hi = std::min(len, lo + kScanChunk);
        if (sizeof(Sym) == 1) {
            // Four sub-tables: runs of one value would otherwise serialise on one counter.
            std::uint32_t* h1 = h + kValues;
            std::uint32_t* h2 = h + 2 * kValues;
            std::uint32_t* h3 = h + 3 * kValues;
            std::size_t i = lo;
            for (; i + 4 <= hi; i += 4) {
                ++h[p[i]];
                ++h1[p[i + 1]];
                ++h2[p[i + 2]];
                ++h3[p[i + 3]];
            }
            for (; i < hi; ++i) ++h[p[i]];
        } else {
            for (std::size_t i = lo; i < hi; ++i) ++h[p[i]];
        }
        crc = crc32(reinterpret_cast<const std::uint8_t*>(p + lo), (hi - lo) * sizeof(Sym), crc);
    }
    if (sizeof(Sym) == 1)
        for (std::size_t v = 0; v < kValues; ++v) h[v] += h[kValues + v] + h[2 * kValues + v] + h[3 * kValues + v];
    crc_out = crc;
}

// Without a block size from the caller: blocks of 2^20 symbols, except that rANS halves
// them (down to 2^18) while the input has fewer than 16 blocks and each block's payload stays
// above 200 KB. Sixteen blocks give each of two threads a group of eight for the side-by-side
// decoder (eight 1 MiB blocks decoded as two groups of four ran 1.5x one thread, sixteen of
// 512 Ki as two groups of eight 1.9x); a block's own bytes (lane states, stream lengths and its
// block-table entry, 100 bytes) then cost at most 0.05% of its payload. Low-entropy data keeps
// 2^20 (on 0.1-bit data a 512 Ki block would pay 1.5%). `bits` is the model's entropy per
// symbol, within 0.01% of the input's code length, since the model is quantised from the
// input's counts; the choice depends on the input alone, not on the thread count.
std::uint32_t automatic_block_size(std::uint64_t n, Method method, double bits) {
    std::uint32_t size = kDefaultBlockSize;
    if (method != Method::rans) return size;
    constexpr double kMinPayloadBytes = 200e3;
    while (size > kAutoBlockUnit && block_count(n, size) < 16 && size / 2 * bits / 8 >= kMinPayloadBytes) size /= 2;
    return size;
}

// Memory for one compress call's block payloads, handed out from scratch chunks (which later
// calls get back: scratch.hpp) instead of one fresh vector a block. Vectors of this size come
// from mmap, so every call faulted their pages in and unmapped them again (an unmap also
// makes the kernel flush the TLB of the other threads). Measured on 10 MB of source (a):
// Huffman compression on one thread 13.1 -> 12.2 ms, and two threads against one, with other
// calls in between, 1.61-1.71x -> 1.70-1.74x. Chunks are a power of two from 64 KiB (for
// the input's size) to 8 MiB, so that calls on inputs of similar size reuse them; a payload
// larger than a chunk gets one of its own. Thread-safe.
class PayloadArena {
public:
    explicit PayloadArena(std::size_t input_bytes) {
        while (chunk_ < kMaxChunk && chunk_ < input_bytes) chunk_ *= 2;
    }
    std::uint8_t* allocate(std::size_t n) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (n > chunk_) {
            chunks_.emplace_back(n);
            return chunks_.back().data();
        }
        if (current_ == nullptr || chunk_ - used_ < n) {
            chunks_.emplace_back(chunk_);
            current_ = chunks_.back().data();
            used_ = 0;
        }
        std::uint8_t* p = current_ + used_;
        used_ += n;
        return p;
    }

private:
    static constexpr std::size_t kMaxChunk = std::size_t{8} << 20;
    std::size_t chunk_ = std::size_t{64} << 10;
    std::mutex mutex_;
    std::vector<infokit::detail::ScratchVector<std::uint8_t>> chunks_;  // moving one keeps its buffer
    std::uint8_t* current_ = nullptr;
    std::size_t used_ = 0;
};

}  // namespace

template <class Sym>
void compress_to(const Sym* data, std::size_t n, const CompressOptions& o, const ByteAlloc& alloc) {
    if (o.block_size > kMaxBlockSize) throw std::invalid_argument("block_size must be in [1, 2**22]");
    // The input is scanned in units of the block size, or, when the container chooses it
    // after the model, of kAutoBlockUnit (whose CRCs are then combined per block).
    const bool automatic = o.block_size == 0;
    const std::uint32_t unit = automatic ? kAutoBlockUnit : o.block_size;
    const std::size_t nu = block_count(n, unit);
    constexpr std::size_t kValues = std::size_t{1} << (8 * sizeof(Sym));
    constexpr std::size_t kTables = sizeof(Sym) == 1 ? 4 : 1;
    std::vector<std::uint32_t> crcs(nu);
    std::vector<std::uint64_t> counts_all(kValues, 0);
    {
        // Units are scanned in at most 16 groups (a number fixed by the input, not the thread
        // count, so sums are identical at any thread count) with one 64-bit table each: memory
        // stays bounded for uint16 and many units. Within a unit 32-bit counters suffice (at
        // most 2^22 symbols).
        const std::size_t groups = std::min<std::size_t>(nu, 16);
        std::vector<std::uint64_t> group_counts(groups * kValues, 0);
        parallel_for<true>(groups, o.threads, [&](std::size_t g) {
            std::vector<std::uint32_t> h(kTables * kValues);
            std::uint64_t* gc = group_counts.data() + g * kValues;
            for (std::size_t b = g * nu / groups; b < (g + 1) * nu / groups; ++b) {
                const std::size_t lo = b * unit, len = std::min<std::size_t>(n - lo, unit);
                std::fill(h.begin(), h.end(), 0u);
                scan_block(data + lo, len, h.data(), crcs[b]);
                for (std::size_t v = 0; v < kValues; ++v) gc[v] += h[v];
            }
        });
        for (std::size_t g = 0; g < groups; ++g)
            for (std::size_t v = 0; v < kValues; ++v) counts_all[v] += group_counts[g * kValues + v];
    }
    std::size_t alphabet = 1;
    for (std::size_t v = kValues; v-- > 0;)
        if (counts_all[v]) {
            alphabet = v + 1;
            break;
        }
    counts_all.resize(alphabet);

    std::vector<std::uint8_t> model;
    ByteWriter mw(model);
    std::unique_ptr<HuffmanCodec> huff;
    std::unique_ptr<RansCodec> rans;
    ArithParams ap;
    if (o.method == Method::huffman || o.method == Method::rans) {
        const auto& counts = counts_all;
        if (o.method == Method::huffman) {
            huff = std::make_unique<HuffmanCodec>(huffman_lengths(counts.data(), alphabet, o.huffman_max_length));
            huff->serialize(mw);
        } else {
            std::size_t present = 0;
            for (auto c : counts) present += c != 0;
            const int k = o.rans_precision ? o.rans_precision : rans_default_precision(present);
            rans = std::make_unique<RansCodec>(rans_quantize(counts.data(), alphabet, k), k);
            rans->serialize(mw);
        }
    } else if (o.method == Method::arith) {
        ap.alphabet = static_cast<std::uint32_t>(alphabet);
        ap.increment = o.arith_increment ? o.arith_increment : arith_default_increment(ap.alphabet);
        ap.limit = o.arith_limit ? o.arith_limit : arith_default_limit(ap.alphabet);
        const char* err = arith_params_error(ap);
        if (*err) throw std::invalid_argument(err);
        mw.u32(ap.alphabet);
        mw.u32(ap.increment);
        mw.u32(ap.limit);
    } else {
        throw std::invalid_argument("unknown method");
    }
    const std::uint32_t block_size =
        automatic ? automatic_block_size(n, o.method, rans ? rans->bits_per_symbol() : 0.0) : unit;
    const std::size_t nb = block_count(n, block_size);
    if (block_size != unit) {
        const std::size_t per = block_size / unit;
        for (std::size_t b = 0; b < nb; ++b) {
            std::uint32_t crc = crcs[b * per];
            for (std::size_t u = b * per + 1; u < std::min(nu, (b + 1) * per); ++u)
                crc = crc32_combine(crc, crcs[u], std::uint64_t{sizeof(Sym)} * std::min<std::uint64_t>(n - u * std::uint64_t{unit}, unit));
            crcs[b] = crc;
        }
        crcs.resize(nb);
    }

    struct Payload {
        const std::uint8_t* data = nullptr;
        std::size_t size = 0;
    };
    std::vector<Payload> payloads(nb);
    PayloadArena arena(n * sizeof(Sym));
    parallel_for<true>(nb, o.threads, [&](std::size_t b) {
        const std::size_t lo = b * block_size, len = std::min<std::size_t>(n - lo, block_size);
        const Sym* p = data + lo;
        const ByteAlloc block_alloc = [&](std::size_t size) {
            if (size > 0xffffffffu) throw std::invalid_argument("block payload above 4 GiB");
            std::uint8_t* q = arena.allocate(size);
            payloads[b] = {q, size};
            return q;
        };
        if (huff) huff->encode_to(p, len, block_alloc);
        else if (rans) rans->encode_to(p, len, block_alloc);
        else arith_encode_to(p, len, ap, block_alloc);
        report_progress(o.progress, len);
    });

    std::size_t total = kContainerHeaderSize + model.size() + 8 * nb;
    std::vector<std::size_t> offsets(nb);
    for (std::size_t b = 0; b < nb; ++b) {
        offsets[b] = total;
        total += payloads[b].size;
    }
    std::vector<std::uint8_t> head;  // header, model and block table
    head.reserve(kContainerHeaderSize + model.size() + 8 * nb);
    ByteWriter w(head);
    w.bytes(kContainerMagic, 4);
    w.u8(kContainerVersion);
    w.u8(static_cast<std::uint32_t>(o.method));
    w.u8(sizeof(Sym));
    w.u8(o.flags);
    w.u64(n);
    w.u32(block_size);
    w.u32(static_cast<std::uint32_t>(model.size()));
    w.u32(0);  // header CRC, filled in below
    w.bytes(model.data(), model.size());
    for (std::size_t b = 0; b < nb; ++b) {
        w.u32(static_cast<std::uint32_t>(payloads[b].size));
        w.u32(crcs[b]);
    }
    std::uint32_t hcrc = crc32(head.data(), 24);
    hcrc = crc32(head.data() + kContainerHeaderSize, model.size() + 8 * nb, hcrc);
    store_le32(head.data() + 24, hcrc);
    std::uint8_t* out = alloc(total);
    std::memcpy(out, head.data(), head.size());
    // The payloads are copied in parallel too: a serial copy would be a fixed cost that the
    // second thread cannot share.
    parallel_for<true>(nb, o.threads, [&](std::size_t b) {
        if (payloads[b].size) std::memcpy(out + offsets[b], payloads[b].data, payloads[b].size);
    });
}

template <class Sym>
std::vector<std::uint8_t> compress(const Sym* data, std::size_t n, const CompressOptions& o) {
    return encode_to_vector([&](const ByteAlloc& alloc) { compress_to(data, n, o, alloc); });
}

ParsedContainer parse_container(const std::uint8_t* blob, std::size_t size) {
    ParsedContainer pc;
    ByteReader r(blob, size);
    const std::uint8_t* magic = r.take(4, "magic");
    if (std::memcmp(magic, kContainerMagic, 4) != 0) throw DecodeError("not an infokit container (bad magic)");
    const std::uint32_t version = r.u8("version");
    if (version < 1 || version > kContainerVersion)
        throw DecodeError("unsupported container version " + std::to_string(version));
    const std::uint32_t method = r.u8("method");
    if (method < 1 || method > 3) throw DecodeError("unknown coding method " + std::to_string(method));
    // The oldest version whose layout each method still has (see kContainerVersion).
    const std::uint32_t oldest = method == static_cast<std::uint32_t>(Method::huffman) ? 3 : 4;
    if (version < oldest)
        throw DecodeError("container version " + std::to_string(version) + " " +
                          (method == static_cast<std::uint32_t>(Method::huffman) ? "Huffman"
                           : method == static_cast<std::uint32_t>(Method::arith) ? "arithmetic"
                                                                                 : "rANS") +
                          " payloads are no longer supported");
    pc.method = static_cast<Method>(method);
    pc.symbol_bytes = static_cast<int>(r.u8("symbol dtype"));
    if (pc.symbol_bytes != 1 && pc.symbol_bytes != 2) throw DecodeError("unknown symbol dtype");
    pc.flags = static_cast<std::uint8_t>(r.u8("flags"));
    if (pc.flags & ~kFlagBytes) throw DecodeError("unknown container flags");
    pc.n = r.u64("length");
    pc.block_size = r.u32("block size");
    if (pc.block_size < 1 || pc.block_size > kMaxBlockSize) throw DecodeError("block size out of range");
    pc.model_size = r.u32("model size");
    const std::uint32_t header_crc = r.u32("header checksum");
    // Block count is bounded by the bytes its table needs before anything is allocated for it.
    const std::uint64_t nb64 = (pc.n + pc.block_size - 1) / pc.block_size;
    if (pc.model_size > r.remaining() || nb64 > (r.remaining() - pc.model_size) / 8)
        throw DecodeError("truncated container: header promises more than the input holds");
    const auto nb = static_cast<std::size_t>(nb64);
    std::uint32_t crc = crc32(blob, 24);
    crc = crc32(blob + kContainerHeaderSize, pc.model_size + 8 * nb, crc);
    if (crc != header_crc) throw DecodeError("container header checksum mismatch");

    ByteReader mr(r.take(pc.model_size, "model"), pc.model_size);
    std::size_t alphabet = 0;
    if (pc.method == Method::huffman) {
        pc.huffman = std::make_unique<HuffmanCodec>(HuffmanCodec::deserialize(mr));
        alphabet = pc.huffman->alphabet_size();
    } else if (pc.method == Method::rans) {
        pc.rans = std::make_unique<RansCodec>(RansCodec::deserialize(mr));
        alphabet = pc.rans->alphabet_size();
    } else {
        pc.arith.alphabet = mr.u32("alphabet size");
        pc.arith.increment = mr.u32("increment");
        pc.arith.limit = mr.u32("limit");
        const char* err = arith_params_error(pc.arith);
        if (*err) throw DecodeError(err);
        alphabet = pc.arith.alphabet;
    }
    if (mr.remaining() != 0) throw DecodeError("model has trailing bytes");
    if (pc.symbol_bytes == 1 && alphabet > 256) throw DecodeError("alphabet too large for uint8 symbols");

    pc.blocks.resize(nb);
    std::size_t offset = kContainerHeaderSize + pc.model_size + 8 * nb;
    const double min_bits = pc.rans ? pc.rans->min_bits_per_symbol() : 0.0;
    for (std::size_t b = 0; b < nb; ++b) {
        BlockRef& br = pc.blocks[b];
        br.size = r.u32("block size");
        br.crc = r.u32("block checksum");
        br.offset = offset;
        if (br.size > size - offset) throw DecodeError("block payload extends past the input");
        offset += br.size;
        const std::uint64_t len = std::min<std::uint64_t>(pc.n - b * std::uint64_t{pc.block_size}, pc.block_size);
        // Symbols a payload can hold at the cheapest code word, so lying lengths fail here.
        const double bits = 8.0 * br.size + 64.0 * kRansLanes;
        if (pc.huffman && len > 8 * std::uint64_t{br.size}) throw DecodeError("block length exceeds its payload");
        if (pc.rans && min_bits > 0 && static_cast<double>(len) * min_bits > bits)
            throw DecodeError("block length exceeds its payload");
    }
    if (offset != size) throw DecodeError("container size does not match its block table");
    pc.header_size = kContainerHeaderSize + pc.model_size + 8 * nb;
    pc.payload_size = size - pc.header_size;
    return pc;
}

namespace {

std::size_t block_length(const ParsedContainer& pc, std::size_t b) {
    return static_cast<std::size_t>(std::min<std::uint64_t>(pc.n - b * std::uint64_t{pc.block_size}, pc.block_size));
}

// How many groups of rANS blocks to decode side by side: as few as groups of
// RansCodec::kMaxGroup allow, but at least one per thread (a multiple of the threads where
// there are enough blocks), so that every thread gets the same work.
std::size_t rans_group_count(std::size_t nb, int threads) {
    const std::size_t t = static_cast<std::size_t>(std::max(threads, 1));
    const std::size_t groups = (nb + RansCodec::kMaxGroup - 1) / RansCodec::kMaxGroup;
    return std::min(nb, std::max(groups, (groups + t - 1) / t * t));
}

// A decoded block against its checksum in the block table.
template <class Sym>
void check_block_crc(const Sym* out, std::size_t len, const BlockRef& br) {
    if (block_crc(out, len) != br.crc) throw DecodeError("block checksum mismatch (corrupt payload)");
}

// rANS blocks in `groups` even groups, each decoded by RansCodec::decode_group (the ISA's
// several-payload kernel, with `table`).
template <class Sym>
void decode_rans_groups(const std::uint8_t* blob, const ParsedContainer& pc, const std::uint64_t* table,
                        std::size_t groups, Sym* out, int threads, std::uint64_t* progress) {
    const std::size_t nb = pc.blocks.size();
    parallel_for<true>(groups, threads, [&](std::size_t g) {
        const std::size_t lo = g * nb / groups, hi = (g + 1) * nb / groups;
        RansCodec::Part<Sym> parts[RansCodec::kMaxGroup];
        std::size_t symbols = 0;
        for (std::size_t b = lo; b < hi; ++b) {
            const BlockRef& br = pc.blocks[b];
            parts[b - lo] = {blob + br.offset, br.size, out + b * std::size_t{pc.block_size}, block_length(pc, b)};
            symbols += parts[b - lo].n;
        }
        pc.rans->decode_group(table, parts, hi - lo);
        for (std::size_t b = lo; b < hi; ++b) check_block_crc(parts[b - lo].out, parts[b - lo].n, pc.blocks[b]);
        report_progress(progress, symbols);
    });
}

template <class Sym>
void decode_blocks(const std::uint8_t* blob, const ParsedContainer& pc, Sym* out, int threads, std::uint64_t* progress) {
    if (pc.rans) {
        // The kernel takes groups of RansCodec::kMinGroup blocks or more, each long enough for
        // rows of at least 16 words a lane; its table (2^k entries) should cost little next to
        // the data.
        const std::size_t nb = pc.blocks.size(), groups = rans_group_count(nb, threads);
        const bool worth = nb > 0 && (nb + groups - 1) / groups >= RansCodec::kMinGroup && pc.block_size >= 2048 &&
                           pc.n >= (std::uint64_t{4} << pc.rans->precision_bits());
        const auto table = worth ? pc.rans->group_table() : infokit::detail::ScratchVector<std::uint64_t>{};
        if (!table.empty()) return decode_rans_groups(blob, pc, table.data(), groups, out, threads, progress);
    }
    parallel_for<true>(pc.blocks.size(), threads, [&](std::size_t b) {
        const BlockRef& br = pc.blocks[b];
        const std::size_t lo = b * pc.block_size;
        const std::size_t len = block_length(pc, b);
        const std::uint8_t* p = blob + br.offset;
        if (pc.huffman) pc.huffman->decode(p, br.size, out + lo, len);
        else if (pc.rans) pc.rans->decode(p, br.size, out + lo, len);
        else arith_decode(p, br.size, out + lo, len, pc.arith);
        check_block_crc(out + lo, len, br);
        report_progress(progress, len);
    });
}

}  // namespace

void decode_container(const std::uint8_t* blob, const ParsedContainer& pc, void* out, int threads,
                      std::uint64_t* progress) {
    if (pc.symbol_bytes == 1) decode_blocks(blob, pc, static_cast<std::uint8_t*>(out), threads, progress);
    else decode_blocks(blob, pc, static_cast<std::uint16_t*>(out), threads, progress);
}

template std::vector<std::uint8_t> compress<std::uint8_t>(const std::uint8_t*, std::size_t, const CompressOptions&);
template std::vector<std::uint8_t> compress<std::uint16_t>(const std::uint16_t*, std::size_t, const CompressOptions&);
template void compress_to<std::uint8_t>(const std::uint8_t*, std::size_t, const CompressOptions&, const ByteAlloc&);
template void compress_to<std::uint16_t>(const std::uint16_t*, std::size_t, const CompressOptions&, const ByteAlloc&);

}  // namespace infokit::coding
