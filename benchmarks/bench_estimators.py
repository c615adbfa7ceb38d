"""Side-by-side timings of infokit's estimators against their peers (scikit-learn,
fast-histogram, NumPy) on the same arrays in one process, alternating A B A B; prints a
Markdown table of median times and the median of per-pair ratios.

    python benchmarks/bench_estimators.py [--threads N] [--case all|matrix|dropins|regression]

`--case matrix` runs only mutual_info_matrix (1e4 x 20) against the pairwise loops a user
would otherwise write; `--case dropins` only the scikit-learn drop-ins, plus the time of
mutual_info_regression on one feature of 1e6 samples (issue 9 asks for under a second);
`--case regression` only the first drop-in row (mutual_info_regression 1e5 x 1), for iterating.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any, Callable

import numpy as np


# Pause before each timed call: scikit-learn's worker processes (n_jobs > 1) keep a core busy
# for a few hundred ms after a call returns, which would slow whichever call comes next.
_SETTLE_S = 0.3


def _timed(f: Callable[[], Any]) -> float:
    time.sleep(_SETTLE_S)
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def _pairs(a: Callable[[], Any], b: Callable[[], Any], reps: int) -> tuple[float, float, float]:
    a(), b()  # warm-up
    ta, tb = [], []
    for _ in range(reps):
        ta.append(_timed(a))
        tb.append(_timed(b))
    return float(np.median(ta)), float(np.median(tb)), float(np.median(np.array(tb) / np.array(ta)))


def _matrix_rows(nt: int) -> list[tuple[str, str, float, float, float]]:
    """mutual_info_matrix on 1e4 x 20 against the loop over the 190 pairs, with scikit-learn's
    mutual_info_regression (the peer) and with infokit's own mutual_info_knn (which re-sorts
    both columns per pair: the gain from sharing each column's sort)."""
    import sklearn
    import sklearn.feature_selection as skfs

    import infokit
    from infokit import estimators

    rng = np.random.default_rng(1)
    n, d = 10**4, 20
    X = rng.standard_normal((n, d)) + 0.5 * rng.standard_normal((n, 1))
    pairs = [(i, j) for i in range(d) for j in range(i + 1, d)]

    def sk_loop() -> None:
        for i, j in pairs:
            skfs.mutual_info_regression(X[:, [i]], X[:, j], random_state=0, n_jobs=nt)

    def ik_loop() -> None:
        for i, j in pairs:
            estimators.mutual_info_knn(X[:, i], X[:, j], n_threads=nt)

    ik = lambda: infokit.mutual_info_matrix(X, n_threads=nt)  # noqa: E731
    name = f"mutual_info_matrix 1e4 x {d} (KSG, {len(pairs)} pairs)"
    return [(name, f"sklearn {sklearn.__version__} mutual_info_regression per pair", *_pairs(ik, sk_loop, 3)),
            (name, "infokit mutual_info_knn per pair", *_pairs(ik, ik_loop, 5))]


def _dropin_rows(nt: int, regression_only: bool = False) -> list[tuple[str, str, float, float, float]]:
    """infokit.feature_selection against scikit-learn's, same data, same random_state (five
    pairs each, the protocol's minimum: a scikit-learn classif call takes seconds)."""
    import sklearn
    import sklearn.feature_selection as skfs

    from infokit import feature_selection

    rng = np.random.default_rng(9)
    rows = []
    X1 = rng.standard_normal((10**5, 1)); y1 = X1[:, 0] + rng.standard_normal(10**5)
    rows.append(("mutual_info_regression 1e5 x 1", f"sklearn {sklearn.__version__}",
                 *_pairs(lambda: feature_selection.mutual_info_regression(X1, y1, random_state=0, n_jobs=nt),
                         lambda: skfs.mutual_info_regression(X1, y1, random_state=0, n_jobs=nt), 5)))
    if regression_only:
        return rows
    X10 = rng.standard_normal((10**5, 10)); yc = (X10[:, 0] > 0).astype(int) + (X10[:, 1] > 1)
    rows.append(("mutual_info_classif 1e5 x 10", f"sklearn {sklearn.__version__}",
                 *_pairs(lambda: feature_selection.mutual_info_classif(X10, yc, random_state=0, n_jobs=nt),
                         lambda: skfs.mutual_info_classif(X10, yc, random_state=0, n_jobs=nt), 5)))
    return rows


def _time_alone(f: Callable[[], Any], reps: int) -> float:
    f()  # warm-up
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--case", choices=["all", "matrix", "dropins", "regression"], default="all")
    args = ap.parse_args()
    nt = args.threads
    if args.case == "matrix":
        _print(_matrix_rows(nt), nt)
        return
    if args.case == "regression":
        _print(_dropin_rows(nt, regression_only=True), nt)
        return
    if args.case == "dropins":
        from infokit import feature_selection

        _print(_dropin_rows(nt), nt)
        big = np.random.default_rng(5)
        Xb = big.standard_normal((10**6, 1)); yb = Xb[:, 0] + big.standard_normal(10**6)
        t = _time_alone(lambda: feature_selection.mutual_info_regression(Xb, yb, random_state=0, n_jobs=nt), 5)
        print(f"\nmutual_info_regression 1e6 x 1, infokit alone: median {t * 1e3:.0f} ms of 5")
        return
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

    rows += _dropin_rows(nt)
    rows += _matrix_rows(nt)
    _print(rows, nt)


def _print(rows: list[tuple[str, str, float, float, float]], nt: int) -> None:
    import infokit

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
