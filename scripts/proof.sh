#!/usr/bin/env bash
# The proof under load and faults (figures in docs/proof.md): each scenario runs on a fresh private stack
# (2 replicas of every service), puts the Gatling user journeys on it through the
# random load balancer, injects its faults, and reads every invariant back at the end.
#
#   scripts/proof.sh [SCENARIO...]      default: baseline kill rolling scale demo
#
#   baseline  the load, no faults
#   kill      a random replica of a random service SIGKILLed every 20 s and started again
#   rolling   SIGTERM rolling restarts of every replica, one after the other, for the whole run
#   scale     cart-service scaled 2 -> 4 -> 2 under the load
#   backing   Redis and RabbitMQ SIGKILLed and restarted (AOF: nothing lost), replicas too
#   ha        on ./stack up --ha: the Redis primary SIGKILLed every PROOF_REDIS_INTERVAL [60] s (a replica
#             is promoted, the old primary comes back as a replica), a broker node every
#             PROOF_RABBITMQ_INTERVAL [90] s (started again 5 s later), replicas every PROOF_KILL_INTERVAL
#   demo      baseline again in the stateful demo mode (sessions in replica memory)
#
# Env: PROOF_USERS [5000] concurrent virtual users, PROOF_RAMP [120] s, PROOF_DURATION [300] s,
# PROOF_THINK [3] s, PROOF_BCRYPT_COST [6], PROOF_KILL_INTERVAL [20] s, PROOF_KILLS [0: no limit], PROOF_PORT_BASE [29000], PROOF_PORT [29080],
# PROOF_OUT [load-tests/target/proof/<time>]. Prints one line per scenario and writes
# $PROOF_OUT/proof.md; exits non-zero if any scenario's invariants (demo excepted) are not 0.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
USERS=${PROOF_USERS:-5000} RAMP=${PROOF_RAMP:-120} DURATION=${PROOF_DURATION:-300} THINK=${PROOF_THINK:-3}
KILL_INTERVAL=${PROOF_KILL_INTERVAL:-20} KILLS=${PROOF_KILLS:-0}
OUT=${PROOF_OUT:-$ROOT/load-tests/target/proof/$(date -u +%Y%m%d-%H%M%S)}
# Below the kernel's ephemeral range (32768-60999 by default): while chaos has a replica down,
# any program's bind(0) or outgoing connection could take a port from that range, and the
# replica could not start again.
export STACK_PORT_BASE=${PROOF_PORT_BASE:-29000} STACK_PORT=${PROOF_PORT:-29080}
# Every arrival logs in (a bcrypt verify) on the production path. At the production cost 10 a
# verify takes about 80 ms of CPU here: 5,000 logins in a 120 s ramp would need 3.4 of this
# machine's 2 cores on hashing alone. The proof is about state, so it hashes at cost 6 (about
# 5 ms) unless told otherwise, and says so in its report beside the production cost.
export STACK_BCRYPT_COST=${PROOF_BCRYPT_COST:-6}
unset STACK_SERVICES
mkdir -p "$OUT"
SCENARIOS=("$@")
((${#SCENARIOS[@]})) || SCENARIOS=(baseline kill rolling scale demo)
for s in "${SCENARIOS[@]}"; do
  [[ $s == @(baseline|kill|rolling|scale|backing|ha|demo) ]] || { echo "proof: unknown scenario '$s'" >&2; exit 2; }
done

fault() { echo "$(date +%s%3N) $*" >>"$STACK_DIR/faults.log"; echo "$(date +%T)  $*"; }

faults_for() { # SCENARIO: runs in the background during the load (stopped when it ends)
  sleep "${PROOF_WARMUP:-25}"   # Maven and Gatling start before the first user arrives
  case $1 in
    kill) "$ROOT/stack" chaos --interval "$KILL_INTERVAL" --count "$KILLS" --duration "$((RAMP + DURATION + 60))" ;;
    rolling) sleep "$RAMP"; "$ROOT/stack" chaos --rolling --interval 1 --duration "$DURATION" ;;
    backing) "$ROOT/stack" chaos --interval "$KILL_INTERVAL" --duration "$((RAMP + DURATION + 60))" --redis --rabbitmq ;;
    ha)
      "$ROOT/stack" chaos --interval "$KILL_INTERVAL" --duration "$((RAMP + DURATION + 60))" &
      every "${PROOF_REDIS_INTERVAL:-60}" ha_kill_redis &
      every "${PROOF_RABBITMQ_INTERVAL:-90}" ha_kill_rabbitmq &
      wait ;;
    scale)
      sleep "$((RAMP + DURATION / 4))"
      fault "scale cart-service 2 -> 4"; "$ROOT/stack" scale cart-service 4 && fault "cart-service has 4 replicas"
      sleep "$((DURATION / 4))"
      fault "scale cart-service 4 -> 2"; "$ROOT/stack" scale cart-service 2 && fault "cart-service has 2 replicas" ;;
    *) : ;;
  esac
}

every() { # SECONDS COMMAND: COMMAND every SECONDS, the last one 20 s before the load ends, so that the
  # failover it starts is over when the load's own read-back of every user begins
  local end=$((SECONDS + RAMP + DURATION - 20))
  while sleep "$1" && ((SECONDS < end)); do "$2"; done
}

ha_kill_redis() {
  fault "SIGKILL the redis primary: $("$ROOT/stack" kill redis 2>&1)"
  "$ROOT/stack" restart redis >/dev/null 2>&1 && fault "old redis primary back as a replica"
}

ha_kill_rabbitmq() {
  fault "SIGKILL a broker node: $("$ROOT/stack" kill rabbitmq 2>&1)"
  sleep 5
  "$ROOT/stack" restart rabbitmq >/dev/null 2>&1 && fault "broker node back in the cluster"
}

figure() { # SUMMARY LABEL: the number after "LABEL:" (or "| LABEL |") in a summary
  grep -i -m1 -E "$2" "$1" 2>/dev/null | grep -oE '[0-9]+([.][0-9]+)?' | head -n1
}

run_scenario() { # SCENARIO
  local s=$1 load_status faults_pid summary
  export STACK_DIR=$OUT/$s/stack
  mkdir -p "$OUT/$s"
  local mode=--stateless topology=--single
  [[ $s == demo ]] && mode=--stateful-demo
  [[ $s == ha ]] && topology=--ha
  echo "==> $s: ./stack up --replicas 2 $mode $topology, $USERS users, ${RAMP}s ramp, ${DURATION}s"
  if ! "$ROOT/stack" up --replicas 2 "$mode" "$topology" >"$OUT/$s/stack-up.log" 2>&1; then
    tail -n 20 "$OUT/$s/stack-up.log"; "$ROOT/stack" down >/dev/null 2>&1; return 1
  fi
  : >"$STACK_DIR/faults.log"
  faults_for "$s" >"$OUT/$s/faults.txt" 2>&1 &
  faults_pid=$!
  "$ROOT/scripts/load.sh" -Drun="proof-$s-$(basename "$OUT")" -Dusers="$USERS" -Dramp="$RAMP" -Dduration="$DURATION" \
    -Dthink="$THINK" -Dfaults="$STACK_DIR/faults.log" >"$OUT/$s/load.log" 2>&1
  load_status=$?
  # ./stack chaos or scale is a child of the fault subshell: stop it too, or it would start
  # replicas again after ./stack down
  pkill -TERM -P "$faults_pid" 2>/dev/null; kill "$faults_pid" 2>/dev/null; wait "$faults_pid" 2>/dev/null
  sleep 1
  summary=$(sed -n 's/^summary: //p' "$OUT/$s/load.log" | tail -n1)
  [[ -f $summary ]] && cp "$summary" "$OUT/$s/summary.md" && cp "$(dirname "$summary")"/*.svg "$OUT/$s/" 2>/dev/null
  "$ROOT/stack" down >"$OUT/$s/stack-down.log" 2>&1
  echo "$s $load_status" >>"$OUT/status"
  printf '    load exit %s; faults: %s; summary: %s\n' "$load_status" "$(grep -c . "$STACK_DIR/faults.log")" "$OUT/$s/summary.md"
  grep -iE 'lost|duplicate|missing|not done|corrupt|logged out|failed requests|requests' "$OUT/$s/summary.md" 2>/dev/null | head -n 14 | sed 's/^/    /'
}

: >"$OUT/status"
for s in "${SCENARIOS[@]}"; do run_scenario "$s"; done

{
  echo "# Proof under load: $(date -u '+%F %H:%M') UTC, $(nproc) cores"
  echo
  echo "\`PROOF_USERS=$USERS PROOF_RAMP=$RAMP PROOF_DURATION=$DURATION PROOF_THINK=$THINK PROOF_BCRYPT_COST=$STACK_BCRYPT_COST scripts/proof.sh ${SCENARIOS[*]}\`"
  echo
  echo "bcrypt cost $STACK_BCRYPT_COST for this run (the production default is 10)."
  echo
  for s in "${SCENARIOS[@]}"; do
    echo "## $s (load exit $(awk -v s="$s" '$1 == s { print $2 }' "$OUT/status"))"
    echo
    [[ -f $OUT/$s/summary.md ]] && sed '1{/^# /d}' "$OUT/$s/summary.md" || echo "(no summary: see $OUT/$s/load.log)"
    echo
  done
} >"$OUT/proof.md"
echo "proof: $OUT/proof.md"
awk '$1 != "demo" && $2 != 0 { bad = 1 } END { exit bad }' "$OUT/status"
