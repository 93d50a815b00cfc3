#!/usr/bin/env bash
# JVM settings for many JVMs on few cores: the same auth + cart pair (one replica each) started
# side by side under several JVM settings, then the same authenticated reads against each in
# alternating rounds of one run (A B C D A B ...). Per side and round: req/s of one replica
# under wrk, the replica's own CPU µs per request (/proc utime + stime), and its GC time per
# 1,000 requests (jstat); after the rounds: resident memory, peak resident memory and threads
# of each replica, and the time a restarted cart replica takes to be ready. Medians are printed.
# Prints figures; asserts nothing.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s scripts/bench/jvm.sh
set -euo pipefail
BENCH_DURATION=${BENCH_DURATION:-10s}
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib/jdk.sh"
ROUNDS=${BENCH_ROUNDS:-3}
FIRST=${BENCH_PORT_BASE:-20000}

# label|STACK_JAVA_OPTS|extra environment (NAME=value ...)
VARIANTS=(
  "G1 (the JVM's choice), 4 event loops|-Xmx256m|"
  "Serial GC|-Xmx256m -XX:+UseSerialGC|"
  "Serial GC, 2 event loops|-Xmx256m -XX:+UseSerialGC|QUARKUS_VERTX_EVENT_LOOPS_SIZE=2"
  "Serial GC, C1 only|-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1|"
)
base_of() { echo $((FIRST + 1000 * $1)); } # variant index -> its stack's port base

echo "== starting ${#VARIANTS[@]} stacks (auth-service + cart-service, 1 replica each)"
for v in "${!VARIANTS[@]}"; do
  IFS='|' read -r label opts extra <<<"${VARIANTS[$v]}"
  base=$(base_of "$v")
  SIDE_STACK_DIRS[$base]=$(mktemp -d "/tmp/bench-stack-$base.XXXXXX") # made here: the subshell's would be lost
  # shellcheck disable=SC2086 # extra is a list of NAME=value
  (export $extra STACK_JAVA_OPTS="$opts" STACK_SERVICES="auth-service cart-service"; side_stack "$base" up --replicas 1 >/dev/null)
done

declare -a SIDS
for v in "${!VARIANTS[@]}"; do SIDS[$v]=$(session_on "$(auth_1 "$(base_of "$v")")"); done

gc_seconds() { "$JAVA_HOME/bin/jstat" -gcutil "$1" | awk 'NR == 2 { print $NF }'; } # PID -> total GC time
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }         # PID FIELD -> value

# endpoint label|replica|url path
ENDPOINTS=(
  "GET /api/products, bearer|cart-service-1|/api/products"
  "GET /api/auth/me|auth-service-1|/api/auth/me"
)
url_of() { # variant endpoint -> URL
  local replica path
  IFS='|' read -r _ replica path <<<"${ENDPOINTS[$2]}"
  if [[ $replica == cart-* ]]; then echo "$(cart_1 "$(base_of "$1")")$path"; else echo "$(auth_1 "$(base_of "$1")")$path"; fi
}

echo "== warm-up: every side once, ${BENCH_WARMUP:-10s}"
for v in "${!VARIANTS[@]}"; do
  for e in "${!ENDPOINTS[@]}"; do
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP:-10s}" -H "Authorization: Bearer ${SIDS[$v]}" "$(url_of "$v" "$e")" >/dev/null
  done
done

declare -A RPS CPU GC
echo "== $ROUNDS alternating rounds, $BENCH_CONNECTIONS connections, $BENCH_DURATION each (load: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-52s %10s %9s %12s\n' "side" "req/s" "µs/req" "GC ms/1k req"
for ((round = 1; round <= ROUNDS; round++)); do
  for e in "${!ENDPOINTS[@]}"; do
    IFS='|' read -r elabel replica _ <<<"${ENDPOINTS[$e]}"
    for v in "${!VARIANTS[@]}"; do
      pid=$(side_pid "$(base_of "$v")" "$replica")
      ticks=$(ticks_of "$pid") gc=$(gc_seconds "$pid")
      out=$(wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" -H "Authorization: Bearer ${SIDS[$v]}" "$(url_of "$v" "$e")")
      requests=$(awk '/requests in/ { print $1 }' <<<"$out")
      rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
      cpu=$(awk -v t="$(($(ticks_of "$pid") - ticks))" -v us="$TICK_US" -v n="$requests" 'BEGIN { printf "%.0f", t * us / n }')
      gcms=$(awk -v a="$gc" -v b="$(gc_seconds "$pid")" -v n="$requests" 'BEGIN { printf "%.2f", (b - a) * 1e6 / n }')
      printf '%-52s %10s %9s %12s\n' "r$round $elabel, ${VARIANTS[$v]%%|*}" "$rps" "$cpu" "$gcms"
      RPS[$e,$v]+="$rps " CPU[$e,$v]+="$cpu " GC[$e,$v]+="$gcms "
    done
  done
done

echo "== medians (ratio: req/s against the first side)"
for e in "${!ENDPOINTS[@]}"; do
  first=$(median <<<"${RPS[$e,0]}")
  for v in "${!VARIANTS[@]}"; do
    rps=$(median <<<"${RPS[$e,$v]}")
    printf '%-52s %10s %9s %12s   ratio %s\n' "${ENDPOINTS[$e]%%|*}, ${VARIANTS[$v]%%|*}" "$rps" \
      "$(median <<<"${CPU[$e,$v]}")" "$(median <<<"${GC[$e,$v]}")" "$(ratio "$rps" "$first")"
  done
done

echo "== memory and threads after the rounds"
printf '%-52s %10s %10s %8s\n' "replica" "RSS MiB" "peak MiB" "threads"
for v in "${!VARIANTS[@]}"; do
  for replica in auth-service-1 cart-service-1; do
    pid=$(side_pid "$(base_of "$v")" "$replica")
    printf '%-52s %10d %10d %8d\n' "$replica, ${VARIANTS[$v]%%|*}" $(($(status_kb "$pid" VmRSS) / 1024)) \
      $(($(status_kb "$pid" VmHWM) / 1024)) "$(status_kb "$pid" Threads)"
  done
done

echo "== start to ready of cart-service-1, restarted (one each, after the rounds)"
for v in "${!VARIANTS[@]}"; do
  IFS='|' read -r label opts extra <<<"${VARIANTS[$v]}"
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  (export $extra STACK_JAVA_OPTS="$opts" STACK_SERVICES="auth-service cart-service"; side_stack "$(base_of "$v")" restart cart-service 1 >/dev/null)
  printf '%-52s %8d ms\n' "$label" $((($(date +%s%N) - start) / 1000000))
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
