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
