"""A progress bar for the command line's long-running container calls, without dependencies.

The container call runs in a worker thread (it releases the GIL) and adds the symbols it has
finished to a shared counter after each block; the calling thread polls that counter and
redraws one line on stderr.
"""
from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

import numpy as np
from numpy.typing import NDArray

T = TypeVar("T")

# Below this the whole command takes about a second or less: a bar would only flash.
PROGRESS_MIN_BYTES = 64 << 20
_POLL_SECONDS = 0.1


def want_progress(forced: bool | None, size: int, stream: TextIO | None = None) -> bool:
    """`--progress`/`--no-progress` decide when given; otherwise a bar is drawn only for inputs
    of at least PROGRESS_MIN_BYTES, and only on a terminal (never into a redirected log)."""
    if forced is not None:
        return forced
    stream = sys.stderr if stream is None else stream
    return size >= PROGRESS_MIN_BYTES and stream.isatty()


def _draw(stream: TextIO, label: str, done: int, total: int) -> None:
    frac = 1.0 if total <= 0 else min(1.0, done / total)
    width = max(10, min(40, shutil.get_terminal_size((80, 24)).columns - len(label) - 20))
    filled = int(round(frac * width))
    stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {100 * frac:5.1f} %")
    stream.flush()


def run_with_progress(label: str, total: int, call: Callable[[NDArray[np.uint64]], T],
                      stream: TextIO | None = None) -> T:
    """Run call(counter) in a worker thread, drawing `counter[0] / total` until it returns;
    its result is returned and its exception re-raised here, after the bar's line is ended."""
    stream = sys.stderr if stream is None else stream
    counter = np.zeros(1, dtype=np.uint64)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = call(counter)
        except BaseException as e:  # handed to the calling thread, which re-raises it
            outcome["error"] = e

    worker = threading.Thread(target=work, name="infokit-progress", daemon=True)
    worker.start()
    while worker.is_alive():
        _draw(stream, label, int(counter[0]), total)
        worker.join(_POLL_SECONDS)
    if "error" in outcome:
        stream.write("\n")
        stream.flush()
        raise outcome["error"]
    _draw(stream, label, total, total)
    stream.write("\n")
    stream.flush()
    result: T = outcome["value"]
    return result
