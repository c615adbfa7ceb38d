"""The info/compress/decompress commands, run as a user would, through a subprocess."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "infokit._cli_coding", *args],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    p = tmp_path / "sample.txt"
    p.write_bytes(b"the quick brown fox jumps over the lazy dog\n" * 200)
    return p


@pytest.mark.parametrize("method", ["rans", "huffman", "arith"])
def test_compress_decompress_round_trip(sample: Path, tmp_path: Path, method: str):
    packed = tmp_path / "packed.ikc"
    assert run("compress", str(sample), "-o", str(packed), "--method", method).returncode == 0
    restored = tmp_path / "restored.txt"
    r = run("decompress", str(packed), "-o", str(restored))
    assert r.returncode == 0, r.stderr
    assert restored.read_bytes() == sample.read_bytes()


def test_default_names_and_overwrite(sample: Path):
    assert run("compress", str(sample)).returncode == 0
    packed = Path(str(sample) + ".ikc")
    assert packed.exists()
    r = run("decompress", str(packed))  # would overwrite sample.txt
    assert r.returncode == 1 and "exists" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert run("decompress", str(packed), "--force").returncode == 0


def test_info(sample: Path):
    r = run("info", str(sample))
    assert r.returncode == 0
    assert "entropy" in r.stdout and "rans" in r.stdout and "huffman" in r.stdout


def test_bad_paths_and_corrupt_files(sample: Path, tmp_path: Path):
    r = run("decompress", str(tmp_path / "missing.ikc"))
    assert r.returncode == 1 and r.stderr.startswith("infokit: error:")
    r = run("info", str(tmp_path / "missing"))
    assert r.returncode == 1
    packed = tmp_path / "s.ikc"
    assert run("compress", str(sample), "-o", str(packed)).returncode == 0
    data = bytearray(packed.read_bytes())
    data[len(data) // 2] ^= 0x55
    packed.write_bytes(bytes(data))
    r = run("decompress", str(packed), "-o", str(tmp_path / "out"))
    assert r.returncode == 1 and "not a valid infokit container" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
    r = run("decompress", str(sample), "-o", str(tmp_path / "out2"))
    assert r.returncode == 1


@pytest.mark.parametrize("method", ["rans", "huffman"])
def test_progress_bar_forced_on_reaches_100(sample: Path, tmp_path: Path, method: str):
    packed = tmp_path / "packed.ikc"
    r = run("compress", str(sample), "-o", str(packed), "--method", method, "--progress")
    assert r.returncode == 0, r.stderr
    assert "compress sample.txt [" in r.stderr and r.stderr.rstrip().endswith("100.0 %")
    restored = tmp_path / "restored.txt"
    r = run("decompress", str(packed), "-o", str(restored), "--progress")
    assert r.returncode == 0, r.stderr
    assert "decompress packed.ikc [" in r.stderr and r.stderr.rstrip().endswith("100.0 %")
    assert restored.read_bytes() == sample.read_bytes()


def test_progress_bar_off_when_forced_off_or_not_a_terminal(sample: Path, tmp_path: Path):
    packed = tmp_path / "packed.ikc"
    # Captured stderr is not a terminal: no bar by default, nor with --no-progress.
    assert run("compress", str(sample), "-o", str(packed)).stderr == ""
    r = run("decompress", str(packed), "-o", str(tmp_path / "a"), "--no-progress")
    assert r.returncode == 0 and r.stderr == ""
    assert run("compress", str(sample), "--progress", "--no-progress").returncode == 2  # exclusive


def test_progress_bar_on_corrupt_input_still_one_error_line(sample: Path, tmp_path: Path):
    packed = tmp_path / "packed.ikc"
    assert run("compress", str(sample), "-o", str(packed)).returncode == 0
    blob = bytearray(packed.read_bytes())
    blob[-1] ^= 0xFF  # payload damaged, header intact: container_info passes, decoding fails
    packed.write_bytes(bytes(blob))
    r = run("decompress", str(packed), "-o", str(tmp_path / "out"), "--progress")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1].startswith("infokit: error:")


def test_want_progress_threshold():
    from infokit._cli_progress import PROGRESS_MIN_BYTES, want_progress

    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    assert want_progress(None, PROGRESS_MIN_BYTES, Tty(True))
    assert not want_progress(None, PROGRESS_MIN_BYTES - 1, Tty(True))
    assert not want_progress(None, PROGRESS_MIN_BYTES, Tty(False))
    assert want_progress(True, 0, Tty(False)) and not want_progress(False, 1 << 40, Tty(True))
