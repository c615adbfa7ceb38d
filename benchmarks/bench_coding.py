"""Side-by-side runner for infokit.coding against zlib's Huffman-only mode and constriction.

Same arrays (fixed seeds), same process, alternating A B A B after a warm-up, median of each
side and median of the per-pair ratios. MB/s counts input symbol bytes (n x itemsize) per
second for encode and decode alike. Prints Markdown tables. Run: python benchmarks/bench_coding.py
[--n 10000000] [--reps 5] [--sources abcd] [--real-mb 8]

Sources (a)-(c) are the issue's synthetic ones; (d) are real files found on this machine at run
time: the Python standard library's .py sources concatenated (in sorted path order) and
numpy's core extension module (or libpython), each truncated to --real-mb; a file that
cannot be found is skipped with a note.
"""
from __future__ import annotations

import argparse
import glob
import os
import platform
import statistics
import sys
import sysconfig
import time
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np

import infokit
from infokit.coding import AdaptiveArithmeticCoder, HuffmanCode, RansCoder, compress, decompress

try:
    import constriction
except ImportError:  # the comparison is skipped without it
    constriction = None


def sources(n: int, which: str, real_bytes: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    p = 0.95 ** np.arange(256)
    z = 1.0 / np.arange(1, 4097)
    out = {}
    # Drawn in a fixed order whatever is selected, so each source is the same in every run.
    a = rng.choice(256, size=n, p=p / p.sum()).astype(np.uint8)
    b = (rng.random(n) < 0.013).astype(np.uint8)
    c = rng.choice(4096, size=n, p=z / z.sum()).astype(np.uint16)
    if "a" in which:
        out["(a) geometric 256"] = a
    if "b" in which:
        out["(b) skewed binary"] = b
    if "c" in which:
        out["(c) Zipf 4096 (uint16)"] = c
    if "d" in which:
        out.update(real_files(real_bytes))
    return out


def stdlib_sources(limit: int) -> bytes:
    """The standard library's .py files, in sorted path order, concatenated up to `limit` bytes."""
    root = sysconfig.get_paths()["stdlib"]
    chunks, size = [], 0
    for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        chunks.append(data)
        size += len(data)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def shared_library() -> str | None:
    """numpy's core extension module, else libpython: a typical machine-code file."""
    here = os.path.dirname(np.__file__)
    for pattern in ("_core/_multiarray_umath*.so", "core/_multiarray_umath*.so", "_core/_multiarray_umath*.pyd"):
        found = sorted(glob.glob(os.path.join(here, pattern)))
        if found:
            return found[0]
    lib = sysconfig.get_config_var("LDLIBRARY")
    libdir = sysconfig.get_config_var("LIBDIR")
    if lib and libdir and os.path.isfile(os.path.join(libdir, lib)):
        return os.path.join(libdir, lib)
    return None


def real_files(limit: int) -> dict[str, np.ndarray]:
    out = {}
    text = stdlib_sources(limit)
    if text:
        out[f"(d) stdlib .py, {len(text) / 1e6:.1f} MB"] = np.frombuffer(text, dtype=np.uint8)
    else:
        print("(d) standard library sources not found: skipped", file=sys.stderr)
    so = shared_library()
    if so is not None:
        with open(so, "rb") as f:
            data = f.read(limit)
        out[f"(d) {os.path.basename(so)}, {len(data) / 1e6:.1f} MB"] = np.frombuffer(data, dtype=np.uint8)
    else:
        print("(d) no shared library found: skipped", file=sys.stderr)
    return out


def entropy_bits(x: np.ndarray) -> float:
    c = np.bincount(x).astype(np.float64)
    p = c[c > 0] / c.sum()
    return float(-(p * np.log2(p)).sum())


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def pair(a: Callable[[], Any], b: Callable[[], Any], reps: int) -> tuple[float, float, float]:
    """Median time of a, of b, and median of the per-pair ratios t_b / t_a."""
    a(), b()
    ta, tb = [], []
    for _ in range(reps):
        ta.append(timed(a))
        tb.append(timed(b))
    return statistics.median(ta), statistics.median(tb), statistics.median(y / x for x, y in zip(ta, tb))


def zlib_huffman(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_HUFFMAN_ONLY)
    return c.compress(data) + c.flush()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--sources", default="abcd", help="which of the sources a, b, c, d to run")
    ap.add_argument("--real-mb", type=float, default=8.0, help="bytes of each real file (d), in MB")
    args = ap.parse_args()
    cfg = infokit._config.config()
    print(f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; ISA {cfg['isa']}; "
          f"infokit {cfg['version']}, numpy {np.__version__}, zlib {zlib.ZLIB_VERSION}, "
          f"constriction {'0.5' if constriction else 'not installed'}; {time.strftime('%Y-%m-%d')}; "
          f"n = {args.n} for (a)-(c), median of {args.reps} ({3 * args.reps} for two threads against one); "
          "coder objects single-threaded, container n_threads as stated\n")
    speed = ["| source | operation | infokit MB/s | peer | peer MB/s | speed-up (median of pairs) |",
             "|---|---|---:|---|---:|---:|"]
    sizes = ["| source | H (bits/sym) | coder | payload bits/sym | payload vs n*H | header B |",
             "|---|---:|---|---:|---:|---:|"]
    for name, x in sources(args.n, args.sources, int(args.real_mb * 1e6)).items():
        mb = x.nbytes / 1e6
        h = entropy_bits(x)
        raw = x.tobytes()

        def row(op: str, ta: float, peer: str, tb: float, ratio: float) -> None:
            speed.append(f"| {name} | {op} | {mb / ta:.0f} | {peer} | {mb / tb:.0f} | {ratio:.1f}x |")

        huff = HuffmanCode.from_data(x)
        rans = RansCoder.from_data(x)
        arith = AdaptiveArithmeticCoder(int(x.max()) + 1)
        eh, er, ea = huff.encode(x), rans.encode(x), arith.encode(x)
        for label, coder, enc in (("huffman", huff, eh), ("rans", rans, er), ("arith", arith, ea)):
            header = len(coder.to_bytes()) if hasattr(coder, "to_bytes") else 0
            sizes.append(f"| {name} | {h:.4f} | {label} | {8 * len(enc) / x.size:.5f} | "
                         f"{100 * (8 * len(enc) / (x.size * h) - 1):+.4f} % | {header} |")
        if x.dtype == np.uint8:
            zh = zlib_huffman(raw)
            sizes.append(f"| {name} | {h:.4f} | zlib Z_HUFFMAN_ONLY | {8 * len(zh) / x.size:.5f} | "
                         f"{100 * (8 * len(zh) / (x.size * h) - 1):+.4f} % | (in stream) |")
        if constriction is not None:
            probs = np.bincount(x).astype(np.float64)
            probs /= probs.sum()
            model = constriction.stream.model.Categorical(probs, perfect=False)
            xi = x.astype(np.int32)

            def c_enc() -> Any:
                c = constriction.stream.stack.AnsCoder()
                c.encode_reverse(xi, model)
                return c.get_compressed()

            comp = c_enc()
            sizes.append(f"| {name} | {h:.4f} | constriction AnsCoder | {32 * comp.size / x.size:.5f} | "
                         f"{100 * (32 * comp.size / (x.size * h) - 1):+.4f} % | (model in Python) |")
        results = []
        if x.dtype == np.uint8:
            results.append(("Huffman encode", lambda: huff.encode(x), "zlib Z_HUFFMAN_ONLY", lambda: zlib_huffman(raw)))
            results.append(("Huffman decode", lambda: huff.decode(eh, x.size), "zlib decompress",
                            lambda: zlib.decompress(zh)))
            blob_h = compress(x, "huffman", n_threads=1)
            blob_r = compress(x, "rans", n_threads=1)
            results.append(("decompress huffman container, 1 thread", lambda: decompress(blob_h, n_threads=1),
                            "zlib decompress", lambda: zlib.decompress(zh)))
            results.append(("decompress rans container, 1 thread", lambda: decompress(blob_r, n_threads=1),
                            "zlib decompress", lambda: zlib.decompress(zh)))
        if constriction is not None:
            results.append(("rANS encode", lambda: rans.encode(x), "constriction AnsCoder", c_enc))
            results.append(("rANS decode", lambda: rans.decode(er, x.size), "constriction AnsCoder",
                            lambda: constriction.stream.stack.AnsCoder(comp).decode(model, x.size)))
            results.append(("adaptive arith encode", lambda: arith.encode(x), "constriction AnsCoder (static)", c_enc))
            results.append(("adaptive arith decode", lambda: arith.decode(ea, x.size), "constriction AnsCoder (static)",
                            lambda: constriction.stream.stack.AnsCoder(comp).decode(model, x.size)))
        for op, a, peer, b in results:
            ta, tb, ratio = pair(a, b, args.reps)
            row(op, ta, peer, tb, ratio)
        # Two threads against one: three times the pairs. Both sides are short and need both
        # cores, so on a shared host one burst from another tenant can move a median of five.
        for method in ("huffman", "rans", "arith"):
            blob = compress(x, method, n_threads=1)
            for op, a, b in ((f"compress {method}, 2 threads", lambda m=method: compress(x, m, n_threads=2),
                              lambda m=method: compress(x, m, n_threads=1)),
                             (f"decompress {method}, 2 threads", lambda b=blob: decompress(b, n_threads=2),
                              lambda b=blob: decompress(b, n_threads=1))):
                ta, tb, ratio = pair(a, b, 3 * args.reps)
                row(op, ta, "infokit 1 thread", tb, ratio)
    print("\n".join(speed))
    print()
    print("\n".join(sizes))


if __name__ == "__main__":
    main()
