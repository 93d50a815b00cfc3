# wrk helpers for the benchmarks: one line of figures per endpoint. Sourced.
# Figures are printed, never asserted: a benchmark measures, tests prove behaviour.

BENCH_DURATION=${BENCH_DURATION:-15s}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
BENCH_THREADS=${BENCH_THREADS:-2}

# wrk_run LABEL URL [extra wrk args...] -> prints "LABEL  req/s  p50  p99" and sets BENCH_RPS
wrk_run() {
  local label=$1 url=$2 out rps p50 p99 errors
  shift 2
  out=$(wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency "$@" "$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  printf '%-44s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
  BENCH_RPS=$rps
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

