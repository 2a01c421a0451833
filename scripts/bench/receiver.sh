#!/usr/bin/env bash
# Benchmark of the receiver (`ccpa-optout serve`, release builds) on this machine:
#   1. durable acknowledgements/s and p50/p99 latency of `POST /v1/opt-outs` at 1, 16 and 64
#      connections (wrk), each `202` sent after its SQLite commit (WAL, synchronous=FULL), the
#      worker held to 1 ACS request/s so that the acknowledgements alone are measured; beside
#      the same machine's HTTP ceiling: the receiver's `/healthz` under the same wrk settings;
#   2. drain: ROWS stored requests applied to the emulator by a receiver started on that store
#      (--concurrency 16, no rate ceiling), beside `bulk` on the same ROWS rows (same emails);
#   3. peak RSS of the receiver over each phase (VmHWM);
#   4. several receivers on one PostgreSQL database (a throwaway cluster, scripts/postgres.sh,
#      unless CCPA_TEST_POSTGRES names a server): acks/s with 1, 2 and 3 receivers under 48
#      connections split between them (one wrk each, at the same time), and the drain of ROWS
#      stored requests by 1, 2 and 3 receivers; SQLite's single receiver measured the same way
#      in the same run beside them. One run each (BENCH_RECEIVER_POSTGRES=0 skips the phase).
# Writes target/bench-receiver/: results.md, wrk and bulk outputs, logs. Needs wrk and curl.
# Knobs: BENCH_RECEIVER_SECONDS (10), BENCH_RECEIVER_ROWS (20000), BENCH_REPEAT (3).
# `--json FILE` also adds the figures to scripts/bench.sh's results file.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/bulk.sh

JSON=""
[[ "${1:-}" == "--json" ]] && JSON=$2
SECONDS_EACH=${BENCH_RECEIVER_SECONDS:-10}
ROWS=${BENCH_RECEIVER_ROWS:-20000}
REPEAT=${BENCH_REPEAT:-3}
SEEDED=10000
CONNECTIONS=(1 16 64)
OUT=$PWD/target/bench-receiver
KEY=rk_bench_0123456789abcdef0123456789abcdef
rm -rf "$OUT"
mkdir -p "$OUT"
printf '%s\n' "$KEY" >"$OUT/keys"

bench_need wrk:wrk
step "release builds"
bulk_build
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

STOP_POSTGRES=""
trap 'stop_receiver; stop_emulators; if [[ -n $STOP_POSTGRES ]]; then bash scripts/postgres.sh stop; fi' EXIT
RECEIVER_PID="" RECEIVER_PIDS=()
# start_receiver STORE_URL MAX_RPS LABEL: serve on a free port against the emulator; sets
# RECEIVER_URL and RECEIVER_PID, and adds both to RECEIVER_URLS and RECEIVER_PIDS.
start_receiver() {
  env CAMPAIGN_STANDARD_TENANT_ID=acme CAMPAIGN_STANDARD_API_KEY=emulator-api-key \
    CAMPAIGN_STANDARD_ACCESS_TOKEN=emulator-token CAMPAIGN_STANDARD_BASE_URL="$EMULATOR_URL" \
    "$BULK_CLI" serve --listen 127.0.0.1:0 --store "$1" --api-key-file "$OUT/keys" \
    --max-rps "$2" --concurrency 16 >"$OUT/$3.out" 2>"$OUT/$3.err" &
  RECEIVER_PID=$!
  RECEIVER_PIDS+=("$RECEIVER_PID")
  for _ in $(seq 100); do
    grep -q '^listening on ' "$OUT/$3.out" 2>/dev/null && break
    sleep 0.1
  done
  RECEIVER_URL=$(head -n 1 "$OUT/$3.out" | sed 's/^listening on //')
  [[ $RECEIVER_URL == http* ]] || { cat "$OUT/$3.err" >&2; return 1; }
  RECEIVER_URLS+=("$RECEIVER_URL")
}
# Peak RSS in KiB of the running receiver.
receiver_peak_kb() { awk '/VmHWM/ {print $2}' "/proc/$RECEIVER_PID/status"; }
# Stops every receiver started.
stop_receiver() {
  local pid
  for pid in "${RECEIVER_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  RECEIVER_PID="" RECEIVER_PIDS=() RECEIVER_URLS=()
}

# fill_queue URL: posts every row of requests.csv to the receiver at URL (16 connections).
fill_queue() {
  python3 - "$1" "$KEY" "$OUT/requests.csv" <<'PY'
import csv, http.client, json, sys, threading, urllib.parse
url, key, path = sys.argv[1:4]
rows = list(csv.DictReader(open(path)))
host = urllib.parse.urlparse(url).netloc
def post(part):
    connection = http.client.HTTPConnection(host, timeout=30)
    for row in part:
        body = json.dumps({"email": row["email"], "optOut": True, "requestId": row["requestId"], "receivedAt": row["receivedAt"], "source": row["source"]})
        connection.request("POST", "/v1/opt-outs", body, {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 202), response.status
threads = [threading.Thread(target=post, args=(rows[i::16],)) for i in range(16)]
for t in threads: t.start()
for t in threads: t.join()
PY
}

# drain_rate URL: requests/s from the first settled request to the empty queue, read from the
# /metrics of the receiver at URL (the queue depth counts the whole store's open requests).
# One Python process reads /metrics over one kept-alive connection 20 times a second: a curl
# process per look cost a fifth of the machine and slowed the drain it measured.
drain_rate() {
  python3 - "$1" <<'PY'
import http.client, sys, time, urllib.parse
connection = http.client.HTTPConnection(urllib.parse.urlparse(sys.argv[1]).netloc, timeout=30)
def depth():
    connection.request("GET", "/metrics")
    for line in connection.getresponse().read().decode().splitlines():
        if line.startswith("ccpa_optout_receiver_queue_depth "):
            return float(line.split()[1])
first = depth()
while (left := depth()) == first:
    time.sleep(0.005)
start = time.monotonic()
while depth() != 0:
    time.sleep(0.05)
print(round(left / (time.monotonic() - start)))
PY
}

# post.lua: unique requestIds, emails cycling over the first $SEEDED seed profiles; prints a
# JSON summary (requests, duration, errors, p50 and p99 in µs) when wrk is done.
curl_emails() {
  curl -s -H "Authorization: Bearer emulator-token" -H "X-Api-Key: emulator-api-key" \
    "$EMULATOR_URL/acme/campaign/profileAndServices/profile?_lineCount=$SEEDED" |
    python3 -c 'import json, sys; print("local emails = {%s}" % ",".join("\"%s\"" % p["email"] for p in json.load(sys.stdin)["content"]))'
}
summary_lua='
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("{\"requests\": %d, \"seconds\": %.3f, \"non2xx\": %d, \"socket_errors\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f}\n",
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end'
# wrk_json CONNECTIONS SCRIPT URL LABEL: runs wrk, keeps its output, prints the JSON summary line.
wrk_json() {
  local threads=2
  (($1 < 2)) && threads=1
  wrk -t "$threads" -c "$1" -d "${SECONDS_EACH}s" --latency -s "$2" "$3" -- "$4" >"$OUT/wrk-$4.txt"
  grep '^{' "$OUT/wrk-$4.txt"
}
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
rate() { python3 -c 'import json, sys; s = json.loads(sys.argv[1]); assert s["non2xx"] == 0 and s["socket_errors"] == 0, s; print(round(s["requests"] / s["seconds"]))' "$1"; }

step "emulator with $ROWS seed profiles"
start_emulator "$OUT/emulator" target/release/acs-emulator --seed "$ROWS" --fault-seed 1
{
  curl_emails
  cat <<LUA
local threads = 0
setup = function(thread) thread:set("thread_id", threads); threads = threads + 1 end
local sent, tag = 0, ""
init = function(args) tag = args[1] .. "-" .. thread_id .. "-" end
request = function()
  sent = sent + 1
  local body = '{"email":"' .. emails[(sent * 7 + thread_id) % #emails + 1] .. '","optOut":true,"requestId":"' .. tag .. sent .. '"}'
  return wrk.format("POST", "/v1/opt-outs", {["Authorization"] = "Bearer $KEY", ["Content-Type"] = "application/json"}, body)
end
LUA
  echo "$summary_lua"
} >"$OUT/post.lua"
echo "$summary_lua" >"$OUT/healthz.lua"

declare -A ACKS P50 P99 CEIL CP50 CP99
ACK_PEAK_KB=0 STORED=0
if [[ -z "${BENCH_RECEIVER_SKIP_ACKS:-}" ]]; then
step "acknowledgements: POST /v1/opt-outs, ${SECONDS_EACH} s per run, $REPEAT runs per connection count; ceiling: GET /healthz"
start_receiver "sqlite:$OUT/acks.db" 1 acks
printf '  %-11s %10s %9s %9s | %10s %9s %9s\n' connections "acks/s" "p50 ms" "p99 ms" "healthz/s" "p50 ms" "p99 ms"
for c in "${CONNECTIONS[@]}"; do
  acks=() p50=() p99=() ceil=() cp50=() cp99=()
  for run in $(seq "$REPEAT"); do
    post=$(wrk_json "$c" "$OUT/post.lua" "$RECEIVER_URL" "post-$c-$run")
    acks+=("$(rate "$post")") p50+=("$(field "$post" p50_ms)") p99+=("$(field "$post" p99_ms)")
    health=$(wrk_json "$c" "$OUT/healthz.lua" "$RECEIVER_URL/healthz" "healthz-$c-$run")
    ceil+=("$(rate "$health")") cp50+=("$(field "$health" p50_ms)") cp99+=("$(field "$health" p99_ms)")
  done
  ACKS[$c]=$(median "${acks[@]}") P50[$c]=$(median "${p50[@]}") P99[$c]=$(median "${p99[@]}")
  CEIL[$c]=$(median "${ceil[@]}") CP50[$c]=$(median "${cp50[@]}") CP99[$c]=$(median "${cp99[@]}")
  printf '  %-11s %10s %9s %9s | %10s %9s %9s   (acks/s runs: %s)\n' "$c" "${ACKS[$c]}" "${P50[$c]}" "${P99[$c]}" \
    "${CEIL[$c]}" "${CP50[$c]}" "${CP99[$c]}" "${acks[*]}"
  if [[ -n "$JSON" ]]; then
    python3 scripts/bench/report.py add "$JSON" --part Receiver --id "receiver.acks.$c" --figure "durable acks/s, $c connections" \
      --unit req/s --better higher --who "ccpa-optout serve, POST /v1/opt-outs" --ours "${acks[@]}"
    python3 scripts/bench/report.py add "$JSON" --part Receiver --id "receiver.acks.$c" --unit req/s --better higher \
      --kind ceiling --who "the same receiver's GET /healthz (HTTP ceiling)" "${ceil[@]}"
    python3 scripts/bench/report.py add "$JSON" --part Receiver --id "receiver.p99.$c" --figure "p99 latency, $c connections" \
      --unit ms --better lower --who "POST /v1/opt-outs" --ours "${p99[@]}"
  fi
done
STORED=$(curl -s "$RECEIVER_URL/metrics" | awk '/^ccpa_optout_receiver_acknowledged_total/ {print $2}')
ACK_PEAK_KB=$(receiver_peak_kb)
stop_receiver
echo "  $STORED requests stored; receiver peak RSS $((ACK_PEAK_KB / 1024)) MiB"
fi

step "drain: $ROWS stored requests into the emulator, beside bulk on the same $ROWS rows"
bulk_input "$ROWS" "$SEEDED" "$OUT/requests.csv"
drains=() bulks=() drain_peaks=()
for run in $(seq "$REPEAT"); do
  # The queue: ROWS requests stored by a receiver whose worker is held to 1 request/s.
  rm -f "$OUT"/drain.db*
  start_receiver "sqlite:$OUT/drain.db" 1 "fill-$run"
  fill_queue "$RECEIVER_URL"
  stop_receiver
  bulk_reset
  start_receiver "sqlite:$OUT/drain.db" 1000000 "drain-$run"
  # From the first settled request to the empty queue (the start-up and credential check are
  # not drain; `bulk` also counts its rows/s after its preflight).
  drains+=("$(drain_rate "$RECEIVER_URL")")
  drain_peaks+=("$(receiver_peak_kb)")
  stop_receiver
  read -r bulk_rate _ _ _ < <(bulk_run "$OUT/requests.csv" 16 "$OUT" "bulk-$run")
  bulks+=("$bulk_rate")
  printf '  run %s: receiver drain %s requests/s (start to empty queue), bulk %s rows/s\n' "$run" "${drains[-1]}" "$bulk_rate"
done
DRAIN=$(median "${drains[@]}")
BULK=$(median "${bulks[@]}")
DRAIN_PEAK_KB=$(printf '%s\n' "${drain_peaks[@]}" | sort -n | tail -1)
if [[ -n "$JSON" ]]; then
  python3 scripts/bench/report.py add "$JSON" --part Receiver --id receiver.drain --figure "drain into the emulator, $ROWS requests" \
    --unit rows/s --better higher --who "ccpa-optout serve's worker (--concurrency 16)" --ours "${drains[@]}"
  python3 scripts/bench/report.py add "$JSON" --part Receiver --id receiver.drain --unit rows/s --better higher \
    --who "ccpa-optout bulk, same rows, --concurrency 16" "${bulks[@]}"
  python3 scripts/bench/report.py add "$JSON" --part Receiver --id receiver.rss --figure "receiver peak RSS" --unit bytes \
    --better lower --who "ccpa-optout serve" --ours "$(( (ACK_PEAK_KB > DRAIN_PEAK_KB ? ACK_PEAK_KB : DRAIN_PEAK_KB) * 1024 ))"
fi

# Phase 4: several receivers on one PostgreSQL database, SQLite's one receiver beside them.
declare -A MACKS MDRAIN
SETUPS=()
if [[ "${BENCH_RECEIVER_POSTGRES:-1}" != 0 ]]; then
step "several receivers on one PostgreSQL database: acks/s (48 connections split between them) and drain"
PG_SERVER=${CCPA_TEST_POSTGRES:-}
if [[ -z $PG_SERVER ]]; then
  PG_SERVER=$(bash scripts/postgres.sh start)
  STOP_POSTGRES=1
fi
# fresh_store SETUP PURPOSE: an empty store for a setup (sqlite, or pgN).
fresh_store() {
  if [[ $1 == sqlite ]]; then
    rm -f "$OUT/$2.db"*
    echo "sqlite:$OUT/$2.db"
  else
    PGOPTIONS=--client-min-messages=warning psql -q "$PG_SERVER/postgres" \
      -c "DROP DATABASE IF EXISTS bench_$2" -c "CREATE DATABASE bench_$2" >&2
    echo "$PG_SERVER/bench_$2"
  fi
}
SETUPS=(sqlite pg1 pg2 pg3)
printf '  %-22s %10s %14s\n' setup "acks/s" "drain req/s"
for setup in "${SETUPS[@]}"; do
  count=1
  [[ $setup == pg* ]] && count=${setup#pg}
  # Acknowledgements: COUNT receivers (workers held to 1 ACS request/s), one wrk each.
  store=$(fresh_store "$setup" "acks_$setup")
  for i in $(seq "$count"); do start_receiver "$store" 1 "multi-acks-$setup-$i"; done
  pids=()
  for i in $(seq "$count"); do
    wrk -t 1 -c $((48 / count)) -d "${SECONDS_EACH}s" -s "$OUT/post.lua" "${RECEIVER_URLS[$((i - 1))]}" \
      -- "multi-$setup-$i" >"$OUT/wrk-multi-$setup-$i.txt" &
    pids+=($!)
  done
  wait "${pids[@]}"
  MACKS[$setup]=$(cat "$OUT"/wrk-multi-"$setup"-*.txt | grep '^{' | python3 -c '
import json, sys
runs = [json.loads(line) for line in sys.stdin]
assert all(r["non2xx"] == 0 and r["socket_errors"] == 0 for r in runs), runs
print(round(sum(r["requests"] / r["seconds"] for r in runs)))')
  stop_receiver
  # Drain: ROWS requests stored through one receiver, then drained by COUNT of them.
  store=$(fresh_store "$setup" "drain_$setup")
  start_receiver "$store" 1 "multi-fill-$setup"
  fill_queue "$RECEIVER_URL"
  stop_receiver
  bulk_reset
  for i in $(seq "$count"); do start_receiver "$store" 1000000 "multi-drain-$setup-$i"; done
  MDRAIN[$setup]=$(drain_rate "${RECEIVER_URLS[0]}")
  stop_receiver
  printf '  %-22s %10s %14s\n' "$setup" "${MACKS[$setup]}" "${MDRAIN[$setup]}"
  if [[ -n "$JSON" ]]; then
    # SQLite's receiver first (the comparison's reference), then each PostgreSQL setup as
    # another of our own.
    who="SQLite, 1 receiver" mark=(--ours)
    [[ $setup == pg* ]] && who="PostgreSQL, $count receiver(s)" mark=(--kind ours)
    python3 scripts/bench/report.py add "$JSON" --part Receiver --id receiver.multi.acks \
      --figure "durable acks/s, 48 connections split between the receivers" --unit req/s --better higher \
      --who "$who" "${mark[@]}" "${MACKS[$setup]}"
    python3 scripts/bench/report.py add "$JSON" --part Receiver --id receiver.multi.drain \
      --figure "drain of $ROWS stored requests into the emulator" --unit rows/s --better higher \
      --who "$who" "${mark[@]}" "${MDRAIN[$setup]}"
  fi
done
fi

step "results"
{
  echo "| connections | durable acks/s | p50 | p99 | /healthz req/s (ceiling) | p50 | p99 | acks ÷ ceiling |"
  echo "|---|---|---|---|---|---|---|---|"
  for c in "${CONNECTIONS[@]}"; do
    [[ -n "${ACKS[$c]:-}" ]] || continue
    share=$(python3 -c "print(f'{100 * ${ACKS[$c]} / ${CEIL[$c]}:.0f} %')")
    echo "| $c | ${ACKS[$c]} | ${P50[$c]} ms | ${P99[$c]} ms | ${CEIL[$c]} | ${CP50[$c]} ms | ${CP99[$c]} ms | $share |"
  done
  echo
  echo "- drain: $DRAIN requests/s into the emulator (median of ${drains[*]}); bulk on the same $ROWS rows: $BULK rows/s (${bulks[*]}); ratio $(python3 -c "print(f'{100 * $DRAIN / $BULK:.0f} %')")"
  echo "- peak RSS: $((ACK_PEAK_KB / 1024)) MiB over the acknowledgement runs ($STORED requests stored), $((DRAIN_PEAK_KB / 1024)) MiB while draining"
  if ((${#SETUPS[@]})); then
    echo
    echo "| store, receivers | durable acks/s (48 connections in all) | drain of $ROWS requests, req/s |"
    echo "|---|---|---|"
    for setup in "${SETUPS[@]}"; do
      label="SQLite, 1"
      [[ $setup == pg* ]] && label="PostgreSQL, ${setup#pg}"
      echo "| $label | ${MACKS[$setup]} | ${MDRAIN[$setup]} |"
    done
  fi
  echo "- machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); wrk $SECONDS_EACH s per run, median of $REPEAT"
} | tee "$OUT/results.md"
