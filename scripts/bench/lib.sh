# Pieces shared by scripts/bench.sh and the per-part scripts/bench/*.sh (sourced, not run,
# from the repository root; it brings scripts/lib.sh with it).
source scripts/lib.sh

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
