"""Side-by-side timings of infokit's estimators against their peers (scikit-learn,
fast-histogram, NumPy) on the same arrays in one process, alternating A B A B; prints a
Markdown table of median times and the median of per-pair ratios.

    python benchmarks/bench_estimators.py [--threads N]
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any, Callable

import numpy as np


def _pairs(a: Callable[[], Any], b: Callable[[], Any], reps: int) -> tuple[float, float, float]:
    a(), b()  # warm-up
    ta, tb = [], []
    for _ in range(reps):
        t0 = time.perf_counter(); a(); t1 = time.perf_counter(); b(); t2 = time.perf_counter()
        ta.append(t1 - t0); tb.append(t2 - t1)
    return float(np.median(ta)), float(np.median(tb)), float(np.median(np.array(tb) / np.array(ta)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    nt = args.threads
    import fast_histogram
    import sklearn
    import sklearn.feature_selection as skfs
    import sklearn.metrics as skm

    import infokit
    from infokit import estimators, feature_selection, metrics

    rng = np.random.default_rng(0)
    rows = []

    x = rng.standard_normal(10**7); y = 0.6 * x + 0.8 * rng.standard_normal(10**7)
    rg = [(-5.0, 5.0), (-5.0, 5.0)]
    ik = lambda: estimators.mutual_info_hist(x, y, bins=64, range=rg, n_threads=nt)  # noqa: E731
    fh = lambda: fast_histogram.histogram2d(x, y, 64, rg)  # noqa: E731
    rows.append(("mutual_info_hist 1e7, 64x64", "fast_histogram.histogram2d (histogram only)", *_pairs(ik, fh, 5)))

    def numpy_mi() -> float:
        h = np.histogram2d(x, y, 64, rg)[0] / len(x)
        px, py = h.sum(1, keepdims=True), h.sum(0, keepdims=True)
        nz = h > 0
        return float(np.sum(h[nz] * np.log(h[nz] / (px @ py)[nz])))
    rows.append(("mutual_info_hist 1e7, 64x64", "numpy histogram2d + plug-in", *_pairs(ik, numpy_mi, 3)))

    a = rng.integers(0, 100, 10**6); b = (a + rng.integers(0, 30, 10**6)) % 100
    rows.append(("adjusted_mutual_info_score 1e6, 100x100", f"sklearn {sklearn.__version__}",
                 *_pairs(lambda: metrics.adjusted_mutual_info_score(a, b, n_threads=nt),
                         lambda: skm.adjusted_mutual_info_score(a, b), 3)))
    rows.append(("mutual_info_score 1e6, 100x100", f"sklearn {sklearn.__version__}",
                 *_pairs(lambda: metrics.mutual_info_score(a, b, n_threads=nt),
                         lambda: skm.mutual_info_score(a, b), 5)))

    X1 = rng.standard_normal((10**5, 1)); y1 = X1[:, 0] + rng.standard_normal(10**5)
    rows.append(("mutual_info_regression 1e5 x 1", f"sklearn {sklearn.__version__}",
                 *_pairs(lambda: feature_selection.mutual_info_regression(X1, y1, random_state=0, n_jobs=nt),
                         lambda: skfs.mutual_info_regression(X1, y1, random_state=0, n_jobs=nt), 3)))
    X10 = rng.standard_normal((10**5, 10)); yc = (X10[:, 0] > 0).astype(int) + (X10[:, 1] > 1)
    rows.append(("mutual_info_classif 1e5 x 10", f"sklearn {sklearn.__version__}",
                 *_pairs(lambda: feature_selection.mutual_info_classif(X10, yc, random_state=0, n_jobs=nt),
                         lambda: skfs.mutual_info_classif(X10, yc, random_state=0, n_jobs=nt), 3)))

    cfg = infokit._config.config()
    print(f"CPU: {platform.processor() or platform.machine()}, os.cpu_count={os.cpu_count()}, "
          f"threads={nt}, infokit {infokit.__version__} ISA {cfg.get('isa', '?')}, numpy {np.__version__}, "
          f"date {time.strftime('%Y-%m-%d')}\n")
    print("| kernel | peer | infokit (ms) | peer (ms) | speed-up (median of pairs) |")
    print("|---|---|---:|---:|---:|")
    for name, peer, ti, tp, ratio in rows:
        print(f"| {name} | {peer} | {ti * 1e3:.1f} | {tp * 1e3:.1f} | {ratio:.1f}x |")


if __name__ == "__main__":
    main()
