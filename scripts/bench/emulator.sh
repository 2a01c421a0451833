#!/usr/bin/env bash
# Emulator throughput on loopback (release build, wrk): GET and PATCH of one profile per second,
# beside two baselines measured in the same run — the admin API (HTTP + routing only) and a
# request refused by the gateway (401, no store access) — and PATCH with --data (fsync'd journal).
# Usage: scripts/bench/emulator.sh [seconds per run (default 5)] [connections (default 64)]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/lib.sh

duration=${1:-5}
connections=${2:-64}

step "wrk (Debian package)"
bench_need wrk:wrk
wrk --version 2>&1 | head -n 1 || true

step "release build of acs-emulator"
cargo build -q --release -p acs-emulator

work=$(mktemp -d)
cleanup() {
  stop_emulators
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the emulator with the given extra flags; sets $url.
start() {
  start_emulator "${TMPDIR:-/tmp}/bench-emulator-$$" target/release/acs-emulator --seed 1000 "$@"
  url=$EMULATOR_URL
}

auth=(-H "Authorization: Bearer emulator-token" -H "X-Api-Key: emulator-api-key")

# One wrk run; prints "label: N req/s (non-2xx: M)".
run() {
  local label=$1
  shift
  local out
  local threads=2
  ((connections < 2)) && threads=1
  out=$(wrk -t "$threads" -c "$connections" -d "${duration}s" "$@")
  local rps non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '%-52s %10s req/s   (non-2xx: %s)\n' "$label" "$rps" "${non2xx:-0}"
}

cat >"$work/patch.lua" <<'LUA'
wrk.method = "PATCH"
wrk.body = '{"ccpaOptOut": true}'
wrk.headers["Content-Type"] = "application/json;charset=utf-8"
LUA

step "memory-only emulator, ${duration}s per run, $connections connections, 2 wrk threads"
start
profiles="$url/acme/campaign/profileAndServices/profile"
pkey=$(curl -s "${auth[@]}" "$profiles?_lineCount=1" | grep -o '"PKey":"@[^"]*"' | head -n 1 | cut -d '"' -f 4)
[[ "$pkey" == @* ]] || { echo "no PKey found" >&2; exit 1; }
run "baseline: GET /_emulator/faults (no auth, no store)" "$url/_emulator/faults"
run "baseline: GET profile without token (401)" "$profiles/$pkey"
run "GET profile/{PKey}" "${auth[@]}" "$profiles/$pkey"
run "PATCH profile/{PKey} {ccpaOptOut}" "${auth[@]}" -s "$work/patch.lua" "$profiles/$pkey"
run "GET profile/byEmail?email=" "${auth[@]}" "$profiles/byEmail?email=$(curl -s "${auth[@]}" "$profiles/$pkey" | grep -o '"email":"[^"]*"' | cut -d '"' -f 4)"
saved=$connections
connections=1
run "PATCH, 1 connection (memory only)" "${auth[@]}" -s "$work/patch.lua" "$profiles/$pkey"
connections=$saved

step "emulator with --data (fsync'd journal, group commit)"
start --data "$work/store.jsonl"
profiles="$url/acme/campaign/profileAndServices/profile"
run "GET profile/{PKey} (--data)" "${auth[@]}" "$profiles/$pkey"
run "PATCH profile/{PKey} (--data, durable before 200)" "${auth[@]}" -s "$work/patch.lua" "$profiles/$pkey"
connections=1
run "PATCH, 1 connection (--data: one fsync per request)" "${auth[@]}" -s "$work/patch.lua" "$profiles/$pkey"
echo "journal after the run: $(wc -l <"$work/store.jsonl") lines"
