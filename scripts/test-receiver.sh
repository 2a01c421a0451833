#!/usr/bin/env bash
# The receiver's checks beyond `cargo test` (scripts/test-rust.sh runs its unit, end-to-end,
# outage, refused-credentials and hostile-table tests, and `serve`'s CLI tests):
#   - kill -9: 20 SIGKILLs of `ccpa-optout serve` at random points during 5,000 posts from 16
#     concurrent clients; every acknowledged request is applied and the emulator saw one PATCH
#     per real change (RECEIVER_KILL_SEED=… replays the kill points the run prints);
#   - the README's demo command as a user runs it: `serve --emulator`, the curl lines it prints,
#     status until applied, SIGTERM and exit 0.
# About a minute once built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "kill -9: SIGKILL the receiver during concurrent posts, restart, check every acknowledgement"
cargo test -q -p ccpa-optout-cli --test receiver_kill -- --ignored --nocapture

step "the demo: ccpa-optout serve --emulator, the curl lines it prints, SIGTERM"
cargo build -q -p ccpa-optout-cli
OUT=target/test-receiver
rm -rf "$OUT"
mkdir -p "$OUT"
target/debug/ccpa-optout serve --emulator --listen 127.0.0.1:0 >"$OUT/demo.out" 2>"$OUT/demo.err" &
DEMO=$!
trap 'kill "$DEMO" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ "$(grep -c 'curl' "$OUT/demo.out" 2>/dev/null)" -ge 2 ] && break
  sleep 0.1
done
head -n 1 "$OUT/demo.out" | grep -q '^listening on http://127.0.0.1:' || { cat "$OUT/demo.out" "$OUT/demo.err"; exit 1; }
cat "$OUT/demo.out"
post=$(grep -m 1 "/v1/opt-outs$" "$OUT/demo.out" | sed 's/^ *//')
answer=$(bash -c "$post")
echo "$answer"
id=$(python3 -c 'import json, sys; a = json.loads(sys.argv[1]); assert a["status"] == "queued", a; print(a["id"])' "$answer")
get=$(grep -m 1 "/v1/opt-outs/ID" "$OUT/demo.out" | sed 's/^ *//; s/ *#.*$//; s/ID$/'"$id"'/')
for _ in $(seq 100); do
  status=$(bash -c "$get" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')
  [[ $status == applied || $status == unchanged ]] && break
  sleep 0.1
done
echo "status: $status"
[[ $status == applied ]] || { echo "the demo's request was not applied" >&2; exit 1; }
kill -TERM "$DEMO"
code=0
wait "$DEMO" || code=$?
trap - EXIT
[ "$code" -eq 0 ] || { echo "serve exited $code after SIGTERM" >&2; cat "$OUT/demo.err" >&2; exit 1; }
echo "SIGTERM: exit 0"
