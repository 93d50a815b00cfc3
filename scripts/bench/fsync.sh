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

ALWAYS=${BENCH_PORT_BASE:-38000} EVERYSEC=$((ALWAYS + 1000))
STACK_REDIS_APPENDFSYNC=always STACK_SERVICES="auth-service cart-service" side_stack "$ALWAYS" up --replicas 1 >/dev/null
STACK_REDIS_APPENDFSYNC=everysec STACK_SERVICES="auth-service cart-service" side_stack "$EVERYSEC" up --replicas 1 >/dev/null

put_script

declare -A SID
for base in "$ALWAYS" "$EVERYSEC"; do
  SID[$base]=$(session_on "$(auth_1 "$base")")
  cart_line_on "$(cart_1 "$base")" "${SID[$base]}"
done

# label|url|port base|replica|header|wrk args (alternate_rounds)
SIDES=(
  "PUT cart line, always|$(cart_1 "$ALWAYS")/api/cart/items/$BENCH_SKU|$ALWAYS|cart-service-1|Authorization: Bearer ${SID[$ALWAYS]}|-s $PUT_SCRIPT"
  "PUT cart line, everysec|$(cart_1 "$EVERYSEC")/api/cart/items/$BENCH_SKU|$EVERYSEC|cart-service-1|Authorization: Bearer ${SID[$EVERYSEC]}|-s $PUT_SCRIPT"
  "GET cart, always|$(cart_1 "$ALWAYS")/api/cart|$ALWAYS|cart-service-1|Authorization: Bearer ${SID[$ALWAYS]}|"
  "GET cart, everysec|$(cart_1 "$EVERYSEC")/api/cart|$EVERYSEC|cart-service-1|Authorization: Bearer ${SID[$EVERYSEC]}|"
)
alternate_rounds "on cart-service-1 of each stack (Redis data on $(df --output=source,fstype "$(side_dir "$ALWAYS")" | tail -1))"

print_medians
echo "ratio everysec / always: writes $(ratio "${MED[1]}" "${MED[0]}"), reads $(ratio "${MED[3]}" "${MED[2]}")"
