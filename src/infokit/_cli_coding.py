"""The coding commands of the ``infokit`` command line: ``info``, ``compress``, ``decompress``.

``add_subcommands(subparsers)`` registers them on the main parser (``infokit.__main__``); each
sets ``func`` to a handler that takes the parsed namespace and returns the exit status. Run
standalone as ``python -m infokit._cli_coding``.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import numpy as np

from ._cli_progress import run_with_progress, want_progress
from ._coding_container import METHODS, _compress, _decompress, compress, container_info
from ._coding_errors import DecodeError
from ._coding_report import empirical_entropy_bits

SUFFIX = ".ikc"


def _fail(message: str) -> int:
    print(f"infokit: error: {message}", file=sys.stderr)
    return 1


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _write(path: str, data: bytes, force: bool) -> None:
    # "x" mode refuses an existing file atomically; --force truncates it.
    with open(path, "wb" if force else "xb") as f:
        f.write(data)


def cmd_info(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            data = _read(path)
        except OSError as e:
            status = _fail(f"{path}: {e.strerror or e}")
            continue
        counts = np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256)
        h = empirical_entropy_bits(counts)
        bound = len(data) * h / 8
        print(f"{path}: {len(data)} bytes, entropy {h:.4f} bits/byte, order-0 bound {bound:.0f} bytes")
        for method in METHODS:
            size = len(compress(data, method))
            extra = 100.0 * (size - bound) / bound if bound else 0.0
            print(f"  {method:8s} {size:>12d} bytes  {8 * size / max(len(data), 1):.4f} bits/byte  "
                  f"{extra:+.3f} % vs bound")
    return status


def cmd_compress(args: argparse.Namespace) -> int:
    out = args.output or args.file + SUFFIX
    try:
        data = _read(args.file)
        if want_progress(args.progress, len(data)):
            blob = run_with_progress(f"compress {os.path.basename(args.file)}", len(data),
                                     lambda counter: _compress(data, args.method, progress=counter))
        else:
            blob = compress(data, args.method)
        _write(out, blob, args.force)
    except FileExistsError:
        return _fail(f"{out} exists (use --force to overwrite)")
    except OSError as e:
        return _fail(f"{e.filename or args.file}: {e.strerror or e}")
    return 0


def cmd_decompress(args: argparse.Namespace) -> int:
    if args.output:
        out = args.output
    elif args.file.endswith(SUFFIX) and len(args.file) > len(SUFFIX):
        out = args.file[: -len(SUFFIX)]
    else:
        out = args.file + ".out"
    try:
        blob = _read(args.file)
        if want_progress(args.progress, len(blob)):
            n = int(container_info(blob)["n"])
            data = run_with_progress(f"decompress {os.path.basename(args.file)}", n,
                                     lambda counter: _decompress(blob, progress=counter))
        else:
            data = _decompress(blob)
        payload = data if isinstance(data, bytes) else np.ascontiguousarray(data).tobytes()
        _write(out, payload, args.force)
    except DecodeError as e:
        return _fail(f"{args.file}: not a valid infokit container ({e})")
    except FileExistsError:
        return _fail(f"{out} exists (use --force to overwrite)")
    except OSError as e:
        return _fail(f"{e.filename or args.file}: {e.strerror or e}")
    return 0


def _add_progress_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="always draw a progress bar on stderr")
    g.add_argument("--no-progress", dest="progress", action="store_false",
                   help="never draw one (default: only for inputs of 64 MiB or more on a terminal)")


def add_subcommands(subparsers: Any) -> None:
    """Register ``info``, ``compress`` and ``decompress`` on an argparse subparsers object."""
    p = subparsers.add_parser("info", help="byte entropy, order-0 bound, and what each coder achieves")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_info)

    p = subparsers.add_parser("compress", help="compress a file into an infokit container")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT", help=f"output path (default FILE{SUFFIX})")
    p.add_argument("--method", choices=sorted(METHODS), default="rans")
    p.add_argument("-f", "--force", action="store_true", help="overwrite OUT if it exists")
    _add_progress_flags(p)
    p.set_defaults(func=cmd_compress)

    p = subparsers.add_parser("decompress", help="restore a file from an infokit container")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT", help=f"output path (default FILE without {SUFFIX})")
    p.add_argument("-f", "--force", action="store_true", help="overwrite OUT if it exists")
    _add_progress_flags(p)
    p.set_defaults(func=cmd_decompress)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="infokit")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
