# ./stack chaos: faults injected into a running stack while a load runs, the way
# a cluster has them (a pod OOM-killed, a node drained, a rolling update, the
# Redis or RabbitMQ primary restarting). Every fault is written with its time to
# $STACK_DIR/faults.log ("<epoch-ms> <what>"), which the load report plots.
# Sourced by ./stack.

FAULTS_LOG=$STACK_DIR/faults.log

fault() { # WHAT: record and print one event
  local t
  t=$(now_ms)
  echo "$t $*" >>"$FAULTS_LOG"
  printf '%s  %s\n' "$(date -d "@${t:0:10}" '+%T')" "$*"
}

chaos_usage() {
  cat <<EOF
Usage: ./stack chaos [OPTIONS]
  --interval S     seconds between faults                          [20]
  --duration S     stop after S seconds (0: until Ctrl-C)          [0]
  --count N        stop after N faults (0: no limit)               [0]
  --services LIST  services whose replicas are killed              [all that run]
  --rolling        instead of SIGKILLs: SIGTERM rolling restarts of every replica, one
                   after the other, each waiting for the previous to be ready and routed
  --redis          also restart Redis (SIGKILL; AOF with fsync always loses nothing) every
                   third fault; with --ha, SIGKILL the primary, which Sentinel replaces
  --rabbitmq       also restart RabbitMQ (SIGKILL) every third fault; with --ha, one random node
Faults are logged to $FAULTS_LOG ("<epoch-ms> <what>").
EOF
}

cmd_chaos() {
  local interval=20 duration=0 count=0 services=($(services_with_replicas)) rolling=0 redis=0 rabbitmq=0
  while (($#)); do
    case $1 in
      --interval) interval=${2:-}; shift 2 || die "--interval needs seconds" ;;
      --duration) duration=${2:-}; shift 2 || die "--duration needs seconds" ;;
      --count) count=${2:-}; shift 2 || die "--count needs a number" ;;
      --services) IFS=', ' read -r -a services <<<"${2:-}"; shift 2 || die "--services needs a list" ;;
      --rolling) rolling=1; shift ;;
      --redis) redis=1; shift ;;
      --rabbitmq) rabbitmq=1; shift ;;
      -h | --help) chaos_usage; return 0 ;;
      *) die "chaos: unknown argument '$1' (./stack chaos --help)" ;;
    esac
  done
  [[ $interval =~ ^[0-9]+$ ]] && ((interval >= 1)) || die "--interval must be a whole number of seconds >= 1"
  [[ $duration =~ ^[0-9]+$ ]] || die "--duration must be a whole number of seconds"
  [[ $count =~ ^[0-9]+$ ]] || die "--count must be a whole number"
  local svc
  for svc in "${services[@]}"; do is_service "$svc" || die "--services: unknown service '$svc'"; done
  pid_of haproxy >/dev/null || die "no stack runs in $STACK_DIR (./stack up first)"
  check_port_layout
  load_java
  local end=$((duration ? SECONDS + duration : 0)) n=0 backing=() what
  ((redis)) && backing+=(redis)
  ((rabbitmq)) && backing+=(rabbitmq)
  trap 'fault "chaos stopped"; exit 0' INT TERM
  if ((rolling)); then what="rolling restarts"; else what="a SIGKILL every ${interval}s"; fi
  fault "chaos started: $what of ${services[*]}${backing:+; restarts of ${backing[*]}}"
  while ((end == 0 || SECONDS < end)) && ((count == 0 || n < count)); do
    sleep "$interval"
    ((end && SECONDS >= end)) && break
    n=$((n + 1))
    if ((${#backing[@]})) && ((n % 3 == 0)); then
      chaos_restart_backing "${backing[$(((n / 3 - 1) % ${#backing[@]}))]}"
    elif ((rolling)); then
      chaos_rolling "${services[@]}"
    else
      chaos_kill_one "${services[@]}"
    fi
  done
  fault "chaos ended after $n faults"
}

chaos_kill_one() { # SERVICE...: SIGKILL a random live replica, start it again
  local candidates=() svc i name pid
  for svc in "$@"; do
    for i in $(live_replicas "$svc"); do candidates+=("$svc-$i"); done
  done
  ((${#candidates[@]})) || { fault "nothing to kill"; return 0; }
  name=${candidates[RANDOM % ${#candidates[@]}]}
  svc=${name%-*} i=${name##*-}
  kill_now "$name"
  fault "SIGKILL $name"
  chaos_start_again "$svc" "$i"
}

chaos_start_again() { # SERVICE I
  local name=$1-$2 try
  lock_stack
  # The start runs in a subshell: one that dies (another program took the port while the
  # replica was down) must not end the chaos run and leave the replica down for good. It is
  # tried three times; a replica that still does not come back is reported as such.
  for try in 1 2 3; do
    if (start_replica "$1" "$2" >/dev/null) && wait_replica "$1" "$2" >/dev/null &&
      { ! is_routed "$1" || wait_routed "$name" >/dev/null; }; then
      fault "$name ready again"
      exec 9>&-
      return 0
    fi
    fault "$name did not start (attempt $try, see $(replica_log "$1" "$2"))"
    sleep 2
  done
  fault "$name did NOT come back"
  exec 9>&-
}

chaos_rolling() { # SERVICE...: every replica, one at a time, SIGTERM then start
  local svc i
  for svc in "$@"; do
    for i in $(live_replicas "$svc"); do
      fault "SIGTERM $svc-$i (rolling restart)"
      stop_replica "$svc" "$i"
      chaos_start_again "$svc" "$i"
    done
  done
}

chaos_restart_backing() { # redis|rabbitmq
  local pid name=$1 start=${1}_start wait=${1}_wait
  if [[ $1 == redis ]] && stack_ha; then   # the primary; it comes back as a replica of the new one
    name=redis-$(redis_primary) || { fault "no Redis primary to kill"; return 0; }
    start=redis_ha_start wait=redis_ha_wait
  elif [[ $1 == rabbitmq ]] && stack_ha; then   # one node of the cluster; it rejoins
    name=rabbitmq-${HA_NODES[RANDOM % ${#HA_NODES[@]}]}
  fi
  pid=$(pid_of "$name") && kill -9 "$pid" && wait_pid_gone "$pid" 10
  fault "SIGKILL $name"
  lock_stack
  if "$start" >/dev/null && "$wait" >/dev/null; then
    wait_routed $(live_routed_replicas) >/dev/null
    fault "$name back"
  else
    fault "$name did NOT come back"
  fi
  exec 9>&-
}
