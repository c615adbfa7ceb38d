"""Accuracy of the mutual-information estimators on bivariate Gaussians (issue 9's figure).

For correlation rho the true MI is -0.5 log(1 - rho^2) nats. Each (rho, N) cell draws
independent samples from fixed seeds and reports, per estimator, the bias (mean estimate minus
the truth) and the spread (standard deviation over the repetitions):

- KSG: ``mutual_info_knn(x, y, k=3, algorithm=1)``;
- histogram: ``mutual_info_hist`` with ``round(sqrt(N / 5))`` equal-width bins per axis over the
  data's range (Cellucci et al. 2005: about five points per cell if x and y were independent),
  no bias correction;
- Gaussian: ``mutual_info_gaussian`` (exact in form here, so it shows the sampling noise alone).

Usage: ``python benchmarks/accuracy_ksg.py [--reps-small 100] [--reps-large 20] [--plot FILE]``
(about a minute on 2 cores).
Prints a Markdown table; with ``--plot`` also draws bias with one-standard-deviation error
bars against rho, one panel per estimator and one line per N (needs matplotlib).
"""
from __future__ import annotations

import argparse
import math
import platform
import time
from dataclasses import dataclass

import numpy as np

import infokit
from infokit import estimators as E

RHOS = (0.0, 0.3, 0.6, 0.9, 0.99)
SIZES = (1_000, 10_000, 100_000)
ESTIMATORS = ("KSG (k=3, alg. 1)", "histogram (sqrt(N/5) bins)", "Gaussian")
SEED = 20261123


@dataclass
class Cell:
    rho: float
    n: int
    reps: int
    truth: float
    estimates: dict[str, np.ndarray]

    def bias(self, name: str) -> float:
        return float(np.mean(self.estimates[name]) - self.truth)

    def std(self, name: str) -> float:
        return float(np.std(self.estimates[name], ddof=1))


def true_mi(rho: float) -> float:
    return -0.5 * math.log1p(-rho * rho)


def size(n: int) -> str:
    return f"1e{round(math.log10(n))}"


def hist_bins(n: int) -> int:
    return max(2, round(math.sqrt(n / 5)))


def draw(rho: float, n: int, rep: int) -> tuple[np.ndarray, np.ndarray]:
    # One stream per (rho, N, repetition): a cell's samples do not depend on which others run.
    rng = np.random.default_rng([SEED, round(rho * 100), n, rep])
    x = rng.standard_normal(n)
    y = rho * x + math.sqrt(1.0 - rho * rho) * rng.standard_normal(n)
    return x, y


def run_cell(rho: float, n: int, reps: int) -> Cell:
    est: dict[str, list[float]] = {name: [] for name in ESTIMATORS}
    for rep in range(reps):
        x, y = draw(rho, n, rep)
        est[ESTIMATORS[0]].append(E.mutual_info_knn(x, y, 3, algorithm=1))
        est[ESTIMATORS[1]].append(E.mutual_info_hist(x, y, bins=hist_bins(n)))
        est[ESTIMATORS[2]].append(E.mutual_info_gaussian(x, y))
    return Cell(rho, n, reps, true_mi(rho), {k: np.asarray(v) for k, v in est.items()})


def table(cells: list[Cell]) -> str:
    head = "| rho | N | reps | true MI | " + " | ".join(f"{name} bias ± std" for name in ESTIMATORS) + " |"
    lines = [head, "|---:|---:|---:|---:|" + "---:|" * len(ESTIMATORS)]
    for c in cells:
        vals = " | ".join(f"{c.bias(name):+.4f} ± {c.std(name):.4f}" for name in ESTIMATORS)
        lines.append(f"| {c.rho:g} | {size(c.n)} | {c.reps} | {c.truth:.4f} | {vals} |")
    return "\n".join(lines)


def plot(cells: list[Cell], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(ESTIMATORS), figsize=(15, 4.5))
    for ax, name in zip(axes, ESTIMATORS):
        for i, n in enumerate(SIZES):
            row = [c for c in cells if c.n == n]
            # Offset the lines a little along rho so that error bars do not hide each other.
            rho = np.array([c.rho for c in row]) + (i - 1) * 0.008
            ax.errorbar(rho, [c.bias(name) for c in row], yerr=[c.std(name) for c in row],
                        marker="o", capsize=3, label=f"N = {size(n)} ({row[0].reps} reps)")
        ax.axhline(0.0, color="grey", lw=0.8)
        ax.set_title(name)
        ax.set_xlabel("correlation rho")
        ax.set_xticks(RHOS)
    axes[0].set_ylabel("bias: mean estimate - true MI (nats), bars: ± 1 std")
    axes[0].legend()
    fig.suptitle("Mutual information of a bivariate Gaussian, true MI = -0.5 log(1 - rho²)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps-small", type=int, default=100, help="repetitions at N = 1e3 and 1e4")
    parser.add_argument("--reps-large", type=int, default=20, help="repetitions at N = 1e5")
    parser.add_argument("--plot", metavar="FILE", help="write the figure to FILE (needs matplotlib)")
    args = parser.parse_args()
    start = time.perf_counter()
    cells = [run_cell(rho, n, args.reps_large if n >= 100_000 else args.reps_small)
             for n in SIZES for rho in RHOS]
    cells.sort(key=lambda c: (c.rho, c.n))
    print(f"infokit {infokit.__version__}, numpy {np.__version__}, {platform.machine()}, "
          f"seed {SEED}, {time.perf_counter() - start:.0f} s\n")
    print(table(cells))
    if args.plot:
        plot(cells, args.plot)
        print(f"\nfigure written to {args.plot}")


if __name__ == "__main__":
    main()
