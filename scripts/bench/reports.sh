#!/usr/bin/env bash
# Reports: how jobs/s scale from one report-worker replica to two, with the front door measured apart.
# A round posts BENCH_JOBS reports through HAProxy (2 media-service replicas, wrk) while the workers
# are SIGSTOPped, so the POST rate is the front door's alone; then SIGCONTs the round's workers and
# times the drain until every report is announced done (on the user's Redis channel, as the WebSockets hear it).
# Rounds alternate 1 worker and 2 workers; the idle worker stays stopped, so both JVMs are equally warm
# (their broker heartbeat is raised for the run, or a stopped worker would be disconnected). Per round:
# POST/s, drain jobs/s, and the CPU each job took across the workers, Redis, RabbitMQ and S3Proxy
# (/proc utime + stime), and how busy the whole machine was during the drain (/proc/stat). Medians
# and the ratio are printed; asserts nothing.
#
#   BENCH_ROUNDS=3 BENCH_JOBS=2000 scripts/bench/reports.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib/jdk.sh"
BASE_PORT=${BENCH_PORT_BASE:-38000}
ROUNDS=${BENCH_ROUNDS:-3}
JOBS_PER_ROUND=${BENCH_JOBS:-2000}
WARM_JOBS=${BENCH_WARM_JOBS:-6000} # both workers' JIT settles after a few thousand jobs
PREFETCH=2                          # report-worker's worker.concurrency: jobs a stopped worker may hold

# A worker stays SIGSTOPped for a whole round: its heartbeat must outlast that (10 s by default).
WORKER_QUEUE_HEARTBEAT_SECONDS=300 \
STACK_SERVICES="auth-service cart-service media-service report-worker" side_stack "$BASE_PORT" up --replicas 2 >/dev/null
LB=http://127.0.0.1:$((BASE_PORT + 80))
REDIS_PORT=$((BASE_PORT + 379))
sid=$(session_on "$LB")
auth=(-H "Authorization: Bearer $sid")
user=$(curl -sf "$LB/api/auth/me" "${auth[@]}" | jq -r .id)
cart_line_on "$LB" "$sid" 3
curl -sf -X POST "$LB/api/cart/checkout" "${auth[@]}" -H "Idempotency-Key: bench-$RANDOM" >/dev/null

work=$(side_dir "$BASE_PORT")/bench-reports
mkdir -p "$work"
cat >"$work/post.lua" <<'LUA'
-- Half PDF, half CSV orders reports; no Idempotency-Key, so every POST is a new report. The two
-- requests are formatted once, with the -H headers (the session) and a JSON content type.
local n, requests = 0, nil
request = function()
  if not requests then
    wrk.headers["Content-Type"] = "application/json"
    requests = { wrk.format("POST", nil, nil, '{"type":"orders","format":"pdf"}'),
                 wrk.format("POST", nil, nil, '{"type":"orders","format":"csv"}') }
  end
  n = n + 1
  return requests[n % 2 + 1]
end
LUA
# Counts the announcements on the user's live channel (contracts' NotificationKeys.live), which the
# media-service replicas holding a socket of the user relay to it; the count is rewritten per message, so
# that polling it costs nothing (grep over the whole stream took a core).
echo 0 >"$work/announced"
REDISCLI_AUTH=$(cat "$(side_dir "$BASE_PORT")/secrets/redis-password") stdbuf -oL redis-cli -p "$REDIS_PORT" subscribe "notifications:live:$user" |
  awk -v f="$work/announced" '/report\.(done|failed)/ { n++; print n > f; close(f) }' &
SUBSCRIBER=$!
at_exit 'pkill -P $$ redis-cli 2>/dev/null; kill $SUBSCRIBER 2>/dev/null'
sleep 0.5

accepted() { side_redis_cli "$BASE_PORT" zcard "user-reports:$user"; } # reports created so far (one user)
announced() { local n; until n=$(cat "$work/announced") && [[ -n $n ]]; do :; done; echo "$n"; } # reports finished so far (the file is empty while awk rewrites it)
worker_pid() { side_pid "$BASE_PORT" "report-worker-$1"; }
pause() { local n; for n in "$@"; do kill -STOP "$(worker_pid "$n")"; done; }
resume() { local n; for n in "$@"; do kill -CONT "$(worker_pid "$n")"; done; }
state_pids() { # the processes a job costs CPU in: live workers, Redis, RabbitMQ, S3Proxy
  local f
  for f in "$(side_dir "$BASE_PORT")"/pids/{report-worker-*,redis,rabbitmq,s3}.pid; do
    [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
  done
  return 0
}
cpu_ticks() { local t=0 p; for p in $(state_pids); do t=$((t + $(ticks_of "$p"))); done; echo "$t"; }
proc_ticks() { # -> "pid name ticks" of every process; stack processes named by their pid file
  local f names=""
  for f in "$(side_dir "$BASE_PORT")"/pids/*.pid; do names+="$(cat "$f")=$(basename "$f" .pid) "; done
  awk -v names="$names" 'BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) { split(a[i], kv, "="); name[kv[1]] = kv[2] } }
    { pid = FILENAME; sub(/^\/proc\//, "", pid); sub(/\/stat$/, "", pid)
      print pid, (pid in name ? name[pid] : $2), $14 + $15 }' /proc/[0-9]*/stat 2>/dev/null
}
top_consumers() { # BEFORE AFTER SECONDS -> the six processes that took most CPU between the two snapshots
  awk -v secs="$3" -v tick="$TICK_US" 'NR == FNR { before[$1] = $3; next }
    { d = $3 - before[$1]; if (d > 0) share[$2] += d }
    END { for (p in share) printf "%s %.0f\n", p, 100 * share[p] * tick / 1e6 / secs }' <(echo "$1") <(echo "$2") |
    sort -k2,2nr | head -6 | awk '{ printf "%s%s %s%%", (NR > 1 ? ", " : ""), $1, $2 } END { print "" }'
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; } # busy total

post() { # JOBS -> POST/s of the front door; at least that many more reports wait in the queue
  local goal=$(($(accepted) + $1)) rates=""
  while (($(accepted) < goal)); do
    rates+="$(wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d1s -s "$work/post.lua" "${auth[@]}" "$LB/api/reports" |
      awk '/^Requests\/sec:/ { print $2 }') "
  done
  sleep 1 # what wrk left in flight is answered
  median <<<"$rates"
}
drain() { # HELD WORKER_NUMBERS... -> sets JOBS, JOBS_S, CPU_MS (per job), BUSY (% of the machine): resumes, waits
  local held=$1 ticks start target machine procs # held: jobs a stopped worker holds, not done in this round
  shift
  machine=$(machine_ticks) procs=$(proc_ticks)
  target=$(($(accepted) - held)) JOBS=$(($(accepted) - held - $(announced))) ticks=$(cpu_ticks) start=$(date +%s%N)
  resume "$@"
  until (($(announced) >= target)); do
    sleep 0.05
    (($(date +%s%N) - start < 600 * 10 ** 9)) || { echo "drain stuck at $(announced) of $target reports" >&2; exit 1; }
  done
  local ns=$(($(date +%s%N) - start))
  sleep 0.5 # the last acknowledgements reach the broker before the workers stop
  pause "$@"
  JOBS_S=$(awk -v n="$JOBS" -v ns="$ns" 'BEGIN { printf "%.1f", n / (ns / 1e9) }')
  CPU_MS=$(awk -v n="$JOBS" -v t="$(($(cpu_ticks) - ticks))" -v us="$TICK_US" 'BEGIN { printf "%.2f", t * us / 1000 / n }')
  TOP=$(top_consumers "$procs" "$(proc_ticks)" "$(awk -v ns="$ns" 'BEGIN { print ns / 1e9 }')")
  BUSY=$(awk -v a="$machine" -v b="$(machine_ticks)" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }')
}

echo "== warm-up: $WARM_JOBS reports by both workers (load: $(cut -d' ' -f1-3 /proc/loadavg))"
post "$WARM_JOBS" >/dev/null
until (($(announced) >= $(accepted))); do sleep 0.2; done
sleep 0.5
# BENCH_JFR=FILE: worker 1 records a JFR profile through all rounds (jfr view hot-methods FILE).
[[ -z ${BENCH_JFR:-} ]] || "$JAVA_HOME/bin/jcmd" "$(worker_pid 1)" JFR.start name=bench settings=profile >/dev/null
pause 1 2
declare -A POST_RATE DRAIN CPU MACHINE
echo "== $ROUNDS alternating rounds: $JOBS_PER_ROUND reports posted with the workers stopped, then the drain"
printf '%-8s %8s %8s %10s %14s %12s %14s\n' "round" "workers" "jobs" "POST/s" "drain jobs/s" "CPU ms/job" "machine busy"
for ((round = 1; round <= ROUNDS; round++)); do
  for workers in 1 2; do
    rate=$(post "$JOBS_PER_ROUND")
    # Alone, worker 1 leaves the prefetch that stopped worker 2 was handed; both do them next round.
    if ((workers == 1)); then drain "$PREFETCH" 1; else drain 0 1 2; fi
    printf '%-8s %8s %8s %10s %14s %12s %13s%%\n' "r$round" "$workers" "$JOBS" "$rate" "$JOBS_S" "$CPU_MS" "$BUSY"
    echo "         most CPU during the drain (% of one core): $TOP"
    POST_RATE[$workers]+="$rate " DRAIN[$workers]+="$JOBS_S " CPU[$workers]+="$CPU_MS " MACHINE[$workers]+="$BUSY "
  done
done

[[ -z ${BENCH_JFR:-} ]] || { resume 1; "$JAVA_HOME/bin/jcmd" "$(worker_pid 1)" JFR.stop name=bench filename="$(realpath -m "$BENCH_JFR")" >/dev/null; }
echo "== medians"
for workers in 1 2; do
  printf '%-8s %8s %8s %10s %14s %12s %13s%%\n' "median" "$workers" "" "$(median <<<"${POST_RATE[$workers]}")" \
    "$(median <<<"${DRAIN[$workers]}")" "$(median <<<"${CPU[$workers]}")" "$(median <<<"${MACHINE[$workers]}")"
done
echo "ratio 2 workers / 1 worker (drain): $(ratio "$(median <<<"${DRAIN[2]}")" "$(median <<<"${DRAIN[1]}")")"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
