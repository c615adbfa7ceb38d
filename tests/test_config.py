"""show_config / config(), and the INFOKIT_ISA override read at import time (in subprocesses)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import infokit
from infokit import _config, _core


def test_show_config_prints_isa_and_openmp(capsys):
    infokit.show_config()
    out = capsys.readouterr().out
    c = _core.config()
    lines = out.splitlines()
    assert lines[0] == f"infokit {infokit.__version__}"
    isa_line = next(line for line in lines if "SIMD path" in line)
    assert re.search(rf"SIMD path:\s+{re.escape(c['isa'])} \(available: {re.escape(', '.join(c['isas_available']))}\)",
                     isa_line), isa_line
    omp_line = next(line for line in lines if "OpenMP" in line)
    assert c["openmp"] in omp_line
    threads_line = next(line for line in lines if "threads" in line)
    assert str(c["default_threads"]) in threads_line and f"CPUs: {c['cpu_count']}" in threads_line
    assert "INFOKIT_ISA=baseline|avx2|avx512" in out


def test_show_config_follows_set_isa(capsys):
    before = _core.config()["isa"]
    try:
        _core.set_isa("baseline")
        infokit.show_config()
        assert re.search(r"SIMD path:\s+baseline \(", capsys.readouterr().out)
    finally:
        _core.set_isa(before)


def test_config_dict():
    c = _config.config()
    assert c["version"] == infokit.__version__
    assert c["isa"] in c["isas_available"]
    assert "baseline" in c["isas_available"]
    assert set(c["isas_available"]) <= {"baseline", "avx2", "avx512"}
    assert isinstance(c["default_threads"], int) and c["default_threads"] >= 1
    assert isinstance(c["cpu_count"], int) and c["cpu_count"] >= 1
    assert c["isa_warning"] == "" or "INFOKIT_ISA" in c["isa_warning"]
    # Without an override the best available path is chosen.
    if not os.environ.get("INFOKIT_ISA"):
        order = ["baseline", "avx2", "avx512"]
        assert c["isa"] == max(c["isas_available"], key=order.index)


def _run(env_isa: str | None, code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("INFOKIT_ISA", None)
    if env_isa is not None:
        env["INFOKIT_ISA"] = env_isa
    return subprocess.run([sys.executable, "-W", "default", "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)


PRINT_ISA = "import infokit, json; print(infokit._core.config()['isa'])"


@pytest.mark.parametrize("name", _core.config()["isas_available"])
def test_env_override_selects_isa(name):
    r = _run(name, PRINT_ISA)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == name
    assert "Warning" not in r.stderr, r.stderr


def test_env_override_baseline():
    r = _run("baseline", PRINT_ISA)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "baseline"
    assert r.stderr == ""


def test_env_override_bogus_falls_back_with_warning():
    code = ("import infokit, json; c = infokit._core.config(); "
            "print(json.dumps([c['isa'], c['isas_available'], c['isa_warning']])); "
            "print(float(infokit.entropy([1.0, 1.0])))")
    r = _run("bogus", code)
    assert r.returncode == 0, r.stderr
    assert "RuntimeWarning" in r.stderr and "INFOKIT_ISA" in r.stderr and "bogus" in r.stderr, r.stderr
    first, second = r.stdout.strip().splitlines()
    isa, available, warning = json.loads(first)
    order = ["baseline", "avx2", "avx512"]
    assert isa == max(available, key=order.index)  # the best path, as without the override
    assert "INFOKIT_ISA=bogus" in warning
    assert abs(float(second) - 0.6931471805599453) < 1e-15


def test_env_override_bogus_is_an_error_under_W_error():
    """The fallback is a real RuntimeWarning: `-W error::RuntimeWarning` turns it into an error."""
    env = dict(os.environ, INFOKIT_ISA="bogus")
    r = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", "import infokit"], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "INFOKIT_ISA" in r.stderr


def test_env_override_unsupported_isa_falls_back():
    missing = [n for n in ("avx2", "avx512") if n not in _core.config()["isas_available"]]
    if not missing:
        pytest.skip("this CPU runs every ISA path")
    r = _run(missing[-1], PRINT_ISA)
    assert r.returncode == 0, r.stderr
    assert "RuntimeWarning" in r.stderr and "INFOKIT_ISA" in r.stderr
    assert r.stdout.strip() in _core.config()["isas_available"]
    assert r.stdout.strip() != missing[-1]


def test_env_override_empty_means_default():
    r = _run("", PRINT_ISA)
    assert r.returncode == 0, r.stderr
    order = ["baseline", "avx2", "avx512"]
    assert r.stdout.strip() == max(_core.config()["isas_available"], key=order.index)
    assert r.stderr == ""
