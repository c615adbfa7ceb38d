"""Extra memory of the forward cross-entropy on (4096, 32000) float32 logits, per peer.

Each peer runs in its own process: after a warm-up call (compilation, allocator pools), a
thread samples the resident set size (/proc/self/statm) every millisecond during one more
call; the figure is the peak minus the RSS just before the call: the temporaries the forward
pass needs beyond its inputs. Linux only.

    python benchmarks/bench_softmax_memory.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import Any

PEERS = ["infokit", "NumPy", "torch eager", "torch.compile", "jax.jit"]
SHAPE = (4096, 32000)


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def probe(peer: str) -> float:
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE, dtype=np.float32)
    t = rng.integers(0, SHAPE[1], SHAPE[0])
    if peer == "infokit":
        from infokit import losses

        def run() -> Any:
            return losses.cross_entropy(x, t)
    elif peer == "NumPy":
        def run() -> Any:
            m = x.max(axis=1, keepdims=True)
            return np.mean(np.log(np.exp(x - m).sum(axis=1)) + m[:, 0] - x[np.arange(SHAPE[0]), t])
    elif peer.startswith("torch"):
        import torch
        import torch.nn.functional as F

        fn = torch.compile(F.cross_entropy, dynamic=False) if peer == "torch.compile" else F.cross_entropy
        xt, tt = torch.from_numpy(x), torch.from_numpy(t)

        def run() -> Any:
            return fn(xt, tt)
    else:
        import jax
        import jax.numpy as jnp

        xj, tj = jnp.asarray(x), jnp.asarray(t)

        @jax.jit
        def loss(z: Any, y: Any) -> Any:
            return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.take_along_axis(z, y[:, None], axis=1)[:, 0])

        def run() -> Any:
            return loss(xj, tj).block_until_ready()
    run()
    time.sleep(0.2)
    base = rss()
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(0.001)

    th = threading.Thread(target=sample)
    th.start()
    run()
    done.set()
    th.join()
    return (peak[0] - base) / 2**20


def main() -> None:
    if len(sys.argv) > 1:
        print(probe(sys.argv[1]))
        return
    logits_mib = SHAPE[0] * SHAPE[1] * 4 / 2**20
    print(f"Extra peak RSS of one forward cross-entropy, {SHAPE} float32 logits ({logits_mib:.0f} MiB):\n")
    print("| peer | extra peak RSS (MiB) | relative to the logits |")
    print("|---|---:|---:|")
    for peer in PEERS:
        proc = subprocess.run([sys.executable, __file__, peer], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"| {peer} | failed: {proc.stderr.strip().splitlines()[-1]} | |")
            continue
        mib = float(proc.stdout.strip().splitlines()[-1])
        print(f"| {peer} | {mib:.1f} | {mib / logits_mib:.2f} |")


if __name__ == "__main__":
    main()
