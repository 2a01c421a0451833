#!/usr/bin/env bash
# Python package benchmarks: wheel size, import time, and set_opt_out against the (release)
# emulator beside plain urllib / http.client doing the same GET + PATCH in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

venv=target/py-bench-venv
wheels=target/py-bench-wheels

step "release builds: emulator and the wheel"
cargo build -q --release -p acs-emulator
rm -rf "$venv" "$wheels"
python3 -m venv "$venv"
"$venv/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$wheels" ./bindings-python
wheel=$(ls "$wheels"/ccpa_optout-*.whl)
"$venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel"
native=$("$venv/bin/python" -c 'import ccpa_optout._native as n; print(n.__file__)')
echo "wheel $(basename "$wheel"): $(( $(stat -c %s "$wheel") / 1024 )) KiB; native module $(( $(stat -c %s "$native") / 1024 )) KiB unpacked"

step "emulator (release) on a free port"
log=$(mktemp)
target/release/acs-emulator --port 0 --org acme --api-key bench-key --token bench-token --seed 50 >"$log" 2>/dev/null &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  url=$(head -n 1 "$log")
  [[ "$url" == http* ]] && break
  sleep 0.1
done
[[ "$url" == http* ]] || { echo "the emulator did not start" >&2; exit 1; }
echo "emulator at $url"

step "benchmarks"
"$venv/bin/python" bindings-python/benches/bench.py "$url" bench-key bench-token "$@"
