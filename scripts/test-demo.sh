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
for line in "applied" "rejected          6" "failed            0" "audit log:"; do
  if ! grep -q -- "$line" <<<"$output"; then
    echo "the summary lacks \"$line\"" >&2
    exit 1
  fi
done
