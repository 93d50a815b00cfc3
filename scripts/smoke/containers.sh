# Checks of `scripts/stack-smoke.sh --containers`: every replica runs as a container with what
# the chart renders (docker/run-settings.json), seen from the engine and the kernel, not from
# our own bookkeeping; Redis is reached over TLS only, with the stack's CA mounted as the chart
# mounts redis.tls.caSecret; the image has no shell; a memory limit too small for the service fails
# it (OOM kill, exit 137) instead of leaving it hanging. Sourced by stack-smoke.sh.

. "$REPO/scripts/smoke/lib.sh"      # check, section, fail
. "$REPO/scripts/lib/s3proxy.sh"    # the credentials service_env passes
. "$REPO/scripts/lib/services.sh"
. "$REPO/scripts/lib/containers.sh"

container_checks() {
  local svc name pid inspect env expected uid
  docker_up
  for svc in $STACK_SERVICES; do
    name=$(container_name "$svc" 1)
    section "containers: $name runs with the chart's settings"
    inspect=$(docker inspect "$name" 2>/dev/null) || { fail "$name: no such container"; continue; }
    inspect=${inspect#[}; inspect=${inspect%]}
    check "user $(jq -r .Config.User <<<"$inspect") is the chart's" \
      test "$(jq -r .Config.User <<<"$inspect")" = "$(run_setting "$svc" .runAsUser):$(run_setting "$svc" .runAsGroup)"
    pid=$(jq -r .State.Pid <<<"$inspect")
    uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    check "its process (pid $pid on the host) runs as uid $uid, not root" test "$uid" = "$(run_setting "$svc" .runAsUser)"
    check "read-only root filesystem" jq -e '.HostConfig.ReadonlyRootfs == true' <<<"$inspect"
    check "capabilities dropped: $(jq -c .HostConfig.CapDrop <<<"$inspect")" jq -e '.HostConfig.CapDrop == ["ALL"] and (.HostConfig.CapAdd // [] | length == 0)' <<<"$inspect"
    check "no new privileges" jq -e '.HostConfig.SecurityOpt | index("no-new-privileges") != null' <<<"$inspect"
    check "memory limit $(jq .HostConfig.Memory <<<"$inspect") = the chart's $(run_setting "$svc" .memoryLimit), no swap" \
      jq -e --argjson m "$(run_setting "$svc" .memoryLimitBytes)" '.HostConfig.Memory == $m and .HostConfig.MemorySwap == $m' <<<"$inspect"
    check "writable only: $(jq -c '[.Mounts[] | select(.RW) | .Destination]' <<<"$inspect") = the chart's emptyDirs" \
      jq -e --argjson d "$(run_setting "$svc" .emptyDirs)" '[.Mounts[] | select(.RW) | .Destination] | sort == ($d | sort)' <<<"$inspect"
    check "Redis over TLS: its CA mounted read-only where the chart mounts redis.tls.caSecret, nothing else read-only" \
      jq -e --arg ca "$CHART_REDIS_CA" '[.Mounts[] | select(.RW | not) | .Destination] == [$ca]' <<<"$inspect"
    container_env "$svc" 1
    env=$(jq -r '.Config.Env[]' <<<"$inspect" | grep -Ev '^(PATH|JAVA_HOME|LANG)=' | sort)
    expected=$(printf '%s\n' "${CONTAINER_ENV[@]}" | sort)
    check "environment = the chart's, local addresses in place ($(wc -l <<<"$env") variables)" test "$env" = "$expected"
    check "every variable the chart sets is there" \
      test -z "$(comm -23 <(run_setting "$svc" '.env | keys[]' | sort) <(sed 's/=.*//' <<<"$env" | sort))"
  done

  section "containers: Redis speaks TLS only"
  check "a client over TLS that trusts the stack's CA is answered" test "$(stack_redis_cli ping 2>/dev/null)" = PONG
  check "a plain-text client is not" test "$(REDISCLI_AUTH=$(stack_secret redis-password) redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" != PONG

  section "containers: the image has no shell"
  local out rc
  out=$(docker run --rm --entrypoint /bin/sh "$(service_image auth-service)" -c true 2>&1); rc=$?
  check "docker run --entrypoint /bin/sh fails (exit $rc: ${out:0:120})" test "$rc" -ne 0

  container_oom_check
}

# A replica of auth-service with a 48 MiB limit (the chart's is 512 MiB; the JVM needs ~128):
# the kernel kills it while it starts, and it is never ready.
container_oom_check() {
  local svc=auth-service i=9 name args=() a rc oom
  section "containers: $svc under a 48 MiB memory limit"
  name=$(container_name "$svc" "$i")
  STACK_CONTAINER_MEMORY=48m container_args "$svc" "$i"
  for a in "${CONTAINER_ARGS[@]}"; do [[ $a != --rm ]] && args+=("$a"); done   # kept to be inspected
  docker rm -f "$name" >/dev/null 2>&1
  timeout 180 docker run "${args[@]}" "$(service_image "$svc")" >"$WORK/oom.log" 2>&1; rc=$?
  oom=$(docker inspect -f '{{.State.OOMKilled}}' "$name" 2>/dev/null)
  docker rm -f "$name" >/dev/null 2>&1
  check "it exits with 137 (SIGKILL), not hanging: exit $rc" test "$rc" = 137
  check "the engine reports OOMKilled: $oom" test "$oom" = true
}
