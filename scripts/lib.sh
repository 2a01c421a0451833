# Shared helpers for the scripts in this folder (sourced, not run, from the repository root).

# The repository root as an absolute path, for steps that cd elsewhere.
ROOT=$PWD

# Prints a visible step header.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Installs the wasm32 target into the active toolchain when it is missing (seconds on a fresh machine).
ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
}

# start_emulator LOGS BINARY ARGS...: starts an acs-emulator binary on a free port (stdout and
# stderr in LOGS.stdout and LOGS.stderr), waits for the base URL it prints first and sets
# EMULATOR_URL; stop_emulators stops every one started so far. The one launcher of the scripts.
EMULATOR_PIDS=()
start_emulator() {
  local logs=$1 binary=$2
  shift 2
  "$binary" --port 0 "$@" >"$logs.stdout" 2>"$logs.stderr" &
  EMULATOR_PIDS+=($!)
  EMULATOR_URL=""
  for _ in $(seq 300); do
    EMULATOR_URL=$(head -n 1 "$logs.stdout" 2>/dev/null || true)
    [[ "$EMULATOR_URL" == http* ]] && return 0
    sleep 0.1
  done
  echo "the emulator did not start: $(tail -n 5 "$logs.stderr" 2>/dev/null)" >&2
  return 1
}

stop_emulators() {
  local pid
  for pid in "${EMULATOR_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  EMULATOR_PIDS=()
}

# npm_pack DIR: packs bindings-wasm/pkg (as built by build-js.sh) into DIR, an absolute path,
# after removing older tarballs there, and prints the tarball's file name.
npm_pack() {
  mkdir -p "$1"
  rm -f "$1"/ccpa-optout-*.tgz
  (cd bindings-wasm/pkg && npm pack --silent --pack-destination "$1")
}
