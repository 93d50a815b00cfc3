#!/usr/bin/env bash
# Smoke journey of notifications across a rolling restart of media-service, for the stack smoke test:
#
#   . scripts/smoke/rolling-journey.sh && journey_rolling
#
# Uses BASE (the entry point; B is accepted too), ROOT (the repository root; REPO is accepted too), the stack
# the smoke test exported (STACK_DIR, STACK_PORT, STACK_PORT_BASE) and the counters PASSED and FAILED; its
# helpers are scripts/smoke/lib.sh. Needs node and the test clients (ensure_clients installs them).
#
# The journey: 200 notification sockets of 20 users (scripts/clients/notifications-load.mjs) while reports
# are requested at a steady pace; every media-service replica is restarted one by one (./stack restart: SIGTERM,
# started again, routed once ready), then the replica holding the most sockets is SIGKILLed and started again.
# The producer goes on until the last replica is back, then the load script waits for every report to end and
# checks that every socket received every event of its user exactly once, in order. ROLLING_CLIENTS,
# ROLLING_USERS, ROLLING_EVENTS and ROLLING_RATE change its size.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
declare -F ensure_clients >/dev/null || . "$(dirname "${BASH_SOURCE[0]}")/../lib/deps.sh"

# rolling_wait_for SECONDS COMMAND...: until COMMAND succeeds or SECONDS pass (no verdict: the caller checks)
rolling_wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

rolling_load_alive() { kill -0 "$ROLLING_LOAD_PID" 2>/dev/null; }

# rolling_status FILTER: a field of the load script's status file (open sockets by replica, ...)
rolling_status() { jq -r "$1" "$ROLLING_WORK/status.json" 2>/dev/null; }

rolling_all_open() { [[ $(rolling_status .open) == "$(rolling_status .clients)" ]]; }

# rolling_step DESCRIPTION PATTERN COMMAND...: runs a stack command, checks that its output says PATTERN
rolling_step() {
  local desc=$1 pattern=$2 out
  shift 2
  out=$("$@" 2>&1)
  if grep -Eq "$pattern" <<<"$out"; then ok "$desc"; else fail "$desc"; printf '%s\n' "$out" | tail -n 15 | sed 's/^/        /'; fi
}

journey_rolling() {
  local B=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  local ROLLING_WORK ROLLING_LOAD_PID rc busiest replica i
  ROLLING_WORK=$(mktemp -d /tmp/rolling-journey.XXXXXX)
  local clients=${ROLLING_CLIENTS:-200} users=${ROLLING_USERS:-20}

  section "rolling: $clients notification sockets of $users users, reports requested at a steady pace"
  # earlier journeys SIGKILL replicas and may leave them dead: both media replicas must serve here
  rolling_step "./stack up: every replica runs" 'stack up in' "$root/stack" up
  check "the test clients are installed (npm ci in scripts/clients)" quietly ensure_clients
  node "$CLIENTS_DIR/notifications-load.mjs" --base "$B" --clients "$clients" --users "$users" \
    --events "${ROLLING_EVENTS:-4}" --rate "${ROLLING_RATE:-4}" --until "$ROLLING_WORK/restarts-done" \
    --ready-file "$ROLLING_WORK/ready" --status-file "$ROLLING_WORK/status.json" --wait 90 --latency \
    >"$ROLLING_WORK/load.out" 2>&1 &
  ROLLING_LOAD_PID=$!
  rolling_wait_for 180 eval '[[ -f $ROLLING_WORK/ready ]] || ! rolling_load_alive'
  check "every socket opened ($(grep -m1 'sockets open' "$ROLLING_WORK/load.out" | sed 's/^\[[^]]*\] //'))" test -f "$ROLLING_WORK/ready"

  if [[ -f $ROLLING_WORK/ready ]]; then
    section "rolling: every media-service replica restarted one by one while events flow"
    sleep 3   # a few events before the first restart
    rolling_step "./stack restart media-service: each replica stopped, started and routed again" \
      'haproxy to see media-service-2 up .* ready' "$root/stack" restart media-service
    rolling_wait_for 30 rolling_all_open
    section "rolling: the replica holding the most sockets SIGKILLed, then started again"
    busiest=$(rolling_status '.openByReplica | to_entries | max_by(.value) | .key // empty')
    replica=${busiest##*-}
    [[ $replica =~ ^[0-9]+$ ]] || replica=1
    rolling_step "./stack kill media-service $replica (it held $(rolling_status ".openByReplica[\"$busiest\"] // 0") sockets)" \
      '^killed media-service-' "$root/stack" kill media-service "$replica"
    sleep 3   # events published while one replica is dead and the other holds every socket
    rolling_step "./stack restart media-service $replica: started and routed again" \
      "haproxy to see media-service-$replica up .* ready" "$root/stack" restart media-service "$replica"
    sleep 3   # live events after the last restart, on both replicas
  fi
  touch "$ROLLING_WORK/restarts-done"

  section "rolling: every socket received every event of its user exactly once, in order"
  wait "$ROLLING_LOAD_PID"
  rc=$?
  sed -n '/^sockets:/,$p' "$ROLLING_WORK/load.out" | sed 's/^/        /'
  ((rc == 2)) && tail -n 20 "$ROLLING_WORK/load.out" | sed 's/^/        /'
  check "notifications-load: $(grep -m1 '^events:' "$ROLLING_WORK/load.out" | sed 's/^events: //') (exit $rc)" test "$rc" -eq 0
  cp "$ROLLING_WORK/load.out" "${STACK_DIR:-$ROLLING_WORK}/rolling-load.out" 2>/dev/null
  rm -rf "$ROLLING_WORK"
}
