#!/usr/bin/env bash
# Smoke journey of the Redis failover, for `scripts/stack-smoke.sh --ha` (a stack up with --ha):
#
#   . scripts/smoke/ha/redis-journey.sh && journey_redis
#
# Uses B (the entry point), REPO (the repository root), STACK_DIR and the global counters PASSED and
# FAILED; its helpers are scripts/smoke/lib.sh and the stack's own libraries. Needs curl and jq.
#
# The journey: HA_CLIENTS shoppers, each in a loop for HA_SECONDS, set a cart line (PUT), check out
# with an Idempotency-Key and now and then log in again, retrying what answers 5xx or nothing the way
# a client does (the same request, the same key). HA_KILL_AFTER seconds in, ./stack kill redis
# SIGKILLs the primary; ./stack restart redis brings the old primary back once the Sentinels have
# promoted a replica. Then:
#   - every checkout answered 201 has its order, no order is there twice, every session a login
#     answered is still valid, every cart holds its last acknowledged line;
#   - the old primary, back alone, never acknowledges a write (probed directly, from its start until
#     it follows the new primary);
#   - requests failed after retries only inside the failover window, which is printed.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

journey_redis() {
  local WORK STATUS BODY TOKEN USER_ID
  WORK=$(mktemp -d /tmp/redis-journey.XXXXXX)
  local clients=${HA_CLIENTS:-4} seconds=${HA_SECONDS:-40} kill_after=${HA_KILL_AFTER:-10}
  local c sku pids=() killed primary_before kill_start kill_ms promoted_ms probe_pid

  section "redis failover: $clients shoppers for ${seconds}s, the primary SIGKILLed after ${kill_after}s"
  http GET /api/products
  sku=$(jq -r '.[0].sku // empty' <<<"$BODY" 2>/dev/null)
  check "GET /api/products -> $STATUS, a product to buy ($sku)" test -n "$sku"
  for ((c = 1; c <= clients; c++)); do
    local email=ha-$c-$RANDOM$RANDOM@example.com password=ha-pass-$RANDOM-$RANDOM
    sign_up "$email" "$password" "HA $c" >/dev/null
    [[ -n $TOKEN ]] || { fail "shopper $c could not sign up: $STATUS ${BODY:0:200}"; return; }
    printf '%s %s %s %s\n' "$TOKEN" "$USER_ID" "$email" "$password" >"$WORK/shopper-$c"
    ha_shopper "$c" "$sku" "$seconds" >"$WORK/client-$c.log" 2>&1 &
    pids+=($!)
  done

  sleep "$kill_after"
  primary_before=$(redis_primary)
  kill_start=$(now_ms)
  killed=$("$REPO/stack" kill redis 2>&1)
  kill_ms=$(now_ms)   # the kill returns once the process is gone: times below count from here
  check "./stack kill redis: $killed" grep -q "^killed redis-$primary_before " <<<"$killed"
  # The old primary's answers to direct writes, from its restart until it follows the new primary.
  ha_probe_old_primary "$primary_before" >"$WORK/probe.log" 2>&1 &
  probe_pid=$!
  check "./stack restart redis: the old primary back once another is promoted" quietly "$REPO/stack" restart redis
  promoted_ms=$(ha_promoted_at "$kill_ms")
  check "a replica was promoted: redis-$(redis_primary) (was redis-$primary_before), $(((promoted_ms - kill_ms) / 100))00 ms after the kill" \
    test "$(redis_primary)" != "$primary_before"
  wait "$probe_pid"
  check "redis-$primary_before back as a replica: $(redis_node_role "$primary_before")" test "$(redis_node_role "$primary_before")" = replica
  check "the old primary acknowledged no write ($(grep -c . "$WORK/probe.log") probes: $(tally $(cut -d' ' -f2 "$WORK/probe.log")))" \
    bash -c '! grep -q " OK$" "$1" && test -s "$1"' _ "$WORK/probe.log"

  wait "${pids[@]}"
  ha_verify "$clients" "$kill_start" "$kill_ms"
  rm -rf "$WORK"
}

ha_shopper() { # N SKU SECONDS: the loop of one shopper; its log is what ha_verify checks
  local c=$1 sku=$2 end=$((SECONDS + $3)) token user email password i=0 qty key WORK=$WORK/c$1
  mkdir -p "$WORK"
  read -r token user email password <"${WORK%/*}/shopper-$c"
  local auth=(-H "Authorization: Bearer $token")
  while ((SECONDS < end)); do
    i=$((i + 1)) qty=$((i % 9 + 1))
    ha_request PUT "/api/cart/items/$sku" "${auth[@]}" -H 'Content-Type: application/json' -d "{\"quantity\":$qty}"
    [[ $STATUS == 200 ]] && printf '%s put %s\n' "$(now_ms)" "$qty"
    ((SECONDS < end)) || break   # the last change stays in the cart
    key=ha-$c-$i-$RANDOM
    ha_request POST /api/cart/checkout "${auth[@]}" -H "Idempotency-Key: $key"
    [[ $STATUS == 201 ]] && printf '%s order %s\n' "$(now_ms)" "$(jq -r .id <<<"$BODY")"
    [[ $STATUS == 201 ]] || printf '%s checkout %s %s\n' "$(now_ms)" "$STATUS" "${BODY:0:120}"
    if ((i % 3 == 0)); then   # a new session of the same user
      ha_request POST /api/auth/login -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}"
      [[ $STATUS == 200 ]] && printf '%s session %s\n' "$(now_ms)" "$(jq -r .sessionId <<<"$BODY")"
    fi
  done
}

ha_probe_old_primary() { # N: SET on node N directly, 10 times a second, until it is a replica again
  local n=$1 deadline=$((SECONDS + 60)) reply
  until [[ $(redis_node_role "$n") == replica ]] || ((SECONDS >= deadline)); do
    if redis_node_answers "$n"; then
      reply=$(redis_node_cli "$n" set ha:probe "$(now_ms)" 2>&1 | head -n1)
      printf '%s %s\n' "$(now_ms)" "${reply%% *}"
    fi
    sleep 0.1
  done
}

ha_promoted_at() { # KILL_MS: when the Sentinels switched the primary (from sentinel-1's log), else now
  local line
  line=$(grep 'switch-master' "$STACK_DIR/logs/sentinel-1.log" 2>/dev/null | tail -n1 | grep -o '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]*' | head -n1)
  if [[ -n $line ]]; then date -d "$(date +%F) $line" +%s%3N; else now_ms; fi
}

ha_verify() { # CLIENTS KILL_START_MS KILL_MS
  local clients=$1 kill_start=$2 kill_ms=$3 c token user email password orders missing dupes last qty
  local all_orders=0 all_missing=0 all_dupes=0 carts_ok=0 sessions_ok=0 sessions=0 session
  section "redis failover: nothing the shoppers were told is lost"
  for ((c = 1; c <= clients; c++)); do
    read -r token user email password <"$WORK/shopper-$c"
    local auth=(-H "Authorization: Bearer $token")
    ha_all_orders "${auth[@]}" >"$WORK/orders-$c"
    awk '$2 == "order" { print $3 }' "$WORK/client-$c.log" | sort >"$WORK/told-$c"
    orders=$(wc -l <"$WORK/told-$c")
    missing=$(comm -23 "$WORK/told-$c" <(sort -u "$WORK/orders-$c") | wc -l)
    dupes=$(sort "$WORK/orders-$c" | uniq -d | wc -l)
    all_orders=$((all_orders + orders)) all_missing=$((all_missing + missing)) all_dupes=$((all_dupes + dupes))
    last=$(awk '$2 == "put" { q = $3 } $2 == "order" { q = "" } END { print q }' "$WORK/client-$c.log")
    http GET /api/cart "${auth[@]}"
    qty=$(jq -r '[.items[].quantity] | add // 0' <<<"$BODY" 2>/dev/null)
    [[ -z $last || $qty == "$last" ]] && carts_ok=$((carts_ok + 1))
    [[ -n $last && $qty != "$last" ]] && printf '        shopper %s: cart holds %s, last acknowledged %s\n' "$c" "$qty" "$last"
    for session in "$token" $(awk '$2 == "session" { print $3 }' "$WORK/client-$c.log"); do
      sessions=$((sessions + 1))
      http GET /api/auth/me -H "Authorization: Bearer $session"
      [[ $STATUS == 200 ]] && sessions_ok=$((sessions_ok + 1))
    done
  done
  check "every one of $all_orders orders answered 201 is there: $all_missing missing" test "$all_missing" -eq 0
  check "no order twice: $all_dupes" test "$all_dupes" -eq 0
  check "checkouts went on: $all_orders orders" test "$all_orders" -gt 0
  check "every cart holds its last acknowledged change: $carts_ok of $clients" test "$carts_ok" -eq "$clients"
  check "every session a login answered is still valid: $sessions_ok of $sessions" test "$sessions_ok" -eq "$sessions"
  ha_check_window "$kill_start" "$kill_ms" "$WORK"/client-*.log
}

ha_all_orders() { # AUTH ARGS...: every order id of the user, following the Link pages
  local path='/api/orders?limit=100' next
  while [[ -n $path ]]; do
    http GET "$path" "$@"
    [[ $STATUS == 200 ]] || { echo "orders page: $STATUS" >&2; return 1; }
    jq -r '.[].id' <<<"$BODY"
    next=$(header Link | sed -n 's/.*<\([^>]*\)>; *rel="next".*/\1/p')
    path=$next
  done
}
