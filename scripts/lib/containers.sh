# Service replicas as containers (`./stack images`, `./stack up --containers`): the images of
# docker/Dockerfile.jvm on a local base made without a registry, run with the security settings
# and environment the Helm chart renders (docker/run-settings.json, written from the chart by
# scripts/k8s-generate.sh). The backing servers and HAProxy stay processes. Sourced by ./stack.

# The private engine lives outside any stack: images and the base are built once per machine.
CONTAINERS_HOME=${STACK_DOCKER_DIR:-$HOME/.cache/clones/docker}
LOCAL_BASE_IMAGE=clones/base-jre:25
RUN_SETTINGS=$STACK_REPO/docker/run-settings.json
# The JDK the local base's runtime is cut from (scripts/lib/jdk.sh's choice on this machine).
BASE_JDK=${STACK_BASE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
# What the services load from the JDK (checked by running every image: a missing module fails
# start-up with NoClassDefFoundError). java.desktop: the report worker's PDF rendering (AWT fonts).
BASE_JDK_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
# Debian packages of the base's root filesystem: the C library the JVM links to, and the
# directory layout and /etc files of a Debian system. No shell, no package manager.
BASE_PACKAGES=(base-files libc6 libgcc-s1 netbase)

# Where the chart mounts the CA of a Redis with TLS (redis.tls.caSecret).
CHART_REDIS_CA=/etc/clones/redis-tls/ca.crt

# The run mode of the stack's replicas: processes (default) or containers.
stack_runtime() { stack_choice runtime processes; }

service_image() { echo "clones/$1:local"; }
container_name() { echo "clones-$STACK_PORT_BASE-$1-$2"; }   # unique per stack on one engine

# ---- the engine --------------------------------------------------------------------
# docker_up: an engine answers on DOCKER_HOST (or the default socket); else a private one is
# started on a socket under CONTAINERS_HOME (installing Debian's docker.io when missing).
docker_up() {
  docker_answers && return 0
  export DOCKER_HOST=unix://$CONTAINERS_HOME/docker.sock
  docker_answers && return 0
  ensure_packages docker.io || die "the container engine (docker.io) is missing"
  mkdir -p "$CONTAINERS_HOME"
  step "starting a private Docker engine (data in $CONTAINERS_HOME)"
  # Its own session, outside the stack: ./stack down leaves it (and its image cache) running.
  # It must inherit no open file: a lock held by whoever ran ./stack (the stack's own, or a
  # `flock` around the command) would otherwise stay held for as long as the engine runs.
  (
    for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done
    exec setsid /usr/sbin/dockerd --storage-driver=overlay2 --data-root "$CONTAINERS_HOME/data" \
      --exec-root "$CONTAINERS_HOME/exec" --pidfile "$CONTAINERS_HOME/dockerd.pid" \
      --host "$DOCKER_HOST" >>"$CONTAINERS_HOME/dockerd.log" 2>&1 </dev/null
  ) &
  local deadline=$((SECONDS + 60))
  until docker_answers; do
    ((SECONDS < deadline)) || { tail -n 20 "$CONTAINERS_HOME/dockerd.log" >&2; die "the Docker engine did not start (log: $CONTAINERS_HOME/dockerd.log)"; }
    sleep 0.5
  done
}

docker_answers() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }

# The Docker client that comes with docker.io; /usr/local/bin/docker may lack buildx, so the
# classic builder builds (it reads .dockerignore and build args the same way).
docker_build() {
  local out
  out=$(DOCKER_BUILDKIT=0 docker build -q "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}

# ---- images -----------------------------------------------------------------------
# The local base: Debian's libc and directory layout (dpkg -x, no maintainer scripts, no
# shell) plus a jlink'd Temurin runtime, imported as one layer. Made once per engine.
ensure_base_image() { # [--rebuild]
  [[ ${1:-} != --rebuild ]] && docker image inspect "$LOCAL_BASE_IMAGE" >/dev/null 2>&1 && return 0
  [[ -x $BASE_JDK/bin/jlink ]] || die "no JDK at $BASE_JDK to cut the base's runtime from (STACK_BASE_JDK)"
  local start work jre=usr/lib/jvm/temurin-25-jre deb
  start=$(now_ms)
  step "making the local base image $LOCAL_BASE_IMAGE (Debian ${BASE_PACKAGES[*]} + jlink'd $(basename "$BASE_JDK"))"
  work=$(mktemp -d)
  mkdir -p "$work/debs" "$work/rootfs"
  chmod 755 "$work" "$work/debs"   # apt-get download runs as _apt
  if [[ -z ${_STACK_APT_UPDATED:-} ]]; then apt-get update -q >/dev/null || die "apt-get update failed"; _STACK_APT_UPDATED=1; fi
  (cd "$work/debs" && apt-get download -q "${BASE_PACKAGES[@]}" >/dev/null 2>&1) || { rm -rf "$work"; die "apt-get download ${BASE_PACKAGES[*]} failed"; }
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/rootfs"; done
  (
    cd "$work/rootfs" || exit 1
    # merged /usr, as on a Debian system installed by debootstrap
    for d in bin sbin lib lib64; do [[ -e $d || -L $d ]] || { mkdir -p "usr/$d"; ln -s "usr/$d" "$d"; }; done
    rm -rf usr/share/doc usr/share/man usr/share/info usr/share/lintian usr/share/locale usr/lib/x86_64-linux-gnu/gconv
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nclones:x:185:185:clones service:/deployments:/usr/sbin/nologin\n' >etc/passwd
    printf 'root:x:0:\nclones:x:185:\n' >etc/group
    mkdir -p tmp deployments && chmod 1777 tmp
    "$BASE_JDK/bin/jlink" --add-modules "$BASE_JDK_MODULES" --strip-debug --no-man-pages --no-header-files \
      --compress=zip-6 --output "$jre" || exit 1
    ln -s "/$jre/bin/java" usr/bin/java
  ) || { rm -rf "$work"; die "could not assemble the base's root filesystem"; }
  tar -C "$work/rootfs" --numeric-owner -c . | docker import \
    --change "ENV JAVA_HOME=/$jre" --change "ENV PATH=/$jre/bin:/usr/bin" --change "ENV LANG=C.UTF-8" \
    --change 'LABEL org.opencontainers.image.description="clones local base: Debian libc + jlink Temurin 25, no shell"' \
    - "$LOCAL_BASE_IMAGE" >/dev/null || { rm -rf "$work"; die "docker import of the base failed"; }
  rm -rf "$work"
  say "$LOCAL_BASE_IMAGE made in $(elapsed_since "$start") ($(image_size "$LOCAL_BASE_IMAGE"))"
}

image_size() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

build_image() { # SERVICE
  local svc=$1 source revision version
  source=$(git -C "$STACK_REPO" config --get remote.origin.url 2>/dev/null || echo "$STACK_REPO")
  revision=$(git -C "$STACK_REPO" rev-parse HEAD 2>/dev/null || echo unknown)
  version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$STACK_REPO/helm/clones/Chart.yaml")
  docker_build -f "$STACK_REPO/docker/Dockerfile.jvm" --build-arg BASE_IMAGE="$LOCAL_BASE_IMAGE" \
    --build-arg APP_DIR="$svc/target/quarkus-app" --build-arg HTTP_PORT="$(run_setting "$svc" .port)" \
    --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg SOURCE="$source" \
    -t "$(service_image "$svc")" "$STACK_REPO" || die "docker build of $svc failed"
}

# ./stack images [--rebuild-base] [SERVICE...]
cmd_images() {
  local rebuild= services=() svc start
  while (($#)); do
    case $1 in
      --rebuild-base) rebuild=--rebuild; shift ;;
      -*) die "images: unknown option '$1'" ;;
      *) is_service "$1" || die "images: unknown service '$1'"; services+=("$1"); shift ;;
    esac
  done
  ((${#services[@]})) || services=("${ALL_SERVICES[@]}")
  load_java
  ensure_built "${services[@]}"
  docker_up
  ensure_base_image $rebuild
  for svc in "${services[@]}"; do
    start=$(now_ms)
    printf 'building %s ...' "$(service_image "$svc")"
    build_image "$svc"
    printf ' %s in %s\n' "$(image_size "$(service_image "$svc")")" "$(elapsed_since "$start")"
  done
}

# Images the container replicas need: built when missing (./stack images rebuilds them).
ensure_images() { # SERVICE...
  local svc missing=()
  docker_up
  for svc in "$@"; do docker image inspect "$(service_image "$svc")" >/dev/null 2>&1 || missing+=("$svc"); done
  ((${#missing[@]})) && cmd_images "${missing[@]}"
  return 0
}

# ---- the chart's run settings --------------------------------------------------------
run_setting() { # SERVICE JQ-PATH
  [[ -f $RUN_SETTINGS ]] || die "$RUN_SETTINGS is missing (scripts/k8s-generate.sh writes it)"
  jq -er --arg s "$1" ".services[\$s]$2" "$RUN_SETTINGS"
}

# container_env SERVICE I: fills CONTAINER_ENV with the chart's environment of SERVICE, where
# the stack's own value (service_env: local addresses, ports, credentials) replaces the chart's.
# Every name of service_env is passed, so what the process replicas get, the containers get.
container_env() {
  local svc=$1 i=$2 kv name
  declare -A local_env=()
  service_env "$svc" "$i"
  for kv in "${SERVICE_ENV[@]}"; do local_env[${kv%%=*}]=${kv#*=}; done
  CONTAINER_ENV=("${SERVICE_ENV[@]}")
  # Redis over TLS: the CA as the container sees it (container_args mounts it there).
  redis_tls && CONTAINER_ENV=("${CONTAINER_ENV[@]/#QUARKUS_TLS_REDIS_TRUST_STORE_PEM_CERTS=*/QUARKUS_TLS_REDIS_TRUST_STORE_PEM_CERTS=$CHART_REDIS_CA}")
  while IFS= read -r kv; do
    name=${kv%%=*}
    [[ -v local_env[$name] ]] || CONTAINER_ENV+=("$kv")
  done < <(run_setting "$svc" '.env | to_entries[] | "\(.key)=\(.value)"')
}

# container_args SERVICE I: fills CONTAINER_ARGS, the `docker run` options that reproduce the
# pod: the chart's user, read-only root, dropped capabilities, no privilege escalation, memory
# and CPU limits, and each emptyDir as a fresh writable directory of its own. (Not tmpfs: a
# tmpfs would be noexec and charged to the memory limit; an emptyDir is node disk.)
container_args() {
  local svc=$1 i=$2 dir path cap kv
  dir=$STACK_DIR/containers/$svc-$i
  rm -rf "$dir" && mkdir -p "$dir"
  CONTAINER_ARGS=(--rm --name "$(container_name "$svc" "$i")" --label "clones.stack=$STACK_DIR"
    --network host --stop-timeout "${STACK_STOP_SECONDS:-30}"
    --user "$(run_setting "$svc" .runAsUser):$(run_setting "$svc" .runAsGroup)"
    --memory "${STACK_CONTAINER_MEMORY:-$(run_setting "$svc" .memoryLimitBytes)}"
    --memory-swap "${STACK_CONTAINER_MEMORY:-$(run_setting "$svc" .memoryLimitBytes)}"
    --cpus "$(run_setting "$svc" .cpuLimit)")
  [[ $(run_setting "$svc" .readOnlyRootFilesystem) == true ]] && CONTAINER_ARGS+=(--read-only)
  [[ $(run_setting "$svc" .allowPrivilegeEscalation) == false ]] && CONTAINER_ARGS+=(--security-opt no-new-privileges)
  for cap in $(run_setting "$svc" '.capabilitiesDrop[]'); do CONTAINER_ARGS+=(--cap-drop "$cap"); done
  for path in $(run_setting "$svc" '.emptyDirs[]'); do
    mkdir -p "$dir$path" && chmod 777 "$dir$path"   # an emptyDir's mode
    CONTAINER_ARGS+=(-v "$dir$path:$path")
  done
  container_env "$svc" "$i"
  redis_tls && CONTAINER_ARGS+=(-v "$REDIS_TLS_DIR/ca.crt:$CHART_REDIS_CA:ro")   # where the chart mounts redis.tls.caSecret
  for kv in "${CONTAINER_ENV[@]}"; do CONTAINER_ARGS+=(-e "$kv"); done
}

# The `docker run` client stays in the foreground as the replica's process: its pid file, log
# and exit code (137 on an OOM kill) work as for a JVM, and it forwards SIGTERM to the container.
container_start_replica() { # SERVICE I
  local svc=$1 i=$2
  docker_up
  docker rm -f "$(container_name "$svc" "$i")" >/dev/null 2>&1   # left over by a killed client
  check_ports "$svc-$i:$(service_port "$svc" "$i")"
  container_args "$svc" "$i"
  launch "$svc-$i" "$(replica_log "$svc" "$i")" docker run "${CONTAINER_ARGS[@]}" "$(service_image "$svc")"
}

# SIGTERM through the engine, SIGKILL after the grace period, like the kubelet.
container_stop_replica() { # SERVICE I
  local pid
  pid=$(pid_of "$1-$2")
  docker_up
  docker stop -t "${STACK_STOP_SECONDS:-30}" "$(container_name "$1" "$2")" >/dev/null 2>&1
  [[ -n $pid ]] && wait_pid_gone "$pid" 10
  rm -f "$(pid_file "$1-$2")"
}

container_kill_replica() { docker_up && docker kill "$(container_name "$1" "$2")" >/dev/null 2>&1; }

# Containers of this stack that outlived their client (./stack down's last sweep).
containers_remove_all() {
  docker_answers || { [[ -S $CONTAINERS_HOME/docker.sock ]] && export DOCKER_HOST=unix://$CONTAINERS_HOME/docker.sock; }
  docker_answers || return 0
  local ids
  ids=$(docker ps -aq --filter "label=clones.stack=$STACK_DIR")
  [[ -n $ids ]] && docker rm -f $ids >/dev/null
  return 0
}
