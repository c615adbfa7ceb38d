"""The ``infokit`` command line (also ``python -m infokit``).

Each subcommand is two small functions: ``_add_<name>(subparsers)`` declares its arguments and
sets ``func`` to ``_cmd_<name>(args) -> int``, the exit status. A new subcommand adds its pair
and one entry to :data:`_SUBCOMMANDS`.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import _cli_coding

# --------------------------------------------------------------------------------------------
# bench


def _positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return n


def _positive_float(text: str) -> float:
    """argparse type: a float > 0."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not x > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return x


def _add_bench(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "bench", help="time infokit against NumPy/SciPy/JAX/PyTorch on the same data",
        description="Run infokit and its peers side by side (same process, same arrays, "
                    "alternating) and print Markdown tables of median times and ratios.")
    p.add_argument("--quick", action="store_true",
                   help="fewer repetitions, no jax/torch (under a minute on 2 cores)")
    p.add_argument("--plot", metavar="PNG", help="also draw the speed-up against input size (needs matplotlib)")
    p.add_argument("--threads", metavar="N", type=_positive_int, default=None,
                   help="thread count compared besides 1 (default: infokit's OpenMP default)")
    p.add_argument("--output", metavar="FILE", help="also write the Markdown report to FILE")
    p.add_argument("--size-scale", type=_positive_float, default=1.0, help=argparse.SUPPRESS)
    p.add_argument("--cases", nargs="+", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_bench)


def _cmd_bench(args: argparse.Namespace) -> int:
    from . import _bench

    if args.plot:
        try:
            _bench.require_matplotlib()
        except _bench.MissingDependency as exc:
            print(f"infokit bench: {exc}", file=sys.stderr)
            return 1
    try:
        markdown, rows = _bench.run(quick=args.quick, threads=args.threads, size_scale=args.size_scale,
                                    cases=args.cases, sweep=bool(args.plot),
                                    progress=lambda name: print(f"infokit bench: {name} ...", file=sys.stderr))
    except ValueError as exc:
        print(f"infokit bench: {exc}", file=sys.stderr)
        return 2
    print(markdown, end="")
    if args.output:
        Path(args.output).write_text(markdown, encoding="utf-8")
    if args.plot:
        _bench.plot(rows, args.plot)
        print(f"infokit bench: plot written to {args.plot}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------------------------
# demo


def _zipf(n: int, s: float) -> NDArray[np.float64]:
    """Zipf-like distribution on n symbols: p_k proportional to k**-s."""
    p: NDArray[np.float64] = np.arange(1, n + 1, dtype=np.float64) ** -s
    out: NDArray[np.float64] = p / p.sum()
    return out


def _noisy_channel(n: int, sigma: float) -> NDArray[np.float64]:
    """Joint table of X (Zipf-like) and Y = X + discretised Gaussian noise (circular)."""
    d = np.subtract.outer(np.arange(n), np.arange(n)) % n
    d = np.minimum(d, n - d).astype(np.float64)
    channel = np.exp(-0.5 * (d / sigma) ** 2)
    channel /= channel.sum(axis=1, keepdims=True)
    joint: NDArray[np.float64] = _zipf(n, 0.8)[:, None] * channel
    return joint


def _best_time(fn: Callable[[], Any], repeat: int = 3) -> tuple[Any, float]:
    """(value, best of `repeat` wall times)."""
    best = float("inf")
    value: Any = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return value, best


def _demo_cases() -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    """(label, infokit call, NumPy reference call) on built-in synthetic data."""
    import infokit
    from infokit.reference import measures as reference

    ref: Any = reference  # the reference implementations are untyped
    p, q = _zipf(10**6, 1.1), _zipf(10**6, 1.3)
    batch = np.random.default_rng(0).random((1000, 1000))
    joint = _noisy_channel(256, 4.0)
    return [
        ("entropy, Zipf(1.1) on 1e6 symbols", lambda: infokit.entropy(p), lambda: ref.entropy(p)),
        ("KL divergence D(Zipf 1.1 || Zipf 1.3)", lambda: infokit.entropy(p, q), lambda: ref.entropy(p, q)),
        ("Jensen-Shannon distance, same pair", lambda: infokit.jensenshannon(p, q),
         lambda: ref.jensenshannon(p, q)),
        ("entropy of a (1000, 1000) batch, axis=1 (mean)", lambda: infokit.entropy(batch, axis=1).mean(),
         lambda: ref.entropy(batch, axis=1).mean()),
        ("mutual information, 256 x 256 noisy channel", lambda: infokit.mutual_information(joint),
         lambda: ref.mutual_information(joint)),
    ]


def _cmd_demo(args: argparse.Namespace) -> int:
    import infokit

    print("infokit demo: each measure on built-in synthetic data, next to the NumPy reference")
    print("(infokit.reference.measures); values in nats, speed-up = reference time / infokit time.\n")
    print(f"{'measure':<48} {'infokit':>16} {'NumPy reference':>16} {'speed-up':>9}")
    for label, fast, slow in _demo_cases():
        v_fast, t_fast = _best_time(fast)
        v_slow, t_slow = _best_time(slow)
        print(f"{label:<48} {float(v_fast):>16.12f} {float(v_slow):>16.12f} {t_slow / t_fast:>8.1f}x")
    print()
    infokit.show_config()
    return 0


def _add_demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="a short tour on built-in synthetic data",
                       description="Compute a few measures with infokit and with the NumPy reference, "
                                   "print both values and the speed-up, then the configuration.")
    p.set_defaults(func=_cmd_demo)


# --------------------------------------------------------------------------------------------
# parser


_SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    _add_bench,
    _add_demo,
    _cli_coding.add_subcommands,
)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="infokit", description="Fast information theory for NumPy: benchmarks and a demo.")
    from ._version import __version__
    parser.add_argument("--version", action="version", version=f"infokit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (no subcommand: print help, 0)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
