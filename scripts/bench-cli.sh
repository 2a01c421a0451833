#!/usr/bin/env bash
# Benchmark of `ccpa-optout bulk` against the local emulator (release builds):
#   1. the emulator's own request rate for the CLI's request mix (wrk: GET byEmail + PATCH),
#   2. rows/s of `bulk` on 100,000 rows, and its HTTP request rate as a share of (1),
#   3. peak RSS of `bulk` on a 1,000,000-row file (/usr/bin/time -v).
# Optional: `--sweep` first measures rows/s at several --concurrency values (50,000 rows each).
# Inputs and logs go to target/bench-cli/. Needs wrk and GNU time (installed from Debian if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SWEEP=0
[[ "${1:-}" == "--sweep" ]] && SWEEP=1
ROWS=${BENCH_ROWS:-100000}
BIG_ROWS=${BENCH_BIG_ROWS:-1000000}
CONCURRENCY=${BENCH_CONCURRENCY:-}
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
OUT=target/bench-cli
mkdir -p "$OUT"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
  step "installing ${missing[*]} from Debian"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "release builds"
cargo build --release -q -p ccpa-optout-cli -p acs-emulator --bins
cargo build --release -q -p ccpa-optout-cli --example bench_input
CLI=target/release/ccpa-optout
EMULATOR=target/release/acs-emulator
INPUT_TOOL=target/release/examples/bench_input

step "inputs: $ROWS rows and $BIG_ROWS rows (seed emails)"
[[ -s $OUT/requests-$ROWS.csv ]] || "$INPUT_TOOL" "$ROWS" > "$OUT/requests-$ROWS.csv"
[[ -s $OUT/requests-$BIG_ROWS.csv ]] || "$INPUT_TOOL" "$BIG_ROWS" "$ROWS" > "$OUT/requests-$BIG_ROWS.csv"
ls -l "$OUT"/requests-*.csv | awk '{print "  " $5 " bytes  " $9}'

step "emulator with $ROWS seed profiles"
"$EMULATOR" --seed "$ROWS" --fault-seed 1 > "$OUT/emulator.out" 2> "$OUT/emulator.err" &
EMULATOR_PID=$!
trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s $OUT/emulator.out ]] && break; sleep 0.1; done
BASE=$(head -1 "$OUT/emulator.out")
echo "  $BASE"
AUTH=(-H "Authorization: Bearer emulator-token" -H "X-Api-Key: emulator-api-key")
PROFILES=/acme/campaign/profileAndServices/profile
total_requests() { curl -s "$BASE/_emulator/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
reset() { curl -s -X POST "$BASE/_emulator/reset" > /dev/null; }

# One bulk run: prints "rows_per_second http_requests_per_second".
run_bulk() { # input concurrency label
  local audit="$OUT/audit-$3.jsonl" before after start end
  rm -f "$audit"
  before=$(total_requests)
  start=$(date +%s.%N)
  "$CLI" --base-url "$BASE" --org acme --api-key emulator-api-key --access-token emulator-token \
    bulk "$1" --audit "$audit" --concurrency "$2" --quiet --json > "$OUT/summary-$3.json"
  end=$(date +%s.%N)
  after=$(total_requests)
  python3 - "$OUT/summary-$3.json" "$before" "$after" "$start" "$end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
http = (int(sys.argv[3]) - int(sys.argv[2])) / (float(sys.argv[5]) - float(sys.argv[4]))
print(f"{s['rowsPerSecond']:.0f} {http:.0f} {s['requests']}")
PY
}

if ((SWEEP)); then
  step "concurrency sweep (50,000 rows each, fresh emulator state)"
  "$INPUT_TOOL" 50000 "$ROWS" > "$OUT/requests-sweep.csv"
  for c in 1 4 8 16 32 64 128; do
    reset
    read -r rate http _ < <(run_bulk "$OUT/requests-sweep.csv" "$c" "sweep-$c")
    printf '  --concurrency %-4s %6s rows/s  %6s HTTP requests/s\n' "$c" "$rate" "$http"
  done
fi

CONCURRENCY=${CONCURRENCY:-$("$CLI" bulk --help | sed -n 's/.*\[default: \([0-9]*\)\].*/\1/p' | head -1)}

step "baseline: the emulator alone, wrk, GET byEmail + PATCH alternating, $CONCURRENCY connections, ${WRK_SECONDS}s"
# The same request mix as bulk on fresh data: one byEmail lookup, then one PATCH of the match.
curl -s "${AUTH[@]}" "$BASE$PROFILES?_lineCount=10000" | python3 -c '
import json, sys, urllib.parse
content = json.load(sys.stdin)["content"]
emails = ",".join("\"%s\"" % urllib.parse.quote(p["email"], safe="") for p in content)
pkeys = ",".join("\"%s\"" % p["PKey"] for p in content)
print("local emails = {%s}\nlocal pkeys = {%s}" % (emails, pkeys))
' > "$OUT/mix.lua"
cat >> "$OUT/mix.lua" <<'LUA'
local n = 0
local base = "/acme/campaign/profileAndServices/profile"
local function headers(json)
  -- wrk.format uses the table given instead of wrk.headers, so each request gets all of them.
  local h = {["Authorization"] = "Bearer emulator-token", ["X-Api-Key"] = "emulator-api-key",
             ["Cache-Control"] = "no-cache", ["Accept"] = "application/json"}
  if json then h["Content-Type"] = "application/json;charset=utf-8" end
  return h
end
request = function()
  n = n + 1
  local k = math.floor(n / 2) % #emails + 1
  if n % 2 == 0 then
    return wrk.format("GET", base .. "/byEmail?email=" .. emails[k], headers(false), nil)
  end
  return wrk.format("PATCH", base .. "/" .. pkeys[k], headers(true), '{"ccpaOptOut":true}')
end
LUA
wrk -t 2 -c "$CONCURRENCY" -d "${WRK_SECONDS}s" -s "$OUT/mix.lua" "$BASE" > "$OUT/wrk.txt"
EMULATOR_RATE=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk.txt")
grep -E "Requests/sec|Latency|Non-2xx" "$OUT/wrk.txt" | sed 's/^/  /'
if grep -q "Non-2xx" "$OUT/wrk.txt"; then echo "  the baseline had failed requests: see $OUT/wrk.txt" >&2; exit 1; fi

step "bulk: $ROWS rows, --concurrency $CONCURRENCY (fresh emulator state)"
reset
read -r RATE HTTP_RATE RECORDS < <(run_bulk "$OUT/requests-$ROWS.csv" "$CONCURRENCY" "$ROWS")
python3 - "$OUT/summary-$ROWS.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("  outcomes:", ", ".join(f"{k} {v}" for k, v in s["outcomes"].items()), f"in {s['elapsedSeconds']:.1f} s")
PY

step "peak memory: bulk on $BIG_ROWS rows (emails cycle over $ROWS profiles)"
reset
rm -f "$OUT/audit-big.jsonl"
/usr/bin/time -v "$CLI" --base-url "$BASE" --org acme --api-key emulator-api-key \
  --access-token emulator-token bulk "$OUT/requests-$BIG_ROWS.csv" --audit "$OUT/audit-big.jsonl" \
  --concurrency "$CONCURRENCY" --quiet --json > "$OUT/summary-big.json" 2> "$OUT/time-big.txt"
PEAK_KB=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$OUT/time-big.txt")
BIG_RATE=$(python3 -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["rowsPerSecond"]))' "$OUT/summary-big.json")

step "results"
printf '  bulk, %s rows:          %s rows/s (%s HTTP requests/s, %s audit records)\n' "$ROWS" "$RATE" "$HTTP_RATE" "$RECORDS"
printf '  emulator alone (wrk):   %s requests/s for the same mix\n' "$EMULATOR_RATE"
python3 -c "import sys; print(f'  bulk uses {100*int(sys.argv[1])/int(sys.argv[2]):.0f}% of the emulator\'s request rate')" "$HTTP_RATE" "$EMULATOR_RATE"
printf '  bulk, %s rows:        peak RSS %s MB (%s rows/s)\n' "$BIG_ROWS" "$((PEAK_KB / 1024))" "$BIG_RATE"
