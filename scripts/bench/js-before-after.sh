#!/usr/bin/env bash
# The npm package at a commit beside the package of this checkout, in one run: the .wasm sizes,
# then per-call time (getProfile, updateProfile, setOptOut, each beside hand-written fetch) and
# decodeGpp on Node (bindings-wasm/bench-js/before-after.mjs).
#   bash scripts/bench/js-before-after.sh REV
# The commit is checked out under target/bench/before/src and built there by its own
# build-js.sh (about a minute); both packages are installed from `npm pack` as a user installs
# them.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
REV=${1:?usage: js-before-after.sh REV}
WORK=$ROOT/target/bench/before
SRC=$WORK/src

step "the package at $REV"
mkdir -p "$WORK"
git worktree remove --force "$SRC" 2>/dev/null || rm -rf "$SRC"
git worktree add --detach "$SRC" "$REV" >/dev/null
trap 'git -C "$ROOT" worktree remove --force "$SRC" 2>/dev/null || true' EXIT
# The pinned wasm-bindgen CLI of this checkout, if that commit pins the same version.
[ -d .tools ] && ln -s "$ROOT/.tools" "$SRC/.tools"
(cd "$SRC" && bash scripts/build-js.sh)

step "the package of this checkout"
bash scripts/build-js.sh
cargo build -p acs-emulator --release

step "sizes"
for side in before after; do
  pkg=$([ "$side" = before ] && echo "$SRC" || echo "$ROOT")/bindings-wasm/pkg
  wasm=$pkg/web/ccpa_optout_wasm_bg.wasm
  printf '  %-6s .wasm %7d bytes, %7d gzipped (-9)\n' "$side" "$(wc -c <"$wasm")" "$(gzip -9c <"$wasm" | wc -c)"
  rm -rf "${WORK:?}/$side" && mkdir -p "$WORK/$side"
  tarball=$(cd "$pkg" && npm pack --silent --pack-destination "$WORK/$side")
  echo '{ "name": "before-after", "private": true, "type": "module" }' >"$WORK/$side/package.json"
  (cd "$WORK/$side" && npm install --no-package-lock --no-audit --no-fund --loglevel=error "./$tarball")
done

step "calls and decodeGpp, before and after in one process"
mkdir -p "$WORK/bench"
cp bindings-wasm/bench-js/*.mjs bindings-wasm/test-js/emulator.mjs "$WORK/bench/"
ACS_EMULATOR_BIN=$ROOT/target/release/acs-emulator node "$WORK/bench/before-after.mjs" "$WORK/before" "$WORK/after"
