#!/usr/bin/env bash
# What a replica's confirmation of every acknowledged write costs: two ./stack up --ha stacks side by
# side (a Redis primary, 2 replicas and 3 Sentinels each), one whose services wait for 1 replica after
# each write (Redis WAIT on the writing connection, what --ha runs), one whose services do not
# (STACK_REDIS_WRITE_REPLICAS=0). Alternating rounds on cart-service-1 of each:
#   - a cart change: PUT a line (one Lua write), as in fsync.sh;
#   - a checkout: on one connection per user, a PUT of a line and then a checkout with a new
#     Idempotency-Key, strictly in turn (so that no checkout finds an empty cart);
#   - a cart read (GET /api/cart), which is shown only once a replica has what it saw.
# Medians and the ratio with / without. Prints figures; asserts nothing.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s scripts/bench/wait.sh
set -euo pipefail
BENCH_DURATION=${BENCH_DURATION:-10s}
. "$(dirname "$0")/lib.sh"

WAITS=${BENCH_PORT_BASE:-38000} NOWAIT=$((WAITS + 1000))
CHECKOUT_USERS=${BENCH_CHECKOUT_USERS:-8}
STACK_SERVICES="auth-service cart-service" side_stack "$WAITS" up --ha --replicas 1 >/dev/null
STACK_REDIS_WRITE_REPLICAS=0 STACK_SERVICES="auth-service cart-service" side_stack "$NOWAIT" up --ha --replicas 1 >/dev/null

put_script

# checkout_script BASE: a wrk script for the stack on BASE, one user of its own per thread (connection)
checkout_script() {
  local base=$1 file tokens=() i
  file=$(mktemp --suffix=.lua)
  at_exit "rm -f '$file'"
  for ((i = 0; i < CHECKOUT_USERS; i++)); do tokens+=("\"$(session_on "$(auth_1 "$base")")\""); done
  cat >"$file" <<LUA
local tokens = {$(IFS=,; echo "${tokens[*]}")}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("sid", tokens[(threads - 1) % #tokens + 1])
  thread:set("tid", threads)
end
local n = 0
function request()
  n = n + 1
  local headers = { ["Authorization"] = "Bearer " .. sid, ["Content-Type"] = "application/json" }
  if n % 2 == 1 then
    return wrk.format("PUT", "/api/cart/items/$BENCH_SKU", headers, '{"quantity":1}')
  end
  headers["Idempotency-Key"] = "bench-" .. tid .. "-" .. n .. "-" .. math.random(1000000000)
  return wrk.format("POST", "/api/cart/checkout", headers, "")
end
LUA
  echo "$file"
}

declare -A SID CHECKOUT
for base in "$WAITS" "$NOWAIT"; do
  SID[$base]=$(session_on "$(auth_1 "$base")")
  cart_line_on "$(cart_1 "$base")" "${SID[$base]}"
  CHECKOUT[$base]=$(checkout_script "$base")
done

one_per_user="-t$CHECKOUT_USERS -c$CHECKOUT_USERS"
# label|url|port base|replica|header|wrk args (alternate_rounds)
SIDES=(
  "PUT cart line, WAIT 1|$(cart_1 "$WAITS")/api/cart/items/$BENCH_SKU|$WAITS|cart-service-1|Authorization: Bearer ${SID[$WAITS]}|-s $PUT_SCRIPT"
  "PUT cart line, no WAIT|$(cart_1 "$NOWAIT")/api/cart/items/$BENCH_SKU|$NOWAIT|cart-service-1|Authorization: Bearer ${SID[$NOWAIT]}|-s $PUT_SCRIPT"
  "PUT + checkout, WAIT 1|$(cart_1 "$WAITS")/|$WAITS|cart-service-1||$one_per_user -s ${CHECKOUT[$WAITS]}"
  "PUT + checkout, no WAIT|$(cart_1 "$NOWAIT")/|$NOWAIT|cart-service-1||$one_per_user -s ${CHECKOUT[$NOWAIT]}"
  "GET cart, WAIT 1|$(cart_1 "$WAITS")/api/cart|$WAITS|cart-service-1|Authorization: Bearer ${SID[$WAITS]}|"
  "GET cart, no WAIT|$(cart_1 "$NOWAIT")/api/cart|$NOWAIT|cart-service-1|Authorization: Bearer ${SID[$NOWAIT]}|"
)
alternate_rounds "on cart-service-1 of each stack (PUT: $BENCH_CONNECTIONS connections; PUT + checkout: $CHECKOUT_USERS users, one connection each)"

print_medians
echo "ratio WAIT 1 / no WAIT: cart change $(ratio "${MED[0]}" "${MED[1]}"), PUT + checkout $(ratio "${MED[2]}" "${MED[3]}"), cart read $(ratio "${MED[4]}" "${MED[5]}")"
for base in "$WAITS" "$NOWAIT"; do
  echo "redis primary of the stack on $base: $(STACK_DIR=$(side_dir "$base") STACK_PORT_BASE=$base bash -c '. "$0/scripts/lib/common.sh"; . "$0/scripts/lib/redis.sh"; stack_redis_cli info commandstats' "$ROOT" | tr -d '\r' | grep -E '^cmdstat_(wait|evalsha):' | tr '\n' ' ')"
done
