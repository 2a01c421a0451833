#!/usr/bin/env bash
# The receiver's checks beyond `cargo test` (scripts/test-rust.sh runs its unit, end-to-end,
# outage, refused-credentials and hostile-table tests, and `serve`'s CLI tests):
#   - kill -9: 20 SIGKILLs of `ccpa-optout serve` at random points during 5,000 posts from 16
#     concurrent clients; every acknowledged request is applied and the emulator saw one PATCH
#     per real change (RECEIVER_KILL_SEED=… replays the kill points the run prints); once on
#     SQLite, once with three receivers on one PostgreSQL database, one killed at a time;
#   - PostgreSQL: the store contract, the end-to-end, outage and hostile-table tests again on a
#     PostgreSQL store (a throwaway cluster under target/postgres, scripts/postgres.sh, unless
#     CCPA_TEST_POSTGRES names a server already: scripts/test.sh starts one for the whole run);
#   - the README's demo command as a user runs it: `serve --emulator`, the curl lines it prints,
#     status until applied, SIGTERM and exit 0.
# About a minute once built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DEMO=""
STOP_POSTGRES=""
cleanup() {
  if [ -n "$DEMO" ]; then kill "$DEMO" 2>/dev/null || true; fi
  if [ -n "$STOP_POSTGRES" ]; then bash scripts/postgres.sh stop || true; fi
}
trap cleanup EXIT
if [ -z "${CCPA_TEST_POSTGRES:-}" ]; then
  step "PostgreSQL: a throwaway cluster under target/postgres"
  CCPA_TEST_POSTGRES=$(bash scripts/postgres.sh start)
  STOP_POSTGRES=1
fi
export CCPA_TEST_POSTGRES

step "PostgreSQL store: the store contract, then the receiver's tests on a PostgreSQL store"
cargo test -q -p ccpa-optout-receiver --test store_contract -- --include-ignored
RECEIVER_TEST_STORE=postgres cargo test -q -p ccpa-optout-receiver \
  --test end_to_end --test outage --test hostile

step "kill -9: SIGKILL a receiver during concurrent posts, restart, check every acknowledgement"
cargo test -q -p ccpa-optout-cli --test receiver_kill -- --ignored --nocapture --test-threads 1

step "the demo: ccpa-optout serve --emulator, the curl lines it prints, SIGTERM"
cargo build -q -p ccpa-optout-cli
OUT=target/test-receiver
rm -rf "$OUT"
mkdir -p "$OUT"
target/debug/ccpa-optout serve --emulator --listen 127.0.0.1:0 >"$OUT/demo.out" 2>"$OUT/demo.err" &
DEMO=$!
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
DEMO=""
[ "$code" -eq 0 ] || { echo "serve exited $code after SIGTERM" >&2; cat "$OUT/demo.err" >&2; exit 1; }
echo "SIGTERM: exit 0"
