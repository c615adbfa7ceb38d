"""Shared fixtures: every SIMD path the machine runs, and the thread counts to try."""
from __future__ import annotations

import os
import warnings

import pytest
from hypothesis import settings

import infokit
from infokit import _core

# Hypothesis imports libcst lazily when it reports a failure, and libcst's import emits a
# DeprecationWarning (from mypy_extensions) that `-W error` turns into an INTERNALERROR which
# hides the failure itself. Import it once here, quietly.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    try:
        import hypothesis.extra._patching  # noqa: F401
    except Exception:  # pragma: no cover - optional, private
        pass

# CI runs every property test on the same examples (derandomized, no example database), so a
# run's outcome depends on the code alone; elsewhere Hypothesis explores new examples on every
# run. .ci/run sets INFOKIT_HYPOTHESIS_PROFILE=ci.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("INFOKIT_HYPOTHESIS_PROFILE") == "ci":
    settings.load_profile("ci")

ISAS: list[str] = list(_core.config()["isas_available"])

# Thread counts every measure is run at; results must not depend on them.
THREADS: list[int] = [1, 2]


# The parametrization helper: ``@threads`` on a test taking `n_threads` runs it at 1 and 2
# threads (import it with ``from conftest import threads``); a test that just asks for the
# `n_threads` fixture below gets the same two runs.
threads = pytest.mark.parametrize("n_threads", THREADS, ids=[f"t{n}" for n in THREADS])


@pytest.fixture(params=ISAS)
def isa(request: pytest.FixtureRequest):  # noqa: ANN201
    """Switch the SIMD path to each available ISA in turn, restoring the previous one after."""
    name = request.param
    previous = _core.set_isa(name)
    try:
        assert _core.config()["isa"] == name
        yield name
    finally:
        _core.set_isa(previous)


@pytest.fixture(params=THREADS, ids=[f"t{n}" for n in THREADS])
def n_threads(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def pytest_report_header(config: pytest.Config) -> str:
    c = _core.config()
    return f"infokit {infokit.__version__}: isa={c['isa']} available={c['isas_available']} openmp={c['openmp']}"
