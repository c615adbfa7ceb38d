"""Build and runtime configuration: which SIMD path runs, OpenMP, threads."""
from __future__ import annotations

import warnings

from . import _core
from ._version import __version__

_warning = _core.config()["isa_warning"]
if _warning:
    warnings.warn(_warning, RuntimeWarning, stacklevel=2)


def config() -> dict[str, object]:
    """Return the configuration that :func:`show_config` prints, as a dict."""
    info: dict[str, object] = dict(_core.config())
    info["version"] = __version__
    return info


def show_config() -> None:
    """Print infokit's version, the SIMD path chosen and available, OpenMP and threads.

    Examples
    --------
    >>> import infokit
    >>> infokit.show_config()  # doctest: +ELLIPSIS
    infokit ...
    """
    c = config()
    print(f"infokit {c['version']}")
    print(f"  SIMD path:        {c['isa']} (available: {', '.join(c['isas_available'])})")  # type: ignore[arg-type]
    print(f"  OpenMP runtime:   {c['openmp']}")
    print(f"  default threads:  {c['default_threads']} (CPUs: {c['cpu_count']})")
    print(f"  compiler:         {c['compiler']}")
    print("  override:         INFOKIT_ISA=baseline|avx2|avx512")
