#include "infokit/rans.hpp"
#include "infokit/dispatch.hpp"
#include "infokit/scratch.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <queue>
#include <stdexcept>
#include <string>

#if defined(_MSC_VER) && defined(_M_X64)
#include <intrin.h>
#endif

namespace infokit::coding {
namespace {

// GCC and Clang on x86-64 decode byte alphabets, and encode on CPUs with BMI2, with
// hand-scheduled loops (below), except under AddressSanitizer, which cannot see the loops'
// memory accesses (and, unoptimised, leaves them too few registers): there the compiled
// loops run, checked.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IK_RANS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define IK_RANS_ASAN 1
#endif
#if defined(__GNUC__) && defined(__x86_64__) && !defined(IK_RANS_ASAN)
#define IK_RANS_ASM 1
#else
#define IK_RANS_ASM 0
#endif

constexpr std::uint64_t kLow = std::uint64_t{1} << 31;  // states live in [2^31, 2^63)
constexpr std::uint32_t kAbsentMark = std::uint32_t{1} << 31;

// The decoder's refill: if x < 2^31, x = x << 32 | w and the lane's word index advances. The
// condition holds about once per (32 / bits per symbol) symbols at random, so a branch would
// mispredict often, and compilers turn a plain ternary into one; on x86-64 one compare feeds
// both a conditional move and an add-with-carry (the carry is exactly x < 2^31).
inline void refill(std::uint64_t& x, std::uint64_t w, std::size_t& idx) {
#if defined(__GNUC__) && defined(__x86_64__)
    const std::uint64_t shifted = x << 32 | w;
    __asm__("cmpq %[low], %[x]\n\tcmovbq %[shifted], %[x]\n\tadcq $0, %[idx]"
            : [x] "+r"(x), [idx] "+rm"(idx)
            : [low] "r"(kLow), [shifted] "r"(shifted)
            : "cc");
#else
    const std::uint64_t r = x < kLow;
    const std::uint64_t keep = r - 1;  // all ones: no refill
    x = (x & keep) | ((x << 32 | w) & ~keep);
    idx += r;
#endif
}

// The encoder's renormalisation: if x >= x_max, the low word goes out below p and x keeps its
// high word. The word is stored either way (p is only moved when it is kept), and on x86-64
// one compare drives two conditional moves: an emit happens about once per (32 / bits per
// symbol) symbols at random, too often for a branch to predict.
inline void emit_word(std::uint64_t& x, std::uint64_t x_max, std::uint8_t*& p) {
    store_le32(p - 4, static_cast<std::uint32_t>(x));
#if defined(__GNUC__) && defined(__x86_64__)
    const std::uint64_t high = x >> 32;
    std::uint8_t* const below = p - 4;
    __asm__("cmpq %[x_max], %[x]\n\tcmovaeq %[high], %[x]\n\tcmovaeq %[below], %[p]"
            : [x] "+r"(x), [p] "+r"(p)
            : [x_max] "rm"(x_max), [high] "r"(high), [below] "r"(below)
            : "cc");
#else
    const std::uint64_t emit = x >= x_max;
    const std::uint64_t keep = emit - 1;  // all ones: no word out
    x = (x & keep) | ((x >> 32) & ~keep);
    p -= 4 * emit;
#endif
}

inline std::uint64_t mulhi64(std::uint64_t a, std::uint64_t b) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    return static_cast<std::uint64_t>((static_cast<u128>(a) * b) >> 64);
#elif defined(_MSC_VER) && defined(_M_X64)
    return __umulh(a, b);
#else
    const std::uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    const std::uint64_t lo = al * bl, m1 = ah * bl, m2 = al * bh, hi = ah * bh;
    const std::uint64_t mid = (lo >> 32) + (m1 & 0xffffffffu) + (m2 & 0xffffffffu);
    return hi + (m1 >> 32) + (m2 >> 32) + (mid >> 32);
#endif
}

int ceil_log2(std::size_t v) {
    int k = 0;
    while ((std::size_t{1} << k) < v) ++k;
    return k;
}

struct Move {
    double value;
    std::uint32_t symbol;
    std::uint32_t freq;  // the frequency the value was computed for (stale entries are skipped)
};
struct ByValueDesc {
    bool operator()(const Move& a, const Move& b) const {
        return a.value != b.value ? a.value < b.value : a.symbol > b.symbol;
    }
};
struct ByValueAsc {
    bool operator()(const Move& a, const Move& b) const {
        return a.value != b.value ? a.value > b.value : a.symbol > b.symbol;
    }
};

#if IK_RANS_ASM
// The lanes' states and word indices, as the asm kernel below reads and writes them.
struct RansAsmLanes {
    std::uint64_t x[kRansLanes];
    std::size_t q[kRansLanes];
};

// The select-refill decoder for byte alphabets (and, with W = 2, uint16 alphabets of up to
// 4096 symbols), `steps` rows of eight symbols, in one asm block. Compiled, the four-lane
// loop took 23 instructions per symbol (word indices spilled) and the chain of one lane's
// step (mask, slot table in L2, frequency, multiply, select: about 26 cycles) over four lanes
// bounded it. Here the eight states, the tables, the payload
// and the output take 14 registers (so that a build keeping a frame pointer still has one to
// spare), the word indices stay in memory (their add-with-carry is off the states' chain),
// frequency, start and slot table share one buffer and base register (dec8_: freq[256] and
// start[256] as 64-bit words, memory operands of the multiply and subtract, then the slot
// bytes from offset 4096), and eight chains overlap. The caller guarantees that no lane reads
// past its stream.
// One lane's step; K16 is the default precision for byte alphabets, where the slot is the
// state's low 16 bits (movzwl, no mask) and the shift an immediate, so that %rcx is free to
// hold 2^31 and the loop reads two fewer words from memory per symbol.
#define IK_LANE_HEAD(X)                                                      \
    "mov %[x" X "], %[t]\n\t"                                                \
    "and 64+%[f], %[t]\n\t"                                                 \
    "shr %%cl, %[x" X "]\n\t"
#define IK_LANE_HEAD16(X)                                                    \
    "movzwl %w[x" X "], %k[t]\n\t"                                           \
    "shr $16, %[x" X "]\n\t"
// The byte (W1) and uint16 (W2) variants differ in the slot table's entry size and offset,
// the start table's offset and the output store.
#define IK_LANE_SLOT_W1(X)                                                   \
    "movzbl 4096(%[tab],%[t]), %k[s]\n\t"                                   \
    "movb %b[s], " X "(%[out])\n\t"
#define IK_LANE_SLOT_W2(X)                                                   \
    "movzwl 65536(%[tab],%[t],2), %k[s]\n\t"                                \
    "movw %w[s], 2*" X "(%[out])\n\t"
#define IK_LANE_BODY_W1(X) IK_LANE_SLOT_W1(X) IK_LANE_BODY(X, "2048")
#define IK_LANE_BODY_W2(X) IK_LANE_SLOT_W2(X) IK_LANE_BODY(X, "32768")
#define IK_LANE_STEP(X, START)                                               \
    "imul (%[tab],%[s],8), %[x" X "]\n\t"                                   \
    "add %[t], %[x" X "]\n\t"                                               \
    "sub " START "(%[tab],%[s],8), %[x" X "]\n\t"
#define IK_LANE_BODY(X, START)                                               \
    IK_LANE_STEP(X, START)                                                   \
    "mov 8*" X "+%[f], %[t]\n\t"                                             \
    "mov (%[data],%[t],4), %k[t]\n\t"                                       \
    "mov %[x" X "], %[s]\n\t"                                               \
    "shl $32, %[s]\n\t"                                                     \
    "or %[t], %[s]\n\t"
#define IK_LANE_TAIL(X, LOW)                                                 \
    "cmp " LOW ", %[x" X "]\n\t"                                            \
    "cmovb %[s], %[x" X "]\n\t"                                             \
    "adcq $0, 8*" X "+%[f]\n\t"
// With BMI2 (the K16 loops of the avx2 and avx512 paths): %rcx is free, so the word index
// is added to in a register and stored (an add-with-carry to memory is four micro-ops), and
// rorx forms x << 32 in one (x is below 2^32 whenever the refill is taken, so the rotated-in
// high word is zero then). 15 micro-ops a symbol instead of 19: 10-16% faster on source (a).
#define IK_LANE_REFILL_Q(X)                                                  \
    "mov 8*" X "+%[f], %[t]\n\t"                                             \
    "mov (%[data],%[t],4), %k[s]\n\t"                                       \
    "rorx $32, %[x" X "], %%rcx\n\t"                                        \
    "or %%rcx, %[s]\n\t"                                                    \
    "cmp 72+%[f], %[x" X "]\n\t"                                            \
    "cmovb %[s], %[x" X "]\n\t"                                             \
    "adc $0, %[t]\n\t"                                                      \
    "mov %[t], 8*" X "+%[f]\n\t"
#define IK_LANE16_Q(X) IK_LANE_HEAD16(X) IK_LANE_SLOT_W1(X) IK_LANE_STEP(X, "2048") IK_LANE_REFILL_Q(X)
#define IK_LANE16_Q_W2(X) IK_LANE_HEAD16(X) IK_LANE_SLOT_W2(X) IK_LANE_STEP(X, "32768") IK_LANE_REFILL_Q(X)
#define IK_LANE(X) IK_LANE_HEAD(X) IK_LANE_BODY_W1(X) IK_LANE_TAIL(X, "72+%[f]")
#define IK_LANE16(X) IK_LANE_HEAD16(X) IK_LANE_BODY_W1(X) IK_LANE_TAIL(X, "%%rcx")
#define IK_LANE_W2(X) IK_LANE_HEAD(X) IK_LANE_BODY_W2(X) IK_LANE_TAIL(X, "72+%[f]")
#define IK_LANE16_W2(X) IK_LANE_HEAD16(X) IK_LANE_BODY_W2(X) IK_LANE_TAIL(X, "%%rcx")
// W: bytes per output symbol. W == 2 reads dec16_ (freq[4096] and start[4096] as 64-bit
// words, then the uint16 slot table from byte 65536).
template <bool K16, int W, bool kBmi2>
void decode_steps_x86(const std::uint64_t* tab, const std::uint8_t* data, std::uint8_t* out,
                      std::size_t steps, int k, std::uint64_t mask, RansAsmLanes& l) {
    // Everything the loop keeps in memory, in one operand (the asm has at most 30), addressed
    // from the stack pointer with fixed offsets: q[8] at 0, mask at 64, 2^31 at 72, end at 80.
    struct {
        std::size_t q[kRansLanes];
        std::uint64_t mask, low;
        const std::uint8_t* end;
    } f{{l.q[0], l.q[1], l.q[2], l.q[3], l.q[4], l.q[5], l.q[6], l.q[7]}, mask, kLow, out + W * kRansLanes * steps};
    static_assert(sizeof(f) == 88, "the asm addresses the fields by offset");
    std::uint64_t t, s;
    std::uint64_t x0 = l.x[0], x1 = l.x[1], x2 = l.x[2], x3 = l.x[3], x4 = l.x[4], x5 = l.x[5], x6 = l.x[6],
                  x7 = l.x[7];
    // %rcx: the shift count, or (K16) 2^31.
    const std::uint64_t rcx = K16 ? kLow : static_cast<std::uint64_t>(k);
    std::uint64_t rcx_out;  // the BMI2 loops' scratch in %rcx
#define IK_LOOP(L, STEP, RCX_OUT, RCX_IN)                                                      \
    __asm__ volatile("1:\n\t" L("0") L("1") L("2") L("3") L("4") L("5") L("6") L("7")           \
                     "add $" STEP ", %[out]\n\t"                                               \
                     "cmp 80+%[f], %[out]\n\t"                                                 \
                     "jb 1b\n\t"                                                               \
                     : [x0] "+r"(x0), [x1] "+r"(x1), [x2] "+r"(x2), [x3] "+r"(x3), [x4] "+r"(x4), \
                       [x5] "+r"(x5), [x6] "+r"(x6), [x7] "+r"(x7), [out] "+r"(out), [t] "=&r"(t), \
                       [s] "=&r"(s), [f] "+m"(f) RCX_OUT                                        \
                     : [tab] "r"(tab), [data] "r"(data) RCX_IN                                  \
                     : "cc", "memory")
#define IK_RCX_OUT , "=&c"(rcx_out)
#define IK_RCX_IN , "c"(rcx)
#define IK_NONE
    if (W == 1 && K16 && kBmi2) IK_LOOP(IK_LANE16_Q, "8", IK_RCX_OUT, IK_NONE);
    else if (W == 1 && K16) IK_LOOP(IK_LANE16, "8", IK_NONE, IK_RCX_IN);
    else if (W == 1) IK_LOOP(IK_LANE, "8", IK_NONE, IK_RCX_IN);
    else if (K16 && kBmi2) IK_LOOP(IK_LANE16_Q_W2, "16", IK_RCX_OUT, IK_NONE);
    else if (K16) IK_LOOP(IK_LANE16_W2, "16", IK_NONE, IK_RCX_IN);
    else IK_LOOP(IK_LANE_W2, "16", IK_NONE, IK_RCX_IN);
#undef IK_NONE
#undef IK_RCX_IN
#undef IK_RCX_OUT
#undef IK_LOOP
    l.x[0] = x0, l.x[1] = x1, l.x[2] = x2, l.x[3] = x3, l.x[4] = x4, l.x[5] = x5, l.x[6] = x6, l.x[7] = x7;
    for (int j = 0; j < kRansLanes; ++j) l.q[j] = f.q[j];
}
#undef IK_LANE16_W2
#undef IK_LANE_W2
#undef IK_LANE16
#undef IK_LANE
#undef IK_LANE16_Q_W2
#undef IK_LANE16_Q
#undef IK_LANE_REFILL_Q
#undef IK_LANE_TAIL
#undef IK_LANE_BODY_W2
#undef IK_LANE_BODY_W1
#undef IK_LANE_BODY
#undef IK_LANE_STEP
#undef IK_LANE_SLOT_W2
#undef IK_LANE_SLOT_W1
#undef IK_LANE_HEAD16
#undef IK_LANE_HEAD

// The encoder's rows, four lanes (g + 3 down to g) a pass, in one asm block, for CPUs with
// BMI2. Compiled, a symbol took about 21 micro-ops: a separate load and compare of x_max, a
// move and shift for x >> 32, a lea and a conditional move for the lane pointer, a shift by
// %cl (two micro-ops), and the entry's address in a register of its own. Here a symbol takes
// 16: x_max and the other fields are memory operands indexed by symbol * 5 (entries of 40
// bytes), shrx gives x >> 32 and the reciprocal's shift, mulx leaves %rax free, and each
// lane keeps a word index relative to the table (its words go to tab + 4 * (i - 1)) so that
// one add-with-carry of -1 both tests and moves it: the compare leaves the carry set exactly
// when x < x_max, that is when no word goes out. The emitted bits are those of the compiled
// loop. Measured on 10 MB of source (a) of benchmarks/bench_coding.py, one core: 12.6 ms with
// the absent-symbol check (compiled: 13.4-13.7) and 12.0 without (12.7-13.1); in a two-build
// harness the compiled loop also took 12 or 16 ms from one build to the next (its chains were
// scheduled differently), this one 12.5-13.
// With kCheck, cmpl goes through a register so that it can be ORed into `seen` (an absent
// symbol's cmpl has bit 31 set), and x >> 32 comes from a move and a shift to free one.
// Fourteen registers either way: a build keeping a frame pointer still has one to spare.
#define IK_ENC_X(J, CHECK)                                                   \
    "mov %k[x" J "], -4(%[tab],%[i" J "],4)\n\t"                             \
    CHECK("mov %[x" J "], %%rdx\n\tshr $32, %%rdx\n\t",                      \
          "shrx %[c32], %[x" J "], %%rdx\n\t")                               \
    "cmp 8(%[tab],%[t],8), %[x" J "]\n\t"                                    \
    "cmovae %%rdx, %[x" J "]\n\t"                                            \
    "adc $-1, %[i" J "]\n\t"                                                 \
    "mov %[x" J "], %%rdx\n\t"                                               \
    "mulx (%[tab],%[t],8), %%rdx, %%rdx\n\t"                                 \
    "mov 32(%[tab],%[t],8), %[u]\n\t"                                        \
    "shrx %[u], %%rdx, %%rdx\n\t"                                            \
    CHECK("mov 24(%[tab],%[t],8), %[u]\n\tor %k[u], %k[seen]\n\timul %[u], %%rdx\n\t", \
          "imul 24(%[tab],%[t],8), %%rdx\n\t")                               \
    "add 16(%[tab],%[t],8), %[x" J "]\n\t"                                   \
    "add %%rdx, %[x" J "]\n\t"
#define IK_ENC_CHECK(yes, no) yes
#define IK_ENC_NOCHECK(yes, no) no
#define IK_ENC_SYM1(J) "movzbl " J "(%[s]), %k[t]\n\t" "lea (%[t],%[t],4), %[t]\n\t"
#define IK_ENC_SYM2(J) "movzwl 2*" J "(%[s]), %k[t]\n\t" "lea (%[t],%[t],4), %[t]\n\t"
// Rows from the one at `s` (lane g's symbol) down to the one at `stop`; x[4] and i[4] are
// lanes g..g+3's states and word indices. Returns the OR of the symbols' cmpl if kCheck.
template <int W, bool kCheck>
std::uint32_t encode_rows_x86(const void* tab, const void* s, const void* stop, std::uint64_t* x, std::uint64_t* i) {
    std::uint64_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], i0 = i[0], i1 = i[1], i2 = i[2], i3 = i[3];
    std::uint64_t t, u, d;
    std::uint32_t seen = 0;
    const std::uint8_t* sp = static_cast<const std::uint8_t*>(s);
#define IK_ENC_LOOP(SYM, CHECK, STEP, EXTRA_OUT, EXTRA_IN)                                      \
    __asm__ volatile("1:\n\t" SYM("3") IK_ENC_X("3", CHECK) SYM("2") IK_ENC_X("2", CHECK)       \
                     SYM("1") IK_ENC_X("1", CHECK) SYM("0") IK_ENC_X("0", CHECK)                \
                     "sub $" STEP ", %[s]\n\t"                                                  \
                     "cmp %[stop], %[s]\n\t"                                                    \
                     "jae 1b\n\t"                                                               \
                     : [x0] "+r"(x0), [x1] "+r"(x1), [x2] "+r"(x2), [x3] "+r"(x3), [i0] "+r"(i0), \
                       [i1] "+r"(i1), [i2] "+r"(i2), [i3] "+r"(i3), [s] "+r"(sp), [t] "=&r"(t),  \
                       [u] "=&r"(u), "=&d"(d) EXTRA_OUT                                         \
                     : [tab] "r"(tab), [stop] "m"(stop) EXTRA_IN                                \
                     : "cc", "memory")
#define IK_ENC_SEEN , [seen] "+r"(seen)
#define IK_ENC_C32 , [c32] "r"(std::uint64_t{32})
#define IK_ENC_NONE
    if (W == 1 && kCheck) IK_ENC_LOOP(IK_ENC_SYM1, IK_ENC_CHECK, "8", IK_ENC_SEEN, IK_ENC_NONE);
    else if (W == 1) IK_ENC_LOOP(IK_ENC_SYM1, IK_ENC_NOCHECK, "8", IK_ENC_NONE, IK_ENC_C32);
    else if (kCheck) IK_ENC_LOOP(IK_ENC_SYM2, IK_ENC_CHECK, "16", IK_ENC_SEEN, IK_ENC_NONE);
    else IK_ENC_LOOP(IK_ENC_SYM2, IK_ENC_NOCHECK, "16", IK_ENC_NONE, IK_ENC_C32);
#undef IK_ENC_LOOP
    x[0] = x0, x[1] = x1, x[2] = x2, x[3] = x3, i[0] = i0, i[1] = i1, i[2] = i2, i[3] = i3;
    return seen;
}
#undef IK_ENC_NONE
#undef IK_ENC_C32
#undef IK_ENC_SEEN
#undef IK_ENC_SYM2
#undef IK_ENC_SYM1
#undef IK_ENC_NOCHECK
#undef IK_ENC_CHECK
#undef IK_ENC_X
#endif

}  // namespace

int rans_default_precision(std::size_t present_symbols) {
    const int bits = ceil_log2(std::max<std::size_t>(present_symbols, 1));
    if (present_symbols > (std::size_t{1} << 14)) return std::min(kRansMaxPrecision, bits + 2);
    return 16;
}

std::vector<std::uint32_t> rans_quantize(const std::uint64_t* counts, std::size_t n, int precision_bits) {
    if (precision_bits < 1 || precision_bits > kRansMaxPrecision)
        throw std::invalid_argument("precision_bits must be in [1, " + std::to_string(kRansMaxPrecision) + "]");
    const std::uint64_t total_slots = std::uint64_t{1} << precision_bits;
    std::vector<std::uint32_t> f(n, 0);
    double total = 0;
    std::size_t present = 0;
    for (std::size_t s = 0; s < n; ++s) {
        total += static_cast<double>(counts[s]);
        present += counts[s] != 0;
    }
    if (present == 0) return f;
    if (present > total_slots) throw std::invalid_argument("more symbols present than 2**precision_bits slots");
    std::int64_t sum = 0;
    for (std::size_t s = 0; s < n; ++s) {
        if (!counts[s]) continue;
        const double ideal = static_cast<double>(counts[s]) * static_cast<double>(total_slots) / total;
        f[s] = static_cast<std::uint32_t>(std::max(1.0, std::min(std::floor(ideal + 0.5), static_cast<double>(total_slots))));
        sum += f[s];
    }
    // Cost of taking one slot from s, gain of giving one to s (in bits of total code length).
    auto dec_cost = [&](std::size_t s) {
        return static_cast<double>(counts[s]) * std::log2(static_cast<double>(f[s]) / (f[s] - 1.0));
    };
    auto inc_gain = [&](std::size_t s) {
        return static_cast<double>(counts[s]) * std::log2((f[s] + 1.0) / static_cast<double>(f[s]));
    };
    std::priority_queue<Move, std::vector<Move>, ByValueAsc> dec;  // cheapest first
    std::priority_queue<Move, std::vector<Move>, ByValueDesc> inc;  // largest first
    auto push = [&](std::size_t s) {
        if (f[s] > 1) dec.push({dec_cost(s), static_cast<std::uint32_t>(s), f[s]});
        inc.push({inc_gain(s), static_cast<std::uint32_t>(s), f[s]});
    };
    for (std::size_t s = 0; s < n; ++s)
        if (counts[s]) push(s);
    auto top_valid = [&](auto& q) {
        while (!q.empty() && f[q.top().symbol] != q.top().freq) q.pop();
        return !q.empty();
    };
    const auto target = static_cast<std::int64_t>(total_slots);
    while (sum > target && top_valid(dec)) {
        const std::uint32_t s = dec.top().symbol;
        dec.pop();
        --f[s];
        --sum;
        push(s);
    }
    while (sum < target && top_valid(inc)) {
        const std::uint32_t s = inc.top().symbol;
        inc.pop();
        ++f[s];
        ++sum;
        push(s);
    }
    // Exchanges while one strictly pays: each lowers the cost, the cap only bounds the time.
    for (std::size_t step = 0; step < 4 * present + 64; ++step) {
        if (!top_valid(dec) || !top_valid(inc)) break;
        const Move d = dec.top(), a = inc.top();
        if (d.symbol == a.symbol || !(a.value > d.value * (1 + 1e-12) + 1e-300)) break;
        dec.pop();
        inc.pop();
        --f[d.symbol];
        ++f[a.symbol];
        push(d.symbol);
        push(a.symbol);
    }
    return f;
}

RansCodec::RansCodec(std::vector<std::uint32_t> freqs, int precision_bits) : freqs_(std::move(freqs)), k_(precision_bits) {
    if (k_ < 1 || k_ > kRansMaxPrecision) throw DecodeError("rANS precision out of range");
    if (freqs_.size() > 65536) throw DecodeError("rANS alphabet larger than 65536");
    const std::uint32_t slots = std::uint32_t{1} << k_;
    std::uint64_t sum = 0;
    for (auto f : freqs_) {
        if (f > slots) throw DecodeError("rANS frequency above 2^precision");
        sum += f;
    }
    if (sum != 0 && sum != slots) throw DecodeError("rANS frequencies do not sum to 2^precision");
    // Absent symbols: cmpl = 2^31 marks them for the encoder's check, and rcp = x_max = 0 keep
    // their arithmetic harmless until it throws.
    enc_.assign(std::max<std::size_t>(freqs_.size(), 256), EncSymbol{0, 0, 0, kAbsentMark, 0});
    dec_.assign(freqs_.size(), DecSymbol{});
    if (sum == 0) return;
    // Byte alphabets decode from dec8_'s slot bytes alone; larger ones need the uint16 table.
    const bool bytes = freqs_.size() <= 256;
    if (!bytes) slot_.assign(slots, 0);
    std::uint32_t start = 0;
    for (std::size_t s = 0; s < freqs_.size(); ++s) {
        const std::uint32_t f = freqs_[s];
        dec_[s] = {f, start};
        if (!bytes) std::fill(slot_.begin() + start, slot_.begin() + start + f, static_cast<std::uint16_t>(s));
        if (bytes) {
            if (dec8_.empty()) dec8_.assign(kDec8SlotOffset / 8 + (slots + 7) / 8, 0);
            dec8_[s] = f;
            dec8_[256 + s] = start;
            std::uint8_t* slot8 = slot8_data();
            std::fill(slot8 + start, slot8 + start + f, static_cast<std::uint8_t>(s));
        }
        if (freqs_.size() > 256 && freqs_.size() <= kDec16Symbols) {
            if (dec16_.empty()) dec16_.assign(kDec16SlotOffset / 8 + (2 * std::size_t{slots} + 7) / 8, 0);
            dec16_[s] = f;
            dec16_[kDec16Symbols + s] = start;
            // Byte copies: the slot entries share the buffer's 64-bit storage.
            std::uint8_t* slot16 = reinterpret_cast<std::uint8_t*>(dec16_.data()) + kDec16SlotOffset;
            const std::uint16_t sym = static_cast<std::uint16_t>(s);
            for (std::uint32_t j = start; j < start + f; ++j) std::memcpy(slot16 + 2 * j, &sym, 2);
        }
        if (f) {
            EncSymbol& e = enc_[s];
            e.x_max = ((kLow >> k_) << 32) * f;
            e.cmpl = slots - f;
            if (f < 2) {
                // The reciprocal of 1 does not fit; q = x - 1 instead, compensated in the bias.
                e.rcp = ~std::uint64_t{0};
                e.shift = 0;
                e.bias = start + slots - 1;
            } else {
                std::uint32_t shift = 0;
                while (f > (std::uint32_t{1} << shift)) ++shift;
                // ceil(2^(shift + 63) / f) by two 64:64 divisions (the dividend is a power of two).
                const std::uint64_t x1 = std::uint64_t{1} << (shift + 31);
                const std::uint64_t t1 = x1 / f;
                const std::uint64_t x0 = (f - 1) + ((x1 % f) << 32);
                const std::uint64_t t0 = x0 / f;
                e.rcp = t0 + (t1 << 32);
                e.shift = shift - 1;
                e.bias = start;
            }
        }
        start += f;
    }
    // The model's own entropy: what data that follows it costs per symbol.
    double bits = 0;
    for (auto f : freqs_)
        if (f) bits += static_cast<double>(f) * (k_ - std::log2(static_cast<double>(f)));
    bits_per_symbol_ = bits / slots;
    rare_emit_ = bits_per_symbol_ < 2.0;
    all_present_ = std::find(freqs_.begin(), freqs_.end(), 0u) == freqs_.end();
}

double RansCodec::min_bits_per_symbol() const {
    const std::uint32_t fmax = freqs_.empty() ? 0 : *std::max_element(freqs_.begin(), freqs_.end());
    if (fmax == 0) return 0.0;
    return std::log2(static_cast<double>(std::uint64_t{1} << k_) / fmax);
}

template <class Sym>
std::vector<std::uint8_t> RansCodec::encode(const Sym* symbols, std::size_t n) const {
    return encode_to_vector([&](const ByteAlloc& alloc) { encode_to(symbols, n, alloc); });
}

template <bool kRareEmit, bool kCheckAbsent, class Sym>
std::uint32_t RansCodec::encode_lanes(const Sym* symbols, std::size_t n, std::uint8_t** p, std::uint64_t* xs) const {
    const EncSymbol* es = enc_.data();
    std::uint32_t seen = 0;
#if IK_RANS_ASM
    static_assert(sizeof(EncSymbol) == 40 && offsetof(EncSymbol, x_max) == 8 && offsetof(EncSymbol, bias) == 16 &&
                      offsetof(EncSymbol, cmpl) == 24 && offsetof(EncSymbol, shift) == 32,
                  "encode_rows_x86 addresses the fields by offset");
    // The asm addresses each lane's words from the table (below), which needs the regions
    // (4-byte words from an operator-new block, 16-aligned) a whole number of words away.
    const bool asm_rows = !kRareEmit && kernels().scalar_bmi2 &&
                          (reinterpret_cast<std::uintptr_t>(p[0]) - reinterpret_cast<std::uintptr_t>(es)) % 4 == 0;
#endif
    // Branch-free renormalisation: the low word is always stored below the lane's pointer
    // (inside its region, since the lane has emitted fewer words than it has coded symbols),
    // and the pointer moves only when the word is kept. Lanes share nothing, so their
    // dependency chains overlap fully.
#define IK_ENC(xk, pk, idx)                                                     \
    {                                                                           \
        const EncSymbol& e = es[symbols[idx]];                                  \
        std::uint64_t v = xk;                                                   \
        if (kCheckAbsent) seen |= static_cast<std::uint32_t>(e.cmpl);           \
        if (kRareEmit) {                                                        \
            if (v >= e.x_max) {                                                 \
                pk -= 4;                                                        \
                store_le32(pk, static_cast<std::uint32_t>(v));                  \
                v >>= 32;                                                       \
            }                                                                   \
        } else {                                                                \
            emit_word(v, e.x_max, pk);                                          \
        }                                                                       \
        xk = v + e.bias + (mulhi64(v, e.rcp) >> e.shift) * e.cmpl;              \
    }
    // Eight lanes in two passes of four (lanes g..g+3), so that each pass keeps its states
    // and pointers in registers. The passes take the input in blocks of kBlockRows rows (from
    // the end, as rANS encodes), so that the second pass reads a block the first has just
    // brought into L2, not the whole input again from L3 or memory (30% on 10 MB).
    constexpr std::size_t kBlockRows = std::size_t{1} << 15;  // 256 KiB of byte symbols
    const std::size_t rows = n / kRansLanes, rest = n % kRansLanes;
    for (int j = 0; j < kRansLanes; ++j) xs[j] = kLow;
    std::size_t end = rows;
    bool first = true;  // the first block (the input's end) also takes the n % 8 tail
    do {
        const std::size_t begin = end > kBlockRows ? end - kBlockRows : 0;
        for (int g = 0; g < kRansLanes; g += 4) {
            std::uint8_t *p0 = p[g], *p1 = p[g + 1], *p2 = p[g + 2], *p3 = p[g + 3];
            std::uint64_t x0 = xs[g], x1 = xs[g + 1], x2 = xs[g + 2], x3 = xs[g + 3];
            if (first) {
                // The last n % 8 symbols first (one more for the lanes below n % 8), so that
                // the rest comes in whole rows.
                const Sym* last = symbols + rows * kRansLanes + g;
                const std::size_t here = rest > static_cast<std::size_t>(g) ? rest - g : 0;
                if (here > 3) IK_ENC(x3, p3, last + 3 - symbols)
                if (here > 2) IK_ENC(x2, p2, last + 2 - symbols)
                if (here > 1) IK_ENC(x1, p1, last + 1 - symbols)
                if (here > 0) IK_ENC(x0, p0, last - symbols)
            }
#if IK_RANS_ASM
            if (asm_rows && end > begin) {
                // Word indices relative to the table, in modular 64-bit arithmetic (a region
                // may lie below the table); the asm forms tab + 4 * i with the same wrap.
                const auto tb = reinterpret_cast<std::uintptr_t>(es);
                std::uint8_t** const ps[4] = {&p0, &p1, &p2, &p3};
                std::uint64_t xx[4] = {x0, x1, x2, x3}, ii[4];
                for (int j = 0; j < 4; ++j) ii[j] = (reinterpret_cast<std::uintptr_t>(*ps[j]) - tb) / 4;
                seen |= encode_rows_x86<sizeof(Sym), kCheckAbsent>(es, symbols + (end - 1) * kRansLanes + g,
                                                                   symbols + begin * kRansLanes + g, xx, ii);
                x0 = xx[0], x1 = xx[1], x2 = xx[2], x3 = xx[3];
                for (int j = 0; j < 4; ++j) *ps[j] = reinterpret_cast<std::uint8_t*>(tb + 4 * ii[j]);
            } else
#endif
            for (std::size_t r = end; r-- > begin;) {
                const std::size_t i = r * kRansLanes + g;
                IK_ENC(x3, p3, i + 3)
                IK_ENC(x2, p2, i + 2)
                IK_ENC(x1, p1, i + 1)
                IK_ENC(x0, p0, i)
            }
            xs[g] = x0, xs[g + 1] = x1, xs[g + 2] = x2, xs[g + 3] = x3;
            p[g] = p0, p[g + 1] = p1, p[g + 2] = p2, p[g + 3] = p3;
        }
        end = begin;
        first = false;
    } while (end > 0);
#undef IK_ENC
    return seen;
}

template <bool kCheckAbsent, class Sym>
std::uint32_t RansCodec::encode_lanes_with(const Sym* symbols, std::size_t n, std::uint8_t** p, std::uint64_t* xs) const {
    return rare_emit_ ? encode_lanes<true, kCheckAbsent>(symbols, n, p, xs)
                      : encode_lanes<false, kCheckAbsent>(symbols, n, p, xs);
}

template <class Sym>
void RansCodec::encode_to(const Sym* symbols, std::size_t n, const ByteAlloc& alloc) const {
    const std::size_t a = freqs_.size();
    // Bounds first for uint16 (a max reduction the compiler vectorises); absent symbols are
    // caught in the coding loop itself, so the data is read once more, not twice.
    // Byte symbols need no scan: the table has an entry (absent-marked if need be) for each.
    if (sizeof(Sym) > 1) {
        Sym top = 0;  // in the symbol type, so that the loop becomes packed max instructions
        for (std::size_t i = 0; i < n; ++i) top = symbols[i] > top ? symbols[i] : top;
        if (n && std::size_t{top} >= a) throw std::invalid_argument("symbols contain a value with frequency 0 or outside the alphabet");
    }
    // Each lane renormalises into its own region, written backwards from the region's end: a
    // lane emits at most one word per symbol it codes (a state below 2^63 drops under x_max
    // after one shift), so region j holds lane_symbols(j) words plus one guard word.
    std::size_t cap[kRansLanes], base[kRansLanes];
    std::size_t total_words = 0;
    for (int j = 0; j < kRansLanes; ++j) {
        cap[j] = n / kRansLanes + (static_cast<std::size_t>(j) < n % kRansLanes) + 1;
        base[j] = total_words;
        total_words += cap[j];
    }
    // Scratch memory: encoding blocks of one size (a container's, or repeated calls) reuses
    // the regions instead of faulting in fresh pages each time (15% of an encode of 10 MB).
    detail::ScratchVector<std::uint8_t> regions(4 * total_words);
    std::uint8_t* const buf = regions.data();
    std::uint8_t* p[kRansLanes];
    for (int j = 0; j < kRansLanes; ++j) p[j] = buf + 4 * (base[j] + cap[j]);
    std::uint64_t xs[kRansLanes];
    // Absent symbols carry cmpl = 2^31 (and rcp = 0, so it never reaches the state): OR-ing
    // every cmpl flags them at the cost of one instruction per symbol, and of a register the
    // loop misses (12%). So only where an absent symbol can occur: a model with a zero
    // frequency, or byte symbols beyond a smaller alphabet (uint16 symbols were bounded above).
    const bool check = !all_present_ || (sizeof(Sym) == 1 && a < 256);
    const std::uint32_t seen = check ? encode_lanes_with<true>(symbols, n, p, xs) : encode_lanes_with<false>(symbols, n, p, xs);
    if (seen >> 31) throw std::invalid_argument("symbols contain a value with frequency 0 or outside the alphabet");
    const std::uint8_t* const* starts = p;
    std::size_t words[kRansLanes];
    std::size_t used = 4 * kRansHeaderWords;
    for (int j = 0; j < kRansLanes; ++j) {
        words[j] = base[j] + cap[j] - static_cast<std::size_t>(starts[j] - buf) / 4;
        used += 4 * words[j];
    }
    for (int j = 0; j + 1 < kRansLanes; ++j)
        if (words[j] > 0xffffffffu) throw std::invalid_argument("rANS lane stream above 2^32 words");
    std::uint8_t* out = alloc(used);
    for (int j = 0; j < kRansLanes; ++j) store_le64(out + 8 * j, xs[j]);
    for (int j = 0; j + 1 < kRansLanes; ++j) store_le32(out + 8 * kRansLanes + 4 * j, static_cast<std::uint32_t>(words[j]));
    std::uint8_t* q = out + 4 * kRansHeaderWords;
    for (int j = 0; j < kRansLanes; ++j) {
        if (words[j]) std::memcpy(q, starts[j], 4 * words[j]);
        q += 4 * words[j];
    }
}

RansLanes RansCodec::parse_lanes(const std::uint8_t* data, std::size_t size, std::size_t n) const {
    if (size % 4 != 0) throw DecodeError("rANS payload is not a whole number of words");
    const std::size_t nwords = size / 4;
    if (nwords < kRansHeaderWords) throw DecodeError("rANS payload shorter than its lane states and stream sizes");
    if (n > 0 && slot_.empty() && dec8_.empty()) throw DecodeError("rANS model has no symbols");
    RansLanes st;
    std::size_t pos = kRansHeaderWords;
    for (int j = 0; j < kRansLanes; ++j) {
        st.x[j] = load_le64(data + 8 * j);
        if (st.x[j] < kLow || st.x[j] >> 63) throw DecodeError("rANS lane state out of range");
        // Each stream's bounds are checked against the payload here, once; the lengths are
        // summed in 64 bits so lengths that lie cannot wrap.
        const std::size_t len = j + 1 < kRansLanes ? load_le32(data + 8 * kRansLanes + 4 * j) : 0;
        if (j + 1 < kRansLanes && len > nwords - pos) throw DecodeError("rANS lane stream extends past the payload");
        st.begin[j] = pos;
        st.end[j] = j + 1 < kRansLanes ? pos + len : nwords;
        pos = st.end[j];
    }
    return st;
}

template <class Sym>
void RansCodec::decode(const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    if (sizeof(Sym) == 1 && freqs_.size() > 256) throw std::invalid_argument("alphabet too large for uint8 output");
    RansLanes st = parse_lanes(data, size, n);
    decode_from(st, data, size, out, n);
}

template <class Sym>
void RansCodec::decode_from(RansLanes& st, const std::uint8_t* data, std::size_t size, Sym* out, std::size_t n) const {
    // Below 2 bits per symbol a lane refills at most once per 16 symbols, so a branch predicts
    // well and costs less than the select (which waits for the word load every time).
    if (8 * std::uint64_t{size} < 2 * std::uint64_t{n}) {
        if (!dec8_.empty()) return decode_with<true>(slot8_data(), data, st, out, n);
        return decode_with<true>(slot_.data(), data, st, out, n);
    }
    if (!dec8_.empty()) return decode_with<false>(slot8_data(), data, st, out, n);
    decode_with<false>(slot_.data(), data, st, out, n);
}

detail::ScratchVector<std::uint64_t> RansCodec::group_table() const {
    detail::ScratchVector<std::uint64_t> table;
    if (k_ > 16 || kernels().rans_decode_rows == nullptr || (slot_.empty() && dec8_.empty())) return table;
    table.resize(std::size_t{1} << k_);  // every slot is written below: the frequencies sum to 2^k
    std::uint64_t start = 0;
    for (std::size_t s = 0; s < freqs_.size(); ++s) {
        const std::uint64_t f = freqs_[s];
        for (std::uint64_t j = 0; j < f; ++j) table[start + j] = f | std::uint64_t{s} << 32 | j << 48;
        start += f;
    }
    return table;
}

template <class Sym>
void RansCodec::decode_group(const std::uint64_t* table, const Part<Sym>* parts, std::size_t count) const {
    if (count > kMaxGroup) throw std::invalid_argument("rANS decode_group takes at most eight payloads");
    if (sizeof(Sym) == 1 && freqs_.size() > 256) throw std::invalid_argument("alphabet too large for uint8 output");
    RansLanes st[kMaxGroup];
    std::size_t done[kMaxGroup] = {};
    for (std::size_t b = 0; b < count; ++b) st[b] = parse_lanes(parts[b].data, parts[b].size, parts[b].n);
    const simd::RansDecodeRowsFn rows = table ? kernels().rans_decode_rows : nullptr;
    if (rows && k_ <= 16 && count >= kMinGroup) {
        simd::RansLaneState lanes[kMaxGroup];
        for (std::size_t b = 0; b < count; ++b) {
            std::copy(st[b].x, st[b].x + kRansLanes, lanes[b].x);
            std::copy(st[b].begin, st[b].begin + kRansLanes, lanes[b].q);
            lanes[b].words = parts[b].data;
            lanes[b].out = reinterpret_cast<std::uint8_t*>(parts[b].out);
        }
        bool active[kMaxGroup] = {};
        std::fill(active, active + count, true);
        for (;;) {
            // Rows every active payload can take without a lane running out of words (as in
            // decode_with); a payload that cannot take 16 more leaves the group for good.
            simd::RansLaneState run[kMaxGroup];
            std::size_t who[kMaxGroup], live = 0, steps = ~std::size_t{0};
            for (std::size_t b = 0; b < count; ++b) {
                if (!active[b]) continue;
                std::size_t bound = (parts[b].n - done[b]) / kRansLanes;
                for (int j = 0; j < kRansLanes; ++j) bound = std::min<std::size_t>(bound, st[b].end[j] - lanes[b].q[j]);
                if (bound < 16) {
                    active[b] = false;
                    continue;
                }
                steps = std::min(steps, bound);
                run[live] = lanes[b];
                who[live++] = b;
            }
            if (live < kMinGroup) break;
            rows(table, k_, static_cast<int>(sizeof(Sym)), run, static_cast<int>(live), steps);
            for (std::size_t i = 0; i < live; ++i) {
                lanes[who[i]] = run[i];
                done[who[i]] += kRansLanes * steps;
            }
        }
        for (std::size_t b = 0; b < count; ++b) {
            std::copy(lanes[b].x, lanes[b].x + kRansLanes, st[b].x);
            std::copy(lanes[b].q, lanes[b].q + kRansLanes, st[b].begin);
        }
    }
    for (std::size_t b = 0; b < count; ++b)
        decode_from(st[b], parts[b].data, parts[b].size, parts[b].out + done[b], parts[b].n - done[b]);
}

template <bool kRareRefill, class Slot, class Sym>
void RansCodec::decode_with(const Slot* slot, const std::uint8_t* data, RansLanes& st, Sym* out,
                            std::size_t n) const {
    const std::uint64_t mask = (std::uint64_t{1} << k_) - 1;
    const DecSymbol* ds = dec_.data();
    const int k = k_;
    // States and word indices in named locals (not arrays) so that the stores to `out` cannot
    // alias them. Each lane reads its own stream, so the refill is a select, not a branch: the
    // next word is loaded whether or not it is needed, which is safe because the loop below only
    // runs while every lane has at least as many words left as steps to go.
    std::uint64_t x0 = st.x[0], x1 = st.x[1], x2 = st.x[2], x3 = st.x[3];
    std::uint64_t x4 = st.x[4], x5 = st.x[5], x6 = st.x[6], x7 = st.x[7];
    std::size_t q0 = st.begin[0], q1 = st.begin[1], q2 = st.begin[2], q3 = st.begin[3];
    std::size_t q4 = st.begin[4], q5 = st.begin[5], q6 = st.begin[6], q7 = st.begin[7];
#define IK_DEC(xk, qk, idx)                                                         \
    {                                                                               \
        const std::uint64_t v = xk;                                                 \
        const std::uint32_t sl = static_cast<std::uint32_t>(v & mask);              \
        const std::uint32_t s = slot[sl];                                           \
        const DecSymbol d = ds[s];                                                  \
        xk = d.freq * (v >> k) + sl - d.start;                                      \
        if (kRareRefill) {                                                          \
            if (xk < kLow) xk = xk << 32 | load_le32(data + 4 * qk++);              \
        } else {                                                                    \
            refill(xk, load_le32(data + 4 * qk), qk);                               \
        }                                                                           \
        out[idx] = static_cast<Sym>(s);                                             \
    }
    std::size_t i = 0;
    for (;;) {
        // Steps (rows of eight symbols) that cannot run any lane out of words.
        std::size_t steps = (n - i) / kRansLanes;
        steps = std::min({steps, st.end[0] - q0, st.end[1] - q1, st.end[2] - q2, st.end[3] - q3});
        steps = std::min({steps, st.end[4] - q4, st.end[5] - q5, st.end[6] - q6, st.end[7] - q7});
        if (steps < 16) break;
#if IK_RANS_ASM
        const bool bytes = sizeof(Slot) == 1 && sizeof(Sym) == 1;
        if (!kRareRefill && (bytes || (sizeof(Slot) == 2 && sizeof(Sym) == 2 && !dec16_.empty()))) {
            RansAsmLanes l{{x0, x1, x2, x3, x4, x5, x6, x7}, {q0, q1, q2, q3, q4, q5, q6, q7}};
            std::uint8_t* const o = reinterpret_cast<std::uint8_t*>(out + i);
            const bool bmi2 = kernels().scalar_bmi2;
            if (bytes)
                (k != 16 ? decode_steps_x86<false, 1, false>
                 : bmi2  ? decode_steps_x86<true, 1, true>
                         : decode_steps_x86<true, 1, false>)(dec8_.data(), data, o, steps, k, mask, l);
            else
                (k != 16 ? decode_steps_x86<false, 2, false>
                 : bmi2  ? decode_steps_x86<true, 2, true>
                         : decode_steps_x86<true, 2, false>)(dec16_.data(), data, o, steps, k, mask, l);
            x0 = l.x[0], x1 = l.x[1], x2 = l.x[2], x3 = l.x[3], x4 = l.x[4], x5 = l.x[5], x6 = l.x[6], x7 = l.x[7];
            q0 = l.q[0], q1 = l.q[1], q2 = l.q[2], q3 = l.q[3], q4 = l.q[4], q5 = l.q[5], q6 = l.q[6], q7 = l.q[7];
            i += kRansLanes * steps;
            continue;
        }
#endif
        for (const std::size_t stop = i + kRansLanes * steps; i < stop; i += kRansLanes) {
            IK_DEC(x0, q0, i)
            IK_DEC(x1, q1, i + 1)
            IK_DEC(x2, q2, i + 2)
            IK_DEC(x3, q3, i + 3)
            IK_DEC(x4, q4, i + 4)
            IK_DEC(x5, q5, i + 5)
            IK_DEC(x6, q6, i + 6)
            IK_DEC(x7, q7, i + 7)
        }
    }
#undef IK_DEC
    // Tail, bounded: past a stream's end a zero word keeps going; the final checks reject it.
    std::uint64_t x[kRansLanes] = {x0, x1, x2, x3, x4, x5, x6, x7};
    std::size_t pos[kRansLanes] = {q0, q1, q2, q3, q4, q5, q6, q7};
    for (; i < n; ++i) {
        const std::size_t j = i % kRansLanes;
        const std::uint64_t v = x[j];
        const std::uint32_t sl = static_cast<std::uint32_t>(v & mask);
        const std::uint32_t s = slot[sl];
        const DecSymbol d = ds[s];
        std::uint64_t nx = d.freq * (v >> k) + sl - d.start;
        if (nx < kLow) {
            const std::uint32_t w = pos[j] < st.end[j] ? load_le32(data + 4 * pos[j]) : 0u;
            ++pos[j];
            nx = nx << 32 | w;
        }
        x[j] = nx;
        out[i] = static_cast<Sym>(s);
    }
    for (int j = 0; j < kRansLanes; ++j) {
        if (pos[j] != st.end[j]) throw DecodeError("rANS payload length does not match its symbols");
        if (x[j] != kLow) throw DecodeError("rANS final state mismatch (corrupt payload)");
    }
}

void RansCodec::serialize(ByteWriter& w) const {
    w.u8(static_cast<std::uint32_t>(k_));
    w.u32(static_cast<std::uint32_t>(freqs_.size()));
    write_zero_runs(w, freqs_, [&w](std::uint32_t f) { w.varint(f); });
}

RansCodec RansCodec::deserialize(ByteReader& r) {
    const int k = static_cast<int>(r.u8("rANS precision"));
    if (k < 1 || k > kRansMaxPrecision) throw DecodeError("rANS precision out of range");
    const std::uint32_t a = r.u32("rANS alphabet size");
    if (a > 65536) throw DecodeError("rANS alphabet larger than 65536");
    auto f = read_zero_runs<std::uint32_t>(r, a, [&r, k] {
        const std::uint64_t v = r.varint("rANS frequency");
        // Checked before narrowing, so a huge varint cannot wrap to a plausible frequency.
        if (v > (std::uint64_t{1} << k)) throw DecodeError("rANS frequency above 2^precision");
        return static_cast<std::uint32_t>(v);
    }, "rANS zero run");
    return RansCodec(std::move(f), k);
}

template std::vector<std::uint8_t> RansCodec::encode<std::uint8_t>(const std::uint8_t*, std::size_t) const;
template std::vector<std::uint8_t> RansCodec::encode<std::uint16_t>(const std::uint16_t*, std::size_t) const;
template void RansCodec::encode_to<std::uint8_t>(const std::uint8_t*, std::size_t, const ByteAlloc&) const;
template void RansCodec::encode_to<std::uint16_t>(const std::uint16_t*, std::size_t, const ByteAlloc&) const;
template void RansCodec::decode<std::uint8_t>(const std::uint8_t*, std::size_t, std::uint8_t*, std::size_t) const;
template void RansCodec::decode<std::uint16_t>(const std::uint8_t*, std::size_t, std::uint16_t*, std::size_t) const;
template void RansCodec::decode_group<std::uint8_t>(const std::uint64_t*, const Part<std::uint8_t>*, std::size_t) const;
template void RansCodec::decode_group<std::uint16_t>(const std::uint64_t*, const Part<std::uint16_t>*, std::size_t) const;

}  // namespace infokit::coding
