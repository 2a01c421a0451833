#!/usr/bin/env bash
# Every benchmark in one run, each figure beside its alternative measured in the same run, printed
# as one table: median, min–max of the repeats, and ours ÷ the alternative. BENCHMARKS.md explains
# each figure.
#
# Alternatives are installed under target/bench/ for this run only, never as dependencies: Adobe's
# @adobe/aio-lib-campaign-standard and @iabgpp/cmpapi (npm), requests (PyPI, into the venv
# target/bench/venv); wrk and GNU time come from Debian when missing.
#
# Writes target/bench/: results.jsonl (every sample), table.md, bulk-throughput.svg (the chart),
# environment.md, and logs/ (each step's full output). `--update-docs` also copies the chart to
# docs/benchmarks/. Knobs: BENCH_REPEAT (3), BENCH_ROWS (100000), BENCH_BIG_ROWS (1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/bulk.sh

UPDATE_DOCS=0
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=1
REPEAT=${BENCH_REPEAT:-3}
SWEEP_ROWS=20000
PY_ROWS=5000
CONCURRENCIES=(1 4 16 64)
ADOBE_SDK=@adobe/aio-lib-campaign-standard@4.0.3

OUT=$ROOT/target/bench
RESULTS=$OUT/results.jsonl
LOGS=$OUT/logs
CRITERION=${CARGO_TARGET_DIR:-$ROOT/target}/criterion
mkdir -p "$OUT" "$LOGS"
rm -f "$RESULTS" "$LOGS"/*.log
trap stop_emulators EXIT

STARTED=$(date +%s)
SECTION_STARTED=$STARTED
SECTION_NAME=""
TIMINGS=()
# section TITLE: notes how long the previous section took and prints a step header.
section() {
  local now
  now=$(date +%s)
  [[ -n "$SECTION_NAME" ]] && TIMINGS+=("$((now - SECTION_STARTED)) s  $SECTION_NAME")
  SECTION_STARTED=$now
  SECTION_NAME=$1
  step "$1"
}

# logged NAME COMMAND...: runs COMMAND (under `set -e`) with its output in $LOGS/NAME.log; on
# failure shows the end of the log and stops. Runs in a subshell: it cannot set variables here.
logged() {
  local name=$1 status=0
  shift
  ("$@") >"$LOGS/$name.log" 2>&1 &
  wait $! || status=$?
  if ((status)); then
    tail -n 40 "$LOGS/$name.log" >&2
    echo "step '$name' failed ($status); full output: $LOGS/$name.log" >&2
    exit "$status"
  fi
}

record() { python3 scripts/bench/report.py add "$RESULTS" "$@"; }
point() { python3 scripts/bench/report.py point "$RESULTS" --chart bulk "$@"; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
grouped() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }

section "environment"
{
  echo "- date: $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "- $(rustc --version), Node $(node --version), npm $(npm --version), $(python3 --version)"
} >"$OUT/environment.md"
cat "$OUT/environment.md"
bench_need wrk:wrk time:/usr/bin/time
echo "- $(wrk --version 2>&1 | head -n 1 | cut -d ' ' -f 1-2)" >>"$OUT/environment.md"

section "builds: release binaries, criterion benches, the npm package, the wheel (venv with requests)"
logged build-rust bulk_build
logged build-benches cargo bench -p ccpa-optout --no-run
logged build-js bash scripts/build-js.sh
logged build-python bench_python_venv "$OUT/venv" "$OUT/wheels" requests
echo "- requests $("$OUT/venv/bin/python" -c 'import requests; print(requests.__version__)')" >>"$OUT/environment.md"

section "core: building requests and parsing profiles (criterion)"
logged core cargo bench -p ccpa-optout --bench core -- --warm-up-time 1 --measurement-time 2
criterion() { python3 scripts/bench/report.py criterion "$RESULTS" "$CRITERION" "$@" --part Core; }
criterion build_set_opt_out --id core.build --figure "build the set-opt-out PATCH" --who "ccpa-optout prepare_set_opt_out" --ours
criterion baseline_build_http_request_builder --id core.build --who "http::Request::builder by hand"
criterion parse_profile_40_fields --id core.profile --figure "parse a 40-field profile" --who "ccpa-optout parse_profile" --ours
criterion baseline_parse_profile_40_fields_as_value --id core.profile --who "serde_json::Value"
criterion parse_page_25_profiles --id core.page --figure "parse a 25-profile page" --who "ccpa-optout parse_profile_page" --ours
criterion baseline_parse_page_25_profiles_as_value --id core.page --who "serde_json::Value"

section "JavaScript: sizes, install footprint, require time, calls against the emulator"
JS=$OUT/js
rm -rf "$JS"
mkdir -p "$JS/ours/bench" "$JS/adobe"
TARBALL=$(npm_pack "$JS")
echo "{\"name\": \"bench-ours\", \"private\": true, \"type\": \"module\", \"dependencies\": {\"ccpa-optout\": \"file:../$TARBALL\"}}" >"$JS/ours/package.json"
echo '{"name": "bench-adobe", "private": true}' >"$JS/adobe/package.json"
NPM_INSTALL=(npm install --no-package-lock --no-audit --no-fund --loglevel=error)
logged npm-ours bash -c "cd '$JS/ours' && ${NPM_INSTALL[*]}"
logged npm-adobe bash -c "cd '$JS/adobe' && ${NPM_INSTALL[*]} $ADOBE_SDK"
echo "- $ADOBE_SDK" >>"$OUT/environment.md"
cp bindings-wasm/bench-js/*.mjs bindings-wasm/test-js/emulator.mjs "$JS/ours/bench/"
installed() { du -sb "$1/node_modules" | cut -f1; }
packages() { (cd "$1" && npm ls --all --parseable 2>/dev/null | tail -n +2 | sort -u | wc -l); }
record --part Sizes --id size.wasm --figure ".wasm, gzip -9" --unit bytes --better lower --who ccpa-optout --ours \
  "$(gzip -9c <bindings-wasm/pkg/web/ccpa_optout_wasm_bg.wasm | wc -c)"
record --part Sizes --id size.npm --figure "npm package (npm pack)" --unit bytes --better lower --who ccpa-optout --ours \
  "$(stat -c %s "$JS/$TARBALL")"
record --part Sizes --id size.npm_install --figure "npm install: node_modules" --unit bytes --better lower --who ccpa-optout --ours "$(installed "$JS/ours")"
record --part Sizes --id size.npm_install --unit bytes --better lower --who "Adobe aio-lib-campaign-standard" "$(installed "$JS/adobe")"
record --part Sizes --id size.npm_packages --figure "npm install: packages" --unit packages --better lower --who ccpa-optout --ours "$(packages "$JS/ours")"
record --part Sizes --id size.npm_packages --unit packages --better lower --who "Adobe aio-lib-campaign-standard" "$(packages "$JS/adobe")"
logged js bash -c "cd '$JS/ours' && ACS_EMULATOR_BIN='$ROOT/target/release/acs-emulator' node bench/sdk-compare.mjs ../adobe --json '$RESULTS'"
sed -n '/node processes/,$p' "$LOGS/js.log"

section "GPP decoding: the core (criterion) and the npm package beside @iabgpp/cmpapi"
logged gpp env BENCH_SIGNALS_DIR="$OUT/cmpapi" bash scripts/bench/signals.sh --json "$RESULTS" --ours-js "$JS/ours"
grep '^|' "$LOGS/gpp.log"

section "Python: import time, calls against the emulator, 16 calls in flight"
start_emulator "${TMPDIR:-/tmp}/bench-emulator-$$" target/release/acs-emulator --api-key bench-key --token bench-token --seed 50
logged python "$OUT/venv/bin/python" bindings-python/benches/bench.py "$EMULATOR_URL" bench-key bench-token \
  --imports 15 --concurrency 16 --json "$RESULTS"
stop_emulators
cat "$LOGS/python.log"
record --part Sizes --id size.wheel --figure "Python wheel (abi3)" --unit bytes --better lower --who ccpa-optout --ours \
  "$(stat -c %s "$(ls "$OUT"/wheels/ccpa_optout-*.whl)")"
read -r OURS_PY _ < <("$OUT/venv/bin/python" scripts/bench/footprint.py ccpa-optout)
read -r REQUESTS_PY REQUESTS_DISTS < <("$OUT/venv/bin/python" scripts/bench/footprint.py requests)
record --part Sizes --id size.pip --figure "pip install: site-packages" --unit bytes --better lower --who ccpa-optout --ours "$OURS_PY"
record --part Sizes --id size.pip --unit bytes --better lower --who "requests ($REQUESTS_DISTS distributions)" "$REQUESTS_PY"
record --part Sizes --id size.cli --figure "CLI binary (release, Linux x86-64)" --unit bytes --better lower --who ccpa-optout --ours \
  "$(stat -c %s "$BULK_CLI")"

section "bulk: ccpa-optout bulk, the emulator's ceiling for the same mix, Python loops, peak RSS"
BULK=$OUT/bulk
mkdir -p "$BULK"
bulk_input "$ROWS" "$ROWS" "$BULK/requests-$ROWS.csv"
bulk_input "$SWEEP_ROWS" "$ROWS" "$BULK/requests-$SWEEP_ROWS.csv"
bulk_input "$BIG_ROWS" "$ROWS" "$BULK/requests-$BIG_ROWS.csv"
start_emulator "${TMPDIR:-/tmp}/bench-emulator-$$" target/release/acs-emulator --seed "$ROWS" --fault-seed 1
bulk_mix_lua "$BULK/mix.lua"
DEFAULT_CONCURRENCY=$(bulk_default_concurrency)
[[ " ${CONCURRENCIES[*]} " == *" $DEFAULT_CONCURRENCY "* ]] || { echo "the sweep misses the default concurrency" >&2; exit 1; }
LOOP=("$OUT/venv/bin/python" bindings-python/benches/bulk_loop.py)
CREDENTIALS=("$EMULATOR_URL" emulator-api-key emulator-token)
CLI_SERIES="ccpa-optout bulk (Rust CLI)"
echo "  concurrency: CLI rows/s ($SWEEP_ROWS rows) | emulator ceiling req/s (wrk, same mix) | AsyncClient rows/s ($PY_ROWS rows)"
for c in "${CONCURRENCIES[@]}"; do
  rates=() ceilings=() ceiling_rows=()
  for _ in $(seq "$REPEAT"); do
    ceiling=$(bulk_ceiling "$c" 3 "$BULK/mix.lua" "$BULK/wrk-$c.txt")
    read -r rate _ records requests < <(bulk_run "$BULK/requests-$SWEEP_ROWS.csv" "$c" "$BULK" "sweep-$c")
    rates+=("$rate")
    ceilings+=("$ceiling")
    # The ceiling in rows/s: its request rate over the HTTP requests the CLI needed per row.
    ceiling_rows+=("$((ceiling * records / requests))")
  done
  mapfile -t async < <("${LOOP[@]}" async "$BULK/requests-$ROWS.csv" "${CREDENTIALS[@]}" --rows "$PY_ROWS" --concurrency "$c" --repeat "$REPEAT")
  point --series "$CLI_SERIES" --x "$c" --unit rows/s "${rates[@]}"
  point --series "the emulator's ceiling for the same request mix (wrk)" --x "$c" --unit rows/s "${ceiling_rows[@]}"
  point --series "ccpa_optout AsyncClient (Python)" --x "$c" --unit rows/s "${async[@]}"
  printf '  %4s: %8s | %8s | %8s\n' "$c" "$(median "${rates[@]}")" "$(median "${ceilings[@]}")" "$(median "${async[@]}")"
  if [[ $c == "$DEFAULT_CONCURRENCY" ]]; then
    DEFAULT_CEILINGS=("${ceilings[@]}")
    DEFAULT_ASYNC=("${async[@]}")
  fi
done
mapfile -t NAIVE < <(/usr/bin/time -v -o "$BULK/time-naive.txt" "${LOOP[@]}" naive "$BULK/requests-$ROWS.csv" "${CREDENTIALS[@]}" --rows "$PY_ROWS" --repeat "$REPEAT")
point --series "naive sequential Python loop (requests)" --x 1 --unit rows/s "${NAIVE[@]}"
echo "  naive sequential Python loop: $(median "${NAIVE[@]}") rows/s"

rates=() http=()
for _ in $(seq "$REPEAT"); do
  read -r rate http_rate _ _ < <(bulk_run "$BULK/requests-$ROWS.csv" "$DEFAULT_CONCURRENCY" "$BULK" "$ROWS")
  rates+=("$rate")
  http+=("$http_rate")
done
echo "  bulk, $ROWS rows, --concurrency $DEFAULT_CONCURRENCY: $(median "${rates[@]}") rows/s, $(median "${http[@]}") HTTP requests/s"
read -r BIG_RATE _ _ _ < <(bulk_run "$BULK/requests-$BIG_ROWS.csv" "$DEFAULT_CONCURRENCY" "$BULK" big "$BULK/time-big.txt")
echo "  bulk, $BIG_ROWS rows: $BIG_RATE rows/s, peak RSS $(($(bulk_peak_kb "$BULK/time-big.txt") / 1024)) MiB"
stop_emulators

FIGURE="rows/s: $(grouped "$ROWS") rows (Python: the first $(grouped "$PY_ROWS")), --concurrency $DEFAULT_CONCURRENCY"
record --part Bulk --id bulk.rows --figure "$FIGURE" --unit rows/s --better higher --who "ccpa-optout bulk" --ours "${rates[@]}"
record --part Bulk --id bulk.rows --unit rows/s --better higher --who "naive sequential Python loop (requests)" "${NAIVE[@]}"
record --part Bulk --id bulk.rows --unit rows/s --better higher --kind ours --who "ccpa_optout AsyncClient, $DEFAULT_CONCURRENCY in flight" "${DEFAULT_ASYNC[@]}"
record --part Bulk --id bulk.http --figure "HTTP requests/s, the same runs" --unit req/s --better higher --who "ccpa-optout bulk" --ours "${http[@]}"
record --part Bulk --id bulk.http --unit req/s --better higher --kind ceiling --who "emulator alone, same mix (wrk, $DEFAULT_CONCURRENCY connections)" "${DEFAULT_CEILINGS[@]}"
record --part Bulk --id bulk.big --figure "rows/s: $(grouped "$BIG_ROWS") rows (emails cycle over $(grouped "$ROWS") profiles)" --unit rows/s --better higher --who "ccpa-optout bulk" --ours "$BIG_RATE"
record --part Bulk --id bulk.rss --figure "peak RSS" --unit bytes --better lower --who "ccpa-optout bulk, $(grouped "$BIG_ROWS") rows" --ours "$(($(bulk_peak_kb "$BULK/time-big.txt") * 1024))"
record --part Bulk --id bulk.rss --unit bytes --better lower --who "naive Python loop, $(grouped "$PY_ROWS") rows x $REPEAT" "$(($(bulk_peak_kb "$BULK/time-naive.txt") * 1024))"

section "receiver: durable acknowledgements/s beside its /healthz, drain beside bulk, peak RSS"
logged receiver bash scripts/bench/receiver.sh --json "$RESULTS"
tail -n 8 "$LOGS/receiver.log"

section "the table"
now=$(date +%s)
TIMINGS+=("$((now - SECTION_STARTED)) s  $SECTION_NAME")
python3 scripts/bench/report.py table "$RESULTS" --markdown "$OUT/table.md" --svg "$OUT/bulk-throughput.svg"
if ((UPDATE_DOCS)); then
  mkdir -p docs/benchmarks
  cp "$OUT/bulk-throughput.svg" docs/benchmarks/bulk-throughput.svg
fi
echo
printf '  %s\n' "${TIMINGS[@]}"
total=$(($(date +%s) - STARTED))
echo "- run time: $((total / 60)) min $((total % 60)) s" | tee -a "$OUT/environment.md"
echo "table: $OUT/table.md; chart: $OUT/bulk-throughput.svg; samples: $RESULTS"
