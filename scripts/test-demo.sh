#!/usr/bin/env bash
# The README's first command, run as a user runs it: a bulk opt-out of the sample file against
# the embedded emulator. The sample holds six deliberately invalid rows, so the run ends with
# exit code 1 ("some rejected"); anything else, or a summary without applied rows, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "README main command: cargo run --release -p ccpa-optout-cli -- bulk examples/data/requests.csv --emulator"
set +e
output=$(cargo run -q --release -p ccpa-optout-cli -- bulk examples/data/requests.csv --emulator 2>&1)
status=$?
set -e
echo "$output"
if [ "$status" -ne 1 ]; then
  echo "expected exit code 1 (the sample's invalid rows are rejected), got $status" >&2
  exit 1
fi
# A second run with --json: its machine-readable summary is checked, not the padded text above.
summary=$(cargo run -q --release -p ccpa-optout-cli -- --json bulk examples/data/requests.csv --emulator 2>/dev/null || true)
python3 - "$summary" <<'PY'
import json, sys
summary = json.loads(sys.argv[1])
outcomes = summary["outcomes"]
problems = []
if outcomes["applied"] < 1:
    problems.append("no row was applied")
if outcomes["rejected"] != 6:
    problems.append(f"{outcomes['rejected']} rows rejected, expected the sample's 6")
if outcomes["failed"] != 0:
    problems.append(f"{outcomes['failed']} rows failed")
if not summary["audit"]:
    problems.append("no audit log")
if problems:
    sys.exit("the demo summary is wrong: " + "; ".join(problems))
print(f"demo summary: {summary['requests']} requests, {outcomes['applied']} applied, {outcomes['rejected']} rejected")
PY

step "README privacy demo: privacy submit examples/data/privacy-requests.csv --emulator --wait --download"
archives=target/privacy-archives-test
rm -rf "$archives"
summary=$(cargo run -q --release -p ccpa-optout-cli -- --json privacy submit examples/data/privacy-requests.csv \
  --emulator --wait --interval 1 --download "$archives" 2>/dev/null || true)
python3 - "$summary" "$archives" <<'PY'
import glob, json, sys, zipfile
summary, archives = json.loads(sys.argv[1]), sys.argv[2]
outcomes, followed = summary["outcomes"], summary.get("followed") or []
problems = []
if (outcomes["submitted"], outcomes["rejected"], outcomes["failed"]) != (7, 2, 0):
    problems.append(f"outcomes {outcomes}, expected 7 submitted, 2 rejected (the sample's), 0 failed")
if len(followed) != summary["jobs"] or any(job["status"] != "complete" for job in followed):
    problems.append(f"not every job completed: {[job['status'] for job in followed]}")
profiles = 0
for path in glob.glob(f"{archives}/*.zip"):
    profiles += len(json.loads(zipfile.ZipFile(path).read("campaign/profiles.json")))
if profiles < 2:
    problems.append(f"the access archives hold {profiles} profiles, expected the two known consumers'")
if problems:
    sys.exit("the privacy demo is wrong: " + "; ".join(problems))
print(f"privacy demo: {summary['requests']} requests, {summary['jobs']} jobs complete, {profiles} profiles in the archives")
PY
