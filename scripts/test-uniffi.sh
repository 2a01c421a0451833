#!/usr/bin/env bash
# Tests of the UniFFI bindings (bindings-uniffi): the crate's Rust tests, generation of the
# Kotlin, Swift and Python sources, the generated Python module against the ACS emulator and
# the shared vectors, and — when a JDK is present — the generated Kotlin compiled and run on the
# JVM against the emulator.
#
#   scripts/test-uniffi.sh
#   KOTLIN=skip scripts/test-uniffi.sh     # leave out the Kotlin step
#
# The Kotlin compiler comes from PyPI (the kotlin-jupyter-kernel wheel ships kotlinc 2.x; Maven
# Central is not reachable here) and JNA from Debian (libjna-java); both are cached under
# target/kotlin-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
target_dir="${CARGO_TARGET_DIR:-target}"

step() { printf '\n== %s\n' "$*"; }

step "Rust tests of ccpa-optout-uniffi"
# Built together with the bindgen so both share one feature set (as in a workspace build).
cargo test --quiet -p ccpa-optout-uniffi -p ccpa-optout-uniffi-bindgen

step "Generating Kotlin, Swift and Python"
scripts/generate-uniffi.sh
out="$target_dir/uniffi"
kotlin_file="$out/kotlin/io/github/ccpaoptout/ccpa_optout_uniffi.kt"
kotlin_core_file="$out/kotlin/io/github/ccpaoptout/core/ccpa_optout_core.kt"
expect_in() { # file, minimum bytes, text that must be in it
  [ -f "$1" ] || { echo "missing: $1" >&2; exit 1; }
  [ "$(wc -c <"$1")" -ge "$2" ] || { echo "too small to be the bindings: $1" >&2; exit 1; }
  grep -qF -- "$3" "$1" || { echo "$1 lacks: $3" >&2; exit 1; }
}
expect_in "$kotlin_file" 100000 'fun `setOptOut`('
expect_in "$out/swift/CcpaOptOut.swift" 100000 'func setOptOut(pkey: String, optedOut: Bool) throws'
expect_in "$out/swift/CcpaOptOutFFI.h" 10000 'uniffi_ccpa_optout_uniffi_fn_method_campaignclient_set_opt_out'
expect_in "$kotlin_core_file" 20000 'sealed class PrivacySignal'
expect_in "$kotlin_core_file" 20000 'sealed class CcpaOptOutException'
expect_in "$out/swift/CcpaOptOutCore.swift" 20000 'public struct OptOutDecision'
expect_in "$out/swift/CcpaOptOutCoreFFI.h" 5000 'ffi_ccpa_optout_rustbuffer_alloc'
expect_in "$out/swift/CcpaOptOutFFI.modulemap" 50 'header "CcpaOptOutCoreFFI.h"'
expect_in "$out/python/ccpa_optout_uniffi.py" 100000 'class CampaignClient('
expect_in "$out/python/ccpa_optout_core.py" 20000 'class OptOutDecision'
expect_in "$out/python/ccpa_optout_core.py" 20000 'class CcpaOptOutError(Exception)'
echo "generated sources: ok"

step "Python: the generated module against the emulator and the vectors"
cargo build --quiet -p acs-emulator
log="$target_dir/uniffi/python-tests.log"
set +e
PYTHONPATH="$root/$out/python" PYTHONDONTWRITEBYTECODE=1 ACS_EMULATOR="$root/$target_dir/debug/acs-emulator" \
  timeout 300 python3 -m unittest discover -s bindings-uniffi/tests/python -t bindings-uniffi/tests/python -v \
  >"$log" 2>&1
status=$?
set -e
grep -E "^(test_|Ran |OK|FAILED)" "$log" | grep -vE " \.\.\. ok$" || true
ran=$(sed -nE 's/^Ran ([0-9]+) tests? in.*/\1/p' "$log")
if [ "$status" -ne 0 ]; then
  cat "$log" >&2
  echo "python: the unittest run failed" >&2
  exit 1
fi
if [ -z "$ran" ] || [ "$ran" -lt 20 ]; then
  echo "python: expected at least 20 tests, ran ${ran:-none}" >&2
  exit 1
fi
echo "python: $ran passed, 0 failed"

# A missing Kotlin tool fails the run in CI (CI=true) and only skips the step elsewhere.
skip_kotlin() {
  if [ "${CI:-}" = true ]; then
    echo "kotlin: $1" >&2
    exit 1
  fi
  echo "kotlin: skipped, $1"
  exit 0
}
[ "${KOTLIN:-}" = skip ] && { echo "kotlin: skipped (KOTLIN=skip)"; exit 0; }
command -v java >/dev/null || skip_kotlin "no java (apt-get install openjdk-17-jdk-headless)"

step "Kotlin: the generated bindings compiled and run on the JVM against the emulator"
tools="$target_dir/kotlin-tools"
kernel_version=0.19.0.944
if ! ls "$tools"/kotlin-jupyter-kernel-*-all.jar >/dev/null 2>&1; then
  mkdir -p "$tools"
  python3 -m pip download --quiet --no-deps "kotlin-jupyter-kernel==$kernel_version" -d "$tools/wheel" \
    || skip_kotlin "could not download kotlin-jupyter-kernel from PyPI"
  # Only two jars of the wheel are needed: the kernel's fat jar (it holds kotlinc) and the stdlib.
  python3 - "$tools" <<'PY'
import sys, zipfile
from pathlib import Path
tools = Path(sys.argv[1])
with zipfile.ZipFile(next((tools / "wheel").glob("*.whl"))) as wheel:
    for name in wheel.namelist():
        base = name.rsplit("/", 1)[-1]
        if base.endswith("-all.jar") or (base.startswith("kotlin-stdlib-") and base.endswith(".jar")):
            (tools / base).write_bytes(wheel.read(name))
PY
  rm -rf "$tools/wheel"
fi
compiler=$(ls "$tools"/kotlin-jupyter-kernel-*-all.jar | head -1)
stdlib=$(ls "$tools"/kotlin-stdlib-*.jar | head -1)
jna=/usr/share/java/jna.jar
if [ ! -f "$jna" ]; then
  { apt-get install -y -qq libjna-java || { apt-get update -qq && apt-get install -y -qq libjna-java; }; } \
    >/dev/null 2>&1 || skip_kotlin "no JNA (apt-get install libjna-java)"
fi
classes="$tools/classes"
rm -rf "$classes"
timeout 300 java -Xmx2g -cp "$compiler" org.jetbrains.kotlin.cli.jvm.K2JVMCompiler \
  -no-stdlib -no-reflect -nowarn -cp "$stdlib:$jna" -d "$classes" \
  "$kotlin_file" "$kotlin_core_file" bindings-uniffi/tests/kotlin/EmulatorTest.kt
timeout 120 java -Djna.library.path="$root/$target_dir/debug" -cp "$classes:$stdlib:$jna" \
  EmulatorTestKt "$root/$target_dir/debug/acs-emulator"
