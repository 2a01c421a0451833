#!/usr/bin/env bash
# The README's test command: every check and test of every part, set-up included. Each part is
# also a script of its own (scripts/test-*.sh) that runs alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
started=$SECONDS

# One throwaway PostgreSQL cluster (target/postgres) for every part that needs one, stopped at
# the end however the run ends.
step "PostgreSQL (Debian's, installed when missing): a throwaway cluster under target/postgres"
CCPA_TEST_POSTGRES=$(bash scripts/postgres.sh start)
export CCPA_TEST_POSTGRES
trap 'bash scripts/postgres.sh stop || true' EXIT

bash scripts/test-rust.sh
bash scripts/test-receiver.sh
bash scripts/test-python.sh
bash scripts/test-js.sh
bash scripts/test-uniffi.sh
bash scripts/test-hardening.sh
bash scripts/test-secrets.sh
bash scripts/test-demo.sh

echo
echo "All tests passed in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s."
