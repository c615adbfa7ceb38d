"""Type stubs for infokit's private compiled module (csrc/bindings)."""
from typing import Any

import numpy as np
from numpy.typing import NDArray

REDUCTION_ENTROPY: int
REDUCTION_CROSS: int
REDUCTION_KL: int
REDUCTION_JS: int
REDUCTION_RENYI: int
ELEMENTWISE_ENTR: int
ELEMENTWISE_REL_ENTR: int
ELEMENTWISE_KL_DIV: int

def config() -> dict[str, Any]: ...
def set_isa(name: str) -> str: ...
def resolve_threads(n_threads: int) -> int: ...
def reduce(
    which: int,
    a: NDArray[np.floating[Any]],
    b: NDArray[np.floating[Any]] | None,
    axis: int,
    params: NDArray[np.float64] | None,
    n_threads: int,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]: ...
def entropy_1d(a: NDArray[Any]) -> float | None: ...
def elementwise(
    which: int,
    x: NDArray[np.floating[Any]],
    y: NDArray[np.floating[Any]] | None,
    out: NDArray[np.floating[Any]],
    n_threads: int,
) -> None: ...
def log(x: NDArray[np.floating[Any]], out: NDArray[np.floating[Any]], n_threads: int) -> None: ...
def exp(x: NDArray[np.floating[Any]], out: NDArray[np.floating[Any]], n_threads: int) -> None: ...
def plain_sum(x: NDArray[np.floating[Any]], n_threads: int) -> float: ...
