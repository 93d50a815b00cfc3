# Shared by ./stack and the scripts under scripts/: settings, port layout,
# process bookkeeping (pid files + an ownership mark in each process's
# environment), readiness waits. Sourced, never run.

STACK_REPO=${STACK_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
STACK_DIR=$(realpath -m "${STACK_DIR:-$STACK_REPO/.stack}")
STACK_PORT=${STACK_PORT:-8080}
STACK_PORT_BASE=${STACK_PORT_BASE:-18000}
STACK_WAIT_SECONDS=${STACK_WAIT_SECONDS:-120}
# STACK_ADMIN_PASSWORD: the seeded admin's password when given; else ./stack up generates one on the
# first up of a data directory and keeps it there (stack_admin_password). No password is published.
# Eight JVMs share a laptop's few cores. Serial GC: what each pod of the chart gets by the JVM's own
# choice (CPU limit 1, memory 512 MiB), and here 40 MiB less resident and 6 threads fewer per replica
# than G1 at the same req/s (docs/benchmarks.md, "JVM settings"). C2 stays: C1 alone halves req/s.
STACK_JAVA_OPTS=${STACK_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
LOG_DIR=$STACK_DIR/logs
PID_DIR=$STACK_DIR/pids

ALL_SERVICES=(auth-service cart-service media-service report-worker)
ROUTED_SERVICES=(auth-service cart-service media-service)   # report-worker: no public traffic
BACKING_SERVERS=(redis rabbitmq s3)

# ---- port layout: everything derives from STACK_PORT_BASE ------------------
REDIS_PORT=$((STACK_PORT_BASE + 379))
EPMD_PORT=$((STACK_PORT_BASE + 369))          # private epmd of our RabbitMQ node
RABBITMQ_PORT=$((STACK_PORT_BASE + 672))
RABBITMQ_DIST_PORT=$((STACK_PORT_BASE + 673))
S3_PORT=$((STACK_PORT_BASE + 900))

# ---- topology: one node of each backing server, or the high-availability set ---------------
# ./stack up --ha (kept until ./stack up --single): a Redis primary with 2 replicas watched by 3
# Sentinels, as a managed Redis with failover runs them, and a cluster of 3 RabbitMQ nodes (ports
# +672/+673, +682/+683, +692/+693). Plain ./stack up stays the fast default.
stack_ha() { [[ $(stack_choice topology single) == ha ]]; }
HA_NODES=(1 2 3)
REDIS_MASTER_NAME=clones          # the name the Sentinels know the primary by
redis_node_port() { echo $((STACK_PORT_BASE + 378 + $1)); }   # N: +379, +380, +381
sentinel_port() { echo $((STACK_PORT_BASE + 385 + $1)); }     # N: +386, +387, +388

# ---- secrets: generated per data directory, never in the repository ----------------
# stack_secret NAME: the secret NAME of this stack (STACK_DIR/secrets/NAME), made on first use:
# random, in a file readable by its owner only. The Redis and RabbitMQ passwords, and the seeded
# admin's when STACK_ADMIN_PASSWORD is not given.
stack_secret() {
  local file=$STACK_DIR/secrets/$1
  if [[ ! -s $file ]]; then
    mkdir -p "$STACK_DIR/secrets" && chmod 700 "$STACK_DIR/secrets"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$file.new" && mv "$file.new" "$file")
  fi
  cat "$file"
}

# The seeded admin's password: STACK_ADMIN_PASSWORD, else this stack's generated one.
stack_admin_password() {
  if [[ -n ${STACK_ADMIN_PASSWORD:-} ]]; then printf '%s' "$STACK_ADMIN_PASSWORD"; else stack_secret admin-password; fi
}

# ensure_admin_password: on the first up of a data directory without STACK_ADMIN_PASSWORD, makes the
# admin's password and shows it that once.
ensure_admin_password() {
  [[ -n ${STACK_ADMIN_PASSWORD:-} || -s $STACK_DIR/secrets/admin-password ]] && return 0
  printf '==> generated the password of admin@stack.local: %s (kept in %s)\n' \
    "$(stack_secret admin-password)" "$STACK_DIR/secrets/admin-password"
}

# A choice kept in $STACK_DIR/NAME for every later command (mode, runtime, redis-transport).
stack_choice() { cat "$STACK_DIR/$1" 2>/dev/null || echo "$2"; }   # NAME DEFAULT

# Redis over TLS (./stack up --redis-tls, kept until ./stack up --redis-plain), as managed Redis is
# reached on a cluster: a CA and a server certificate of this stack's own (redis_tls_material), and
# every client verifies the server against that CA and its address.
REDIS_TLS_DIR=$STACK_DIR/secrets/redis-tls
redis_tls() { [[ $(stack_choice redis-transport plain) == tls ]]; }

# stack_redis_cli ARGS...: redis-cli on this stack's Redis (the primary, with --ha), with its password (from the environment,
# never on a command line), over TLS when the stack's Redis speaks it.
stack_redis_cli() {
  local tls=()
  redis_tls && tls=(--tls --cacert "$REDIS_TLS_DIR/ca.crt")
  local port=$REDIS_PORT
  if stack_ha; then port=$(redis_primary_port) || { warn "no Sentinel names a Redis primary"; return 1; }; fi   # redis.sh
  REDISCLI_AUTH=$(stack_secret redis-password) redis-cli -p "$port" "${tls[@]}" "$@"
}

# This stack's RabbitMQ user (never guest).
RABBITMQ_USER=clones

service_port() { # SERVICE REPLICA
  local offset
  case $1 in
    auth-service) offset=100 ;; cart-service) offset=200 ;;
    media-service) offset=300 ;; report-worker) offset=400 ;;
    *) die "unknown service: $1" ;;
  esac
  echo $((STACK_PORT_BASE + offset + $2))
}

check_port_layout() {
  [[ $STACK_PORT_BASE =~ ^[0-9]+$ && $STACK_PORT =~ ^[0-9]+$ ]] || die "STACK_PORT_BASE and STACK_PORT must be numbers"
  ((STACK_PORT_BASE >= 1024 && STACK_PORT_BASE + 999 <= 65535)) || die "STACK_PORT_BASE=$STACK_PORT_BASE: must be within 1024..64536"
  local p
  for p in "$RABBITMQ_PORT" "$RABBITMQ_DIST_PORT" $((STACK_PORT_BASE + 682)) $((STACK_PORT_BASE + 683)) $((STACK_PORT_BASE + 692)) $((STACK_PORT_BASE + 693)); do
    ((p < 35672 || p > 35682)) || die "RabbitMQ port $p falls in 35672-35682 (used by the RabbitMQ CLI tools); choose another STACK_PORT_BASE"
  done
  local off=$((STACK_PORT - STACK_PORT_BASE))
  if [[ " 369 379 380 381 386 387 388 672 673 682 683 692 693 900 " == *" $off "* ]] || ((off > 100 && off < 500 && off % 100 != 0)); then
    die "STACK_PORT=$STACK_PORT collides with a private port of STACK_PORT_BASE=$STACK_PORT_BASE"
  fi
}

# ---- messages ---------------------------------------------------------------
say() { printf '%s\n' "$*"; }
step() { printf '==> %s\n' "$*"; }
warn() { printf 'stack: warning: %s\n' "$*" >&2; }
die() { printf 'stack: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
elapsed_since() { local d=$((($(now_ms) - $1) / 100)); printf '%d.%ds' $((d / 10)) $((d % 10)); }

# ---- processes ----------------------------------------------------------------
# Every process we start carries STACK_OWNER=<data dir> and STACK_PROCESS=<name>
# in its environment: a pid file is trusted only if that process still has
# them (no confusion after pid reuse), and `down` can find any stray process
# of this stack even without its pid file.
pid_file() { echo "$PID_DIR/$1.pid"; }

pid_alive() { # PID: alive and not a zombie
  local pid=$1 stat
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  { stat=$(<"/proc/$pid/stat"); } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

pid_is_ours() { # PID NAME
  local env
  env=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/environ") || return 1
  grep -qxF "STACK_OWNER=$STACK_DIR" <<<"$env" && grep -qxF "STACK_PROCESS=$2" <<<"$env"
}

pid_of() { # NAME -> prints the pid if that process of ours runs
  local f pid
  f=$(pid_file "$1")
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  pid_alive "$pid" && pid_is_ours "$pid" "$1" || return 1
  echo "$pid"
}

our_pids() { # every live process carrying this stack's mark
  local f pid
  for f in $(grep -lsxzF "STACK_OWNER=$STACK_DIR" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${f#/proc/}; pid=${pid%/environ}
    pid_alive "$pid" && echo "$pid"
  done
}

# launch NAME LOGFILE COMMAND...: start in the background, in its own session. Returns once the
# process runs COMMAND with its mark (or has already exited), so that pid_of NAME tells the truth
# from then on. The pid is known at fork, but /proc/PID/environ shows the mark only after the
# child's execve of setsid, and reads empty again while setsid execs COMMAND: a pid_of in either
# window (a few percent of launches) took a starting process for a dead one.
launch() {
  local name=$1 log=$2 pid
  shift 2
  mkdir -p "$PID_DIR" "$(dirname "$log")"
  printf '\n=== %s: ./stack starts %s ===\n' "$(date '+%F %T')" "$name" >>"$log"
  (
    cd "$STACK_DIR" || exit 1
    STACK_OWNER=$STACK_DIR STACK_PROCESS=$name setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
    echo $! >"$(pid_file "$name")"
  )
  local deadline=$((SECONDS + 10))   # two execve calls: far below, even on a loaded machine
  pid=$(<"$(pid_file "$name")")
  until { pid_is_ours "$pid" "$name" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) != setsid ]]; } || ! pid_alive "$pid"; do
    ((SECONDS < deadline)) || { warn "$name (pid $pid) still not running its command after 10s"; return 0; }
    sleep 0.01
  done
}

stop_process() { # NAME [SECONDS] [SIGNAL]: signal, wait, SIGKILL as a last resort
  local name=$1 grace=${2:-20} sig=${3:-TERM} pid
  pid=$(pid_of "$name") || { rm -f "$(pid_file "$name")"; return 0; }
  kill -"$sig" "$pid" 2>/dev/null
  wait_pid_gone "$pid" "$grace" || { warn "$name (pid $pid) ignored SIG$sig for ${grace}s: SIGKILL"; kill -9 "$pid" 2>/dev/null; wait_pid_gone "$pid" 5; }
  rm -f "$(pid_file "$name")"
}

wait_pid_gone() { # PID SECONDS
  local deadline=$((SECONDS + $2))
  while pid_alive "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# ---- ports ---------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_user() { # PORT -> who listens there (best effort)
  command -v ss >/dev/null || return 0
  ss -Hltnp "( sport = :$1 )" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1
}

# check_ports NAME:PORT...: each port must be free or held by our process NAME
check_ports() {
  local item name port problems=()
  for item in "$@"; do
    name=${item%%:*} port=${item##*:}
    port_in_use "$port" || continue
    pid_of "$name" >/dev/null && continue
    problems+=("  port $port (for $name) is in use by another process: $(port_user "$port")")
  done
  ((${#problems[@]} == 0)) && return 0
  printf 'stack: cannot start, ports taken:\n' >&2
  printf '%s\n' "${problems[@]}" >&2
  die "stop those processes or choose other ports (STACK_PORT_BASE=$STACK_PORT_BASE, STACK_PORT=$STACK_PORT)"
}

# ---- readiness -----------------------------------------------------------------
show_log_tail() { # LOGFILE
  [[ -f $1 ]] || return 0
  printf -- '--- last lines of %s ---\n' "$1" >&2
  tail -n "${STACK_LOG_TAIL:-40}" "$1" >&2
  printf -- '---\n' >&2
}

# wait_ready LABEL NAME LOGFILE CHECK...: wait until CHECK succeeds, while the
# process NAME is alive, at most STACK_WAIT_SECONDS; prints progress.
wait_ready() {
  local label=$1 name=$2 log=$3
  shift 3
  local start deadline=$((SECONDS + STACK_WAIT_SECONDS)) next_dot=$((SECONDS + 2))
  start=$(now_ms)
  printf 'waiting for %s ...' "$label"
  until "$@" >/dev/null 2>&1; do
    # (looked at twice: HAProxy's master re-executes itself while starting)
    if ! pid_of "$name" >/dev/null && ! { sleep 0.5; pid_of "$name" >/dev/null; }; then
      printf ' FAILED: the process exited\n'
      show_log_tail "$log"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      printf ' FAILED: not ready after %ss\n' "$STACK_WAIT_SECONDS"
      show_log_tail "$log"
      return 1
    fi
    ((SECONDS >= next_dot)) && { printf '.'; next_dot=$((SECONDS + 2)); }
    sleep 0.2
  done
  printf ' ready in %s\n' "$(elapsed_since "$start")"
}

http_answers() { # URL: any HTTP status at all
  local code
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1")
  [[ $code != 000 ]]
}

http_ok() { curl -fs -o /dev/null -m 2 "$1"; }
