#!/usr/bin/env bash
# The quick hardening checks of the README's test command (about 1.5 minutes once the tools are
# installed; installing the pinned cargo-deny takes about 4 more on a fresh machine):
#   - supply chain: cargo deny over Cargo.lock with the policy in deny.toml (licences, bans and
#     sources offline; advisories when the RustSec database can be fetched);
#   - fuzzing: every cargo-fuzz target replays its committed seeds (every input that once
#     failed is among them) and then fuzzes for a few seconds.
# The hardening tests themselves (tests/vectors/hostile.json, bulk under faults, kill and
# resume, emulator kill -9) run at a small size inside `cargo test` (scripts/test-rust.sh);
# scripts/harden.sh runs everything at full size.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/lib-harden.sh
SECONDS_PER_TARGET=${FUZZ_SECONDS:-5}

step "supply chain: cargo deny $CARGO_DENY_VERSION"
supply_chain_check

step "fuzz targets: seeds, then ${SECONDS_PER_TARGET} s each"
ensure_fuzz_tools
mkdir -p target/harden-logs
(cd fuzz && cargo +nightly fuzz build -O)
for target in "${FUZZ_TARGETS[@]}"; do
  fuzz_target "$target" "$SECONDS_PER_TARGET" "target/harden-logs/fuzz-$target.log"
done
