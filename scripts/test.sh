#!/usr/bin/env bash
# The README's test command: every check and test of every part, set-up included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-rust.sh
echo
echo "All tests passed."
