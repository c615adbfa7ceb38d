"""pytest configuration for the benchmark suites: collect ``bench_*.py`` files.

The suites are run with ``pytest benchmarks/ --benchmark-only`` and are not part of the test
command (they live outside tests/ and are named bench_*.py, which pytest would not collect).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_collect_file(file_path: Path, parent: Any) -> pytest.Module | None:
    """Collect benchmarks/bench_*.py as test modules."""
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        module: pytest.Module = pytest.Module.from_parent(parent, path=file_path)
        return module
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Peers' own deprecation warnings must not fail a benchmark (the test config makes
    warnings errors): show them instead, for the items collected here."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.filterwarnings("default"))
