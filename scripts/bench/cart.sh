#!/usr/bin/env bash
# Benchmark of cart-service: session + cart + catalogue reads and cart writes on
# one replica next to its no-Redis endpoint, then the same through the load balancer with
# 2 replicas. Prints figures; asserts nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/bench/wrk.sh"

export STACK_DIR=${STACK_DIR:-$(mktemp -d /tmp/bench-stack.XXXXXX)}
export STACK_PORT_BASE=${BENCH_PORT_BASE:-38000}
export STACK_PORT=${BENCH_PORT:-38080}
export STACK_SERVICES="auth-service cart-service"
trap '"$ROOT/stack" down >/dev/null 2>&1 || true' EXIT
"$ROOT/stack" up --replicas 2 >/dev/null

BASE=http://127.0.0.1:$STACK_PORT
CART1=http://127.0.0.1:$((STACK_PORT_BASE + 201))
SKU=TEA-SENCHA-100
email="bench-$RANDOM$RANDOM@example.org"
curl -sf -X POST "$BASE/api/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"bench-password\",\"displayName\":\"Bench\"}" >/dev/null
sid=$(curl -sf -X POST "$BASE/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"bench-password\"}" | jq -r .sessionId)
curl -sf -X POST "$BASE/api/cart/items" -H "Authorization: Bearer $sid" -H 'content-type: application/json' \
  -d "{\"sku\":\"$SKU\",\"quantity\":1}" >/dev/null

# Alternates the quantity so that every PUT really writes (a PUT of the same quantity is a no-op).
put_script=$(mktemp --suffix=.lua)
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
auth=(-H "Authorization: Bearer $sid")

for target in "one replica|$CART1" "load balancer, 2 replicas|$BASE"; do
  label=${target%%|*} url=${target#*|}
  echo "== cart-service through $label, $BENCH_CONNECTIONS connections, $BENCH_DURATION each"
  if [[ $url == "$CART1" ]]; then
    wrk_run "GET /q/health/live (no Redis)" "$url/q/health/live"; base=$BENCH_RPS
  else
    base=""
  fi
  wrk_run "GET /api/cart (session+cart+catalogue)" "$url/api/cart" "${auth[@]}"; read_rps=$BENCH_RPS
  wrk_run "PUT /api/cart/items/{sku} (Lua write)" "$url/api/cart/items/$SKU" "${auth[@]}" -s "$put_script"; write_rps=$BENCH_RPS
  if [[ -n $base ]]; then
    echo "ratio GET /api/cart / no-Redis: $(ratio "$read_rps" "$base");  PUT item / no-Redis: $(ratio "$write_rps" "$base")"
  fi
done
rm -f "$put_script"
