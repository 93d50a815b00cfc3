# The helpers of the failover journeys under scripts/smoke/ha/, on top of scripts/smoke/lib.sh, and the
# stack's own libraries for its nodes (STACK_DIR and STACK_PORT_BASE come from the environment, as
# ./stack takes them). Sourced, never run.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/redis.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/rabbitmq.sh"

# ha_request METHOD PATH ARGS...: one call as a client makes it: retried on 5xx or no answer, at most
# 40 times 0.25 s apart (10 s, the failover's bound); every retried answer logged with its time.
ha_request() {
  local try
  for ((try = 1; try <= 40; try++)); do
    http "$@"
    [[ $STATUS =~ ^(000|5..)$ ]] || return 0
    printf '%s retry %s %s %s\n' "$(now_ms)" "$STATUS" "$1" "$2"
    sleep 0.25
  done
  printf '%s gaveup %s %s %s\n' "$(now_ms)" "$STATUS" "$1" "$2"
}

# ha_check_window KILL_START_MS KILL_MS LOG...: from the clients' logs (ha_request's lines), the failover
# window as the clients saw it (printed), and two steps: no request failed after its retries, and
# none was retried before the kill.
ha_check_window() {
  local kill_start=$1 kill_ms=$2 all retries gaveup first_retry last_retry
  shift 2
  all=$(cat "$@" | sort -n)
  retries=$(grep -c ' retry ' <<<"$all")
  gaveup=$(grep -c ' gaveup ' <<<"$all")
  first_retry=$(awk '$2 == "retry" { print $1; exit }' <<<"$all")
  last_retry=$(awk '$2 == "retry" { t = $1 } END { print t }' <<<"$all")
  if ((retries)); then
    say "        failover window: $retries answers retried ($(tally $(awk '$2 == "retry" { print $3 }' <<<"$all"))), from $(((first_retry - kill_ms) / 100))00 ms to $(((last_retry - kill_ms) / 100))00 ms after the kill"
  else
    say "        failover window: no answer needed a retry"
  fi
  check "no request failed after its retries: $gaveup" test "$gaveup" -eq 0
  check "every retried answer came after the kill" test "${first_retry:-$kill_start}" -ge "$kill_start"
}
