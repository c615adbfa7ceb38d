"""infokit: fast information theory for NumPy.

Entropy and divergences with scipy's semantics, computed by runtime-dispatched SIMD kernels
(see :func:`show_config`). Units are nats unless ``base=`` is given.
"""
from . import losses, special, stats
from ._config import show_config
from ._mi_matrix import mutual_info_matrix
from ._mi_test import MutualInfoTestResult, mutual_info_test
from ._measures import (
    binary_entropy,
    conditional_entropy,
    conditional_mutual_information,
    cross_entropy,
    entropy,
    jensenshannon,
    joint_entropy,
    js_divergence,
    kl_divergence,
    mutual_information,
    perplexity,
    renyi_entropy,
    surprisal,
)
from ._ties import TiesWarning
from ._version import __version__
from .estimators import mutual_info_mixture

__all__ = [
    "__version__", "show_config", "special", "losses", "stats",
    "entropy", "cross_entropy", "kl_divergence", "js_divergence", "jensenshannon",
    "binary_entropy", "surprisal", "perplexity", "joint_entropy", "conditional_entropy",
    "mutual_information", "conditional_mutual_information", "renyi_entropy",
    "mutual_info_matrix", "mutual_info_test", "MutualInfoTestResult", "mutual_info_mixture", "TiesWarning",
]


def __getattr__(name: str) -> object:
    """``infokit.torch`` is imported on first use only: importing infokit must not import torch."""
    if name == "torch":
        import importlib

        return importlib.import_module(".torch", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
