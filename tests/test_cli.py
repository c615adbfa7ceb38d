"""The command line (python -m infokit) and the benchmark runner behind ``infokit bench``."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import infokit
from infokit import _bench
from infokit.__main__ import main

ROW_KEYS = {"group", "case", "peer", "threads", "size", "dtype", "peer_s", "infokit_s", "ratio", "reps", "notes"}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "infokit", *args], capture_output=True, text=True, timeout=120)


def test_demo_exits_0_and_prints_entropy() -> None:
    r = _cli("demo")
    assert r.returncode == 0, r.stderr
    assert "entropy" in r.stdout
    assert "SIMD path" in r.stdout  # show_config() at the end


def test_no_arguments_prints_help_and_exits_0() -> None:
    r = _cli()
    assert r.returncode == 0, r.stderr
    assert "usage: infokit" in r.stdout
    for sub in ("bench", "demo"):
        assert sub in r.stdout


def test_unknown_subcommand_exits_2() -> None:
    r = _cli("nonsense")
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


def test_bench_rejects_bad_threads() -> None:
    with pytest.raises(SystemExit) as info:
        main(["bench", "--threads", "0"])
    assert info.value.code == 2


@pytest.fixture(scope="module")
def tiny_run() -> tuple[str, list[dict[str, Any]]]:
    """The quick benchmark on 1e4-element inputs (a few seconds)."""
    return _bench.run(quick=True, threads=2, size_scale=1e-3)


def test_runner_header_names_the_context(tiny_run: tuple[str, list[dict[str, Any]]]) -> None:
    md, _ = tiny_run
    assert md.startswith("# infokit bench (quick)")
    assert f"ISA path `{infokit._config.config()['isa']}`" in md
    assert f"CPU: {_bench.cpu_model()}" in md
    assert "threads: 1 and 2" in md
    assert "jax: its own thread pool" in md
    for lib in ("numpy", "scipy", "jax", "torch", f"infokit {infokit.__version__}"):
        assert lib in md
    assert "- date: " in md


def test_runner_tables(tiny_run: tuple[str, list[dict[str, Any]]]) -> None:
    md, rows = tiny_run
    header = "| case | peer | threads | peer median | infokit median | ratio (peer/infokit) | notes |"
    groups = {r["group"] for r in rows}
    assert md.count(header) == len(groups) >= 5
    for g in groups:
        assert f"## {g}" in md
    assert "entropy 1e4 f64" in md
    lines = [ln for ln in md.splitlines() if ln.startswith("| ")]
    assert all(ln.count(" | ") - ln.count("\\|") == 6 for ln in lines)


def test_runner_rows(tiny_run: tuple[str, list[dict[str, Any]]]) -> None:
    _, rows = tiny_run
    assert rows and all(set(r) == ROW_KEYS for r in rows)
    numpy_rows = [r for r in rows if r["peer"] == "numpy"]
    assert {r["threads"] for r in numpy_rows} == {1, 2}
    for r in numpy_rows:
        assert r["reps"] >= 5
        assert r["peer_s"] > 0 and r["infokit_s"] > 0 and r["ratio"] > 0
        assert "DIFFER" not in r["notes"]
    assert any(r["peer"] == "bandwidth ceiling (OpenMP sum)" and "GB/s" in r["notes"] for r in rows)
    assert any(r["peer"] == "infokit float64 (same n)" for r in rows)
    assert any(r["case"].startswith("log ") and "max ULP" in r["notes"] for r in rows)
    assert not any(r["peer"].startswith(("jax", "torch")) for r in rows)  # quick: no compilers


def test_format_markdown_skipped_rows_and_pipes() -> None:
    rows = [
        {"group": "G", "case": "c", "peer": "p", "threads": 1, "peer_s": 2e-3, "infokit_s": 5e-6,
         "ratio": 400.0, "notes": "a | b"},
        {"group": "G", "case": "c", "peer": "q", "threads": 2, "peer_s": None, "infokit_s": None,
         "ratio": None, "notes": "skipped: q not importable"},
    ]
    md = _bench.format_markdown(rows, ["# title"])
    assert "| c | p | 1 | 2 ms | 5 µs | 400 | a \\| b |" in md
    assert "| c | q | 2 | — | — | — | skipped: q not importable |" in md


def test_compare_alternates_at_least_five_times() -> None:
    calls: list[str] = []
    t = _bench.compare(lambda: calls.append("a"), lambda: calls.append("b"),
                       _bench.Settings(max_reps=6, target_s=0.0, min_batch_s=0.0))
    assert t.reps == 5
    assert calls[-10:] == ["a", "b"] * 5
    assert t.peer_s > 0 and t.infokit_s > 0 and t.ratio > 0


def test_max_ulp() -> None:
    x = np.linspace(0.5, 2.0, 1001)
    assert _bench.max_ulp("log", x, np.log(x)) <= 1.0
    y = np.nextafter(np.nextafter(np.exp(x), np.inf), np.inf)
    assert 1.0 < _bench.max_ulp("exp", x, y) <= 3.0


def test_bench_cli_writes_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.md"
    assert main(["bench", "--quick", "--threads", "1", "--size-scale", "1e-3", "--cases", "small",
                 "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "entropy of 16 f64" in printed
    assert out.read_text(encoding="utf-8") == printed


def test_bench_plot_without_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["bench", "--quick", "--plot", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "matplotlib" in err and "pip install" in err
    assert not (tmp_path / "x.png").exists()


def test_bench_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    _, rows = _bench.run(quick=True, threads=1, size_scale=1e-3, cases=[], sweep=True)
    png = tmp_path / "speedup.png"
    _bench.plot(rows, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
