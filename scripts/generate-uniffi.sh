#!/usr/bin/env bash
# Builds the ccpa-optout-uniffi library and generates its Kotlin, Swift and Python sources into
# target/uniffi/{kotlin,swift,python}, with the library copied next to the Python modules.
#
#   scripts/generate-uniffi.sh            # debug build (what the tests use)
#   PROFILE=release scripts/generate-uniffi.sh
#
# The bindings are generated from the compiled library (UniFFI "library mode") by the
# uniffi-bindgen built from the same pinned uniffi version as the library. The library holds two
# UniFFI crates: the binding (`ccpa_optout_uniffi`, named by bindings-uniffi/uniffi.toml) and the
# core's types (`ccpa_optout_core`, named by bindings-uniffi/uniffi-core.toml), so each
# language gets two files; for Swift both go in one module and one C module.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${PROFILE:-debug}"
cargo_profile=()
[ "$profile" = release ] && cargo_profile=(--release)

cargo build --quiet "${cargo_profile[@]}" -p ccpa-optout-uniffi -p ccpa-optout-uniffi-bindgen

target_dir="${CARGO_TARGET_DIR:-target}"
case "$(uname -s)" in
  Darwin) library="$target_dir/$profile/libccpa_optout_uniffi.dylib" ;;
  *) library="$target_dir/$profile/libccpa_optout_uniffi.so" ;;
esac
out="$target_dir/uniffi"
rm -rf "$out"
for language in kotlin swift python; do
  # --no-format: ktlint and swift-format are optional; the sources compile unformatted.
  "$target_dir/$profile/uniffi-bindgen" generate "$library" --config bindings-uniffi/uniffi-core.toml \
    --language "$language" --no-format --out-dir "$out/$language" >/dev/null
done
# The Swift C module CcpaOptOutFFI declares the core's functions as well as the binding's.
modulemap="$out/swift/CcpaOptOutFFI.modulemap"
awk '{ print } /header "CcpaOptOutFFI.h"/ { print "    header \"CcpaOptOutCoreFFI.h\"" }' \
  "$modulemap" >"$modulemap.new"
mv "$modulemap.new" "$modulemap"
cp "$library" "$out/python/"
echo "generated from $library:"
find "$out" -type f | sort | while read -r file; do
  printf '  %8d bytes  %s\n' "$(wc -c <"$file")" "$file"
done
