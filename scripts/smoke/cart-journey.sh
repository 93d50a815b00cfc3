#!/usr/bin/env bash
# Smoke journey of cart-service through the load balancer, for the stack smoke test:
#
#   . scripts/smoke/cart-journey.sh && journey_cart
#
# Self-contained: it uses only BASE (the entry point, e.g. http://127.0.0.1:28080; B is
# accepted too), ROOT (the repository root; REPO is accepted too) and the global counters
# PASSED and FAILED, which it increments. Needs curl and jq.
#
# The journey: a user registers and logs in, lists products, adds two lines, changes one
# with PUT + If-Match, reads the cart; one cart-service replica is SIGKILLed; the user checks
# out with an Idempotency-Key, repeats it (same order), sees exactly one order and an empty
# cart; the killed replica is restarted; the admin changes a price and six reads in a row
# (spread over the replicas by the load balancer) all show it.

cart_assert() { # DESCRIPTION COMMAND...: one step, counted in PASSED or FAILED
  local desc=$1
  shift
  if "$@"; then
    PASSED=$((${PASSED:-0} + 1))
    printf '  ok    %s\n' "$desc"
  else
    FAILED=$((${FAILED:-0} + 1))
    printf '  FAIL  %s\n' "$desc"
  fi
}

# cart_http METHOD PATH [CURL ARGS...]: sets CART_STATUS and CART_BODY; headers in $CART_WORK/headers
cart_http() {
  local method=$1 path=$2
  shift 2
  CART_STATUS=$(curl -s -m 15 -X "$method" -o "$CART_WORK/body" -D "$CART_WORK/headers" -w '%{http_code}' "$@" "$CART_BASE$path")
  CART_BODY=$(cat "$CART_WORK/body" 2>/dev/null)
}
cart_header() { tr -d '\r' <"$CART_WORK/headers" | sed -n "s/^$1: *//Ip" | tail -n1; }
cart_json() { jq -e "$@" <<<"$CART_BODY" >/dev/null 2>&1; }   # cart_json [--arg k v] FILTER
cart_status_is() { [[ $CART_STATUS == "$1" ]]; }
cart_section() { printf '\n--- %s\n' "$*"; }
cart_quietly() { # COMMAND...: runs it, shows its output only when it fails
  local out
  out=$("$@" 2>&1) && return 0
  printf '        %s\n' "${out//$'\n'/$'\n'        }" | tail -n 20
  return 1
}

journey_cart() {
  local CART_BASE=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  local CART_WORK
  CART_WORK=$(mktemp -d /tmp/cart-journey.XXXXXX)
  local email="cart-smoke-$RANDOM$RANDOM@example.com" password="cart-smoke-$RANDOM-$RANDOM"
  local token admin replica sku1 name1 sku2 price1 price2 etag stale key order_id killed attempt new_price i all_ok served=()

  cart_section "cart: a shopper registers and logs in"
  cart_http POST /api/auth/register -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Cart Smoke\"}"
  cart_assert "POST /api/auth/register -> $CART_STATUS" cart_status_is 201
  cart_http POST /api/auth/login -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}"
  token=$(jq -r '.sessionId // empty' <<<"$CART_BODY" 2>/dev/null)
  cart_assert "POST /api/auth/login -> $CART_STATUS, a bearer session id" test -n "$token"
  local auth=(-H "Authorization: Bearer $token")

  cart_section "cart: products, two lines, a PUT with If-Match"
  cart_http GET /api/products
  cart_assert "GET /api/products -> $CART_STATUS, $(jq 'length' <<<"$CART_BODY" 2>/dev/null) products" \
    cart_json 'type == "array" and length >= 2 and all(.[]; has("sku") and has("name") and has("priceCents"))'
  sku1=$(jq -r '.[0].sku' <<<"$CART_BODY" 2>/dev/null) price1=$(jq -r '.[0].priceCents' <<<"$CART_BODY" 2>/dev/null)
  name1=$(jq -r '.[0].name' <<<"$CART_BODY" 2>/dev/null)
  sku2=$(jq -r '.[1].sku' <<<"$CART_BODY" 2>/dev/null) price2=$(jq -r '.[1].priceCents' <<<"$CART_BODY" 2>/dev/null)

  cart_http POST /api/cart/items "${auth[@]}" -H 'Content-Type: application/json' -d "{\"sku\":\"$sku1\",\"quantity\":2}"
  cart_assert "POST /api/cart/items $sku1 x2 -> $CART_STATUS" cart_status_is 200
  cart_http POST /api/cart/items "${auth[@]}" -H 'Content-Type: application/json' -d "{\"sku\":\"$sku2\",\"quantity\":1}"
  cart_assert "POST /api/cart/items $sku2 x1 -> $CART_STATUS, ETag $(cart_header ETag)" cart_status_is 200
  etag=$(cart_header ETag)
  cart_http PUT "/api/cart/items/$sku1" "${auth[@]}" -H "If-Match: $etag" -H 'Content-Type: application/json' -d '{"quantity":3}'
  cart_assert "PUT /api/cart/items/$sku1 quantity 3, If-Match $etag -> $CART_STATUS" cart_status_is 200
  stale=$etag
  cart_http PUT "/api/cart/items/$sku1" "${auth[@]}" -H "If-Match: $stale" -H 'Content-Type: application/json' -d '{"quantity":9}'
  cart_assert "the same PUT with the now stale If-Match $stale -> $CART_STATUS (412 expected)" cart_status_is 412

  cart_http GET /api/cart "${auth[@]}"
  cart_assert "GET /api/cart -> $CART_STATUS: $sku1 x3 + $sku2 x1 = $((3 * price1 + price2)) cents" \
    cart_json --arg a "$sku1" --arg b "$sku2" --argjson total "$((3 * price1 + price2))" \
    '(.items | length) == 2 and any(.items[]; .sku == $a and .quantity == 3) and any(.items[]; .sku == $b and .quantity == 1) and .totalCents == $total'

  cart_section "cart: one cart-service replica SIGKILLed, then checkout"
  killed=$("$root/stack" kill cart-service 2>&1)
  cart_assert "./stack kill cart-service: $killed" grep -q 'killed' <<<"$killed"
  key="smoke-$(date +%s)-$RANDOM$RANDOM"
  # A client retries a failed checkout with the same key; the key makes the retry safe.
  for attempt in 1 2 3 4 5; do
    cart_http POST /api/cart/checkout "${auth[@]}" -H "Idempotency-Key: $key"
    cart_status_is 201 && break
    printf '        checkout attempt %d: %s %s\n' "$attempt" "$CART_STATUS" "${CART_BODY:0:200}"
    sleep 1
  done
  order_id=$(jq -r '.id // empty' <<<"$CART_BODY" 2>/dev/null)
  cart_assert "POST /api/cart/checkout with Idempotency-Key -> $CART_STATUS, order $order_id" \
    cart_json --argjson total "$((3 * price1 + price2))" '.id and .totalCents == $total and (.items | length) == 2'
  cart_http POST /api/cart/checkout "${auth[@]}" -H "Idempotency-Key: $key"
  cart_assert "the same checkout again -> $CART_STATUS, the same order (replayed: $(cart_header Idempotent-Replayed))" \
    cart_json --arg id "$order_id" '.id == $id'
  cart_http GET /api/orders "${auth[@]}"
  cart_assert "GET /api/orders -> $CART_STATUS: exactly one order, $order_id" \
    cart_json --arg id "$order_id" 'length == 1 and .[0].id == $id'
  cart_http GET /api/cart "${auth[@]}"
  cart_assert "GET /api/cart -> $CART_STATUS: empty after checkout" cart_json '(.items | length) == 0 and .totalCents == 0'

  replica=$(sed -n 's/.*killed cart-service-\([0-9][0-9]*\).*/\1/p' <<<"$killed")
  if [[ -n $replica ]]; then
    cart_assert "./stack restart cart-service $replica (back for the price check)" \
      cart_quietly "$root/stack" restart cart-service "$replica"
  fi

  cart_section "cart: the admin changes a price; every replica serves it at once"
  cart_http POST /api/auth/login -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@stack.local\",\"password\":\"${STACK_ADMIN_PASSWORD:-admin-change-me}\"}"
  admin=$(jq -r '.sessionId // empty' <<<"$CART_BODY" 2>/dev/null)
  cart_assert "admin login -> $CART_STATUS" test -n "$admin"
  new_price=$((price1 + 1 + RANDOM % 500))
  cart_http PUT "/api/products/$sku1" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Smoke-priced $sku1\",\"priceCents\":$new_price}"
  cart_assert "PUT /api/products/$sku1 priceCents $new_price -> $CART_STATUS" cart_status_is 200
  all_ok=1
  for ((i = 1; i <= 6; i++)); do
    cart_http GET "/api/products/$sku1"
    served+=("$(cart_header X-Served-By)")
    cart_status_is 200 && cart_json --argjson p "$new_price" '.priceCents == $p' \
      || { all_ok=0; printf '        read %d: %s %s\n' "$i" "$CART_STATUS" "${CART_BODY:0:200}"; }
  done
  cart_assert "6 x GET /api/products/$sku1 right after: all $new_price (served by: $(printf '%s\n' "${served[@]}" | sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}'))" \
    test "$all_ok" = 1
  # Put the product back as it was, so that a rerun against the same stack starts from the same catalogue.
  cart_http PUT "/api/products/$sku1" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg n "$name1" --argjson p "$price1" '{name: $n, priceCents: $p}')"

  rm -rf "$CART_WORK"
}
