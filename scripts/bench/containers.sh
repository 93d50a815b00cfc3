#!/usr/bin/env bash
# Benchmark of the container images, in one run on this machine:
#   1. image sizes (./stack images);
#   2. start-to-ready of each service as a bare process (`java -jar`, STACK_JAVA_OPTS) and as a
#      container with the chart's limits (1 CPU, its memory), interleaved, median of BENCH_RUNS;
#   3. the smallest memory limit (of BENCH_LIMITS MiB) under which each service gets ready;
#   4. the heap the JVM picks in the chart's limit (JDK_JAVA_OPTIONS of the chart);
#   5. peak memory of every container under the proof's smoke load (BENCH_USERS users for
#      BENCH_DURATION s through HAProxy), from the engine (docker stats: usage without page
#      cache, sampled) and the kernel (cgroup max usage, page cache included), against the limit.
# Prints figures (Markdown); asserts nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${BENCH_RUNS:-3}
SERVICES=${BENCH_SERVICES:-auth-service cart-service media-service report-worker}
LIMITS=${BENCH_LIMITS:-64 96 128 160 192 256}
USERS=${BENCH_USERS:-200} DURATION=${BENCH_DURATION:-60}

export STACK_DIR=${STACK_DIR:-$(mktemp -d /tmp/bench-containers.XXXXXX)}
export STACK_PORT_BASE=${BENCH_PORT_BASE:-39000} STACK_PORT=${BENCH_PORT:-39080}
. "$ROOT/scripts/lib/jdk.sh"
for lib in common deps redis rabbitmq s3proxy services containers; do . "$ROOT/scripts/lib/$lib.sh"; done
is_service() { [[ " ${ALL_SERVICES[*]} " == *" $1 "* ]]; }
trap '"$ROOT/stack" down >/dev/null 2>&1 || true' EXIT

"$ROOT/stack" images
docker_up
echo
echo "### Image sizes"
echo
echo "| image | size |"
echo "| --- | --- |"
for svc in $LOCAL_BASE_IMAGE $(for s in $SERVICES; do service_image "$s"; done); do
  echo "| $svc | $(image_size "$svc") |"
done

# Backing servers only; this script starts the replicas itself, one at a time.
STACK_SERVICES=none "$ROOT/stack" up >/dev/null

ready_ms() { # SERVICE RUNTIME: ms from start_replica to ready, then stops it
  local start ms
  set_stack_choice runtime "$2" processes
  start=$(now_ms)
  start_replica "$1" 1 >/dev/null
  wait_replica "$1" 1 >/dev/null || { stop_replica "$1" 1; echo fail; return; }
  ms=$(($(now_ms) - start))
  stop_replica "$1" 1 >/dev/null
  echo "$ms"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }'; }
seconds() { awk -v ms="$1" 'BEGIN { if (ms ~ /^[0-9]+$/) printf "%.1f s", ms / 1000; else print ms }'; }

echo
echo "### Start to ready (median of $RUNS, interleaved)"
echo
echo "| service | process ($STACK_JAVA_OPTS) | container (chart limits) |"
echo "| --- | --- | --- |"
for svc in $SERVICES; do
  p=() c=()
  for ((r = 1; r <= RUNS; r++)); do
    p+=("$(ready_ms "$svc" processes)")
    c+=("$(ready_ms "$svc" containers)")
  done
  echo "| $svc | $(seconds "$(printf '%s\n' "${p[@]}" | median)") | $(seconds "$(printf '%s\n' "${c[@]}" | median)") (1 CPU, $(run_setting "$svc" .memoryLimit)) |"
done

echo
echo "### Smallest memory limit that gets ready (of: $LIMITS MiB)"
echo
echo "| service | smallest | chart limit |"
echo "| --- | --- | --- |"
set_stack_choice runtime containers processes
for svc in $SERVICES; do
  smallest=none
  for mib in $LIMITS; do
    if STACK_CONTAINER_MEMORY=${mib}m start_replica "$svc" 1 >/dev/null && wait_replica "$svc" 1 >/dev/null 2>&1; then
      smallest="$mib MiB"; stop_replica "$svc" 1 >/dev/null || true; break
    fi
    stop_replica "$svc" 1 >/dev/null 2>&1 || true  # a replica that never got ready may be gone already
  done
  echo "| $svc | $smallest | $(run_setting "$svc" .memoryLimit) |"
done

heap=$(docker run --rm --memory "$(run_setting auth-service .memoryLimitBytes)" --entrypoint /usr/bin/java \
  -e JDK_JAVA_OPTIONS="$(run_setting auth-service .env.JDK_JAVA_OPTIONS)" "$(service_image auth-service)" \
  -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" { printf "%.0f MiB", $4 / 1048576 }')
echo
echo "JVM heap in a $(run_setting auth-service .memoryLimit) container with JDK_JAVA_OPTIONS=$(run_setting auth-service .env.JDK_JAVA_OPTIONS): $heap"

"$ROOT/stack" down >/dev/null
STACK_BCRYPT_COST=${BENCH_BCRYPT_COST:-6} "$ROOT/stack" up --containers --replicas 2 >/dev/null
samples=$STACK_DIR/docker-stats.txt
( while :; do docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' --filter "label=clones.stack=$STACK_DIR" >>"$samples" 2>/dev/null; sleep 1; done ) &
sampler=$!
"$ROOT/scripts/load.sh" -Dusers="$USERS" -Dramp=20 -Dduration="$DURATION" -Dthink=3 >"$STACK_DIR/load.log" 2>&1 && load=ok || load="FAILED (see $STACK_DIR/load.log)"
kill "$sampler"; wait "$sampler" 2>/dev/null || true

echo
echo "### Memory under $USERS users for ${DURATION}s (load: $load)"
echo
echo "| container | peak working set (docker stats) | peak with page cache (cgroup) | limit |"
echo "| --- | --- | --- | --- |"
for svc in $SERVICES; do
  for i in 1 2; do
    name=$(container_name "$svc" "$i")
    peak=$(awk -v n="$name" '$1 == n { v = $2 + 0; u = $2; sub(/^[0-9.]+/, "", u)
      if (u == "GiB") v *= 1024; else if (u == "KiB") v /= 1024; else if (u == "B") v /= 1048576
      if (v > m) m = v } END { printf "%.0f", m }' "$samples")
    id=$(docker inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
    cg=$(cat /sys/fs/cgroup/memory/docker/"$id"/memory.max_usage_in_bytes /sys/fs/cgroup/memory/system.slice/docker-"$id".scope/memory.max_usage_in_bytes 2>/dev/null | head -n1 || true)
    echo "| $name | ${peak:-?} MiB | $([[ -n $cg ]] && echo "$((cg / 1048576)) MiB" || echo "?") | $(run_setting "$svc" .memoryLimit) |"
  done
done
