"""Generate csrc/infokit/simd/vecmath_tables.hpp: the tables and polynomial
coefficients behind infokit's vector log and exp.

Run with mpmath installed:  python tools/gen_vecmath_tables.py > csrc/infokit/simd/vecmath_tables.hpp

Design (the error analysis lives next to each kernel in vecmath_impl.hpp):
* log: x = 2^k * m with m in [LOG_OFF, 2 LOG_OFF); 16 sub-intervals chosen by the top
  bits of (bits(x) - LOG_OFF); the interval holding 1.0 is centred (in value) on 1.0 and
  uses c = 1 exactly, so log(x) near 1 is computed without cancellation.
  log(x) = k ln2 - log(invc) + log1p(m*invc - 1), with log(invc) stored as hi + lo (and
  rounded once, with a shorter polynomial, for the few-ULP log the reductions use).
* float32 log of the reductions: the same construction on float32 bits, 1/c and log(c)
  rounded to float32 (a 16-entry float32 table is one AVX-512 register).
* exp: x = (16 k + j) ln2/16 + r, exp(x) = 2^k 2^(j/16) exp(r), 2^(j/16) as hi bits + tail.
"""
import struct
import mpmath as mp

mp.mp.prec = 256


def bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", b & 0xFFFFFFFFFFFFFFFF))[0]


def to_double(v) -> float:
    return float(mp.mpf(v))


def fit(func, lo, hi, degree, npts=400):
    """Weighted least squares on Chebyshev nodes (close to minimax), absolute error."""
    xs = [mp.mpf(lo + hi) / 2 + mp.mpf(hi - lo) / 2 * mp.cos(mp.pi * (i + mp.mpf(1) / 2) / npts)
          for i in range(npts)]
    A = mp.matrix(npts, degree + 1)
    b = mp.matrix(npts, 1)
    for i, x in enumerate(xs):
        for j in range(degree + 1):
            A[i, j] = x ** j
        b[i] = func(x)
    coef = mp.lu_solve(A.T * A, A.T * b)
    return [to_double(coef[j]) for j in range(degree + 1)]


def max_err(func, coefs, lo, hi, weight, n=4000):
    worst = mp.mpf(0)
    for i in range(n + 1):
        x = mp.mpf(lo) + (mp.mpf(hi) - mp.mpf(lo)) * i / n
        p = mp.mpf(0)
        for c in reversed(coefs):
            p = p * x + mp.mpf(c)
        e = abs(p - func(x)) * weight(x)
        worst = max(worst, e)
    return worst


# ---------------------------------------------------------------- log tables
N = 16
ONE = bits(1.0)
LOG_OFF = ONE - 9 * (1 << 48) - (2 * (1 << 48)) // 3   # 1.0 sits 2/3 into interval 9
idx_one = ((ONE - LOG_OFF) >> 48) & 15
invc, logc_hi, logc_lo, logc, max_r = [], [], [], [], mp.mpf(0)
for i in range(N):
    lo_b = LOG_OFF + i * (1 << 48)
    hi_b = LOG_OFF + (i + 1) * (1 << 48)
    lo_v, hi_v = mp.mpf(from_bits(lo_b)), mp.mpf(from_bits(hi_b))
    if i == idx_one:
        ic = 1.0
    else:
        c = (lo_v + hi_v) / 2
        ic = to_double(1 / c)
    r_lo = lo_v * ic - 1
    r_hi = hi_v * ic - 1
    max_r = max(max_r, abs(r_lo), abs(r_hi))
    lc = -mp.log(mp.mpf(ic))
    h = float(mp.nint(lc * 2**43) / 2**43)     # multiple of 2^-43: k*LN2_HI + h is exact
    invc.append(ic)
    logc_hi.append(h)
    logc_lo.append(to_double(lc - mp.mpf(h)))
    logc.append(to_double(lc))

LN2 = mp.log(2)
LN2_HI = float(mp.nint(LN2 * 2**42) / 2**42)
LN2_LO = to_double(LN2 - mp.mpf(LN2_HI))
R = to_double(max_r * mp.mpf("1.02"))

# log1p(r) = r - r^2/2 + r^3 P(r)
def log_tail(r):
    if r == 0:
        return mp.mpf(1) / 3
    return (mp.log1p(r) - r + r * r / 2) / r**3

LOG_P64 = fit(log_tail, -R, R, 7)
log_p64_err = max_err(log_tail, LOG_P64, -R, R, lambda r: r * r)   # abs error of r^3 P / |r|
# The reductions' log (terms of a sum need a few ULP, not 0.52): one fewer coefficient.
LOG_P64_SUM = fit(log_tail, -R, R, 6)
log_p64_sum_err = max_err(log_tail, LOG_P64_SUM, -R, R, lambda r: r * r)
LOG_P32 = fit(log_tail, -R, R, 3)
log_p32_err = max_err(log_tail, LOG_P32, -R, R, lambda r: r * r)

# ------------------------------------------- float32 log for the float32 reductions
# The same construction on float32 bits (index = bits 19-22 of bits(x) - LOG_OFF_F32), with
# 1/c and log(c) rounded to float32: a 16-entry float32 table fills one 512-bit register.
def f32(v) -> float:
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


ONE_F = 0x3F800000
LOG_OFF_F32 = ONE_F - 9 * (1 << 19) - (2 * (1 << 19)) // 3
idx_one_f = ((ONE_F - LOG_OFF_F32) >> 19) & 15
invc_f, logc_f, max_r_f = [], [], mp.mpf(0)
for i in range(N):
    lo_v = mp.mpf(struct.unpack("<f", struct.pack("<I", LOG_OFF_F32 + i * (1 << 19)))[0])
    hi_v = mp.mpf(struct.unpack("<f", struct.pack("<I", LOG_OFF_F32 + (i + 1) * (1 << 19)))[0])
    ic = 1.0 if i == idx_one_f else f32(1 / ((lo_v + hi_v) / 2))
    max_r_f = max(max_r_f, abs(lo_v * ic - 1), abs(hi_v * ic - 1))
    invc_f.append(ic)
    logc_f.append(f32(-mp.log(mp.mpf(ic))))
R_F = float(max_r_f * mp.mpf("1.02"))
LOG_P32_SUM = [f32(c) for c in fit(log_tail, -R_F, R_F, 2)]
log_p32_sum_err = max_err(log_tail, LOG_P32_SUM, -R_F, R_F, lambda r: r * r)

# ---------------------------------------------------------------- exp tables
EXP_N = 16
exp_tbl_bits, exp_tail = [], []
for j in range(EXP_N):
    v = mp.mpf(2) ** (mp.mpf(j) / EXP_N)
    h = to_double(v)
    exp_tbl_bits.append(bits(h) - (j << 48))
    exp_tail.append(to_double((v - mp.mpf(h)) / mp.mpf(h)))
INV_LN2_N = to_double(EXP_N / LN2)
LN2_N = LN2 / EXP_N
LN2_N_HI = float(mp.nint(LN2_N * 2**42) / 2**42)   # 38 bits: kd (< 2^15) * hi is exact
LN2_N_LO = to_double(LN2_N - mp.mpf(LN2_N_HI))
RE = to_double(LN2_N / 2 * mp.mpf("1.02"))

# exp(r) = 1 + r + r^2/2 + r^3 Q(r)
def exp_tail_fn(r):
    if r == 0:
        return mp.mpf(1) / 6
    return (mp.exp(r) - 1 - r - r * r / 2) / r**3

EXP_Q64 = fit(exp_tail_fn, -RE, RE, 4)
exp_q64_err = max_err(exp_tail_fn, EXP_Q64, -RE, RE, lambda r: abs(r) ** 3)
EXP_Q32 = fit(exp_tail_fn, -RE, RE, 1)
exp_q32_err = max_err(exp_tail_fn, EXP_Q32, -RE, RE, lambda r: abs(r) ** 3)


def arr(name, vals, ctype="double"):
    if ctype == "double":
        body = ",\n    ".join(float(v).hex() for v in vals)
    elif ctype == "float":
        body = ",\n    ".join(float(v).hex() + "f" for v in vals)
    else:
        body = ",\n    ".join(f"0x{v:016x}ull" for v in vals)
    return f"alignas(64) inline constexpr {ctype} {name}[{len(vals)}] = {{\n    {body}}};\n"


out = []
out.append("// Generated by tools/gen_vecmath_tables.py; do not edit by hand.\n")
out.append("// Tables and polynomial coefficients for the vector log and exp in vecmath_impl.hpp.\n")
out.append("#pragma once\n#include <cstdint>\n\nnamespace infokit::simd::tables {\n\n")
out.append(f"// log: bits(x) - LOG_OFF selects one of 16 intervals; max |r| = {float(max_r):.6f}\n")
out.append(f"inline constexpr std::uint64_t LOG_OFF = 0x{LOG_OFF:016x}ull;\n")
out.append(f"inline constexpr double LN2_HI = {LN2_HI.hex()};  // 42 significant bits\n")
out.append(f"inline constexpr double LN2_LO = {LN2_LO.hex()};\n")
out.append(arr("LOG_INVC", invc))
out.append(arr("LOG_LOGC_HI", logc_hi))
out.append(arr("LOG_LOGC_LO", logc_lo))
out.append("// -log(invc) rounded once, for the reductions' log\n")
out.append(arr("LOG_LOGC", logc))
out.append(f"// log1p(r) = r - r^2/2 + r^3 P(r); |r^3 P - tail| / |r| <= {float(log_p64_err):.3e} (2^{float(mp.log(log_p64_err, 2)):.1f})\n")
out.append(arr("LOG_P64", LOG_P64))
out.append(f"// the reductions' variant: error / |r| <= {float(log_p64_sum_err):.3e} (2^{float(mp.log(log_p64_sum_err, 2)):.1f})\n")
out.append(arr("LOG_P64_SUM", LOG_P64_SUM))
out.append(f"// float32 variant: error / |r| <= {float(log_p32_err):.3e} (2^{float(mp.log(log_p32_err, 2)):.1f})\n")
out.append(arr("LOG_P32", LOG_P32))
out.append(f"\n// float32 log for the float32 reductions: bits(x) - LOG_OFF_F32 selects one of 16 intervals;\n"
           f"// max |r| = {float(max_r_f):.6f}\n")
out.append(f"inline constexpr std::uint32_t LOG_OFF_F32 = 0x{LOG_OFF_F32:08x}u;\n")
out.append(arr("LOG_INVC_F32", invc_f, "float"))
out.append(arr("LOG_LOGC_F32", logc_f, "float"))
out.append(f"// log1p(r) = r - r^2/2 + r^3 P(r); error / |r| <= {float(log_p32_sum_err):.3e} (2^{float(mp.log(log_p32_sum_err, 2)):.1f})\n")
out.append(arr("LOG_P32_SUM", LOG_P32_SUM, "float"))
out.append(f"\n// exp: k = round(x * 16/ln2), r = x - k ln2/16, |r| <= {RE:.6f}\n")
out.append(f"inline constexpr double EXP_INV_LN2_N = {INV_LN2_N.hex()};\n")
out.append(f"inline constexpr double EXP_LN2_N_HI = {LN2_N_HI.hex()};\n")
out.append(f"inline constexpr double EXP_LN2_N_LO = {LN2_N_LO.hex()};\n")
out.append(arr("EXP_TBL_BITS", exp_tbl_bits, "std::uint64_t"))
out.append(arr("EXP_TAIL", exp_tail))
out.append(f"// exp(r) = 1 + r + r^2/2 + r^3 Q(r); abs error <= {float(exp_q64_err):.3e} (2^{float(mp.log(exp_q64_err, 2)):.1f})\n")
out.append(arr("EXP_Q64", EXP_Q64))
out.append(f"// float32 variant: abs error <= {float(exp_q32_err):.3e} (2^{float(mp.log(exp_q32_err, 2)):.1f})\n")
out.append(arr("EXP_Q32", EXP_Q32))
out.append("\n}  // namespace infokit::simd::tables\n")
print("".join(out), end="")
