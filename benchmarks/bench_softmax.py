"""Side-by-side runner for the softmax family (benchmarks/RESULTS.md, DESIGN.md's protocol).

Peers and infokit run in one process on the same arrays, alternately (A B A B ...), after a
warm-up; each row gives both medians and the median of the per-pair ratios (peer / infokit:
above 1 means infokit is faster). Peers: torch eager, torch.compile of F.cross_entropy, jax.jit
of the log-sum-exp formula, NumPy written the obvious way, scipy.special.logsumexp; the
ceiling is infokit._core.plain_sum over the same bytes. Each thread count runs in its own
process, because JAX fixes its thread pool at start-up (XLA_FLAGS).

    python benchmarks/bench_softmax.py            # 1 and 2 threads, the issue's shapes
    python benchmarks/bench_softmax.py --quick    # small shapes, 3 repetitions
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

SHAPES = [(4096, 32000), (65536, 1000)]
QUICK_SHAPES = [(256, 4000), (4096, 250)]
BCE_N = 10_000_000


def pair(a: Callable[[], Any], b: Callable[[], Any], reps: int) -> tuple[float, float, float]:
    """Median time of a, of b, and median of the per-pair ratios b/a, alternating a b a b."""
    a()
    b()
    ta, tb = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        a()
        t1 = time.perf_counter()
        b()
        t2 = time.perf_counter()
        ta.append(t1 - t0)
        tb.append(t2 - t1)
    return statistics.median(ta), statistics.median(tb), statistics.median(y / x for x, y in zip(ta, tb))


def worker(threads: int, quick: bool, reps: int) -> list[dict[str, Any]]:
    import numpy as np
    import torch
    import torch.nn.functional as F

    import infokit.torch as it
    from infokit import _core, losses, special

    torch.set_num_threads(threads)
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:  # optional peer
        jax = None
    try:
        import scipy.special as sps
    except ImportError:
        sps = None
    rows: list[dict[str, Any]] = []

    def record(case: str, shape: Any, peer: str, res: tuple[float, float, float], note: str = "") -> None:
        rows.append({"threads": threads, "case": case, "shape": str(shape), "peer": peer,
                     "infokit_ms": res[0] * 1e3, "peer_ms": res[1] * 1e3, "ratio": res[2], "note": note})
        print(f"  t{threads} {case:28s} {str(shape):14s} {peer:26s} infokit {res[0]*1e3:8.1f} ms  "
              f"peer {res[1]*1e3:8.1f} ms  x{res[2]:.2f} {note}", flush=True)

    rng = np.random.default_rng(0)
    compiled = torch.compile(F.cross_entropy, dynamic=False)
    for shape in (QUICK_SHAPES if quick else SHAPES):
        N, C = shape
        x = rng.standard_normal(shape, dtype=np.float32)
        t = rng.integers(0, C, N)
        xt, tt = torch.from_numpy(x), torch.from_numpy(t)
        nbytes = x.nbytes
        ik_fwd = lambda: losses.cross_entropy(x, t, n_threads=threads)  # noqa: E731

        # The ceiling: a plain OpenMP sum over the logits' bytes.
        res = pair(ik_fwd, lambda: _core.plain_sum(x, threads), reps)
        record("forward", shape, "plain_sum (bandwidth)", res,
               f"infokit {nbytes / res[0] / 1e9:.1f} GB/s = {res[1] / res[0]:.0%} of plain sum {nbytes / res[1] / 1e9:.1f} GB/s")
        record("forward", shape, "torch eager", pair(ik_fwd, lambda: F.cross_entropy(xt, tt), reps))
        record("forward", shape, "torch.compile", pair(ik_fwd, lambda: compiled(xt, tt), reps))
        if jax is not None:
            xj, tj = jnp.asarray(x), jnp.asarray(t)

            @jax.jit
            def jloss(z: Any, y: Any) -> Any:
                lse = jax.nn.logsumexp(z, axis=1)
                return jnp.mean(lse - jnp.take_along_axis(z, y[:, None], axis=1)[:, 0])

            record("forward", shape, "jax.jit", pair(ik_fwd, lambda: jloss(xj, tj).block_until_ready(), reps))

        def numpy_ce() -> float:
            m = x.max(axis=1, keepdims=True)
            lse = np.log(np.exp(x - m).sum(axis=1)) + m[:, 0]
            return float(np.mean(lse - x[np.arange(N), t]))

        record("forward", shape, "NumPy", pair(ik_fwd, numpy_ce, reps))

        # Forward + backward.
        g = np.empty_like(x)
        ik_fresh = lambda: losses.cross_entropy_with_grad(x, t, n_threads=threads)  # noqa: E731
        ik_reuse = lambda: losses.cross_entropy_with_grad(x, t, grad_out=g, n_threads=threads)  # noqa: E731
        res = pair(ik_reuse, lambda: _core.plain_sum(x, threads), reps)
        record("fwd+bwd grad_out reused", shape, "plain_sum (bandwidth)", res,
               f"infokit reads+writes {2 * nbytes / res[0] / 1e9:.1f} GB/s = {2 * res[1] / res[0]:.0%} of plain-sum bandwidth")

        def torch_fb(fn: Callable[..., Any]) -> Callable[[], Any]:
            def run() -> Any:
                xr = xt.detach().requires_grad_()
                fn(xr, tt).backward()
                return xr.grad
            return run

        for name, fn in (("torch eager", F.cross_entropy), ("torch.compile", compiled)):
            record("fwd+bwd fresh grad", shape, name, pair(ik_fresh, torch_fb(fn), reps))
            record("fwd+bwd grad_out reused", shape, name, pair(ik_reuse, torch_fb(fn), reps))
        record("infokit.torch fwd+bwd", shape, "torch.compile", pair(torch_fb(it.cross_entropy), torch_fb(compiled), reps))
        if jax is not None:
            jgrad = jax.jit(jax.value_and_grad(jloss))
            jfb = lambda: jax.block_until_ready(jgrad(xj, tj))  # noqa: E731
            record("fwd+bwd fresh grad", shape, "jax.jit", pair(ik_fresh, jfb, reps))
            record("fwd+bwd grad_out reused", shape, "jax.jit", pair(ik_reuse, jfb, reps))

        # logsumexp along axis 1.
        ik_lse = lambda: special.logsumexp(x, axis=1, n_threads=threads)  # noqa: E731
        if sps is not None:
            record("logsumexp axis=1", shape, "scipy.special", pair(ik_lse, lambda: sps.logsumexp(x, axis=1), max(3, reps // 2)))
        if jax is not None:
            jlse = jax.jit(lambda z: jax.nn.logsumexp(z, axis=1))
            record("logsumexp axis=1", shape, "jax.jit", pair(ik_lse, lambda: jlse(xj).block_until_ready(), reps))
        del g, xt

    n = 200_000 if quick else BCE_N
    xb = rng.standard_normal(n, dtype=np.float32) * 3
    tb = rng.random(n, dtype=np.float32)
    xbt, tbt = torch.from_numpy(xb), torch.from_numpy(tb)
    ik_bce = lambda: losses.binary_cross_entropy_with_logits(xb, tb, n_threads=threads)  # noqa: E731
    record("BCE with logits", n, "torch eager", pair(ik_bce, lambda: F.binary_cross_entropy_with_logits(xbt, tbt), reps))
    cbce = torch.compile(F.binary_cross_entropy_with_logits, dynamic=False)
    record("BCE with logits", n, "torch.compile", pair(ik_bce, lambda: cbce(xbt, tbt), reps))
    return rows


def table(rows: list[dict[str, Any]], header: str) -> str:
    out = [header, "",
           "| threads | case | shape | peer | infokit ms | peer ms | peer / infokit | note |",
           "|---:|---|---|---|---:|---:|---:|---|"]
    for r in rows:
        out.append(f"| {r['threads']} | {r['case']} | {r['shape']} | {r['peer']} | {r['infokit_ms']:.1f} | "
                   f"{r['peer_ms']:.1f} | {r['ratio']:.2f} | {r['note']} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    reps = 3 if args.quick else max(5, args.reps)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.quick, reps)), file=sys.stderr)
        return
    rows: list[dict[str, Any]] = []
    for n in args.threads:
        env = dict(os.environ, OMP_NUM_THREADS=str(n),
                   XLA_FLAGS=f"--xla_cpu_multi_thread_eigen={'true' if n > 1 else 'false'} "
                             f"intra_op_parallelism_threads={n}")
        cmd = [sys.executable, __file__, "--worker", str(n), "--reps", str(reps)] + (["--quick"] if args.quick else [])
        proc = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, text=True, check=False)
        if proc.returncode != 0:
            sys.exit(proc.stderr)
        rows += json.loads(proc.stderr.strip().splitlines()[-1])
    import numpy as np
    import torch

    import infokit
    from infokit import _core

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        import jax
        jv = jax.__version__
    except ImportError:
        jv = "absent"
    header = (f"infokit {infokit.__version__} softmax benchmarks, {datetime.date.today()}: {cpu}, ISA path "
              f"{_core.config()['isa']}, numpy {np.__version__}, torch {torch.__version__}, jax {jv}; "
              f"float32 logits, int64 class-index targets, median of {reps} alternating repetitions")
    print(table(rows, header))


if __name__ == "__main__":
    main()
