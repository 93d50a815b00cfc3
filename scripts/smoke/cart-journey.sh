#!/usr/bin/env bash
# Smoke journey of cart-service through the load balancer, for the stack smoke test:
#
#   . scripts/smoke/cart-journey.sh && journey_cart
#
# Self-contained: it uses only BASE (the entry point, e.g. http://127.0.0.1:28080; B is
# accepted too), ROOT (the repository root; REPO is accepted too) and the global counters
# PASSED and FAILED, which it increments; its helpers are scripts/smoke/lib.sh. Needs curl and jq.
#
# The journey: a user registers and logs in, lists products, adds two lines, changes one
# with PUT + If-Match, reads the cart; one cart-service replica is SIGKILLed; the user checks
# out with an Idempotency-Key, repeats it (same order), sees exactly one order and an empty
# cart; the killed replica is restarted; the admin changes a price and six reads in a row
# (spread over the replicas by the load balancer) all show it.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

journey_cart() {
  local B=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  local WORK STATUS BODY TOKEN USER_ID
  WORK=$(mktemp -d /tmp/cart-journey.XXXXXX)
  local email="cart-smoke-$RANDOM$RANDOM@example.com" password="cart-smoke-$RANDOM-$RANDOM"
  local token admin replica sku1 name1 sku2 price1 price2 etag stale key order_id killed attempt new_price i all_ok served=()

  section "cart: a shopper registers and logs in"
  sign_up "$email" "$password" "Cart Smoke"
  token=$TOKEN
  local auth=(-H "Authorization: Bearer $token")

  section "cart: products, two lines, a PUT with If-Match"
  http GET /api/products
  check "GET /api/products -> $STATUS, $(jq 'length' <<<"$BODY" 2>/dev/null) products" \
    json_is 'type == "array" and length >= 2 and all(.[]; has("sku") and has("name") and has("priceCents"))'
  sku1=$(jq -r '.[0].sku' <<<"$BODY" 2>/dev/null) price1=$(jq -r '.[0].priceCents' <<<"$BODY" 2>/dev/null)
  name1=$(jq -r '.[0].name' <<<"$BODY" 2>/dev/null)
  sku2=$(jq -r '.[1].sku' <<<"$BODY" 2>/dev/null) price2=$(jq -r '.[1].priceCents' <<<"$BODY" 2>/dev/null)

  http POST /api/cart/items "${auth[@]}" -H 'Content-Type: application/json' -d "{\"sku\":\"$sku1\",\"quantity\":2}"
  check "POST /api/cart/items $sku1 x2 -> $STATUS" status_is 200
  http POST /api/cart/items "${auth[@]}" -H 'Content-Type: application/json' -d "{\"sku\":\"$sku2\",\"quantity\":1}"
  check "POST /api/cart/items $sku2 x1 -> $STATUS, ETag $(header ETag)" status_is 200
  etag=$(header ETag)
  http PUT "/api/cart/items/$sku1" "${auth[@]}" -H "If-Match: $etag" -H 'Content-Type: application/json' -d '{"quantity":3}'
  check "PUT /api/cart/items/$sku1 quantity 3, If-Match $etag -> $STATUS" status_is 200
  stale=$etag
  http PUT "/api/cart/items/$sku1" "${auth[@]}" -H "If-Match: $stale" -H 'Content-Type: application/json' -d '{"quantity":9}'
  check "the same PUT with the now stale If-Match $stale -> $STATUS (412 expected)" status_is 412

  http GET /api/cart "${auth[@]}"
  check "GET /api/cart -> $STATUS: $sku1 x3 + $sku2 x1 = $((3 * price1 + price2)) cents" \
    json_is --arg a "$sku1" --arg b "$sku2" --argjson total "$((3 * price1 + price2))" \
    '(.items | length) == 2 and any(.items[]; .sku == $a and .quantity == 3) and any(.items[]; .sku == $b and .quantity == 1) and .totalCents == $total'

  section "cart: one cart-service replica SIGKILLed, then checkout"
  killed=$("$root/stack" kill cart-service 2>&1)
  check "./stack kill cart-service: $killed" grep -q 'killed' <<<"$killed"
  key="smoke-$(date +%s)-$RANDOM$RANDOM"
  # A client retries a failed checkout with the same key; the key makes the retry safe.
  for attempt in 1 2 3 4 5; do
    http POST /api/cart/checkout "${auth[@]}" -H "Idempotency-Key: $key"
    status_is 201 && break
    printf '        checkout attempt %d: %s %s\n' "$attempt" "$STATUS" "${BODY:0:200}"
    sleep 1
  done
  order_id=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  check "POST /api/cart/checkout with Idempotency-Key -> $STATUS, order $order_id" \
    json_is --argjson total "$((3 * price1 + price2))" '.id and .totalCents == $total and (.items | length) == 2'
  http POST /api/cart/checkout "${auth[@]}" -H "Idempotency-Key: $key"
  check "the same checkout again -> $STATUS, the same order (replayed: $(header Idempotent-Replayed))" \
    json_is --arg id "$order_id" '.id == $id'
  http GET /api/orders "${auth[@]}"
  check "GET /api/orders -> $STATUS: exactly one order, $order_id" \
    json_is --arg id "$order_id" 'length == 1 and .[0].id == $id'
  http GET /api/cart "${auth[@]}"
  check "GET /api/cart -> $STATUS: empty after checkout" json_is '(.items | length) == 0 and .totalCents == 0'

  replica=$(sed -n 's/.*killed cart-service-\([0-9][0-9]*\).*/\1/p' <<<"$killed")
  if [[ -n $replica ]]; then
    check "./stack restart cart-service $replica (back for the price check)" \
      quietly "$root/stack" restart cart-service "$replica"
  fi

  section "cart: the admin changes a price; every replica serves it at once"
  http POST /api/auth/login -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@stack.local\",\"password\":\"$(stack_admin_password)\"}"
  admin=$(jq -r '.sessionId // empty' <<<"$BODY" 2>/dev/null)
  check "admin login -> $STATUS" test -n "$admin"
  new_price=$((price1 + 1 + RANDOM % 500))
  http PUT "/api/products/$sku1" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Smoke-priced $sku1\",\"priceCents\":$new_price}"
  check "PUT /api/products/$sku1 priceCents $new_price -> $STATUS" status_is 200
  all_ok=1
  for ((i = 1; i <= 6; i++)); do
    http GET "/api/products/$sku1"
    served+=("$(header X-Served-By)")
    status_is 200 && json_is --argjson p "$new_price" '.priceCents == $p' \
      || { all_ok=0; printf '        read %d: %s %s\n' "$i" "$STATUS" "${BODY:0:200}"; }
  done
  check "6 x GET /api/products/$sku1 right after: all $new_price (served by: $(tally "${served[@]}"))" \
    test "$all_ok" = 1
  # Put the product back as it was, so that a rerun against the same stack starts from the same catalogue.
  http PUT "/api/products/$sku1" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg n "$name1" --argjson p "$price1" '{name: $n, priceCents: $p}')"

  rm -rf "$WORK"
}
