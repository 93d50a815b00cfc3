#!/usr/bin/env bash
# Benchmark of cart-service: session + cart + catalogue reads and cart writes on
# one replica next to its no-Redis endpoint, then the same through the load balancer with
# 2 replicas. Prints figures; asserts nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bench_stack "auth-service cart-service" --replicas 2

BASE=http://127.0.0.1:$STACK_PORT
CART1=$(cart_1 "$STACK_PORT_BASE")
sid=$(session_on "$BASE")
cart_line_on "$BASE" "$sid"
put_script
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
  wrk_run "PUT /api/cart/items/{sku} (Lua write)" "$url/api/cart/items/$BENCH_SKU" "${auth[@]}" -s "$PUT_SCRIPT"; write_rps=$BENCH_RPS
  if [[ -n $base ]]; then
    echo "ratio GET /api/cart / no-Redis: $(ratio "$read_rps" "$base");  PUT item / no-Redis: $(ratio "$write_rps" "$base")"
  fi
done
