#!/usr/bin/env bash
# The session hot path: what an authenticated read costs on one replica, next to the same
# endpoint read anonymously and next to the incident's sessions in replica memory
# (--stateful-demo). Two stacks run side by side, and the endpoints are measured in
# alternating rounds of one run (A B C D A B C D ...), so a noisy machine hits every side
# alike; medians and ratios are printed. Then the Redis writes that 500 authenticated reads
# cause. Prints figures; asserts nothing (the write count is asserted by SessionReadsIT).
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s scripts/bench/session.sh
#   BENCH_PROFILE=1 ...     also records JFR on each replica under load, prints its hot methods
#   STACK_REDIS_APPENDFSYNC=always|everysec   the stacks' Redis fsync policy
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DURATION=${BENCH_DURATION:-10s}
. "$ROOT/scripts/bench/wrk.sh"
. "$ROOT/scripts/lib/jdk.sh"
ROUNDS=${BENCH_ROUNDS:-3}
PROFILE=${BENCH_PROFILE:-0}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/bench-session.XXXXXX)}
mkdir -p "$OUT"

STATELESS_DIR=$(mktemp -d /tmp/bench-stack.XXXXXX)
DEMO_DIR=$(mktemp -d /tmp/bench-demo.XXXXXX)
STATELESS_BASE=${BENCH_PORT_BASE:-38000}
DEMO_BASE=$((STATELESS_BASE + 1000))
stack_a() { STACK_DIR=$STATELESS_DIR STACK_PORT_BASE=$STATELESS_BASE STACK_PORT=$((STATELESS_BASE + 80)) "$ROOT/stack" "$@"; }
stack_b() { STACK_DIR=$DEMO_DIR STACK_PORT_BASE=$DEMO_BASE STACK_PORT=$((DEMO_BASE + 80)) "$ROOT/stack" "$@"; }
trap 'stack_a down >/dev/null 2>&1; stack_b down >/dev/null 2>&1; rm -rf "$STATELESS_DIR" "$DEMO_DIR"' EXIT

STACK_SERVICES="auth-service cart-service" stack_a up --replicas 1 >/dev/null
STACK_SERVICES="auth-service" stack_b up --replicas 1 --stateful-demo >/dev/null

AUTH=http://127.0.0.1:$((STATELESS_BASE + 101))
CART=http://127.0.0.1:$((STATELESS_BASE + 201))
DEMO_AUTH=http://127.0.0.1:$((DEMO_BASE + 101))
REDIS_PORT=$((STATELESS_BASE + 379))

session_on() { # AUTH_URL: a fresh user's session token, logged in on that replica
  local email="bench-$RANDOM$RANDOM@example.org"
  curl -sf -X POST "$1/api/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"bench-password\",\"displayName\":\"Bench\"}" >/dev/null
  curl -sf -X POST "$1/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"bench-password\"}" | jq -r .sessionId
}
sid=$(session_on "$AUTH")
demo_sid=$(session_on "$DEMO_AUTH")

pid_in() { cat "$1/pids/$2.pid"; }   # STACK_DIR NAME

# name|url|stack dir|replica|wrk args (one string)
SIDES=(
  "products, anonymous|$CART/api/products|$STATELESS_DIR|cart-service-1|"
  "products, bearer (session from Redis)|$CART/api/products|$STATELESS_DIR|cart-service-1|Authorization: Bearer $sid"
  "/me, sessions in Redis|$AUTH/api/auth/me|$STATELESS_DIR|auth-service-1|Authorization: Bearer $sid"
  "/me, --stateful-demo (session in memory)|$DEMO_AUTH/api/auth/me|$DEMO_DIR|auth-service-1|Authorization: Bearer $demo_sid"
)

echo "== warm-up: every side once, ${BENCH_WARMUP:-5s}"
for side in "${SIDES[@]}"; do
  IFS='|' read -r label url _ _ header <<<"$side"
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP:-5s}" ${header:+-H "$header"} "$url" >/dev/null
done

declare -A RESULTS
echo "== $ROUNDS alternating rounds, one replica per side, $BENCH_CONNECTIONS connections, $BENCH_DURATION each" \
  "(Redis appendfsync ${STACK_REDIS_APPENDFSYNC:-always}; load: $(cut -d' ' -f1-3 /proc/loadavg))"
for ((round = 1; round <= ROUNDS; round++)); do
  for s in "${!SIDES[@]}"; do
    IFS='|' read -r label url dir replica header <<<"${SIDES[$s]}"
    jfr=
    if [[ $PROFILE == 1 && $round == 1 ]]; then
      jfr=$OUT/side-$s.jfr
      "$JAVA_HOME/bin/jcmd" "$(pid_in "$dir" "$replica")" JFR.start name=bench settings=profile filename="$jfr" >/dev/null
    fi
    wrk_run "r$round $label" "$url" ${header:+-H "$header"}
    RESULTS[$s]+="$BENCH_RPS "
    [[ -n $jfr ]] && "$JAVA_HOME/bin/jcmd" "$(pid_in "$dir" "$replica")" JFR.stop name=bench >/dev/null
  done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo "== medians"
declare -a MED
for s in "${!SIDES[@]}"; do
  MED[$s]=$(median <<<"${RESULTS[$s]}")
  printf '%-44s %10s req/s   (rounds: %s)\n' "${SIDES[$s]%%|*}" "${MED[$s]}" "${RESULTS[$s]% }"
done
echo "ratio products bearer / anonymous:      $(ratio "${MED[1]}" "${MED[0]}")   (target >= 0.7)"
echo "ratio /me Redis sessions / stateful demo: $(ratio "${MED[2]}" "${MED[3]}")   (target >= 0.85)"

changes() { redis-cli -p "$REDIS_PORT" info persistence | awk -F: '/^rdb_changes_since_last_save/ { print $2 + 0 }'; }
before=$(changes)
for ((i = 0; i < 500; i++)); do
  curl -sf -o /dev/null -H "Authorization: Bearer $sid" "$CART/api/products"
done
echo "== Redis writes caused by 500 authenticated GETs: $(($(changes) - before))   (target <= 10)"

if [[ $PROFILE == 1 ]]; then
  for s in "${!SIDES[@]}"; do
    echo "== JFR hot methods, round 1: ${SIDES[$s]%%|*} ($OUT/side-$s.jfr)"
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$OUT/side-$s.jfr" | sed -n '1,30p'
  done
fi
