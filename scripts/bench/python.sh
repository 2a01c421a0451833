#!/usr/bin/env bash
# Python package benchmarks: wheel size, import time, and get/update/set_opt_out against the
# (release) emulator beside the same calls written with plain urllib / http.client in the same run.
# Extra arguments go to bindings-python/benches/bench.py (e.g. --concurrency 16). scripts/bench.sh
# runs the same with `requests` installed as a further baseline.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/lib.sh

venv=target/py-bench-venv
wheels=target/py-bench-wheels

step "release builds: emulator and the wheel"
cargo build -q --release -p acs-emulator
bench_python_venv "$venv" "$wheels"
native=$("$venv/bin/python" -c 'import ccpa_optout._native as n; print(n.__file__)')
echo "wheel $(basename "$BENCH_WHEEL"): $(( $(stat -c %s "$BENCH_WHEEL") / 1024 )) KiB; native module $(( $(stat -c %s "$native") / 1024 )) KiB unpacked"

step "emulator (release) on a free port"
trap stop_emulators EXIT
start_emulator "${TMPDIR:-/tmp}/bench-emulator-$$" target/release/acs-emulator --org acme --api-key bench-key --token bench-token --seed 50
echo "emulator at $EMULATOR_URL"

step "benchmarks"
"$venv/bin/python" bindings-python/benches/bench.py "$EMULATOR_URL" bench-key bench-token "$@"
