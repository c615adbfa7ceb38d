#!/usr/bin/env bash
# Checks the AVX-512 kernels on a CPU without AVX-512: compiles them against SIMDe (Debian's
# libsimde-dev), which implements the intrinsics portably, and runs tools/check_avx512_emulated.cpp.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
flags=(-std=c++17 -O2 -Wno-psabi -ffp-contract=off -I"$root/csrc" -DINFOKIT_HAVE_X86_TARGETS=1)
g++ "${flags[@]}" -mavx2 -mfma -DINFOKIT_EMULATE_AVX512 -c "$root/csrc/infokit/simd/target_avx512.cpp" -o "$out/avx512.o"
g++ "${flags[@]}" -c "$root/csrc/infokit/simd/target_baseline.cpp" -o "$out/baseline.o"
g++ "${flags[@]}" "$root/tools/check_avx512_emulated.cpp" "$out/avx512.o" "$out/baseline.o" -o "$out/check"
"$out/check"
