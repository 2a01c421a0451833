#!/usr/bin/env bash
# Benchmark of `ccpa-optout bulk` against the local emulator (release builds):
#   1. the emulator's own request rate for the CLI's request mix (wrk: GET byEmail + PATCH),
#   2. rows/s of `bulk` on 100,000 rows, and its HTTP request rate as a share of (1),
#   3. peak RSS of `bulk` on a 1,000,000-row file (/usr/bin/time -v).
# Optional: `--sweep` first measures rows/s at several --concurrency values (50,000 rows each).
# Inputs and logs go to target/bench-cli/. Needs wrk and GNU time (installed from Debian if missing).
# scripts/bench.sh runs the same pieces (scripts/bench/bulk.sh) with repeats, beside a Python loop.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/bulk.sh

SWEEP=0
[[ "${1:-}" == "--sweep" ]] && SWEEP=1
CONCURRENCY=${BENCH_CONCURRENCY:-}
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
OUT=target/bench-cli
mkdir -p "$OUT"

bench_need wrk:wrk time:/usr/bin/time

step "release builds"
bulk_build

step "inputs: $ROWS rows and $BIG_ROWS rows (seed emails)"
bulk_input "$ROWS" "$ROWS" "$OUT/requests-$ROWS.csv"
bulk_input "$BIG_ROWS" "$ROWS" "$OUT/requests-$BIG_ROWS.csv"
ls -l "$OUT"/requests-*.csv | awk '{print "  " $5 " bytes  " $9}'

step "emulator with $ROWS seed profiles"
trap stop_emulators EXIT
start_emulator "${TMPDIR:-/tmp}/bench-emulator-$$" target/release/acs-emulator --seed "$ROWS" --fault-seed 1
echo "  $EMULATOR_URL"

if ((SWEEP)); then
  step "concurrency sweep (50,000 rows each, fresh emulator state)"
  bulk_input 50000 "$ROWS" "$OUT/requests-sweep.csv"
  for c in 1 4 8 16 32 64 128; do
    read -r rate http _ < <(bulk_run "$OUT/requests-sweep.csv" "$c" "$OUT" "sweep-$c")
    printf '  --concurrency %-4s %6s rows/s  %6s HTTP requests/s\n' "$c" "$rate" "$http"
  done
fi

CONCURRENCY=${CONCURRENCY:-$(bulk_default_concurrency)}

step "baseline: the emulator alone, wrk, GET byEmail + PATCH alternating, $CONCURRENCY connections, ${WRK_SECONDS}s"
bulk_mix_lua "$OUT/mix.lua"
EMULATOR_RATE=$(bulk_ceiling "$CONCURRENCY" "$WRK_SECONDS" "$OUT/mix.lua" "$OUT/wrk.txt")
grep -E "Requests/sec|Latency" "$OUT/wrk.txt" | sed 's/^/  /'

step "bulk: $ROWS rows, --concurrency $CONCURRENCY (fresh emulator state)"
read -r RATE HTTP_RATE RECORDS _ < <(bulk_run "$OUT/requests-$ROWS.csv" "$CONCURRENCY" "$OUT" "$ROWS")
python3 - "$OUT/summary-$ROWS.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("  outcomes:", ", ".join(f"{k} {v}" for k, v in s["outcomes"].items()), f"in {s['elapsedSeconds']:.1f} s")
PY

step "peak memory: bulk on $BIG_ROWS rows (emails cycle over $ROWS profiles)"
read -r BIG_RATE _ _ < <(bulk_run "$OUT/requests-$BIG_ROWS.csv" "$CONCURRENCY" "$OUT" big "$OUT/time-big.txt")
PEAK_KB=$(bulk_peak_kb "$OUT/time-big.txt")

step "results"
printf '  bulk, %s rows:          %s rows/s (%s HTTP requests/s, %s audit records)\n' "$ROWS" "$RATE" "$HTTP_RATE" "$RECORDS"
printf '  emulator alone (wrk):   %s requests/s for the same mix\n' "$EMULATOR_RATE"
python3 -c "import sys; print(f'  bulk uses {100*int(sys.argv[1])/int(sys.argv[2]):.0f}% of the emulator\'s request rate')" "$HTTP_RATE" "$EMULATOR_RATE"
printf '  bulk, %s rows:        peak RSS %s MB (%s rows/s)\n' "$BIG_ROWS" "$((PEAK_KB / 1024))" "$BIG_RATE"
