# The Quarkus services of the local stack: N replicas each, as plain
# `java -jar` processes on private loopback ports. Sourced by ./stack.

service_jar() { echo "$STACK_REPO/$1/target/quarkus-app/quarkus-run.jar"; }
replica_log() { echo "$LOG_DIR/$1-$2.log"; }
replica_id() { echo "${1%-service}-$2"; }   # auth-service 1 -> auth-1

# How many replicas a service should have: `./stack scale` sets one service's
# count, `./stack up --replicas N` sets them all (STACK_REPLICAS).
replicas_of() { # SERVICE
  local f=$STACK_DIR/replicas.d/$1
  if [[ -f $f ]]; then cat "$f"; else echo "$STACK_REPLICAS"; fi
}

# The stack's mode: stateless (the product) or stateful-demo (the incident it answers,
# sessions in replica memory). A mode change applies to replicas started afterwards.
stack_mode() { stack_choice mode stateless; }
set_stack_mode() { set_stack_choice mode "$1" stateless; }

set_stack_choice() { # NAME VALUE DEFAULT: refused while replicas run with another value
  local current svc
  current=$(stack_choice "$1" "$3")
  [[ $2 == "$current" ]] && return 0
  for svc in "${ALL_SERVICES[@]}"; do
    [[ -n $(live_replicas "$svc") ]] && die "replicas run with $1 $current: ./stack down first, then ./stack up --$2"
  done
  mkdir -p "$STACK_DIR"
  echo "$2" >"$STACK_DIR/$1"
}

set_replicas() { mkdir -p "$STACK_DIR/replicas.d"; echo "$2" >"$STACK_DIR/replicas.d/$1"; }

# The service configuration contract: the environment of replica I of SERVICE.
# Fills the array SERVICE_ENV; extend it here. The tests' side of the contract is StackEnvironment in
# test-harness, whose variable names StackEnvironmentTest checks against this function.
service_env() { # SERVICE I
  local svc=$1 i=$2
  SERVICE_ENV=(
    QUARKUS_HTTP_HOST=127.0.0.1
    QUARKUS_HTTP_PORT="$(service_port "$svc" "$i")"
    QUARKUS_REDIS_HOSTS="$(redis_service_hosts)"
    QUARKUS_REDIS_PASSWORD="$(stack_secret redis-password)"
    CLONES_REPLICA_ID="$(replica_id "$svc" "$i")"
    CLONES_HTTP_ALLOWED_ORIGINS="http://127.0.0.1:$STACK_PORT,http://localhost:$STACK_PORT"
    AUTH_SEED_ADMIN_EMAIL=admin@stack.local
    AUTH_SEED_ADMIN_PASSWORD="$(stack_admin_password)"
    RABBITMQ_HOST=127.0.0.1
    RABBITMQ_PORT="$(rabbitmq_first_port)"
    RABBITMQ_USERNAME="$RABBITMQ_USER"
    RABBITMQ_PASSWORD="$(stack_secret rabbitmq-password)"
    QUARKUS_S3_ENDPOINT_OVERRIDE="http://127.0.0.1:$S3_PORT"
    QUARKUS_S3_AWS_CREDENTIALS_TYPE=static
    QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID="$S3_ACCESS_KEY"
    QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY="$S3_SECRET_KEY"
    QUARKUS_S3_AWS_REGION=us-east-1
    QUARKUS_S3_PATH_STYLE_ACCESS=true
    MEDIA_S3_PUBLIC_ENDPOINT="http://127.0.0.1:$S3_PORT"
    MEDIA_S3_CREATE_BUCKET=true
    # Serve on for 5 s after readiness turns DOWN at SIGTERM: longer than HAProxy needs to
    # see it (two missed checks, haproxy.sh), like the chart's preStop sleep on a cluster.
    QUARKUS_SHUTDOWN_DELAY=5s
    # Every user of a laptop stack registers from 127.0.0.1: the journeys, and load runs with
    # thousands of users. A deployment keeps auth's default (20 per address per hour);
    # LoginThrottleIT proves that limit with a small one.
    AUTH_THROTTLE_MAX_REGISTRATIONS_PER_ADDRESS="${STACK_MAX_REGISTRATIONS_PER_ADDRESS:-1000000}"
  )
  # TLS: the Redis client takes the named TLS configuration "redis" of Quarkus's TLS registry, which
  # trusts this stack's CA only and checks that the certificate names the address dialled (Vert.x
  # has no default for that check on TCP clients and refuses to connect without one). The chart's
  # redis.tls.* does the same on a cluster.
  redis_tls && SERVICE_ENV+=(QUARKUS_REDIS_TLS_CONFIGURATION_NAME=redis
    QUARKUS_TLS_REDIS_TRUST_STORE_PEM_CERTS="$REDIS_TLS_DIR/ca.crt"
    QUARKUS_TLS_REDIS_HOSTNAME_VERIFICATION_ALGORITHM=HTTPS)
  redis_ha_service_env
  rabbitmq_service_env
  [[ $(stack_mode) == stateful-demo ]] && SERVICE_ENV+=(CLONES_DEMO_REPLICA_LOCAL_SESSIONS=true)
  # Load runs register thousands of users; bcrypt at the production cost would make the ramp
  # a password-hashing benchmark on a laptop.
  [[ -n ${STACK_BCRYPT_COST:-} ]] && SERVICE_ENV+=(AUTH_PASSWORD_BCRYPT_COST="$STACK_BCRYPT_COST")
  return 0
}

start_replica() { # SERVICE I (no-op when it runs)
  local svc=$1 i=$2 name=$1-$2 port jar
  port=$(service_port "$svc" "$i")
  if pid_of "$name" >/dev/null; then say "$name already running (port $port)"; return 0; fi
  [[ $(stack_runtime) == containers ]] && { container_start_replica "$svc" "$i"; return; }
  jar=$(service_jar "$svc")
  [[ -f $jar ]] || die "$jar is missing: run ./stack build"
  check_ports "$name:$port"
  service_env "$svc" "$i"
  aot_cache_opts "$svc" "$jar"
  # shellcheck disable=SC2086 # STACK_JAVA_OPTS is a list of options
  launch "$name" "$(replica_log "$svc" "$i")" env "${SERVICE_ENV[@]}" "$JAVA_HOME/bin/java" $STACK_JAVA_OPTS "${AOT_OPTS[@]}" -jar "$jar"
}

# STACK_AOT_CACHE=1: start with the JDK AOT cache that `./mvnw verify -Paot` trained next to the jar;
# without one (or with a cache the JVM finds stale), the replica starts in plain JVM mode.
# Fills the array AOT_OPTS.
aot_cache_opts() { # SERVICE JAR
  AOT_OPTS=()
  [[ ${STACK_AOT_CACHE:-0} == 1 ]] || return 0
  local cache=${2%/*}/app.aot
  if [[ -f $cache ]]; then AOT_OPTS=(-XX:AOTCache="$cache"); else warn "$1: no $cache (./mvnw verify -Paot makes it): plain JVM start"; fi
}

replica_ready() { http_ok "http://127.0.0.1:$(service_port "$1" "$2")/q/health/ready"; }

wait_replica() { # SERVICE I
  wait_ready "$1-$2 (port $(service_port "$1" "$2"))" "$1-$2" "$(replica_log "$1" "$2")" replica_ready "$1" "$2"
}

stop_replica() {
  if [[ $(stack_runtime) == containers ]]; then container_stop_replica "$1" "$2"; else stop_process "$1-$2" "${STACK_STOP_SECONDS:-30}"; fi
}

# SIGKILL a replica or a backing server (a container through its engine: killing the client
# that runs it would leave the container running).
kill_now() { # NAME
  local pid
  pid=$(pid_of "$1") || return 1
  if [[ $(stack_runtime) == containers ]] && is_service "${1%-*}"; then container_kill_replica "${1%-*}" "${1##*-}"; else kill -9 "$pid"; fi
  wait_pid_gone "$pid" 5
}

replica_indexes() { # SERVICE: indexes of replicas with a pid file, sorted
  local f
  for f in "$PID_DIR/$1"-*.pid; do
    [[ -e $f ]] || continue
    f=${f##*-}; echo "${f%.pid}"
  done | sort -n
}

live_replicas() { # SERVICE: indexes of the running replicas
  local i
  for i in $(replica_indexes "$1"); do
    pid_of "$1-$i" >/dev/null && echo "$i"
  done
}

# Builds the whole project once when one of the given services has no jar.
ensure_built() { # SERVICE...
  local svc missing=()
  for svc in "$@"; do [[ -f $(service_jar "$svc") ]] || missing+=("$svc"); done
  ((${#missing[@]})) || return 0
  build_project "not built yet: ${missing[*]}"
  for svc in "${missing[@]}"; do [[ -f $(service_jar "$svc") ]] || die "the build produced no $(service_jar "$svc")"; done
}

build_project() { # [REASON]
  local start
  start=$(now_ms)
  step "building the project (./mvnw -B -q package -DskipTests -DskipITs)${1:+; $1}; this takes a few minutes the first time"
  (cd "$STACK_REPO" && ./mvnw -B -q package -DskipTests -DskipITs 9>&-) || die "the build failed"
  say "built in $(elapsed_since "$start")"
}
