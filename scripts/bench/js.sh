#!/usr/bin/env bash
# Benchmarks of the npm package: gzip size of the .wasm and of the packed package, Node import
# time (median of fresh processes minus a bare `node -e ''`), and time per setOptOut against the
# release-built emulator beside plain fetch doing the same GET + PATCH in the same run.
# Goals (#19; BENCHMARKS.md "Where we lose" says where each stands): .wasm <= 100 KB gzipped,
# setOptOut within 1.2x of plain fetch; import <= 50 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

bash scripts/build-js.sh

step "sizes"
WORK=$ROOT/target/js-bench
PROJECT=$WORK/project
TARBALL=$(npm_pack "$WORK")
for wasm in bindings-wasm/pkg/*/ccpa_optout_wasm_bg.wasm; do
  printf '  %-52s %7d bytes, %7d gzipped (-9)\n' "$wasm" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"
done
printf '  %-52s %7d bytes (npm pack tarball, gzipped)\n' "$TARBALL" "$(wc -c <"$WORK/$TARBALL")"
# The budget counts the shipped .wasm gzipped without a file name in the header.
GZ=$(gzip -9c <bindings-wasm/pkg/web/ccpa_optout_wasm_bg.wasm | wc -c)
BUDGET=100000
if [ "$GZ" -le "$BUDGET" ]; then
  echo "  .wasm gzipped: $GZ bytes, within the $BUDGET-byte budget ($((BUDGET - GZ)) to spare)"
else
  echo "  .wasm gzipped: $GZ bytes, OVER the $BUDGET-byte budget by $((GZ - BUDGET))"
fi

step "install the packed package"
rm -rf "$PROJECT"
mkdir -p "$PROJECT"/bench
cat >"$PROJECT"/package.json <<JSON
{ "name": "ccpa-optout-bench", "private": true, "type": "module",
  "dependencies": { "ccpa-optout": "file:../$TARBALL" } }
JSON
cp bindings-wasm/bench-js/*.mjs bindings-wasm/test-js/emulator.mjs "$PROJECT"/bench/
(cd "$PROJECT" && npm install --no-package-lock --no-audit --no-fund --loglevel=error)

step "Node $(node --version) import time"
(cd "$PROJECT" && node bench/import-time.mjs 21)

step "setOptOut against the emulator (release build)"
cargo build -p acs-emulator --release
(cd "$PROJECT" && ACS_EMULATOR_BIN=$ROOT/target/release/acs-emulator node bench/set-opt-out.mjs 200 6 20)
