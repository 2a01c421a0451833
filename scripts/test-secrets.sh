#!/usr/bin/env bash
# Secret hygiene: runs the CLI (get, set, bulk, OAuth, refused credentials, help, the README's
# demo), the receiver (`serve` with a distinctive API key and subject-token secret: accepted,
# refused and forged requests, refused ACS credentials, metrics, audit export) and the Rust,
# Python and Node examples with distinctive credentials, against an emulator configured with the
# same ones, with debug logging and backtraces on; then scans every stdout, stderr, audit log,
# the receiver's answers and store, the emulator's own output and data file, and the test
# output folder for the credentials. Fails if one shows up anywhere (or if a scenario did not do what it should,
# so that the scan is never vacuous).
#
# Reuses the Python venv of scripts/test-python.sh and the npm project of scripts/test-js.sh
# when they exist; otherwise builds the Python package into its own venv and skips Node with a
# note (run scripts/test-js.sh first for it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

OUT=$ROOT/target/secret-scan
rm -rf "$OUT"
mkdir -p "$OUT"

# Distinctive values: every one carries the same random run id, so a cut-off copy is found too.
RUN_ID=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
TOKEN="tok-SCAN-$RUN_ID-T"
API_KEY="key-SCAN-$RUN_ID-K"
CLIENT_SECRET="sec-SCAN-$RUN_ID-S"
WRONG_TOKEN="tok-WRONG-$RUN_ID-W"
WRONG_SECRET="sec-WRONG-$RUN_ID-X"
RECEIVER_KEY="rk-SCAN-$RUN_ID-receiver-api-key-R"
WRONG_RECEIVER_KEY="rk-WRONG-$RUN_ID-receiver-api-key-W"
TOKEN_SECRET="ts-SCAN-$RUN_ID-subject-token-secret-S"
# The fixed credentials the examples and the embedded emulator use.
FIXED=(emulator-token emulator-api-key emulator-client-secret)

step "build the CLI and the emulator"
cargo build -q -p ccpa-optout-cli -p acs-emulator
CLI=$ROOT/target/debug/ccpa-optout

step "emulator with the distinctive credentials (and a data file)"
trap stop_emulators EXIT
start_emulator "$OUT/emulator" "$ROOT"/target/debug/acs-emulator --seed 50 --token "$TOKEN" \
  --api-key "$API_KEY" --client-secret "$CLIENT_SECRET" --data "$OUT/emulator-data.jsonl"
URL=$EMULATOR_URL
echo "$URL"
EMAIL0=noah.vanderberg0@example.com
EMAIL1=isabel.obrien1@example.net

# run NAME EXPECTED_EXIT_CODES COMMAND...: runs with the distinctive environment, keeps stdout
# and stderr in $OUT/NAME.{out,err}, and fails if the exit code is not one of those expected.
run() {
  local name=$1 expected=$2
  shift 2
  local status=0
  env CAMPAIGN_STANDARD_TENANT_ID=acme CAMPAIGN_STANDARD_API_KEY="$API_KEY" \
    CAMPAIGN_STANDARD_ACCESS_TOKEN="$TOKEN" CAMPAIGN_STANDARD_BASE_URL="$URL" ACS_BASE_URL="$URL" \
    RUST_LOG=trace RUST_BACKTRACE=full PYTHONDEVMODE=1 NODE_DEBUG=http,net \
    "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null || status=$?
  if [[ " $expected " != *" $status "* ]]; then
    echo "$name: exit code $status, expected one of: $expected" >&2
    cat "$OUT/$name.err" >&2
    exit 1
  fi
  printf '  %-28s exit %s\n' "$name" "$status"
}

# must_contain FILE TEXT: the scenario really happened.
must_contain() {
  grep -qF -- "$2" "$1" || { echo "$1 lacks \"$2\"" >&2; cat "$1" >&2; exit 1; }
}

step "CLI scenarios"
run cli-get 0 "$CLI" get "$EMAIL0"
run cli-get-json 0 "$CLI" --json get "$EMAIL1"
must_contain "$OUT/cli-get-json.out" '"pkey":"@'
run cli-set 0 "$CLI" set "$EMAIL0" --opt-out
run cli-set-json 0 "$CLI" --json set "$EMAIL1" --opt-in
# The bulk file: seed emails 0..19 from the emulator's listing, an unknown consumer, a bad row.
curl -sf -H "Authorization: Bearer $TOKEN" -H "X-Api-Key: $API_KEY" \
  "$URL/acme/campaign/profileAndServices/profile?_lineCount=20" >"$OUT/listing.json"
python3 - "$OUT/listing.json" "$OUT/requests.csv" <<'PY'
import json, sys
profiles = json.load(open(sys.argv[1]))["content"]
with open(sys.argv[2], "w") as out:
    out.write("requestId,email,optOut,receivedAt,source\n")
    for i, p in enumerate(profiles):
        out.write(f"s{i},{p['email']},true,2026-11-02,web\n")
    out.write("s-unknown,nobody@example.com,true,2026-11-02,web\n")
    out.write("s-bad,not-an-email,yes,2026-11-02,web\n")
PY
run cli-bulk 1 "$CLI" bulk "$OUT/requests.csv" --audit "$OUT/bulk.audit.jsonl"
must_contain "$OUT/bulk.audit.jsonl" '"outcome":"applied"'
must_contain "$OUT/bulk.audit.jsonl" '"outcome":"rejected"'
# Failures recorded with their reasons: half the answers are 503 and nothing is retried. The
# metadata check before the first row may itself get a 503 (the run then stops, exit 1, no
# records): try again with a fresh audit log until a run gets as far as recording failures.
curl -sf -X PUT "$URL/_emulator/faults" -d '{"status": {"503": 0.5}}' >/dev/null
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  rm -f "$OUT/failing.audit.jsonl"
  run "cli-bulk-failing-$attempt" 1 "$CLI" --json bulk "$OUT/requests.csv" \
    --audit "$OUT/failing.audit.jsonl" --max-attempts 1
  grep -qF '"outcome":"failed"' "$OUT/failing.audit.jsonl" && break
done
must_contain "$OUT/failing.audit.jsonl" '"outcome":"failed"'
curl -sf -X PUT "$URL/_emulator/faults" -d '{}' >/dev/null
run cli-wrong-token "1 2" env CAMPAIGN_STANDARD_ACCESS_TOKEN="$WRONG_TOKEN" "$CLI" get "$EMAIL0"
must_contain "$OUT/cli-wrong-token.err" "Auth"
run cli-bulk-wrong-token 2 env CAMPAIGN_STANDARD_ACCESS_TOKEN="$WRONG_TOKEN" \
  "$CLI" bulk "$OUT/requests.csv" --audit "$OUT/wrong-token.audit.jsonl"
run cli-injected-token 2 env CAMPAIGN_STANDARD_ACCESS_TOKEN="$TOKEN"$'\r\nX-Injected: 1' \
  "$CLI" get "$EMAIL0"
run cli-token-as-option 0 env -u CAMPAIGN_STANDARD_ACCESS_TOKEN \
  "$CLI" --access-token "$TOKEN" --api-key "$API_KEY" get "$EMAIL0"
run cli-oauth 0 env -u CAMPAIGN_STANDARD_ACCESS_TOKEN "$CLI" --client-secret "$CLIENT_SECRET" \
  --scopes campaign --token-url "$URL/ims/token/v3" set "$EMAIL1" --opt-out
run cli-oauth-wrong-secret "1 2" env -u CAMPAIGN_STANDARD_ACCESS_TOKEN "$CLI" \
  --client-secret "$WRONG_SECRET" --scopes campaign --token-url "$URL/ims/token/v3" get "$EMAIL1"
# Requests to know and to delete through the emulator's Privacy Service, with the same secrets.
# The delete takes the listing's last profile, which no other scenario uses.
ERASED=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["content"][-1]["email"])' "$OUT/listing.json")
printf 'requestId,action,email\np1,access,%s\np2,delete,%s\np3,erase,%s\n' "$EMAIL0" "$ERASED" "$EMAIL1" >"$OUT/dsr.csv"
run cli-privacy-submit 1 env CAMPAIGN_STANDARD_IMS_ORG=EMULATORORG0000000000000@AdobeOrg \
  CAMPAIGN_STANDARD_PRIVACY_BASE_URL="$URL" "$CLI" privacy submit "$OUT/dsr.csv" \
  --audit "$OUT/privacy.audit.jsonl" --wait --interval 1 --download "$OUT/archives"
must_contain "$OUT/privacy.audit.jsonl" '"outcome":"submitted"'
must_contain "$OUT/cli-privacy-submit.out" 'complete'
run cli-privacy-wrong-token 2 env CAMPAIGN_STANDARD_IMS_ORG=EMULATORORG0000000000000@AdobeOrg \
  CAMPAIGN_STANDARD_PRIVACY_BASE_URL="$URL" CAMPAIGN_STANDARD_ACCESS_TOKEN="$WRONG_TOKEN" \
  "$CLI" privacy list
must_contain "$OUT/cli-privacy-wrong-token.err" "401"
run cli-help 0 "$CLI" --help
run cli-bulk-help 0 "$CLI" bulk --help
must_contain "$OUT/cli-help.out" "CAMPAIGN_STANDARD_ACCESS_TOKEN"
run cli-bad-option 2 "$CLI" --access-token "$TOKEN" get "$EMAIL0" --timeout soon
run cli-demo 1 "$CLI" bulk examples/data/requests.csv --emulator --audit "$OUT/demo.audit.jsonl"

step "receiver scenarios (serve: API key and token secret from files, trace logging)"
# The key and secret files are inputs, kept outside the scanned folder.
INPUTS=$ROOT/target/secret-scan-inputs
rm -rf "$INPUTS"
mkdir -p "$INPUTS"
printf '%s\n' "$RECEIVER_KEY" >"$INPUTS/receiver-keys"
printf '%s\n' "$TOKEN_SECRET" >"$INPUTS/token-secret"
# receiver_scenarios LABEL STORE: `serve` on STORE with the distinctive credentials, trace
# logging: accepted, refused and forged requests, refused ACS credentials, metrics, audit export.
receiver_scenarios() {
  local label=$1 store=$2
  env CAMPAIGN_STANDARD_TENANT_ID=acme CAMPAIGN_STANDARD_API_KEY="$API_KEY" \
    CAMPAIGN_STANDARD_ACCESS_TOKEN="$TOKEN" CAMPAIGN_STANDARD_BASE_URL="$URL" \
    CCPA_OPTOUT_API_KEY_FILE="$INPUTS/receiver-keys" CCPA_OPTOUT_SUBJECT_TOKEN_SECRET_FILE="$INPUTS/token-secret" \
    CCPA_OPTOUT_STORE="$store" CCPA_OPTOUT_LISTEN=127.0.0.1:0 \
    CCPA_OPTOUT_ALLOW_ORIGIN=https://shop.example RUST_LOG=trace RUST_BACKTRACE=full \
    "$CLI" serve >"$OUT/$label.out" 2>"$OUT/$label.err" </dev/null &
  RECEIVER_PID=$!
  for _ in $(seq 100); do
    grep -q '^listening on ' "$OUT/$label.out" 2>/dev/null && break
    sleep 0.1
  done
  RECEIVER_URL=$(head -n 1 "$OUT/$label.out" | sed 's/^listening on //')
  RECEIVER_KEY="$RECEIVER_KEY" WRONG_RECEIVER_KEY="$WRONG_RECEIVER_KEY" TOKEN_SECRET="$TOKEN_SECRET" \
    WRONG_SECRET="$WRONG_SECRET" python3 - "$RECEIVER_URL" "$URL" "$OUT" "$EMAIL0" "$EMAIL1" "$label" <<'PY'
import base64, hashlib, hmac, json, os, sys, time, urllib.request, urllib.error
receiver, emulator, out, email0, email1, label = sys.argv[1:7]
key, wrong_key = os.environ["RECEIVER_KEY"], os.environ["WRONG_RECEIVER_KEY"]
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def token(secret, subject):
    now = int(time.time())
    signing = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(json.dumps({"sub": subject, "iat": now, "exp": now + 600}).encode())
    return signing + "." + b64(hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest())
def call(name, method, url, body=None, headers=None, expected=(200,), quiet=False):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read()
    with open(f"{out}/{label}-{name}.answer", "wb") as f:
        f.write(text)
    if status not in expected:
        sys.exit(f"{name}: HTTP {status}, expected {expected}: {text[:300]!r}")
    if not quiet:
        print(f"  {label}-{name:<24} HTTP {status}")
    return json.loads(text) if text.startswith(b"{") else text
bearer = lambda credential: {"Authorization": f"Bearer {credential}"}
posted = call("post", "POST", f"{receiver}/v1/opt-outs", {"email": email0, "optOut": True}, bearer(key), (202,))
call("post-wrong-key", "POST", f"{receiver}/v1/opt-outs", {"email": email0, "optOut": True}, bearer(wrong_key), (401,))
call("post-no-key", "POST", f"{receiver}/v1/opt-outs", {"email": email0, "optOut": True}, None, (401,))
browser = {"Origin": "https://shop.example", "Sec-GPC": "1"}
call("signals", "POST", f"{receiver}/v1/signals", {}, {**browser, **bearer(token(os.environ["TOKEN_SECRET"], email1))}, (202,))
call("signals-forged", "POST", f"{receiver}/v1/signals", {}, {**browser, **bearer(token(os.environ["WRONG_SECRET"] + "-padding-to-32-bytes", email1))}, (401,))
for _ in range(100):
    view = call("status", "GET", f"{receiver}/v1/opt-outs/{posted['id']}", None, bearer(key), quiet=True)
    if view["status"] in ("applied", "unchanged"):
        print(f"  {label}-status  {view['status']}")
        break
    time.sleep(0.1)
else:
    sys.exit(f"not applied: {view}")
# ACS refuses the credentials: the worker pauses and says so in its log and in /readyz.
urllib.request.urlopen(urllib.request.Request(f"{emulator}/_emulator/faults", data=b'{"status": {"401": 1.0}}', method="PUT"))
call("post-refused", "POST", f"{receiver}/v1/opt-outs", {"email": email1, "optOut": True}, bearer(key), (202,))
for _ in range(100):
    ready = call("readyz-refused", "GET", f"{receiver}/readyz", expected=(200, 503), quiet=True)
    if not ready["ready"]:
        print(f"  {label}-readyz-refused  HTTP 503")
        break
    time.sleep(0.1)
else:
    sys.exit("readyz never reported the refused credentials")
urllib.request.urlopen(urllib.request.Request(f"{emulator}/_emulator/faults", data=b"{}", method="PUT"))
call("metrics", "GET", f"{receiver}/metrics")
PY
  run "$label-export" 0 "$CLI" audit export --store "$store" --output "$OUT/$label-export.jsonl"
  must_contain "$OUT/$label-export.jsonl" '"outcome":"'
  must_contain "$OUT/$label.err" "refused the credentials"
  kill -TERM "$RECEIVER_PID"
  wait "$RECEIVER_PID" || { echo "serve did not exit 0 after SIGTERM" >&2; exit 1; }
  must_contain "$OUT/$label.err" "shutting down"
}

receiver_scenarios receiver "sqlite:$OUT/receiver.db"
# PostgreSQL, with a distinctive password in its URL (the throwaway cluster trusts loopback, so
# it is never checked: only its absence from every output is), and the database dumped into the
# scanned folder.
PG_SERVER=${CCPA_TEST_POSTGRES:-$(bash scripts/postgres.sh start)}
PG_PASSWORD="pg-SCAN-$RUN_ID-P"
PGOPTIONS=--client-min-messages=warning psql -q "$PG_SERVER/postgres" \
  -c "DROP DATABASE IF EXISTS secret_scan" -c "CREATE DATABASE secret_scan"
receiver_scenarios receiver-pg "${PG_SERVER/:\/\/postgres@/://postgres:$PG_PASSWORD@}/secret_scan"
pg_dump "$PG_SERVER/secret_scan" >"$OUT/receiver-pg.dump.sql"
must_contain "$OUT/receiver-pg.dump.sql" "ccpa_optout.requests"

step "Rust example"
run rust-example 0 cargo run -q -p ccpa-optout --features reqwest --example opt_out

step "Python examples (DEBUG logging)"
PYTHON=$ROOT/target/py-test-venv/bin/python
if ! "$PYTHON" -c 'import ccpa_optout' 2>/dev/null; then
  PYTHON=$ROOT/target/secret-scan-venv/bin/python
  if ! "$PYTHON" -c 'import ccpa_optout' 2>/dev/null; then
    python3 -m venv "$ROOT/target/secret-scan-venv"
    "$PYTHON" -m pip install -q --disable-pip-version-check ./bindings-python
  fi
fi
debug_run='import logging, runpy, sys; logging.basicConfig(level=logging.DEBUG); sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")'
run py-set 0 "$PYTHON" -c "$debug_run" examples/python/set_opt_out.py "$EMAIL0"
run py-async 0 "$PYTHON" -c "$debug_run" examples/python/async_opt_out.py "$EMAIL0" "$EMAIL1"
run py-wrong-token "1 2" env CAMPAIGN_STANDARD_ACCESS_TOKEN="$WRONG_TOKEN" \
  "$PYTHON" -c "$debug_run" examples/python/set_opt_out.py "$EMAIL0"

step "Node example (NODE_DEBUG=http,net)"
NODE_EXAMPLE=$ROOT/target/js-test/project/examples/node/set-opt-out.mjs
if [ -f "$NODE_EXAMPLE" ] && [ -d "$ROOT/target/js-test/project/node_modules/ccpa-optout" ]; then
  run node-set 0 node "$NODE_EXAMPLE" "$EMAIL0" true
  run node-wrong-token 1 env CAMPAIGN_STANDARD_ACCESS_TOKEN="$WRONG_TOKEN" \
    node "$NODE_EXAMPLE" "$EMAIL0" true
else
  echo "  skipped: the npm project of scripts/test-js.sh is missing (run it first)"
fi

# Stopped before the scan, so its logs are complete.
stop_emulators

step "scan"
PATTERNS=("$RUN_ID" "${RUN_ID:0:8}" "$TOKEN" "$API_KEY" "$CLIENT_SECRET" "$WRONG_TOKEN" "$WRONG_SECRET"
  "$RECEIVER_KEY" "$WRONG_RECEIVER_KEY" "$TOKEN_SECRET" "$PG_PASSWORD" "${FIXED[@]}")
FILES=()
while IFS= read -r -d '' file; do FILES+=("$file"); done < <(
  find "$OUT" "$ROOT/target/test-output" /tmp/ccpa-optout-emulator-*.audit.jsonl \
    -type f ! -name '*.png' ! -name 'listing.json' -print0 2>/dev/null
)
# listing.json is this script's own request to the emulator, not an output of the project.
scan() {
  local found=0
  for pattern in "${PATTERNS[@]}"; do
    local hits
    hits=$(grep -aFl -- "$pattern" "$@" 2>/dev/null || true)
    if [ -n "$hits" ]; then
      found=1
      echo "a credential (${pattern:0:6}…) appears in:" >&2
      echo "$hits" | sed 's/^/  /' >&2
    fi
  done
  return $found
}
# The scan must be able to fail: a planted copy of the token is found.
echo "Authorization: Bearer $TOKEN" >"$OUT/canary"
if scan "$OUT/canary" 2>/dev/null; then
  echo "the scan missed a planted secret" >&2
  exit 1
fi
rm "$OUT/canary"
bytes=$(cat "${FILES[@]}" | wc -c)
if ! scan "${FILES[@]}"; then
  echo "secret scan FAILED: credentials appear in the output above" >&2
  exit 1
fi
echo "scanned ${#FILES[@]} files ($bytes bytes) for ${#PATTERNS[@]} credentials and fragments: none found"
