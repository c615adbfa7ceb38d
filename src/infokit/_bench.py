"""The side-by-side benchmark runner behind ``infokit bench``.

Protocol (DESIGN.md, "Benchmark protocol"): each peer runs in this process on the same arrays
(fixed seed) as infokit, alternately (peer, infokit, peer, infokit, ...), after a warm-up; at
least five timed repetitions each, more for fast cases (until about 0.3 s per side or 50
repetitions). A table quotes the median time of each side and the median of the per-pair ratios
``peer_time / infokit_time`` (above 1: infokit is faster). Threads are equal on both sides and
stated: infokit gets ``n_threads=n`` and PyTorch ``torch.set_num_threads(n)``; NumPy and SciPy
are single-threaded; JAX runs on its own thread pool (XLA's flags cannot be changed once it is
imported). Every peer is optional: one that cannot be imported, or fails to compile, becomes a
row that says so.

:func:`run` returns the Markdown report and the raw rows (dicts); :func:`plot` draws the
speed-up against input size from the rows of the ``sweep`` case.
"""
from __future__ import annotations

import datetime
import importlib
import importlib.metadata
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import _core
from ._measures import entropy as _ik_entropy
from ._version import __version__

__all__ = ["Settings", "Timing", "compare", "run", "format_markdown", "plot", "require_matplotlib",
           "CASES", "DEFAULT_CASES"]

Fn = Callable[[], Any]
Array = NDArray[Any]
SEED = 20240611
SWEEP_GROUP = "Entropy against input size (float64; for --plot)"
_ULP_CHUNK = 1_000_000


# --------------------------------------------------------------------------------------------
# Settings, timing


def default_threads() -> int:
    """The OpenMP default thread count infokit would use (at least 1)."""
    return max(1, int(_core.config()["default_threads"]))


@dataclass(frozen=True)
class Settings:
    """How hard to measure: repetitions, input sizes, threads, and whether compilers run."""

    quick: bool = False
    threads: int = 1
    size_scale: float = 1.0
    min_reps: int = 5
    max_reps: int = 50
    target_s: float = 0.3
    min_batch_s: float = 1e-3
    ulp_elements: int | None = None

    @classmethod
    def make(cls, quick: bool = False, threads: int | None = None, size_scale: float = 1.0) -> Settings:
        """Full settings, or quick ones (fewer repetitions, ULP on a sample, no jax/torch).

        The time budget per comparison (`target_s`) shrinks with `size_scale` below 1.
        """
        n = default_threads() if threads is None else int(threads)
        if n < 1:
            raise ValueError(f"threads must be >= 1, got {threads!r}")
        if not size_scale > 0:
            raise ValueError(f"size_scale must be > 0, got {size_scale!r}")
        budget = min(1.0, size_scale)  # scaled-down sizes (tests) get a scaled-down time budget
        if quick:
            return cls(quick=True, threads=n, size_scale=size_scale, max_reps=10, target_s=0.05 * budget,
                       ulp_elements=_ULP_CHUNK)
        return cls(threads=n, size_scale=size_scale, target_s=0.3 * budget)

    def size(self, base: int) -> int:
        """`base` elements scaled by `size_scale` (at least 16)."""
        return max(16, int(round(base * self.size_scale)))

    @property
    def thread_counts(self) -> list[int]:
        """1 and the requested count (once if they are equal)."""
        return sorted({1, self.threads})


@dataclass(frozen=True)
class Timing:
    """Medians of an alternating comparison: seconds per call of each side, ratio of the pairs."""

    peer_s: float
    infokit_s: float
    ratio: float
    reps: int


def _per_call(fn: Fn, number: int) -> float:
    """Seconds per call of `fn`, over one batch of `number` calls."""
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def _calibrate(fn: Fn, min_batch_s: float) -> int:
    """Calls per repetition so that one repetition lasts about `min_batch_s`.

    Its first call is the warm-up; when that alone lasts `min_batch_s` one call is enough.
    """
    number, batch_s = 1, _per_call(fn, 1)
    while batch_s < min_batch_s and number < 10**6:
        # Grow towards the target from the last estimate (at most 100x at a time).
        number = min(10**6, number * min(100, max(2, int(1.2 * min_batch_s / max(batch_s, 1e-9)) + 1)))
        batch_s = _per_call(fn, number) * number
    return number


def compare(peer: Fn, infokit: Fn, settings: Settings) -> Timing:
    """Time `peer` against `infokit` by the protocol: warm-up, then A B A B ... repetitions.

    Stops after `min_reps` pairs once both sides together have run ``2 * target_s`` seconds, or
    after `max_reps` pairs. Calls too short to time alone are batched (per-call times reported).
    """
    n_peer = _calibrate(peer, settings.min_batch_s)
    n_ik = _calibrate(infokit, settings.min_batch_s)
    tp: list[float] = []
    ti: list[float] = []
    while len(tp) < max(settings.max_reps, settings.min_reps):
        tp.append(_per_call(peer, n_peer))
        ti.append(_per_call(infokit, n_ik))
        spent = sum(tp) * n_peer + sum(ti) * n_ik
        if len(tp) >= settings.min_reps and spent >= 2 * settings.target_s:
            break
    ratio = statistics.median([a / b for a, b in zip(tp, ti, strict=True)])
    return Timing(statistics.median(tp), statistics.median(ti), ratio, len(tp))


# --------------------------------------------------------------------------------------------
# Rows, benches, peers


@dataclass
class Row:
    """One line of a table; ``peer_s`` etc. are None when the peer was skipped."""

    group: str
    case: str
    peer: str
    threads: int
    size: int
    dtype: str
    peer_s: float | None = None
    infokit_s: float | None = None
    ratio: float | None = None
    reps: int = 0
    notes: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (what :func:`run` returns)."""
        return asdict(self)


@dataclass(frozen=True)
class Bench:
    """One case at one thread count: its labels, the infokit call, and the settings."""

    group: str
    case: str
    threads: int
    size: int
    dtype: str
    infokit: Fn
    settings: Settings
    check: bool = True

    def row(self, peer: str, notes: str = "", timing: Timing | None = None) -> Row:
        """A row of this bench, timed or (timing None) skipped."""
        r = Row(self.group, self.case, peer, self.threads, self.size, self.dtype, notes=notes)
        if timing is not None:
            r.peer_s, r.infokit_s, r.ratio, r.reps = timing.peer_s, timing.infokit_s, timing.ratio, timing.reps
        return r


@dataclass(frozen=True)
class Peer:
    """A competitor: `build` imports its library (ImportError: skipped) and returns the call."""

    name: str
    requires: str
    build: Callable[[], Fn]
    note: str = ""
    compiler: bool = False
    in_quick: bool = True


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else ""
    return (line[:117] + "...") if len(line) > 120 else line


def _agreement(got: Any, want: Any, dtype: str) -> str:
    """'' when the peer's value matches infokit's, else a note with the relative difference."""
    try:
        g = np.asarray(got, dtype=np.float64)
        w = np.asarray(want, dtype=np.float64)
        with np.errstate(all="ignore"):
            rel = float(np.max(np.abs(g - w) / np.maximum(np.abs(w), 1e-300)))
    except (TypeError, ValueError) as exc:
        return f"values not comparable ({_first_line(exc)})"
    tol = 1e-4 if dtype == "float32" else 1e-8
    return "" if rel <= tol else f"VALUES DIFFER: max rel {rel:.1e}"


def _measure(bench: Bench, peer: Peer) -> Row:
    """Build, warm up, check and time one peer against infokit; a row either way."""
    try:
        fn = peer.build()
    except ImportError as exc:
        return bench.row(peer.name, f"skipped: {peer.requires} not importable ({_first_line(exc)})")
    except Exception as exc:  # a peer that cannot even be set up is skipped, not fatal
        return bench.row(peer.name, f"skipped: {type(exc).__name__}: {_first_line(exc)}")
    t0 = time.perf_counter()
    try:
        got = fn()
    except Exception as exc:  # a compiler that cannot compile is skipped, not fatal
        return bench.row(peer.name, f"skipped: {type(exc).__name__}: {_first_line(exc)}")
    first_s = time.perf_counter() - t0
    notes = [peer.note] if peer.note else []
    if peer.compiler:
        notes.append(f"compile + first call {first_s:.2g} s (not timed)")
    if bench.check:
        notes.append(_agreement(got, bench.infokit(), bench.dtype))
    timing = compare(fn, bench.infokit, bench.settings)
    return bench.row(peer.name, "; ".join(n for n in notes if n), timing)


def _run_peers(bench: Bench, peers: Iterable[Peer]) -> list[Row]:
    """Rows for each peer that this mode runs (quick mode leaves out jax and torch)."""
    return [_measure(bench, p) for p in peers if p.in_quick or not bench.settings.quick]


# --------------------------------------------------------------------------------------------
# The formulas, written the obvious way for any array namespace (numpy, jax.numpy, torch)


def entropy_formula(xp: Any, x: Any, axis: int) -> Any:
    """-sum p log p with p = x / x.sum(axis), zeros contributing 0."""
    p = x / x.sum(axis=axis, keepdims=True)
    return -xp.where(p > 0, p * xp.log(p), 0.0).sum(axis=axis)


def kl_formula(xp: Any, x: Any, y: Any, axis: int) -> Any:
    """sum p log(p / q) with p, q normalised along `axis`, zeros of p contributing 0."""
    p = x / x.sum(axis=axis, keepdims=True)
    q = y / y.sum(axis=axis, keepdims=True)
    return xp.where(p > 0, p * xp.log(p / q), 0.0).sum(axis=axis)


_FORMULAS: dict[str, Callable[..., Any]] = {"entropy": entropy_formula, "kl": kl_formula}


def _numpy_formula(kind: str, arrays: Sequence[Array], axis: int) -> Fn:
    formula = _FORMULAS[kind]

    def call() -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            return formula(np, *arrays, axis=axis)
    return call


_TORCH_THREADS_BEFORE: list[int] = []


def _torch(threads: int) -> Any:
    """Import torch and give it `threads` threads (the first call remembers the old count)."""
    torch = importlib.import_module("torch")
    if not _TORCH_THREADS_BEFORE:
        _TORCH_THREADS_BEFORE.append(int(torch.get_num_threads()))
    torch.set_num_threads(threads)
    return torch


def _restore_torch_threads() -> None:
    if _TORCH_THREADS_BEFORE and "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(_TORCH_THREADS_BEFORE.pop())


def _jax() -> tuple[Any, Any]:
    """Import jax with 64-bit floats enabled (before any array is made); (jax, jax.numpy)."""
    jax = importlib.import_module("jax")
    jax.config.update("jax_enable_x64", True)
    return jax, importlib.import_module("jax.numpy")


def scipy_peer(arrays: Sequence[Array], axis: int) -> Peer:
    """scipy.stats.entropy(*arrays, axis=axis)."""
    def build() -> Fn:
        stats = importlib.import_module("scipy.stats")
        return lambda: stats.entropy(*arrays, axis=axis)
    return Peer("scipy.stats.entropy", "scipy", build, note="single-threaded")


def numpy_peer(kind: str, arrays: Sequence[Array], axis: int) -> Peer:
    """The formula in NumPy, normalisation included."""
    return Peer("numpy", "numpy", lambda: _numpy_formula(kind, arrays, axis), note="single-threaded")


def jax_peer(kind: str, arrays: Sequence[Array], axis: int) -> Peer:
    """``jax.jit`` of the formula, x64 enabled; arrays moved to JAX once, outside the timing."""
    def build() -> Fn:
        jax, jnp = _jax()
        xs = [jnp.asarray(a) for a in arrays]
        formula = _FORMULAS[kind]
        f = jax.jit(lambda *a: formula(jnp, *a, axis=axis))
        return lambda: f(*xs).block_until_ready()
    return Peer("jax.jit (x64)", "jax", build, note="jax: its own thread pool", compiler=True, in_quick=False)


def torch_peer(kind: str, arrays: Sequence[Array], axis: int, threads: int, compiled: bool) -> Peer:
    """The formula on ``torch.from_numpy`` tensors, eager or ``torch.compile``-d (fresh compile)."""
    def build() -> Fn:
        torch = _torch(threads)
        ts = [torch.from_numpy(a) for a in arrays]
        formula = _FORMULAS[kind]

        def f(*t: Any) -> Any:
            return formula(torch, *t, axis=axis)
        g: Callable[..., Any] = f
        if compiled:
            torch._dynamo.reset()
            g = torch.compile(f, dynamic=False)
        return lambda: g(*ts)
    name = "torch.compile" if compiled else "torch (eager)"
    return Peer(name, "torch", build, note=f"torch.set_num_threads({threads})", compiler=compiled,
                in_quick=False)


def formula_peers(kind: str, arrays: Sequence[Array], axis: int, threads: int) -> list[Peer]:
    """scipy, NumPy, PyTorch eager, jax.jit and torch.compile on the same arrays."""
    return [scipy_peer(arrays, axis), numpy_peer(kind, arrays, axis),
            torch_peer(kind, arrays, axis, threads, compiled=False), jax_peer(kind, arrays, axis),
            torch_peer(kind, arrays, axis, threads, compiled=True)]


# --------------------------------------------------------------------------------------------
# Bandwidth ceiling


def _sum_fn(flat: Sequence[Array], threads: int) -> Fn:
    """A plain OpenMP sum over the same bytes (``_core.plain_sum``), one call per array."""
    contiguous = [np.ascontiguousarray(a) for a in flat]
    return lambda: [_core.plain_sum(a, threads) for a in contiguous]


def ceiling_row(bench: Bench, arrays: Sequence[Array]) -> Row:
    """infokit against a plain sum over the bytes it must read: GB/s and fraction of it."""
    flat = [np.ravel(a, order="K") for a in arrays]
    nbytes = sum(a.nbytes for a in flat)
    t = compare(_sum_fn(flat, bench.threads), bench.infokit, bench.settings)
    notes = (f"{nbytes / 1e6:.3g} MB read; infokit {nbytes / t.infokit_s / 1e9:.1f} GB/s, "
             f"plain OpenMP sum on {bench.threads} thread(s) {nbytes / t.peer_s / 1e9:.1f} GB/s: "
             f"ratio = infokit's fraction of the ceiling ({t.ratio:.0%})")
    return bench.row("bandwidth ceiling (OpenMP sum)", notes, t)


# --------------------------------------------------------------------------------------------
# Cases


def _fmt_n(n: int) -> str:
    """1e7 for powers of ten, 12,345 otherwise."""
    k = len(str(n)) - 1
    return f"1e{k}" if n >= 1000 and n == 10**k else f"{n:,}"


def make_probabilities(n: int, dtype: Any, seed: int = 0) -> Array:
    """n unnormalised probabilities in (0, 1), fixed seed."""
    rng = np.random.default_rng(SEED + seed)
    return rng.random(n).astype(dtype, copy=False)


def _entropy_benches(s: Settings, group: str, case: str, arrays: Sequence[Array], n: int,
                     dtype: str, kind: str) -> list[Row]:
    """infokit against every formula peer and the ceiling, at 1 and n threads."""
    rows: list[Row] = []
    for nt in s.thread_counts:
        def ik(nt: int = nt) -> Any:
            return _ik_entropy(arrays[0], arrays[1] if len(arrays) > 1 else None, n_threads=nt)
        bench = Bench(group, case, nt, n, dtype, ik, s)
        rows += _run_peers(bench, formula_peers(kind, arrays, 0, nt))
        rows.append(ceiling_row(bench, arrays))
    return rows


def case_entropy_f64(s: Settings) -> list[Row]:
    """entropy of 1e7 float64 probabilities, normalisation included."""
    n = s.size(10**7)
    x = make_probabilities(n, np.float64)
    return _entropy_benches(s, f"Entropy, {_fmt_n(n)} float64", f"entropy {_fmt_n(n)} f64", [x], n,
                            "float64", "entropy")


def _f32_over_f64_row(s: Settings, group: str, case: str, x32: Array, x64: Array, nt: int) -> Row:
    """infokit float32 against infokit float64 on the same n: ratio = f32 elem/s / f64 elem/s."""
    bench = Bench(group, case, nt, x32.size, "float32", lambda: _ik_entropy(x32, n_threads=nt), s)
    peer = Peer("infokit float64 (same n)", "infokit", lambda: (lambda: _ik_entropy(x64, n_threads=nt)),
                note="ratio = float32 elements/s / float64 elements/s")
    return _measure(bench, peer)


def case_entropy_f32(s: Settings) -> list[Row]:
    """entropy of 1e7 float32 probabilities; also float32 against float64 throughput."""
    n = s.size(10**7)
    x64 = make_probabilities(n, np.float64)
    x32 = x64.astype(np.float32)
    group, case = f"Entropy, {_fmt_n(n)} float32", f"entropy {_fmt_n(n)} f32"
    rows = _entropy_benches(s, group, case, [x32], n, "float32", "entropy")
    rows += [_f32_over_f64_row(s, group, case, x32, x64, nt) for nt in s.thread_counts]
    return rows


def case_kl(s: Settings) -> list[Row]:
    """KL divergence of two 1e7 float64 vectors (entropy(p, q)); bandwidth over both."""
    n = s.size(10**7)
    p, q = make_probabilities(n, np.float64, 1), make_probabilities(n, np.float64, 2)
    return _entropy_benches(s, f"KL divergence, 2 x {_fmt_n(n)} float64", f"KL {_fmt_n(n)} f64",
                            [p, q], n, "float64", "kl")


def case_batch(s: Settings) -> list[Row]:
    """entropy along axis 1 of (10000, 1000) float64, and along axis 0 of its transpose."""
    rows_n = max(1, int(round(10_000 * s.size_scale)))
    x = make_probabilities(rows_n * 1000, np.float64, 3).reshape(rows_n, 1000)
    group = f"Batch entropy, ({rows_n}, 1000) float64"
    out: list[Row] = []
    for arr, axis, case in ((x, 1, f"axis=1 of ({rows_n}, 1000)"),
                            (x.T, 0, "axis=0 of its transpose (view)")):
        for nt in s.thread_counts:
            def ik(nt: int = nt, arr: Array = arr, axis: int = axis) -> Any:
                return _ik_entropy(arr, axis=axis, n_threads=nt)
            bench = Bench(group, case, nt, x.size, "float64", ik, s)
            out += _run_peers(bench, formula_peers("entropy", [arr], axis, nt))
            out.append(ceiling_row(bench, [arr]))
    return out


def case_small(s: Settings) -> list[Row]:
    """one call on a 16-element float64 vector: per-call overhead."""
    x = make_probabilities(16, np.float64, 4)
    bench = Bench("One call on 16 float64 (times per call)", "entropy of 16 f64", 1, 16, "float64",
                  lambda: _ik_entropy(x, n_threads=1), s)
    return _run_peers(bench, [scipy_peer([x], 0), numpy_peer("entropy", [x], 0), jax_peer("entropy", [x], 0)])


# Inputs of the log/exp case: (low, high) of the exponent range; half of log's inputs lie near 1.
_LOGEXP_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("log", "float64"): (-700.0, 700.0), ("log", "float32"): (-80.0, 80.0),
    ("exp", "float64"): (-700.0, 700.0), ("exp", "float32"): (-87.0, 88.0),
}


def _logexp_input(func: str, dtype: Any, n: int) -> Array:
    """Inputs spanning the normal range of the result; for log half of them in [0.5, 2]."""
    rng = np.random.default_rng(SEED + 5)
    lo, hi = _LOGEXP_RANGES[(func, np.dtype(dtype).name)]
    if func == "exp":
        return rng.uniform(lo, hi, n).astype(dtype)
    wide = np.exp(rng.uniform(lo, hi, n - n // 2))
    return np.concatenate([rng.uniform(0.5, 2.0, n // 2), wide]).astype(dtype)


def max_ulp(func: str, x: Array, y: Array, limit: int | None = None) -> float:
    """Max error of y = func(x) in units in the last place of x.dtype, against np.longdouble.

    The ULP of the reference r = m * 2**e (frexp, 0.5 <= m < 1) is 2**(e - 1 - nmant), clamped
    at the subnormal spacing. Computed in chunks to bound memory; `limit` caps the elements.
    """
    fi = np.finfo(x.dtype)
    n = x.size if limit is None else min(x.size, limit)
    worst = 0.0
    for i in range(0, n, _ULP_CHUNK):
        xs = x[i:min(n, i + _ULP_CHUNK)].astype(np.longdouble)
        ref = np.log(xs) if func == "log" else np.exp(xs)
        _, e = np.frexp(ref)
        ulp = np.ldexp(np.longdouble(1), np.maximum(e - 1, fi.minexp) - fi.nmant)
        err = np.abs(y[i:i + xs.size].astype(np.longdouble) - ref) / ulp
        err = err[np.isfinite(err)]
        worst = max(worst, float(np.max(err)) if err.size else 0.0)
    return worst


def _ulp_note(func: str, x: Array, ik_out: Array, np_out: Array, s: Settings) -> str:
    """'max ULP: infokit a, numpy b' from outputs computed once (threads don't change them)."""
    if np.finfo(np.longdouble).nmant <= np.finfo(x.dtype).nmant:
        return "ULP not measured: np.longdouble is no wider than the input here"
    n = x.size if s.ulp_elements is None else min(x.size, s.ulp_elements)
    a, b = max_ulp(func, x, ik_out, n), max_ulp(func, x, np_out, n)
    return f"max ULP (vs longdouble, {_fmt_n(n)} inputs): infokit {a:.2f}, numpy {b:.2f}"


def _logexp_rows(s: Settings, func: str, dtype: Any) -> list[Row]:
    """infokit._core.log/exp against np.log/np.exp with preallocated outputs, plus ULP errors."""
    n = s.size(10**7)
    x = _logexp_input(func, dtype, n)
    ik_out, np_out = np.empty_like(x), np.empty_like(x)
    core_fn = _core.log if func == "log" else _core.exp
    np_fn = np.log if func == "log" else np.exp
    core_fn(x, ik_out, s.threads)
    np_fn(x, out=np_out)
    ulp = _ulp_note(func, x, ik_out, np_out, s)
    peer = Peer(f"np.{func}", "numpy", lambda: (lambda: np_fn(x, out=np_out)), note=f"single-threaded; {ulp}")
    dt = np.dtype(dtype).name
    rows: list[Row] = []
    for nt in s.thread_counts:
        def ik(nt: int = nt) -> None:
            core_fn(x, ik_out, nt)
        bench = Bench(f"Vector log/exp, {_fmt_n(n)} (for the record)", f"{func} {_fmt_n(n)} {dt}", nt, n,
                      dt, ik, s, check=False)
        rows.append(_measure(bench, peer))
    return rows


def case_logexp(s: Settings) -> list[Row]:
    """vector log and exp on 1e7 float64 and float32: time and max ULP error (for the record)."""
    return [r for func in ("log", "exp") for dt in (np.float64, np.float32) for r in _logexp_rows(s, func, dt)]


def case_sweep(s: Settings) -> list[Row]:
    """entropy of float64 vectors of 1e3 ... 1e7 elements at the requested threads (for --plot)."""
    rows: list[Row] = []
    nt = s.threads
    for k in range(3, 8):
        n = s.size(10**k)
        x = make_probabilities(n, np.float64, 6)
        def ik(x: Array = x) -> Any:
            return _ik_entropy(x, n_threads=nt)
        bench = Bench(SWEEP_GROUP, f"entropy {_fmt_n(n)} f64", nt, n, "float64", ik, s)
        rows += _run_peers(bench, formula_peers("entropy", [x], 0, nt))
    return rows


CaseFn = Callable[[Settings], list[Row]]
CASES: dict[str, CaseFn] = {
    "entropy-f64": case_entropy_f64,
    "entropy-f32": case_entropy_f32,
    "kl": case_kl,
    "batch": case_batch,
    "small": case_small,
    "logexp": case_logexp,
    "sweep": case_sweep,
}
DEFAULT_CASES: tuple[str, ...] = ("entropy-f64", "entropy-f32", "kl", "batch", "small", "logexp")


# --------------------------------------------------------------------------------------------
# Report


def cpu_model() -> str:
    """The CPU's model name (/proc/cpuinfo, else platform.processor(), else the machine)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def header_lines(s: Settings, when: datetime.datetime | None = None) -> list[str]:
    """The context every table needs: CPU, ISA path, threads, versions, date, protocol."""
    cfg = _core.config()
    when = when or datetime.datetime.now().astimezone()
    versions = ", ".join(f"{name} {_version(dist)}" for name, dist in
                         (("numpy", "numpy"), ("scipy", "scipy"), ("jax", "jax"), ("jaxlib", "jaxlib"),
                          ("torch", "torch")))
    omp = os.environ.get("OMP_NUM_THREADS")
    threads = " and ".join(str(t) for t in s.thread_counts)
    lines = [
        "# infokit bench" + (" (quick)" if s.quick else ""),
        "",
        f"- date: {when:%Y-%m-%d %H:%M %Z}",
        f"- CPU: {cpu_model()} ({os.cpu_count()} logical CPUs), {platform.system()} {platform.machine()}",
        f"- infokit {__version__}: ISA path `{cfg['isa']}` (available: {', '.join(cfg['isas_available'])}), "
        f"{cfg['openmp']}, {cfg['compiler']}",
        f"- threads: {threads} (infokit `n_threads`, `torch.set_num_threads`); NumPy and SciPy are "
        f"single-threaded; jax: its own thread pool" + (f"; OMP_NUM_THREADS={omp}" if omp else ""),
        f"- versions: {versions}, Python {platform.python_version()}",
        f"- protocol: same process, same arrays (seed {SEED}), alternating peer/infokit after a warm-up, "
        f"at least {s.min_reps} repetitions (until ~{s.target_s:g} s per side or {s.max_reps}); "
        "medians of each, and the median of the per-pair ratios peer/infokit (> 1: infokit is faster)",
    ]
    if s.quick:
        lines.append("- quick mode: fewer repetitions; jax.jit, torch and torch.compile left out")
    return lines


def _fmt_time(t: float | None) -> str:
    if t is None:
        return "—"
    if t >= 1.0:
        return f"{t:.3g} s"
    if t >= 1e-3:
        return f"{t * 1e3:.3g} ms"
    return f"{t * 1e6:.3g} µs"


def _fmt_ratio(r: float | None) -> str:
    if r is None:
        return "—"
    return f"{r:.3g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_lines(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """One Markdown table for the given rows."""
    lines = ["| case | peer | threads | peer median | infokit median | ratio (peer/infokit) | notes |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        cells = [r["case"], r["peer"], str(r["threads"]), _fmt_time(r["peer_s"]), _fmt_time(r["infokit_s"]),
                 _fmt_ratio(r["ratio"]), r["notes"]]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def format_markdown(rows: Sequence[Mapping[str, Any]], header: Sequence[str]) -> str:
    """The header, then a table per group of rows (in order of first appearance)."""
    out = list(header)
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    for name, grp in groups.items():
        out += ["", f"## {name}", ""] + table_lines(grp)
    return "\n".join(out) + "\n"


def run(quick: bool = False, threads: int | None = None, size_scale: float = 1.0,
        cases: Sequence[str] | None = None, sweep: bool = False,
        progress: Callable[[str], None] | None = None) -> tuple[str, list[dict[str, Any]]]:
    """Run the benchmark cases; return (Markdown report, raw rows as dicts).

    Parameters
    ----------
    quick : bool
        Fewer repetitions, ULP on a sample, no jax / torch (under a minute on 2 cores).
    threads : int, optional
        The thread count besides 1 (default: infokit's OpenMP default).
    size_scale : float
        Multiplies every input size (1e-3 turns 1e7 elements into 1e4: for tests).
    cases : sequence of str, optional
        Names from :data:`CASES` (default :data:`DEFAULT_CASES`).
    sweep : bool
        Also run the ``sweep`` case (entropy against size) that :func:`plot` draws.
    progress : callable, optional
        Called with each case's name before it runs.
    """
    s = Settings.make(quick, threads, size_scale)
    names = list(DEFAULT_CASES if cases is None else cases) + (["sweep"] if sweep else [])
    unknown = [c for c in names if c not in CASES]
    if unknown:
        raise ValueError(f"unknown case(s) {unknown}; known: {sorted(CASES)}")
    rows: list[Row] = []
    try:
        for name in dict.fromkeys(names):
            if progress is not None:
                progress(name)
            rows += CASES[name](s)
    finally:
        _restore_torch_threads()
    raw = [r.as_dict() for r in rows]
    return format_markdown(raw, header_lines(s)), raw


# --------------------------------------------------------------------------------------------
# Plot


class MissingDependency(RuntimeError):
    """An optional package that a requested feature needs is not installed."""


def require_matplotlib() -> Any:
    """matplotlib.pyplot on the Agg backend, or MissingDependency with what to install."""
    try:
        mpl = importlib.import_module("matplotlib")
    except ImportError:
        raise MissingDependency("--plot needs matplotlib, which is not installed: "
                                "pip install matplotlib (or pip install 'infokit[bench]')") from None
    mpl.use("Agg")
    return importlib.import_module("matplotlib.pyplot")


def plot(rows: Sequence[Mapping[str, Any]], path: str | os.PathLike[str]) -> None:
    """Draw infokit's speed-up over each peer against input size (the sweep rows) to `path`."""
    plt = require_matplotlib()
    sweep = [r for r in rows if r["group"] == SWEEP_GROUP and r["ratio"] is not None]
    if not sweep:
        raise ValueError("no sweep rows to plot: run(..., sweep=True) first")
    fig, ax = plt.subplots(figsize=(7.0, 4.5))
    for peer in dict.fromkeys(r["peer"] for r in sweep):
        pts = sorted((r["size"], r["ratio"]) for r in sweep if r["peer"] == peer)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=peer)
    ax.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("elements (float64)")
    ax.set_ylabel("speed-up of infokit (peer time / infokit time)")
    ax.set_title(f"infokit.entropy vs peers: {sweep[0]['threads']} threads, "
                 f"ISA {_core.config()['isa']}, {cpu_model()}", fontsize=9)
    ax.legend(fontsize=8)
    fig.savefig(os.fspath(path), dpi=120, bbox_inches="tight")
    plt.close(fig)
