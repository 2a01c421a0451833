#!/usr/bin/env bash
# Builds the ccpa-optout-uniffi library and generates its Kotlin, Swift and Python sources into
# target/uniffi/{kotlin,swift,python}, with the library copied next to the Python module.
#
#   scripts/generate-uniffi.sh            # debug build (what the tests use)
#   PROFILE=release scripts/generate-uniffi.sh
#
# The bindings are generated from the compiled library (UniFFI "library mode") by the
# uniffi-bindgen built from the same pinned uniffi version as the library.
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
  "$target_dir/$profile/uniffi-bindgen" generate "$library" \
    --language "$language" --no-format --out-dir "$out/$language" >/dev/null
done
cp "$library" "$out/python/"
echo "generated from $library:"
find "$out" -type f | sort | while read -r file; do
  printf '  %8d bytes  %s\n' "$(wc -c <"$file")" "$file"
done
