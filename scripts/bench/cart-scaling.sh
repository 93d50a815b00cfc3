#!/usr/bin/env bash
# Throughput of GET /api/cart through the load balancer with 1, 2 and 3 replicas of
# cart-service at saturation (the scaling figures of docs/proof.md), and where the CPU went
# during each run, to say what the bottleneck is: the replicas, Redis (one thread), HAProxy or
# the machine.
# Prints figures; asserts nothing.
#
#   scripts/bench/cart-scaling.sh            BENCH_REPLICAS="1 2 3" BENCH_DURATION=15s
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bench_stack "auth-service cart-service" --replicas 1

BASE=http://127.0.0.1:$STACK_PORT
sid=$(session_on "$BASE")
cart_line_on "$BASE" "$sid"

cpu_ticks() { # PID...: user+system clock ticks so far
  local pid total=0 stat
  for pid; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
pids_of() { local n; for n; do cat "$STACK_DIR/pids/$n.pid" 2>/dev/null; done; }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }   # all but idle and iowait

printf '%-9s %10s %9s %9s   CPU during the run (%% of one core; the machine has %d)\n' replicas req/s p50 p99 "$(nproc)"
for n in ${BENCH_REPLICAS:-1 2 3}; do
  "$ROOT/stack" scale cart-service "$n" >/dev/null
  carts=($(for ((i = 1; i <= n; i++)); do pids_of "cart-service-$i"; done))
  redis=$(pids_of redis) haproxy=($(pgrep -f "haproxy -W -f $STACK_DIR/haproxy/haproxy.cfg"))
  c0=$(cpu_ticks "${carts[@]}") r0=$(cpu_ticks "$redis") h0=$(cpu_ticks "${haproxy[@]}") m0=$(machine_ticks) t0=$(date +%s%N)
  out=$(wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency -H "Authorization: Bearer $sid" "$BASE/api/cart")
  t1=$(date +%s%N) m1=$(machine_ticks)
  c1=$(cpu_ticks "${carts[@]}") r1=$(cpu_ticks "$redis") h1=$(cpu_ticks "${haproxy[@]}")
  hz=$(getconf CLK_TCK)
  pct() { awk -v t="$1" -v hz="$hz" -v ns="$((t1 - t0))" 'BEGIN { printf "%3.0f%%", 100 * t / hz / (ns / 1e9) }'; }
  printf '%-9s %10s %9s %9s   cart %s  redis %s  haproxy %s  whole machine %s (wrk and the rest: the difference)\n' "$n" \
    "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(pct $((c1 - c0)))" "$(pct $((r1 - r0)))" "$(pct $((h1 - h0)))" "$(pct $((m1 - m0)))"
done
