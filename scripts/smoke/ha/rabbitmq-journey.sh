#!/usr/bin/env bash
# Smoke journey of a broker node's death, for `scripts/stack-smoke.sh --ha` (a stack up with --ha):
#
#   . scripts/smoke/ha/rabbitmq-journey.sh && journey_rabbitmq
#
# Uses B (the entry point), REPO (the repository root), STACK_DIR and the global counters PASSED and
# FAILED; its helpers are scripts/smoke/ha/lib.sh and the stack's own libraries. Needs curl and jq.
#
# The journey: the job queue is a quorum queue with a member on each of the 3 nodes. HA_CLIENTS users,
# each in a loop for HA_SECONDS, ask for a report (with an Idempotency-Key, retried as a client does)
# and wait for it before the next. HA_KILL_AFTER seconds in, ./stack kill rabbitmq 1 SIGKILLs the
# node the queue's leader is on; ./stack restart rabbitmq brings it back into the cluster. Then every
# report whose request was answered 202 is done, none is lost or failed, and requests failed after
# retries only inside the failover window, which is printed.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

journey_rabbitmq() {
  local WORK STATUS BODY TOKEN USER_ID
  WORK=$(mktemp -d /tmp/rabbitmq-journey.XXXXXX)
  local clients=${HA_CLIENTS:-4} seconds=${HA_SECONDS:-40} kill_after=${HA_KILL_AFTER:-10}
  local c pids=() queues leader victim killed kill_start kill_ms

  section "rabbitmq node death: $clients users asking for reports for ${seconds}s, the leader's node SIGKILLed after ${kill_after}s"
  queues=$(rabbitmq_queues)
  check "report-jobs is a quorum queue with a member on each node: $(awk '$1 == "report-jobs"' <<<"$queues")" \
    test "$(awk '$1 == "report-jobs" && $2 == "quorum" { print $4 }' <<<"$queues")" = 3
  for ((c = 1; c <= clients; c++)); do
    sign_up "mq-$c-$RANDOM$RANDOM@example.com" "mq-pass-$RANDOM-$RANDOM" "MQ $c" >/dev/null
    [[ -n $TOKEN ]] || { fail "user $c could not sign up: $STATUS ${BODY:0:200}"; return; }
    ha_reporter "$c" "$TOKEN" "$seconds" >"$WORK/client-$c.log" 2>&1 &
    pids+=($!)
  done

  sleep "$kill_after"
  leader=$(awk '$1 == "report-jobs" { print $3 }' <<<"$(rabbitmq_queues)")
  victim=${leader#*-} victim=${victim%%@*}
  [[ " ${HA_NODES[*]} " == *" $victim "* ]] || victim=1
  kill_start=$(now_ms)
  killed=$("$REPO/stack" kill rabbitmq "$victim" 2>&1)
  kill_ms=$(now_ms)
  check "./stack kill rabbitmq $victim (the queue's leader, $leader): $killed" grep -q "^killed rabbitmq-$victim " <<<"$killed"
  sleep 5
  check "./stack restart rabbitmq: the node rejoins the cluster" quietly "$REPO/stack" restart rabbitmq
  wait "${pids[@]}"

  section "rabbitmq node death: every accepted report is done"
  local accepted done_ids failed_ids
  cat "$WORK"/client-*.log | awk '$2 == "accepted" { print $3 }' | sort -u >"$WORK/accepted"
  accepted=$(wc -l <"$WORK/accepted")
  done_ids=$(cat "$WORK"/client-*.log | awk '$2 == "done" { print $3 }' | sort -u | wc -l)
  failed_ids=$(cat "$WORK"/client-*.log | awk '$2 == "notdone" { print $3 " " $4 }')
  check "reports went on: $accepted accepted" test "$accepted" -gt 0
  check "no request for a report refused: $(cat "$WORK"/client-*.log | grep -c ' refused ')" \
    bash -c '! grep -q " refused " "$@"' _ "$WORK"/client-*.log
  check "every one of $accepted reports answered 202 is done: $done_ids done${failed_ids:+; not: $failed_ids}" \
    test "$done_ids" -eq "$accepted"
  queues=$(rabbitmq_queues)
  check "the queue has its 3 members again, leader $(awk '$1 == "report-jobs" { print $3 }' <<<"$queues")" \
    test "$(awk '$1 == "report-jobs" { print $4 }' <<<"$queues")" = 3
  ha_check_window "$kill_start" "$kill_ms" "$WORK"/client-*.log
  rm -rf "$WORK"
}

# rabbitmq_queues: "name type leader members" of every queue, asked of a node that runs
rabbitmq_queues() {
  local n
  for n in "${HA_NODES[@]}"; do
    rabbitmq_node "$n"
    pid_of "$RMQ_NAME" >/dev/null || continue
    (rabbitmq_env && rabbitmqctl -q -n "$RMQ_NODE" list_queues name type leader members --formatter json 2>/dev/null) |
      jq -r '.[] | "\(.name) \(.type) \(.leader) \(.members | length)"' 2>/dev/null && return 0
  done
}

ha_reporter() { # N TOKEN SECONDS: one user's loop; logs "accepted ID", then "done ID" or "notdone ID STATUS"
  local c=$1 end=$((SECONDS + $3)) i=0 t key id status WORK=$WORK/c$1
  mkdir -p "$WORK"
  local auth=(-H "Authorization: Bearer $2")
  while ((SECONDS < end)); do
    i=$((i + 1)) key=mq-$c-$i-$RANDOM
    ha_request POST /api/reports "${auth[@]}" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
      -d '{"type":"cart","format":"csv"}'
    [[ $STATUS == 202 ]] || { printf '%s refused %s %s\n' "$(now_ms)" "$STATUS" "${BODY:0:120}"; sleep 1; continue; }
    id=$(jq -r .id <<<"$BODY")
    printf '%s accepted %s\n' "$(now_ms)" "$id"
    status=
    for ((t = 0; t < 240; t++)); do   # 120 s: a job redelivered after its node died is done well within
      http GET "/api/reports/$id" "${auth[@]}"
      status=$(jq -r '.status // empty' <<<"$BODY" 2>/dev/null)
      [[ $status == done || $status == failed ]] && break
      sleep 0.5
    done
    if [[ $status == done ]]; then printf '%s done %s\n' "$(now_ms)" "$id"; else printf '%s notdone %s %s\n' "$(now_ms)" "$id" "${status:-$STATUS}"; fi
  done
}
