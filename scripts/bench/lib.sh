# Pieces shared by scripts/bench.sh and the per-part scripts/bench-*.sh (sourced, not run;
# the caller has sourced scripts/lib.sh and cd'ed to the repository root).

# Installs the Debian packages given when their command is missing: `bench_need wrk:wrk time:/usr/bin/time`.
bench_need() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair#*:}" >/dev/null || missing+=("${pair%%:*}")
  done
  ((${#missing[@]})) || return 0
  step "installing ${missing[*]} from Debian"
  local sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Emulators started by bench_start_emulator; bench_stop_emulators (put it in an EXIT trap) ends them.
BENCH_EMULATOR_PIDS=()

# Starts the release emulator (target/release/acs-emulator) on a free port with the flags given,
# waits for the base URL it prints and sets BENCH_URL to it.
bench_start_emulator() {
  local log
  log=$(mktemp)
  target/release/acs-emulator --port 0 "$@" >"$log" 2>/dev/null &
  BENCH_EMULATOR_PIDS+=($!)
  BENCH_URL=""
  for _ in $(seq 300); do
    BENCH_URL=$(head -n 1 "$log" 2>/dev/null || true)
    [[ "$BENCH_URL" == http* ]] && break
    sleep 0.1
  done
  rm -f "$log"
  [[ "$BENCH_URL" == http* ]] || { echo "the emulator did not start" >&2; return 1; }
}

bench_stop_emulators() {
  local pid
  for pid in "${BENCH_EMULATOR_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  BENCH_EMULATOR_PIDS=()
}

# A fresh virtual environment VENV with the wheel built from bindings-python (into WHEELS) and
# the extra PyPI packages given; sets BENCH_WHEEL to the wheel's path.
bench_python_venv() {
  local venv=$1 wheels=$2
  shift 2
  rm -rf "$venv" "$wheels"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$wheels" ./bindings-python
  BENCH_WHEEL=$(ls "$wheels"/ccpa_optout-*.whl)
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$BENCH_WHEEL" "$@"
}

# Seconds since the epoch, with nanoseconds.
bench_now() { date +%s.%N; }
