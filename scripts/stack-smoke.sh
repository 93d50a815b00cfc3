#!/usr/bin/env bash
# CI smoke test of the local stack: a private stack (own data dir and ports,
# beside any stack of the user's), user journeys with curl through the load
# balancer, a replica SIGKILLed in the middle, then `./stack down` and proof
# that nothing of the stack is left running.
#
#   scripts/stack-smoke.sh
#   scripts/stack-smoke.sh --containers   (every replica a container: scripts/smoke/containers.sh)
#   scripts/stack-smoke.sh --ha           (./stack up --ha: the journeys of scripts/smoke/ha/, then cart's)
#   SMOKE_SERVICES=auth-service SMOKE_JOURNEYS=auth scripts/stack-smoke.sh
#
# Env: SMOKE_PORT_BASE [28000], SMOKE_PORT [28080], SMOKE_SERVICES (the
# services to run) [all], SMOKE_JOURNEYS [auth + every scripts/smoke/*-journey.sh]. A journey is a function
# journey_NAME; add one per feature (cart, media, reports).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export STACK_DIR
STACK_DIR=$(mktemp -d /tmp/stack-smoke.XXXXXX)
export STACK_PORT_BASE=${SMOKE_PORT_BASE:-28000}
export STACK_PORT=${SMOKE_PORT:-28080}
export STACK_SERVICES=${SMOKE_SERVICES:-auth-service cart-service media-service report-worker}
STACK_REPLICAS=2
# Each feature adds its journey as scripts/smoke/NAME-journey.sh defining journey_NAME; the journeys
# of a failing state tier are under scripts/smoke/ha/ and run with --ha only.
for journey_file in "$REPO"/scripts/smoke/*-journey.sh "$REPO"/scripts/smoke/ha/*-journey.sh; do
  [[ -f $journey_file ]] && . "$journey_file"
done
if [[ ${1:-} == --ha ]]; then
  # The failovers first; then cart's journey proves a price change still reaches every replica's
  # near cache, whose invalidation subscriptions the failover cut.
  JOURNEYS=${SMOKE_JOURNEYS:-$(for f in "$REPO"/scripts/smoke/ha/*-journey.sh; do [[ -f $f ]] && basename "$f" -journey.sh; done | paste -sd' ') cart}
else
  JOURNEYS=${SMOKE_JOURNEYS:-auth $(for f in "$REPO"/scripts/smoke/*-journey.sh; do [[ -f $f ]] && basename "$f" -journey.sh; done | paste -sd' ')}
fi
B=http://127.0.0.1:$STACK_PORT
WORK=$(mktemp -d /tmp/stack-smoke-work.XXXXXX)
PASSED=0 FAILED=0 STACK_STOPPED=0

. "$REPO/scripts/lib/common.sh"    # port layout, our_pids, port_in_use
. "$REPO/scripts/lib/redis.sh"     # redis_ports: the Redis processes of either topology
. "$REPO/scripts/lib/rabbitmq.sh"  # rabbitmq_ports: the same for the brokers
. "$REPO/scripts/smoke/lib.sh"     # check, http, json_is ...: the helpers of every journey
. "$REPO/scripts/lib/deps.sh"
UP_ARGS=() CONTAINERS=0
if [[ ${1:-} == --containers ]]; then
  # The containers reach Redis as on a cluster: over TLS, verifying its certificate.
  UP_ARGS=(--containers --redis-tls) CONTAINERS=1
  . "$REPO/scripts/smoke/containers.sh"
elif [[ ${1:-} == --ha ]]; then
  UP_ARGS=(--ha)
fi

# ---- journeys ------------------------------------------------------------------------
journey_auth() {
  local email="smoke-$RANDOM$RANDOM@example.com" password="smoke-pass-$RANDOM-$RANDOM" jar=$WORK/auth.cookies
  local i seen=() all_ok=1 n killed

  section "auth: register and log in"
  json_post POST /api/auth/register "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Smoke\"}"
  expect_status "POST /api/auth/register" 201
  check "the new user has the email" json_is --arg e "$email" '.email == $e'
  json_post POST /api/auth/login "{\"email\":\"$email\",\"password\":\"$password\"}" -c "$jar"
  expect_status "POST /api/auth/login" 200
  check "login sets the SID cookie" grep -q 'SID' "$jar"

  section "auth: the load balancer spreads GET /api/auth/me over the replicas"
  for ((i = 1; i <= 30; i++)); do
    http GET /api/auth/me -b "$jar"
    [[ $STATUS == 200 ]] && json_is --arg e "$email" '.email == $e' || { all_ok=0; break; }
    seen+=("$(header X-Served-By)")
    ((i >= 6)) && (($(printf '%s\n' "${seen[@]}" | sort -u | wc -l) >= STACK_REPLICAS)) && break
  done
  n=$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)
  check "$i x GET /api/auth/me: all 200, same user" test "$all_ok" = 1
  check "X-Served-By shows both auth replicas ($(distinct "${seen[@]}"))" test "$n" -ge "$STACK_REPLICAS"

  section "auth: one replica SIGKILLed"
  killed=$("$REPO/stack" kill auth-service 2>&1)
  check "./stack kill auth-service: $killed" grep -q '^killed auth-service-' <<<"$killed"
  all_ok=1 seen=()
  for ((i = 1; i <= 10; i++)); do
    http GET /api/auth/me -b "$jar"
    [[ $STATUS == 200 ]] && json_is --arg e "$email" '.email == $e' || { all_ok=0; printf '        request %d: %s %s\n' "$i" "$STATUS" "${BODY:0:200}"; }
    seen+=("$(header X-Served-By)")
  done
  check "10 x GET /api/auth/me after the kill: all 200, same user (served by: $(tally "${seen[@]}"))" test "$all_ok" = 1

  section "auth: profile, sessions, logout"
  json_post PATCH /api/auth/me '{"displayName":"Smoke Renamed"}' -b "$jar"
  expect_status "PATCH /api/auth/me" 200
  http GET /api/auth/me -b "$jar"
  check "GET /api/auth/me shows the new displayName" json_is '.displayName == "Smoke Renamed"'
  http GET /api/auth/sessions -b "$jar"
  expect_status "GET /api/auth/sessions" 200
  check "the sessions list has the current session" json_is 'any(.[]; .current == true)'
  http POST /api/auth/logout -b "$jar"
  expect_status "POST /api/auth/logout" 204
  http GET /api/auth/me -b "$jar"
  expect_status "GET /api/auth/me after logout" 401
}

journey_routing() {
  section "routing: unknown paths"
  http GET /no/such/path
  expect_status "GET /no/such/path" 404
  check "its body is application/problem+json" grep -qi 'application/problem+json' <<<"$(header Content-Type)"
}

# ---- the stack ---------------------------------------------------------------------------
stack_pids() { local f; for f in "$STACK_DIR"/pids/*.pid; do [[ -f $f ]] && echo "$(<"$f")"; done; }
distinct() { printf '%s\n' "$@" | sort -u | paste -sd' '; }

stack_ports() {
  local svc i
  redis_ports | tr ' ' '\n' | cut -d: -f2
  rabbitmq_ports | tr ' ' '\n' | cut -d: -f2
  echo "$S3_PORT $STACK_PORT"
  for svc in $STACK_SERVICES; do
    for ((i = 1; i <= STACK_REPLICAS + 1; i++)); do service_port "$svc" "$i"; done   # +1: the scale journey's
  done
}

stack_down_and_verify() {
  local pids pid alive=() busy=() port
  section "down: nothing of the stack remains"
  pids=$(stack_pids)
  check "./stack down" "$REPO/stack" down
  STACK_STOPPED=1
  for pid in $pids; do pid_alive "$pid" && alive+=("$pid"); done
  for pid in $(our_pids); do alive+=("$pid"); done
  check "no process of the stack alive (had pids: $(echo $pids))" test "${#alive[@]}" -eq 0
  for port in $(stack_ports); do port_in_use "$port" && busy+=("$port"); done
  check "every port of the stack is free" test "${#busy[@]}" -eq 0
  ((CONTAINERS)) && check "no container of the stack left" test -z "$(docker ps -aq --filter "label=clones.stack=$STACK_DIR")"
  ((${#alive[@]} + ${#busy[@]} == 0)) || printf '        alive: %s; ports in use: %s\n' "${alive[*]}" "${busy[*]}"
}

on_exit() {
  if ((!STACK_STOPPED)); then
    if ((FAILED)); then dump_logs; fi
    "$REPO/stack" down >/dev/null 2>&1 || "$REPO/stack" down
  fi
  rm -rf "$WORK"
  if ((FAILED)); then
    echo "stack data and logs kept in $STACK_DIR"
  else
    rm -rf "$STACK_DIR"
  fi
}

dump_logs() {
  local f
  for f in "$STACK_DIR"/logs/*.log; do
    [[ -f $f ]] || continue
    printf '\n=== tail of %s ===\n' "$f"
    tail -n 25 "$f"
  done
}

main() {
  trap on_exit EXIT
  trap 'exit 130' INT TERM
  ensure_packages || exit 1
  section "up: private stack in $STACK_DIR on $B (services: $STACK_SERVICES)"
  if "$REPO/stack" up --replicas "$STACK_REPLICAS" "${UP_ARGS[@]}"; then
    ok "./stack up --replicas $STACK_REPLICAS ${UP_ARGS[*]}"
    ((CONTAINERS)) && container_checks
    journey_routing
    local journey
    for journey in $JOURNEYS; do "journey_$journey"; done
    ((FAILED)) && dump_logs
  else
    fail "./stack up --replicas $STACK_REPLICAS"
    dump_logs
  fi
  stack_down_and_verify
  printf '\nstack smoke: %d passed, %d failed\n' "$PASSED" "$FAILED"
  ((FAILED == 0))
}

main "$@"
