#!/usr/bin/env bash
# Redis persistence on evidence: the same stack twice, side by side, one Redis with
# appendfsync always, one with everysec, measured in alternating rounds of one run on a write
# (PUT a cart line: one Lua script that writes) and a read (GET the cart with a session).
# Medians and the ratio everysec / always. Prints figures; asserts nothing.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s scripts/bench/fsync.sh
set -euo pipefail
BENCH_DURATION=${BENCH_DURATION:-10s}
. "$(dirname "$0")/lib.sh"
ROUNDS=${BENCH_ROUNDS:-3}

ALWAYS=${BENCH_PORT_BASE:-38000} EVERYSEC=$((ALWAYS + 1000))
STACK_REDIS_APPENDFSYNC=always STACK_SERVICES="auth-service cart-service" side_stack "$ALWAYS" up --replicas 1 >/dev/null
STACK_REDIS_APPENDFSYNC=everysec STACK_SERVICES="auth-service cart-service" side_stack "$EVERYSEC" up --replicas 1 >/dev/null

put_script

declare -A SID
for base in "$ALWAYS" "$EVERYSEC"; do
  SID[$base]=$(session_on "$(auth_1 "$base")")
  cart_line_on "$(cart_1 "$base")" "${SID[$base]}"
done

# name|port base|path|extra wrk args
SIDES=(
  "PUT cart line, always|$ALWAYS|/api/cart/items/$BENCH_SKU|-s $PUT_SCRIPT"
  "PUT cart line, everysec|$EVERYSEC|/api/cart/items/$BENCH_SKU|-s $PUT_SCRIPT"
  "GET cart, always|$ALWAYS|/api/cart|"
  "GET cart, everysec|$EVERYSEC|/api/cart|"
)
echo "== warm-up: every side once, ${BENCH_WARMUP:-10s}"
for side in "${SIDES[@]}"; do
  IFS='|' read -r label base path extra <<<"$side"
  # shellcheck disable=SC2086 # extra is word-split on purpose
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP:-10s}" -H "Authorization: Bearer ${SID[$base]}" $extra \
    "http://127.0.0.1:$((base + 201))$path" >/dev/null
done
declare -A RESULTS
echo "== $ROUNDS alternating rounds on cart-service-1 of each stack, $BENCH_CONNECTIONS connections, $BENCH_DURATION each" \
  "(load: $(cut -d' ' -f1-3 /proc/loadavg); Redis data on $(df --output=source,fstype "$(side_dir "$ALWAYS")" | tail -1))"
for ((round = 1; round <= ROUNDS; round++)); do
  for s in "${!SIDES[@]}"; do
    IFS='|' read -r label base path extra <<<"${SIDES[$s]}"
    # shellcheck disable=SC2086 # extra is word-split on purpose
    wrk_run "r$round $label" "http://127.0.0.1:$((base + 201))$path" -H "Authorization: Bearer ${SID[$base]}" $extra
    RESULTS[$s]+="$BENCH_RPS "
  done
done

print_medians
echo "ratio everysec / always: writes $(ratio "${MED[1]}" "${MED[0]}"), reads $(ratio "${MED[3]}" "${MED[2]}")"
