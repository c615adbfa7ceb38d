"""The Examples sections of the public docstrings run and give what they show."""
from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["infokit._measures", "infokit.special", "infokit._config", "infokit.estimators",
                                    "infokit._mi_matrix", "infokit._mi_test", "infokit._ties", "infokit.stats",
                                    "infokit.metrics"])
def test_docstrings(module):
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False, report=True)
    assert result.attempted > 0, f"{module} has no examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {module}"
