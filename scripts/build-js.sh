#!/usr/bin/env bash
# Builds the npm package `ccpa-optout` into bindings-wasm/pkg/: the wasm-bindgen `nodejs` build
# (Node: require and import) and `web` build (browsers, bundlers), plus the repo-owned
# package.json, entry points, types and README. Installs the wasm32 target and the pinned
# wasm-bindgen CLI (into .tools/) when missing. No `wasm-opt`: Binaryen 132's -Oz/-Os/-O2/-O3
# shrink the raw module by ~10 % but grow it gzipped by ~1.7 % (measured 2026-12-04), and a step
# that ran only where binaryen happened to be installed made the package differ by machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PKG=bindings-wasm/pkg
CRATE=ccpa_optout_wasm

ensure_wasm_target

# The CLI must be exactly the version the crate is pinned to (`wasm-bindgen = "=X"`).
WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
if [ -z "$WB_VERSION" ]; then
  echo "could not read the wasm-bindgen pin from Cargo.toml" >&2
  exit 1
fi
WASM_BINDGEN=.tools/bin/wasm-bindgen
if ! { [ -x "$WASM_BINDGEN" ] && "$WASM_BINDGEN" --version | grep -qx "wasm-bindgen $WB_VERSION"; }; then
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -qx "wasm-bindgen $WB_VERSION"; then
    WASM_BINDGEN=$(command -v wasm-bindgen)
  else
    step "installing wasm-bindgen-cli $WB_VERSION into .tools/ (about two minutes, once)"
    cargo install --root .tools wasm-bindgen-cli --version "$WB_VERSION"
  fi
fi

step "building $CRATE for wasm32 (profile wasm-release)"
# `strip = true` would also drop the target_features section that wasm-bindgen reads; keep it
# and let wasm-bindgen drop the name and producers sections instead.
CARGO_PROFILE_WASM_RELEASE_STRIP=debuginfo \
  cargo build -p ccpa-optout-wasm --target wasm32-unknown-unknown --profile wasm-release
WASM=target/wasm32-unknown-unknown/wasm-release/$CRATE.wasm

step "wasm-bindgen: nodejs and web targets"
rm -rf "$PKG"
for target in nodejs web; do
  out=$PKG/$([ "$target" = nodejs ] && echo node || echo web)
  "$WASM_BINDGEN" --target "$target" --no-typescript --remove-name-section \
    --remove-producers-section --out-dir "$out" "$WASM"
done

# The two builds' .wasm files are the same bytes: ship one. The nodejs glue reads its module
# from one line (`const wasmPath = ...`); point it at the web build's copy. Should a future
# wasm-bindgen write either differently, both copies are simply kept.
NODE_GLUE=$PKG/node/$CRATE.js
WASM_LINE="const wasmPath = \`\${__dirname}/${CRATE}_bg.wasm\`;"
if cmp -s "$PKG"/node/${CRATE}_bg.wasm "$PKG"/web/${CRATE}_bg.wasm \
  && [ "$(grep -cxF "$WASM_LINE" "$NODE_GLUE")" = 1 ]; then
  sed -i "s|^const wasmPath = .*|const wasmPath = require('path').join(__dirname, '..', 'web', '${CRATE}_bg.wasm');|" "$NODE_GLUE"
  rm "$PKG"/node/${CRATE}_bg.wasm
else
  echo "keeping a .wasm per build (they differ, or the nodejs glue changed its loading line)"
fi

step "package files"
cp bindings-wasm/js/package.json bindings-wasm/js/index.cjs bindings-wasm/js/index.mjs \
  bindings-wasm/js/browser.js bindings-wasm/js/index.d.ts "$PKG"/
# The page entry (`ccpa-optout/page`): plain JS, no WebAssembly, its own types.
cp bindings-wasm/js/page.js bindings-wasm/js/page.d.ts "$PKG"/
# The same declarations for `require` under TypeScript's node16/nodenext resolution.
cp bindings-wasm/js/index.d.ts "$PKG"/index.d.cts
cp bindings-wasm/README.md "$PKG"/README.md
# The package is "type": "module"; the nodejs build is CommonJS.
echo '{"type": "commonjs"}' >"$PKG"/node/package.json
rm -f "$PKG"/node/.gitignore "$PKG"/web/.gitignore

echo "built $PKG ($(du -sh "$PKG" | cut -f1)); .wasm: $(wc -c <"$PKG"/web/${CRATE}_bg.wasm) bytes; page.js: $(gzip -9 -c "$PKG"/page.js | wc -c) bytes gzipped"
