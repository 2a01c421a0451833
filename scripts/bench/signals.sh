#!/usr/bin/env bash
# GPP decodes per second: the core's decode_gpp (criterion) beside @iabgpp/cmpapi on Node, same strings, same run.
# Needs cargo and Node >= 18 with npm. cmpapi goes into target/bench-signals/, never into the project.
# Usage: scripts/bench/signals.sh [--json FILE] [--ours-js DIR]  (for scripts/bench.sh: FILE gets the
# figures as JSON lines; DIR holds the installed npm package, whose decodeGpp is timed too;
# BENCH_SIGNALS_DIR moves the cmpapi install)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

CMPAPI_VERSION="${CMPAPI_VERSION:-3.2.0}"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
WORK="${BENCH_SIGNALS_DIR:-$TARGET_DIR/bench-signals}"
mkdir -p "$WORK"
# --json FILE and --ours-js DIR go to gpp-cmpapi.mjs, which runs in $WORK: made absolute here.
passed=()
while (($#)); do
  passed+=("$1" "$(realpath -m "$2")")
  shift 2
done

step "@iabgpp/cmpapi $CMPAPI_VERSION (in $WORK)"
installed="$(node -p "try { require('$WORK/node_modules/@iabgpp/cmpapi/package.json').version } catch { '' }")"
if [ "$installed" != "$CMPAPI_VERSION" ]; then
  [ -f "$WORK/package.json" ] || echo '{"private": true}' >"$WORK/package.json"
  (cd "$WORK" && npm install --no-audit --no-fund --silent "@iabgpp/cmpapi@$CMPAPI_VERSION")
fi

step "ccpa-optout decode_gpp (criterion, core/benches/signals.rs)"
cargo bench -p ccpa-optout --bench signals -- decode_gpp

step "@iabgpp/cmpapi GppModel on Node $(node --version), then the table"
cp scripts/bench/gpp-cmpapi.mjs "$WORK/gpp-cmpapi.mjs"
(cd "$WORK" && node gpp-cmpapi.mjs "$TARGET_DIR/criterion" "${passed[@]}")
