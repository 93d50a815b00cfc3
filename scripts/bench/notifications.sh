#!/usr/bin/env bash
# Notifications: what a WebSocket of GET /api/notifications costs a media-service replica, how fast an event
# reaches it, and how long a replica's sockets take to come back on the other one when it dies. A side stack
# (auth-service, media-service, report-worker; 2 replicas each), the sockets opened by
# scripts/clients/notifications-load.mjs through HAProxy. Three parts (BENCH_PARTS):
#
#   memory   idle sockets (no event after each user's baseline) in steps of BENCH_IDLE_STEP sockets up to
#            BENCH_IDLE_MAX, each step one more load process of its own users held open (--hold-until);
#            per step and replica: the sockets it holds (the load's status file), heap used after a full GC
#            (jcmd GC.run, then jstat -gc) and VmRSS. Medians per step over the rounds, the slope (bytes per
#            socket, least squares over the steps) and, once, the classes the sockets added on the heap
#            (GC.class_histogram at the top step minus at 0).
#   latency  BENCH_CLIENTS sockets of BENCH_USERS users, reports at BENCH_RATE/s for BENCH_EVENTS rounds:
#            publish -> receive p50/p99 of live events and the verdict, per round; medians.
#   storm    the same sockets, reports going on; the replica holding most sockets is SIGKILLed; the time
#            until every socket is open again on the survivor (status file, 0.2 s resolution), the close ->
#            reopen percentiles of the sockets the dead one closed, the events replayed after the reconnect,
#            the verdict (nothing lost, nothing twice); then ./stack restart of the killed replica.
#
# HAProxy: the upgrades go to the media-service-sockets backend, whose servers are not bound by the request
# maxconn (scripts/lib/haproxy.sh, HAPROXY_SOCKETS_PER_REPLICA); the benchmark prints their maxconn and
# HAProxy's global one. Asserts nothing.
#
#   flock /tmp/it-heavy.lock scripts/bench/notifications.sh
#   BENCH_ROUNDS=3 BENCH_PARTS="memory latency storm" BENCH_IDLE_MAX=4000 scripts/bench/notifications.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib/jdk.sh"
. "$ROOT/scripts/lib/deps.sh"
ensure_clients >/dev/null
BASE_PORT=${BENCH_PORT_BASE:-41000}
ROUNDS=${BENCH_ROUNDS:-3}
PARTS=${BENCH_PARTS:-memory latency storm}
IDLE_STEP=${BENCH_IDLE_STEP:-1000}     # sockets one load process adds (its own users, 40 sockets each)
IDLE_MAX=${BENCH_IDLE_MAX:-4000}
CLIENTS=${BENCH_CLIENTS:-1000}
USERS=${BENCH_USERS:-100}              # 10 sockets per user: each event goes to 10 sockets
RATE=${BENCH_RATE:-20}                 # reports/s, all users together: a round (one per user) every 5 s
EVENTS=${BENCH_EVENTS:-6}              # latency rounds per user
LOAD=(node "$CLIENTS_DIR/notifications-load.mjs")

STACK_SERVICES="auth-service media-service report-worker" side_stack "$BASE_PORT" up --replicas 2 >/dev/null
LB=http://127.0.0.1:$((BASE_PORT + 80))
DIR=$(side_dir "$BASE_PORT")
work=$DIR/bench-notifications
mkdir -p "$work"
at_exit 'for p in $(jobs -p); do kill "$p" 2>/dev/null; done'

haproxy_admin() { echo "$1" | socat -t 2 - "UNIX-CONNECT:$(find "$DIR" -name '*.sock' -path '*haproxy*' | head -1)"; }
socket_slim() { haproxy_admin "show stat" | awk -F, '$1 == "media-service-sockets" && $2 ~ /-ws$/ && $18 != "MAINT" { printf "%s=%s ", $2, $7 }'; }
echo "== sockets' servers' maxconn in HAProxy: $(socket_slim); global maxconn $(haproxy_admin "show info" | awk -F': ' '/^Maxconn/ { print $2 }'), ulimit -n $(ulimit -n)"

machine() { echo "load $(cut -d' ' -f1-3 /proc/loadavg), $(ps -eo pcpu,comm --sort=-pcpu | awk 'NR > 1 && NR <= 5 { printf "%s%s %s%%", (NR > 2 ? ", " : ""), $2, $1 }')"; }
media_pid() { side_pid "$BASE_PORT" "media-service-$1"; }
# the replica's number in a status file key (X-Served-By, e.g. media-service/media-service-2)
open_on() { jq -r --arg n "$2" '[.openByReplica | to_entries[] | select(.key | test("-" + $n + "$")) | .value] | add // 0' "$1"; }
open_total() { jq -r '.open' "$1"; }
heap_kib() { # PID -> heap used after a full GC, KiB (young + old; serial GC)
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jstat" -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { printf "%.0f\n", $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"] }'
}
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
wait_file() { # FILE SECONDS PID: until FILE exists; fails when PID ended first or time ran out
  local t=$(($(date +%s) + $2))
  until [[ -f $1 ]]; do
    kill -0 "$3" 2>/dev/null || { echo "load process ended before $1" >&2; return 1; }
    (($(date +%s) < t)) || { echo "no $1 within $2 s" >&2; return 1; }
    sleep 0.2
  done
}
pct() { jq -r "$2" "$1"; }

# ---- memory: idle sockets --------------------------------------------------------------------------------
part_memory() {
  local round step k n pids=() sockets
  declare -gA HEAP RSS HELD
  echo "== memory: idle sockets in steps of $IDLE_STEP up to $IDLE_MAX, $ROUNDS rounds ($(machine))"
  printf '%-6s %8s %10s %12s %12s %10s %12s %12s\n' round sockets "held r1" "heap r1 KiB" "RSS r1 KiB" "held r2" "heap r2 KiB" "RSS r2 KiB"
  for ((round = 1; round <= ROUNDS; round++)); do
    rm -f "$work"/idle-*
    pids=()
    for ((step = 0; step <= IDLE_MAX; step += IDLE_STEP)); do
      if ((step > 0)); then
        k=$((step / IDLE_STEP))
        "${LOAD[@]}" --base "$LB" --clients "$IDLE_STEP" --users $((IDLE_STEP / 40)) --events 0 --connect-wait 120 --wait 30 \
          --ready-file "$work/idle-ready-$k" --hold-until "$work/idle-release" --status-file "$work/idle-status-$k" \
          >"$work/idle-load-$round-$k.out" 2>&1 &
        pids+=($!)
        wait_file "$work/idle-ready-$k" 300 "${pids[-1]}"
        sleep 2 # the status files are rewritten every second
      fi
      local line="r$round $step" held heap rss
      for n in 1 2; do
        held=0
        for f in "$work"/idle-status-*; do [[ -f $f ]] && held=$((held + $(open_on "$f" "$n"))); done
        heap=$(heap_kib "$(media_pid "$n")") rss=$(rss_kib "$(media_pid "$n")")
        line+=" $held $heap $rss"
        HEAP[$step,$n]+="$heap " RSS[$step,$n]+="$rss " HELD[$step,$n]+="$held "
      done
      printf '%-6s %8s %10s %12s %12s %10s %12s %12s\n' $line
      if ((round == 1)); then
        if ((step == 0)); then "$JAVA_HOME/bin/jcmd" "$(media_pid 1)" GC.class_histogram >"$work/histo-0.txt"; fi
        if ((step + IDLE_STEP > IDLE_MAX)); then "$JAVA_HOME/bin/jcmd" "$(media_pid 1)" GC.class_histogram >"$work/histo-top.txt"; fi
      fi
    done
    touch "$work/idle-release"
    for p in "${pids[@]}"; do wait "$p" || true; done
    # an idle run requests no report, so the load's verdict says FAIL (it wants one accepted report); its
    # violations (a socket that missed or repeated its user's baseline event, a resync, a 4401) are what counts
    echo "   violations of the idle loads: $(sed -n 's/^verdict: .*(\([0-9]*\) violations)/\1/p' "$work"/idle-load-"$round"-*.out | paste -sd+ | bc);" \
      "$(grep -h '^refused upgrades' "$work"/idle-load-"$round"-*.out | sort | uniq -c | tr -s ' ' | paste -sd';')"
    sleep 3
  done
  echo "== memory medians per step ($(machine))"
  printf '%8s %10s %12s %12s %10s %12s %12s\n' sockets "held r1" "heap r1 KiB" "RSS r1 KiB" "held r2" "heap r2 KiB" "RSS r2 KiB"
  local pts_heap="" pts_rss=""
  for ((step = 0; step <= IDLE_MAX; step += IDLE_STEP)); do
    local line="$step"
    for n in 1 2; do
      local h=$(median <<<"${HELD[$step,$n]}") hp=$(median <<<"${HEAP[$step,$n]}") r=$(median <<<"${RSS[$step,$n]}")
      line+=" $h $hp $r"
      pts_heap+="$h $hp\n" pts_rss+="$h $r\n"
    done
    printf '%8s %10s %12s %12s %10s %12s %12s\n' $line
  done
  # least squares over every (sockets held, KiB) point of both replicas: the bytes one socket adds
  slope() { printf "$1" | awk '{ n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 } END { b = (n * sxy - sx * sy) / (n * sxx - sx * sx); printf "%.0f bytes/socket (intercept %.0f MiB)", b * 1024, (sy - b * sx) / n / 1024 }'; }
  echo "slope heap after full GC: $(slope "$pts_heap")"
  echo "slope RSS:                $(slope "$pts_rss")"
  echo "== heap of replica 1 the idle sockets added (class histogram at the top step minus at 0, top 15 by bytes)"
  awk 'FNR == NR { if ($1 ~ /^[0-9]+:$/) { b[$4] = $3; c[$4] = $2 } next }
       $1 ~ /^[0-9]+:$/ { d = $3 - b[$4]; if (d > 0) printf "%12d %9d %s\n", d, $2 - c[$4], $4 }' \
    "$work/histo-0.txt" "$work/histo-top.txt" | sort -nr | sed -n '1,15s/^/   /p' # all of sort's output read: no SIGPIPE under pipefail
  echo "   (bytes, instances, class)"
}

# ---- latency: a steady event rate to many sockets ---------------------------------------------------------
part_latency() {
  local round
  declare -ga LAT50=() LAT99=()
  echo "== latency: $CLIENTS sockets of $USERS users, $RATE reports/s, $EVENTS rounds per user, $ROUNDS rounds ($(machine))"
  printf '%-6s %10s %9s %9s %9s %9s %8s  %s\n' round held "events" "p50 ms" "p90 ms" "p99 ms" "max ms" verdict
  for ((round = 1; round <= ROUNDS; round++)); do
    local out=$work/latency-$round
    "${LOAD[@]}" --base "$LB" --clients "$CLIENTS" --users "$USERS" --events "$EVENTS" --rate "$RATE" --wait 90 \
      --latency --json "$out.json" --status-file "$out.status" --ready-file "$out.ready" >"$out.out" 2>&1 &
    local pid=$!
    wait_file "$out.ready" 300 "$pid"
    sleep 2
    local held="$(open_on "$out.status" 1)/$(open_on "$out.status" 2)"
    wait "$pid" || true
    printf '%-6s %10s %9s %9s %9s %9s %8s  %s\n' "r$round" "$held" "$(pct "$out.json" .latency.live.n)" \
      "$(pct "$out.json" .latency.live.p50)" "$(pct "$out.json" .latency.live.p90)" "$(pct "$out.json" .latency.live.p99)" \
      "$(pct "$out.json" .latency.live.max)" "$(grep '^verdict' "$out.out")"
    LAT50+=("$(pct "$out.json" .latency.live.p50)") LAT99+=("$(pct "$out.json" .latency.live.p99)")
    sleep 3
  done
  echo "median p50 $(median <<<"${LAT50[*]}") ms, median p99 $(median <<<"${LAT99[*]}") ms ($(machine))"
}

# ---- storm: SIGKILL the replica holding most sockets -------------------------------------------------------
part_storm() {
  local round
  declare -ga ALL=() R50=() R99=() RMAX=()
  echo "== storm: $CLIENTS sockets of $USERS users, reports at $RATE/s; SIGKILL of the replica holding most; $ROUNDS rounds ($(machine))"
  printf '%-6s %8s %8s %12s %9s %9s %9s %12s  %s\n' round killed held "all back s" "p50 ms" "p99 ms" "max ms" "replayed" verdict
  for ((round = 1; round <= ROUNDS; round++)); do
    local out=$work/storm-$round
    rm -f "$out".*
    "${LOAD[@]}" --base "$LB" --clients "$CLIENTS" --users "$USERS" --events 2 --rate "$RATE" --until "$out.stop" --wait 120 \
      --latency --json "$out.json" --status-file "$out.status" --ready-file "$out.ready" >"$out.out" 2>&1 &
    local pid=$!
    wait_file "$out.ready" 300 "$pid"
    sleep 6 # events flowing on every socket
    local a b victim held
    a=$(open_on "$out.status" 1) b=$(open_on "$out.status" 2)
    if ((a >= b)); then victim=1 held=$a; else victim=2 held=$b; fi
    local t0=$(date +%s%N)
    kill -KILL "$(media_pid "$victim")"
    sleep 0.5
    until [[ $(open_total "$out.status") == "$CLIENTS" && $(open_on "$out.status" "$victim") == 0 ]]; do
      sleep 0.2
      (($(date +%s%N) - t0 < 120 * 10 ** 9)) || break
    done
    local back=$(awk -v ns="$(($(date +%s%N) - t0))" 'BEGIN { printf "%.1f", ns / 1e9 }') # status file: +1 s resolution
    sleep 6 # events flowing on the survivor
    touch "$out.stop"
    wait "$pid" || true
    local key
    key=$(jq -r --arg n "$victim" '.latency.reopenByReplica | keys[] | select(test("-" + $n + "$"))' "$out.json" | head -1)
    local p50 p99 max
    p50=$(jq -r --arg k "$key" '.latency.reopenByReplica[$k].p50' "$out.json")
    p99=$(jq -r --arg k "$key" '.latency.reopenByReplica[$k].p99' "$out.json")
    max=$(jq -r --arg k "$key" '.latency.reopenByReplica[$k].max' "$out.json")
    printf '%-6s %8s %8s %12s %9s %9s %9s %12s  %s\n' "r$round" "$victim" "$held" "$back" "$p50" "$p99" "$max" \
      "$(pct "$out.json" .latency.replayed.n)" "$(grep '^verdict' "$out.out")"
    echo "       $(grep '^events:' "$out.out"); $(grep '^closes:' "$out.out"); $(grep '^refused' "$out.out")"
    ALL+=("$back") R50+=("$p50") R99+=("$p99") RMAX+=("$max")
    side_stack "$BASE_PORT" restart media-service "$victim" >/dev/null
    sleep 5
  done
  echo "median: all back $(median <<<"${ALL[*]}") s, close->reopen p50 $(median <<<"${R50[*]}") ms p99 $(median <<<"${R99[*]}") ms max $(median <<<"${RMAX[*]}") ms ($(machine))"
}

echo "== JVM of the media-service replicas: $(tr '\0' ' ' </proc/"$(media_pid 1)"/cmdline | grep -o -- '-X[^ ]*' | tr '\n' ' ')"
for part in $PARTS; do "part_$part"; done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
