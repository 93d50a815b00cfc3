#!/usr/bin/env bash
# The session hot path: what an authenticated read costs on one replica, next to the same
# endpoint read anonymously, next to the incident's sessions in replica memory
# (--stateful-demo), and next to the same stack with its near cache off (every read asks
# Redis). Three stacks run side by side, and the endpoints are measured in alternating rounds
# of one run (A B C D E F A B ...), so a noisy machine hits every side alike; medians and
# ratios are printed. Then the Redis writes that 500 authenticated reads cause, with and
# without the near cache. Prints figures; asserts nothing (SessionReadsIT asserts the writes).
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s scripts/bench/session.sh
#   BENCH_PROFILE=1 ...     also records JFR on each replica under load, prints its hot methods
#   STACK_REDIS_APPENDFSYNC=always|everysec   the stacks' Redis fsync policy
set -euo pipefail
BENCH_DURATION=${BENCH_DURATION:-10s}
BENCH_WARMUP=${BENCH_WARMUP:-5s}
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib/jdk.sh"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/bench-session.XXXXXX)}
mkdir -p "$OUT"

CACHED=${BENCH_PORT_BASE:-38000} DEMO=$((CACHED + 1000)) UNCACHED=$((CACHED + 2000))
STACK_SERVICES="auth-service cart-service" side_stack "$CACHED" up --replicas 1 >/dev/null
STACK_SERVICES="auth-service" side_stack "$DEMO" up --replicas 1 --stateful-demo >/dev/null
CLONES_NEAR_CACHE_ENABLED=false STACK_SERVICES="auth-service cart-service" side_stack "$UNCACHED" up --replicas 1 >/dev/null

sid=$(session_on "$(auth_1 "$CACHED")")
demo_sid=$(session_on "$(auth_1 "$DEMO")")
uncached_sid=$(session_on "$(auth_1 "$UNCACHED")")

# label|url|port base|replica|header (alternate_rounds)
SIDES=(
  "products, anonymous|$(cart_1 "$CACHED")/api/products|$CACHED|cart-service-1|"
  "products, bearer (sessions in Redis)|$(cart_1 "$CACHED")/api/products|$CACHED|cart-service-1|Authorization: Bearer $sid"
  "/me, sessions in Redis|$(auth_1 "$CACHED")/api/auth/me|$CACHED|auth-service-1|Authorization: Bearer $sid"
  "/me, --stateful-demo (session in memory)|$(auth_1 "$DEMO")/api/auth/me|$DEMO|auth-service-1|Authorization: Bearer $demo_sid"
  "products, bearer, near cache off|$(cart_1 "$UNCACHED")/api/products|$UNCACHED|cart-service-1|Authorization: Bearer $uncached_sid"
  "/me, near cache off|$(auth_1 "$UNCACHED")/api/auth/me|$UNCACHED|auth-service-1|Authorization: Bearer $uncached_sid"
)

alternate_rounds "one replica per side (Redis appendfsync ${STACK_REDIS_APPENDFSYNC:-everysec})"

print_medians
echo "ratio products bearer / anonymous:      $(ratio "${MED[1]}" "${MED[0]}")   (target >= 0.7)"
echo "ratio /me Redis sessions / stateful demo: $(ratio "${MED[2]}" "${MED[3]}")   (target >= 0.85)"
echo "near cache off: bearer / anonymous $(ratio "${MED[4]}" "${MED[0]}"), /me / stateful demo $(ratio "${MED[5]}" "${MED[3]}")"

writes_of_500_reads() { # PORT_BASE SID
  local before i
  before=$(redis_writes "$1")
  for ((i = 0; i < 500; i++)); do
    curl -sf -o /dev/null -H "Authorization: Bearer $2" "$(cart_1 "$1")/api/products"
  done
  echo $(($(redis_writes "$1") - before))
}
echo "== Redis writes caused by 500 authenticated GETs (target <= 10):" \
  "$(writes_of_500_reads "$CACHED" "$sid") with the near cache, $(writes_of_500_reads "$UNCACHED" "$uncached_sid") without"

print_hot_methods 30
