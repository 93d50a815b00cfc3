#!/usr/bin/env bash
# Smoke journey of scaling and draining under steady traffic, for the stack smoke test
# (uses the helpers of scripts/smoke/lib.sh, and the stack smoke's STACK_DIR, REPO, B, WORK).
#
# While two curl loops read one user's cart and session through the load balancer over
# keep-alive connections: cart-service is scaled 2 -> 3 (the new replica serves the
# existing user's cart on its very first request), then 3 -> 2 (drained in HAProxy before
# SIGTERM), then one auth-service and one cart-service replica get a bare SIGTERM, the
# way Kubernetes stops a pod (readiness turns DOWN, HAProxy stops routing, in-flight
# requests finish), and are started again. Every request of the loops must succeed.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# scale_load SECONDS OUTFILE URL...: one client, keep-alive, "STATUS SERVED-BY" per request
scale_load() {
  local end=$((SECONDS + $1)) out=$2 urls=() u u2
  shift 2
  for ((u = 0; u < 25; u++)); do for u2 in "$@"; do urls+=(-o /dev/null "$u2"); done; done
  while ((SECONDS < end)) && [[ ! -e $WORK/stop-load ]]; do
    curl -s -m 10 -H "Authorization: Bearer $SCALE_TOKEN" -w '%{http_code} %header{x-served-by}\n' "${urls[@]}" >>"$out"
  done
}

scale_said() { # DESCRIPTION PATTERN OUTPUT: the command's output says so (shown when not)
  check "$1" grep -Eq "$2" <<<"$3"
  grep -Eq "$2" <<<"$3" || printf '%s\n' "$3" | tail -n 15 | sed 's/^/        /'
}

scale_failures() { cat "$@" | grep -vc '^200 '; }

journey_scale() {
  local email="scale-$RANDOM$RANDOM@example.com" password="scale-pass-$RANDOM-$RANDOM" sku load_pids=() pid port out
  section "scale and drain: a user with a cart, and steady traffic through the load balancer"
  # earlier journeys SIGKILL replicas and leave them dead: every replica must serve here, or a
  # SIGTERM below would take down the last one of its service
  out=$("$REPO/stack" up 2>&1)
  scale_said "./stack up: every replica runs again" 'stack up in' "$out"
  json_post POST /api/auth/register "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Scale\"}"
  json_post POST /api/auth/login "{\"email\":\"$email\",\"password\":\"$password\"}"
  SCALE_TOKEN=$(jq -r '.sessionId // empty' <<<"$BODY")
  check "logged in" test -n "$SCALE_TOKEN"
  http GET /api/products
  sku=$(jq -r '.[0].sku // empty' <<<"$BODY")
  json_post POST /api/cart/items "{\"sku\":\"$sku\",\"quantity\":2}" -H "Authorization: Bearer $SCALE_TOKEN"
  expect_status "POST /api/cart/items $sku x2" 200

  local loads=("$WORK/load-1" "$WORK/load-2") duration=$((STACK_WAIT_SECONDS * 2 + 60))
  scale_load "$duration" "${loads[0]}" "$B/api/cart" "$B/api/auth/me" & load_pids+=($!)
  scale_load "$duration" "${loads[1]}" "$B/api/auth/me" "$B/api/cart" & load_pids+=($!)
  sleep 2

  out=$("$REPO/stack" scale cart-service 3 2>&1)
  scale_said "./stack scale cart-service 3 under traffic" 'cart-service: 3 replicas' "$out"
  port=$(service_port cart-service 3)
  STATUS=$(curl -s -m 10 -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $SCALE_TOKEN" "http://127.0.0.1:$port/api/cart")
  BODY=$(cat "$WORK/body")
  check "the new replica's very first request: the user's cart ($STATUS, $sku x2)" \
    json_is --arg s "$sku" 'any(.items[]; .sku == $s and .quantity == 2)'
  sleep 2
  out=$("$REPO/stack" scale cart-service 2 2>&1)
  scale_said "./stack scale cart-service 2 under traffic (drain, then SIGTERM)" 'cart-service: 2 replicas' "$out"

  local name
  for name in auth-service-1 cart-service-2; do
    pid=$(pid_of "$name")
    kill -TERM "$pid"
    check "SIGTERM $name: it exits by itself" wait_pid_gone "$pid" 30
    out=$("$REPO/stack" restart "${name%-*}" "${name##*-}" 2>&1)
    scale_said "$name started again and routed" "haproxy to see $name up \.+ ready" "$out"
  done

  touch "$WORK/stop-load"
  wait "${load_pids[@]}"
  local total failures
  total=$(cat "${loads[@]}" | wc -l)
  failures=$(scale_failures "${loads[@]}")
  check "steady traffic during scale out, scale in and two SIGTERMs: $total requests, $failures not 200" \
    test "$failures" -eq 0 -a "$total" -gt 100
  ((failures)) && sort "${loads[@]}" | uniq -c | sed 's/^/        /'
  check "the load balancer sent some of that traffic to the added replica cart-3" grep -q ' cart-service/cart-3$' "${loads[@]}"
  return 0
}
