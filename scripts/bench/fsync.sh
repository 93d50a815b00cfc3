#!/usr/bin/env bash
# Redis persistence on evidence: the same stack twice, side by side, one Redis with
# appendfsync always, one with everysec, measured in alternating rounds of one run on a write
# (PUT a cart line: one Lua script that writes) and a read (GET the cart with a session).
# Medians and the ratio everysec / always. Prints figures; asserts nothing.
#
#   BENCH_ROUNDS=3 BENCH_DURATION=10s scripts/bench/fsync.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DURATION=${BENCH_DURATION:-10s}
. "$ROOT/scripts/bench/wrk.sh"
. "$ROOT/scripts/bench/side-stacks.sh"
ROUNDS=${BENCH_ROUNDS:-3}
SKU=TEA-SENCHA-100

ALWAYS=${BENCH_PORT_BASE:-38000} EVERYSEC=$((ALWAYS + 1000))
STACK_REDIS_APPENDFSYNC=always STACK_SERVICES="auth-service cart-service" side_stack "$ALWAYS" up --replicas 1 >/dev/null
STACK_REDIS_APPENDFSYNC=everysec STACK_SERVICES="auth-service cart-service" side_stack "$EVERYSEC" up --replicas 1 >/dev/null

# Alternates the quantity so that every PUT really writes (a PUT of the same quantity is a no-op).
put_script=$(mktemp --suffix=.lua)
trap 'rm -f "$put_script"; side_stacks_down' EXIT
cat >"$put_script" <<LUA
local n = 0
request = function()
  n = n + 1
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
  return wrk.format("PUT", "/api/cart/items/$SKU", headers, '{"quantity":' .. (n % 2 + 1) .. '}')
end
LUA

declare -A SID
for base in "$ALWAYS" "$EVERYSEC"; do
  SID[$base]=$(session_on "http://127.0.0.1:$((base + 101))")
  curl -sf -X POST "http://127.0.0.1:$((base + 201))/api/cart/items" -H "Authorization: Bearer ${SID[$base]}" \
    -H 'content-type: application/json' -d "{\"sku\":\"$SKU\",\"quantity\":1}" >/dev/null
done

# name|port base|path|extra wrk args
SIDES=(
  "PUT cart line, always|$ALWAYS|/api/cart/items/$SKU|-s $put_script"
  "PUT cart line, everysec|$EVERYSEC|/api/cart/items/$SKU|-s $put_script"
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

echo "== medians"
declare -a MED
for s in "${!SIDES[@]}"; do
  MED[$s]=$(median <<<"${RESULTS[$s]}")
  printf '%-44s %10s req/s   (rounds: %s)\n' "${SIDES[$s]%%|*}" "${MED[$s]}" "${RESULTS[$s]% }"
done
echo "ratio everysec / always: writes $(ratio "${MED[1]}" "${MED[0]}"), reads $(ratio "${MED[3]}" "${MED[2]}")"
