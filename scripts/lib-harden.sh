# Shared pieces of scripts/test-hardening.sh and scripts/harden.sh (sourced, not run).

CARGO_DENY_VERSION=0.20.2
CARGO_FUZZ_VERSION=0.13.2
FUZZ_TARGETS=(parse_profile parse_page error_body validate_inputs read_rows decode_gpp parse_usp receiver_body)

# Installs the pinned cargo-deny into .tools/ when it is missing (about 4 minutes on 2 cores).
ensure_cargo_deny() {
  DENY=$PWD/.tools/bin/cargo-deny
  if [ ! -x "$DENY" ] || ! "$DENY" --version | grep -qF "$CARGO_DENY_VERSION"; then
    cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION" --root .tools
  fi
}

# Licences, bans and sources work offline; advisories need the RustSec database from GitHub,
# which is fetched only when it can be (this project's machines reach only package registries).
supply_chain_check() {
  ensure_cargo_deny
  "$DENY" check --hide-inclusion-graph licenses bans sources
  local log
  log=$(mktemp)
  if "$DENY" check --hide-inclusion-graph advisories >"$log" 2>&1; then
    cat "$log"
    echo "advisories: checked against the RustSec database"
  elif grep -q "failed to fetch advisory database" "$log"; then
    echo "advisories: SKIPPED, the RustSec database cannot be fetched from here (see RELIABILITY.md)"
  else
    cat "$log"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# The nightly toolchain and the pinned cargo-fuzz, installed when missing.
ensure_fuzz_tools() {
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo fuzz --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
    cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
  fi
}

# fuzz_target NAME SECONDS LOG: runs the committed seeds (every input that once failed among
# them), then fuzzes for SECONDS. Prints "NAME: N executions in S s" from libFuzzer's own count.
fuzz_target() {
  local name=$1 seconds=$2 log=$3
  local extra=(-max_len=4096)
  case $name in
    decode_gpp) extra=(-dict=gpp.dict -max_len=512) ;;
    parse_usp) extra=(-max_len=64) ;;
  esac
  mkdir -p "fuzz/corpus/$name" "fuzz/artifacts/$name"
  if ! (cd fuzz && cargo +nightly fuzz run -O "$name" "corpus/$name" "seeds/$name" -- \
    -max_total_time="$seconds" -print_final_stats=1 "${extra[@]}") >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz target $name FAILED; the input is in fuzz/artifacts/$name/" >&2
    return 1
  fi
  local runs
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  printf '%-16s %12s executions in %s s\n' "$name:" "$runs" "$seconds"
}
