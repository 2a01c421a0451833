#!/usr/bin/env bash
# Rust checks: formatting, clippy (warnings are errors), every crate's tests, and the core on wasm32.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "rustfmt"
cargo fmt --all --check

step "clippy"
cargo clippy --workspace --all-targets --features ccpa-optout/reqwest -- -D warnings

step "tests"
cargo test --workspace --features ccpa-optout/reqwest

step "core builds for wasm32-unknown-unknown without features"
ensure_wasm_target
cargo check -p ccpa-optout --target wasm32-unknown-unknown
