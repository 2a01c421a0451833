# `ccpa-optout bulk` against the release emulator, and the emulator's own ceiling for the same
# request mix under wrk (sourced by scripts/bench/cli.sh, scripts/bench/receiver.sh and
# scripts/bench.sh; it brings scripts/bench/lib.sh with it; the emulator's base URL is
# $EMULATOR_URL). Knobs: BENCH_ROWS (100000 rows, also the seeded profiles) and BENCH_BIG_ROWS
# (1000000, the peak-RSS run).
source scripts/bench/lib.sh

ROWS=${BENCH_ROWS:-100000}
BIG_ROWS=${BENCH_BIG_ROWS:-1000000}

BULK_CLI=target/release/ccpa-optout
BULK_INPUT_TOOL=target/release/examples/bench_input

bulk_build() {
  cargo build --release -q -p ccpa-optout-cli -p acs-emulator --bins
  cargo build --release -q -p ccpa-optout-cli --example bench_input
}

# bulk_input ROWS SEEDED FILE: a request file of ROWS rows over the seed emails 0..SEEDED (kept
# when it already exists: the content depends only on the two numbers).
bulk_input() {
  [[ -s $3 ]] || "$BULK_INPUT_TOOL" "$1" "$2" >"$3"
}

# The CLI's default --concurrency, from the JSON summary of an empty run on its embedded emulator.
bulk_default_concurrency() {
  local empty
  empty=$(mktemp --suffix .csv)
  printf 'email,optOut\n' >"$empty"
  "$BULK_CLI" --json bulk "$empty" --emulator --quiet --audit "$empty.audit.jsonl" 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["concurrency"])'
  rm -f "$empty" "$empty.audit.jsonl"
}

bulk_total_requests() {
  curl -s "$EMULATOR_URL/_emulator/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}

# Back to the seed profiles, counters at zero.
bulk_reset() {
  curl -s -X POST "$EMULATOR_URL/_emulator/reset" >/dev/null
}

# bulk_mix_lua FILE: a wrk script sending the same mix as bulk on fresh data, one byEmail lookup
# then one PATCH of the match, over the first 10,000 seed profiles.
bulk_mix_lua() {
  curl -s -H "Authorization: Bearer emulator-token" -H "X-Api-Key: emulator-api-key" \
    "$EMULATOR_URL/acme/campaign/profileAndServices/profile?_lineCount=10000" | python3 -c '
import json, sys, urllib.parse
content = json.load(sys.stdin)["content"]
emails = ",".join("\"%s\"" % urllib.parse.quote(p["email"], safe="") for p in content)
pkeys = ",".join("\"%s\"" % p["PKey"] for p in content)
print("local emails = {%s}\nlocal pkeys = {%s}" % (emails, pkeys))
' >"$1"
  cat >>"$1" <<'LUA'
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
}

# bulk_ceiling CONNECTIONS SECONDS MIX_LUA WRK_OUTPUT: prints the emulator's requests/s for the
# mix; fails when any answer was not 2xx.
bulk_ceiling() {
  local threads=2
  (($1 < 2)) && threads=1
  wrk -t "$threads" -c "$1" -d "$2s" -s "$3" "$EMULATOR_URL" >"$4"
  if grep -q "Non-2xx" "$4"; then
    echo "the wrk baseline had failed requests: see $4" >&2
    return 1
  fi
  awk '/Requests\/sec/ {printf "%.0f\n", $2}' "$4"
}

# bulk_run INPUT CONCURRENCY OUTDIR LABEL [TIME_FILE]: one bulk run on fresh emulator data.
# Prints "rows/s HTTP-requests/s records HTTP-requests" (rows/s as the CLI reports it; HTTP
# requests from the emulator's counters, per second of the whole process's wall time). With TIME_FILE, runs under
# `/usr/bin/time -v` and leaves its report there.
bulk_run() {
  local input=$1 concurrency=$2 out=$3 label=$4 time_file=${5:-}
  local audit="$out/audit-$label.jsonl" before after start end
  local timer=()
  [[ -n "$time_file" ]] && timer=(/usr/bin/time -v -o "$time_file")
  rm -f "$audit"
  bulk_reset
  before=$(bulk_total_requests)
  start=$(bench_now)
  "${timer[@]}" "$BULK_CLI" --base-url "$EMULATOR_URL" --org acme --api-key emulator-api-key \
    --access-token emulator-token bulk "$input" --audit "$audit" --concurrency "$concurrency" \
    --quiet --json >"$out/summary-$label.json"
  end=$(bench_now)
  after=$(bulk_total_requests)
  rm -f "$audit"
  python3 - "$out/summary-$label.json" "$before" "$after" "$start" "$end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
http = (int(sys.argv[3]) - int(sys.argv[2])) / (float(sys.argv[5]) - float(sys.argv[4]))
print(f"{s['rowsPerSecond']:.0f} {http:.0f} {s['requests']} {int(sys.argv[3]) - int(sys.argv[2])}")
PY
}

# bulk_peak_kb TIME_FILE: the peak RSS in KiB from a `/usr/bin/time -v` report.
bulk_peak_kb() {
  awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$1"
}
