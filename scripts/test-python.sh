#!/usr/bin/env bash
# Python package: checks that the generated blocking client is up to date, builds the abi3 wheel
# with pip (maturin) into a fresh virtual environment, runs pytest against the emulator, then
# mypy --strict on the examples and stubtest on the package.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

venv=target/py-test-venv
python="$venv/bin/python"

step "the blocking client is the one scripts/unasync.py writes from the asyncio one"
python3 bindings-python/scripts/unasync.py --check

step "emulator for the Python tests"
cargo build -q -p acs-emulator

step "fresh virtual environment in $venv"
rm -rf "$venv"
python3 -m venv "$venv"
# Test-only tools (and the HTTP libraries the README adapters are checked with); the package
# itself has no runtime dependency.
"$python" -m pip install -q --disable-pip-version-check pytest mypy requests httpx

step "pip install ./bindings-python"
"$python" -m pip install -q --disable-pip-version-check ./bindings-python
"$python" -c 'import ccpa_optout, sys; print("ccpa_optout", ccpa_optout.__version__, "on Python", sys.version.split()[0])'

step "pytest"
# pytest exits 5 when it collects nothing; with `set -e` that fails the run, as it must.
ACS_EMULATOR="$PWD/target/debug/acs-emulator" \
  "$python" -m pytest bindings-python/tests -q -p no:cacheprovider

step "mypy --strict (examples) and stubtest (the installed package against its stubs)"
"$python" -m mypy --cache-dir target/mypy-cache --config-file examples/python/mypy.ini examples/python
(cd target && "../$python" -m mypy.stubtest --mypy-config-file ../bindings-python/pyproject.toml ccpa_optout)
