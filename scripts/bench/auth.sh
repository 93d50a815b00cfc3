#!/usr/bin/env bash
# Benchmark of the core, the session every request reads: what reading the session from Redis costs on one replica,
# next to the same replica's cheapest endpoint that touches no Redis, and how long each
# service takes from start to ready. Prints figures; asserts nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bench_stack "${BENCH_SERVICES:-auth-service cart-service media-service report-worker}" --replicas 1
echo "== start-to-ready (one replica each, JVM mode, all started at once; Quarkus's own figure)"
for svc in $STACK_SERVICES; do
  printf '%-16s %s\n' "$svc" "$(grep -ho 'started in [0-9.]*s' "$STACK_DIR/logs/$svc-1.log" | tail -n1)"
done

BASE=http://127.0.0.1:$STACK_PORT
AUTH=$(auth_1 "$STACK_PORT_BASE")
sid=$(session_on "$BASE")

echo "== one auth-service replica, $BENCH_CONNECTIONS connections, $BENCH_DURATION each"
wrk_run "GET /q/health/live (no Redis)" "$AUTH/q/health/live"; base=$BENCH_RPS
wrk_run "GET /api/auth/me (session + user from Redis)" "$AUTH/api/auth/me" -H "Authorization: Bearer $sid"; me=$BENCH_RPS
echo "ratio me / no-Redis endpoint: $(ratio "$me" "$base")"
