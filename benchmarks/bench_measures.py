"""pytest-benchmark suites for the discrete measures: infokit and its peers on the same arrays.

Run ``pytest benchmarks/ --benchmark-only`` (peers that are not installed are skipped). Each
group holds infokit and its peers on one input, so ``--benchmark-group-by=group`` lines them up.
Threads: infokit gets ``n_threads`` and PyTorch ``torch.set_num_threads`` from
``INFOKIT_BENCH_THREADS`` (default: infokit's OpenMP default); NumPy and SciPy are
single-threaded and JAX uses its own pool. ``INFOKIT_BENCH_SCALE`` (default 1) scales the sizes.

For the protocol figures (alternating runs, median ratios, bandwidth ceiling) use
``infokit bench``; these suites are for tracking and ``--benchmark-compare``.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

import infokit
from infokit import _bench

THREADS = int(os.environ.get("INFOKIT_BENCH_THREADS", "0")) or _bench.default_threads()
SCALE = float(os.environ.get("INFOKIT_BENCH_SCALE", "1"))
N = max(16, int(10**7 * SCALE))
ROWS = max(1, int(10_000 * SCALE))

PEERS = ("infokit", "scipy", "numpy", "torch", "jax", "torch.compile")
_MODULES = {"scipy": "scipy.stats", "torch": "torch", "torch.compile": "torch", "jax": "jax"}

Array = np.ndarray[Any, Any]


def _peer(name: str, kind: str, arrays: Sequence[Array], axis: int) -> _bench.Peer:
    """The runner's definition of a peer, so both harnesses time the same code."""
    if name == "scipy":
        return _bench.scipy_peer(arrays, axis)
    if name == "numpy":
        return _bench.numpy_peer(kind, arrays, axis)
    if name == "jax":
        return _bench.jax_peer(kind, arrays, axis)
    return _bench.torch_peer(kind, arrays, axis, THREADS, compiled=name == "torch.compile")


def call_for(name: str, kind: str, arrays: Sequence[Array], axis: int = 0) -> Callable[[], Any]:
    """A warmed-up (compiled) zero-argument call; skips when the peer is missing or fails."""
    if name == "infokit":
        q = arrays[1] if len(arrays) > 1 else None
        return lambda: infokit.entropy(arrays[0], q, axis=axis, n_threads=THREADS)
    pytest.importorskip(_MODULES.get(name, name))
    fn = _peer(name, kind, arrays, axis).build()
    try:
        fn()
    except Exception as exc:  # e.g. torch.compile without a working C++ toolchain
        pytest.skip(f"{name} failed: {type(exc).__name__}: {exc}")
    return fn


@pytest.fixture(scope="session")
def p64() -> Array:
    return _bench.make_probabilities(N, np.float64)


@pytest.fixture(scope="session")
def p32(p64: Array) -> Array:
    return p64.astype(np.float32)


@pytest.fixture(scope="session")
def pq() -> tuple[Array, Array]:
    return _bench.make_probabilities(N, np.float64, 1), _bench.make_probabilities(N, np.float64, 2)


@pytest.fixture(scope="session")
def batch() -> Array:
    return _bench.make_probabilities(ROWS * 1000, np.float64, 3).reshape(ROWS, 1000)


@pytest.mark.benchmark(group=f"entropy {N} float64")
@pytest.mark.parametrize("peer", PEERS)
def test_entropy_f64(benchmark: Any, peer: str, p64: Array) -> None:
    benchmark(call_for(peer, "entropy", [p64]))


@pytest.mark.benchmark(group=f"entropy {N} float32")
@pytest.mark.parametrize("peer", PEERS)
def test_entropy_f32(benchmark: Any, peer: str, p32: Array) -> None:
    benchmark(call_for(peer, "entropy", [p32]))


@pytest.mark.benchmark(group=f"KL 2 x {N} float64")
@pytest.mark.parametrize("peer", PEERS)
def test_kl(benchmark: Any, peer: str, pq: tuple[Array, Array]) -> None:
    benchmark(call_for(peer, "kl", list(pq)))


@pytest.mark.benchmark(group=f"batch entropy ({ROWS}, 1000) axis=1")
@pytest.mark.parametrize("peer", PEERS)
def test_batch_axis1(benchmark: Any, peer: str, batch: Array) -> None:
    benchmark(call_for(peer, "entropy", [batch], axis=1))


@pytest.mark.benchmark(group=f"batch entropy (1000, {ROWS}) transposed view, axis=0")
@pytest.mark.parametrize("peer", PEERS)
def test_batch_transposed_axis0(benchmark: Any, peer: str, batch: Array) -> None:
    benchmark(call_for(peer, "entropy", [batch.T], axis=0))


@pytest.mark.benchmark(group="one call on 16 float64")
@pytest.mark.parametrize("peer", ("infokit", "scipy", "numpy", "jax"))
def test_small(benchmark: Any, peer: str) -> None:
    x = _bench.make_probabilities(16, np.float64, 4)
    if peer == "infokit":
        benchmark(lambda: infokit.entropy(x, n_threads=1))
    else:
        benchmark(call_for(peer, "entropy", [x]))
