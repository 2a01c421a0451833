#!/usr/bin/env bash
# The long hardening run (about 25 minutes on 2 cores; not part of every test run). Prints the
# figures RELIABILITY.md quotes and keeps them, with every log, in target/harden-logs/:
#   1. supply chain: cargo deny (licences, bans, sources; advisories when reachable)
#   2. fuzzing: every cargo-fuzz target for FUZZ_SECONDS (default 150 s) after its seeds
#   3. properties: the hostile-answer properties with HARDEN_CASES (default 50,000) cases each
#   4. the hostile-input table against the Rust client (and the JS and Python runners when their
#      packages are built: scripts/test-js.sh and scripts/test-python.sh)
#   5. bulk under faults: HARDEN_ROWS (default 20,000) requests with 10 % 503, 5 % 429 with
#      Retry-After, 1 % dropped connections and latency; the JS and Python clients on 2,000
#   6. crash and resume: HARDEN_KILLS (default 20) SIGKILLs of one HARDEN_ROWS-row bulk run,
#      and as many kill -9 of the emulator with --data during concurrent writes
#   7. secret hygiene: scripts/test-secrets.sh
# HARDEN_SEED replays the kill points of a run (each test prints the seed it used).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/lib-harden.sh
export HARDEN_ROWS=${HARDEN_ROWS:-20000}
export HARDEN_KILLS=${HARDEN_KILLS:-20}
export HARDEN_CASES=${HARDEN_CASES:-50000}
FUZZ_SECONDS=${FUZZ_SECONDS:-150}
LOGS=$ROOT/target/harden-logs
mkdir -p "$LOGS"
SUMMARY=$LOGS/summary.txt
: >"$SUMMARY"
started=$SECONDS

# note TEXT: a figure for RELIABILITY.md, printed and kept in the summary.
note() { echo "$*" | tee -a "$SUMMARY"; }
# timed NAME COMMAND...: runs a part, keeps its output in $LOGS/NAME.log, notes its duration.
timed() {
  local name=$1 begin=$SECONDS
  shift
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    tail -60 "$LOGS/$name.log" >&2
    note "$name: FAILED (log: $LOGS/$name.log)"
    exit 1
  fi
  note "$name: passed in $((SECONDS - begin)) s"
}

note "harden.sh on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git rev-parse --short HEAD)"

step "1. supply chain"
supply_chain_check 2>&1 | tee "$LOGS/supply-chain.log" | tail -3
note "supply chain: $(grep -E '^(bans|advisories)' "$LOGS/supply-chain.log" | tr '\n' ';')"

step "2. fuzzing, $FUZZ_SECONDS s per target"
ensure_fuzz_tools
(cd fuzz && cargo +nightly fuzz build -O) >"$LOGS/fuzz-build.log" 2>&1
for target in "${FUZZ_TARGETS[@]}"; do
  figures=$(fuzz_target "$target" "$FUZZ_SECONDS" "$LOGS/fuzz-$target.log") || {
    note "fuzz $target: FAILED (log: $LOGS/fuzz-$target.log)"
    exit 1
  }
  note "fuzz $figures"
done

step "3. properties ($HARDEN_CASES cases each) and 4. the hostile table (Rust)"
cargo build -q --tests -p ccpa-optout --features reqwest
timed properties cargo test -q -p ccpa-optout --features reqwest --test hostile_properties --test properties
timed hostile-rust cargo test -q -p ccpa-optout --features reqwest --test hostile
note "hostile table: $(python3 -c 'import json; print(len(json.load(open("tests/vectors/hostile.json"))["cases"]))') cases, Rust client"

step "5. bulk under faults ($HARDEN_ROWS requests) and 6. crash and resume ($HARDEN_KILLS kills)"
cargo build -q --tests -p ccpa-optout-cli -p acs-emulator
timed bulk-faults cargo test -q -p ccpa-optout-cli --test hardening_faults -- --nocapture
note "$(grep -h '^faults ' "$LOGS/bulk-faults.log")"
timed bulk-resume cargo test -q -p ccpa-optout-cli --test hardening_resume -- --nocapture
note "$(grep -hE '^(HARDEN_SEED|kill points|[0-9]+ requests)' "$LOGS/bulk-resume.log")"
timed emulator-crash cargo test -q -p acs-emulator --test crash_durability -- --nocapture
note "$(grep -hE '^HARDEN_SEED|^kill '"$HARDEN_KILLS"' ' "$LOGS/emulator-crash.log")"

step "the receiver: hostile table, ACS outage, refused credentials, kill -9 during posts ($HARDEN_KILLS kills)"
cargo build -q --tests -p ccpa-optout-receiver
timed receiver-hostile cargo test -q -p ccpa-optout-receiver --test hostile --test outage
note "receiver: $(python3 -c 'import json; print(len(json.load(open("tests/vectors/receiver_hostile.json"))["cases"]))') hostile cases, outage and refused credentials: passed"
timed receiver-kill env RECEIVER_KILL_KILLS="$HARDEN_KILLS" \
  cargo test -q -p ccpa-optout-cli --test receiver_kill -- --ignored --nocapture
note "$(grep -hE '^(RECEIVER_KILL_SEED|[0-9]+ posts)' "$LOGS/receiver-kill.log")"

step "4./5. JS and Python clients: hostile table and faults (when their packages are built)"
PYTHON=$ROOT/target/py-test-venv/bin/python
if "$PYTHON" -c 'import ccpa_optout' 2>/dev/null; then
  timed python-hardening env ACS_EMULATOR="$ROOT/target/debug/acs-emulator" HARDEN_ROWS=2000 \
    "$PYTHON" -m pytest -q -rx -p no:cacheprovider -s bindings-python/tests/test_hostile.py \
    bindings-python/tests/test_hardening_faults.py
  note "python hostile table (sync and async clients) and faults: $(tail -1 "$LOGS/python-hardening.log")"
  note "$(grep -ho 'faults python:.*' "$LOGS/python-hardening.log")"
else
  note "python: SKIPPED (run scripts/test-python.sh first)"
fi
PROJECT=$ROOT/target/js-test/project
if [ -d "$PROJECT/node_modules/ccpa-optout" ]; then
  cp bindings-wasm/test-js/emulator.mjs bindings-wasm/test-js/hostile*.mjs \
    bindings-wasm/test-js/hardening-faults.test.mjs "$PROJECT/test/"
  timed js-hardening env CCPA_REPO_ROOT="$ROOT" ACS_EMULATOR_BIN="$ROOT/target/debug/acs-emulator" \
    HARDEN_ROWS=2000 node --test --test-timeout=900000 \
    "$PROJECT/test/hostile.test.mjs" "$PROJECT/test/hardening-faults.test.mjs"
  note "js hostile table and faults: $(grep -hE '^# (pass|fail) ' "$LOGS/js-hardening.log" | tr '\n' ' ')"
  note "$(grep -ho 'faults js:.*' "$LOGS/js-hardening.log")"
else
  note "js: SKIPPED (run scripts/test-js.sh first)"
fi

step "7. secret hygiene"
timed secrets bash scripts/test-secrets.sh
note "$(tail -1 "$LOGS/secrets.log")"

note "harden.sh: everything passed in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
echo
cat "$SUMMARY"
