#!/usr/bin/env bash
# JavaScript/WebAssembly checks: builds the npm package, runs the wasm-bindgen tests of the
# conversions under Node, then installs the packed package by name into a scratch project
# (target/js-test/) and runs tsc over the shipped types, the node --test suites against the
# emulator, the browser example and the page entry (`ccpa-optout/page`, through
# examples/receiver-site against `ccpa-optout serve --emulator`) in headless Chromium, and the
# GPP agreement check against the IAB's @iabgpp/cmpapi (scripts/gpp-agreement.mjs). Installs
# what it needs: the wasm32 target and pinned wasm-bindgen CLI (via build-js.sh), Debian's
# chromium when missing, typescript, playwright-core and @iabgpp/cmpapi as dev-only packages of
# the scratch project.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/build-js.sh

step "clippy for wasm32 (the target the crate really runs on)"
cargo clippy -p ccpa-optout-wasm --all-targets --target wasm32-unknown-unknown -- -D warnings

step "wasm-bindgen tests (Node, pinned wasm-bindgen-test-runner)"
RUNNER=$ROOT/.tools/bin/wasm-bindgen-test-runner
if [ ! -x "$RUNNER" ]; then
  RUNNER=$(command -v wasm-bindgen-test-runner)
fi
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$RUNNER \
  cargo test -p ccpa-optout-wasm --target wasm32-unknown-unknown

step "emulator, and the CLI for the page test's \`serve --emulator\`"
cargo build -p acs-emulator -p ccpa-optout-cli

if [ ! -x /usr/bin/chromium ]; then
  step "chromium (Debian) for the browser test"
  apt-get update
  apt-get install -y chromium
fi

step "scratch project: the packed package installed by name"
WORK=$ROOT/target/js-test
PROJECT=$WORK/project
TARBALL=$(npm_pack "$WORK")
# No lockfile: it would pin the previous tarball's integrity and npm would install that copy.
rm -rf "$PROJECT"/test "$PROJECT"/examples "$PROJECT"/node_modules/ccpa-optout "$PROJECT"/package-lock.json
mkdir -p "$PROJECT"
cat >"$PROJECT"/package.json <<JSON
{
  "name": "ccpa-optout-js-tests",
  "private": true,
  "type": "module",
  "dependencies": { "ccpa-optout": "file:../$TARBALL" },
  "devDependencies": { "@iabgpp/cmpapi": "3.2.0", "playwright-core": "1.65.1", "typescript": "5.9.3" }
}
JSON
cp -r bindings-wasm/test-js "$PROJECT"/test
cp scripts/gpp-agreement.mjs "$PROJECT"/gpp-agreement.mjs
rm -rf "$PROJECT"/examples && mkdir -p "$PROJECT"/examples
cp -r examples/node examples/browser examples/receiver-site "$PROJECT"/examples/
(cd "$PROJECT" && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
cmp bindings-wasm/pkg/web/ccpa_optout_wasm_bg.wasm \
  "$PROJECT"/node_modules/ccpa-optout/web/ccpa_optout_wasm_bg.wasm

step "tsc --noEmit over the shipped declarations and a usage file"
(cd "$PROJECT"/test && ../node_modules/.bin/tsc -p tsconfig.json)

step "node --test (Node $(node --version)) against the emulator and in Chromium"
mkdir -p "$ROOT"/target/test-output
export CCPA_REPO_ROOT=$ROOT
export ACS_EMULATOR_BIN=$ROOT/target/debug/acs-emulator
export CCPA_OPTOUT_BIN=$ROOT/target/debug/ccpa-optout
export CCPA_TEST_OUTPUT=$ROOT/target/test-output
(cd "$PROJECT" && node --test --test-timeout=120000 test/*.test.mjs test/*.test.cjs)

step "GPP agreement with @iabgpp/cmpapi 3.2.0: every field of every US section of the vectors"
(cd "$PROJECT" && node gpp-agreement.mjs "$ROOT"/tests/vectors/signals.json)
