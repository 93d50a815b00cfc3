# Redis for the local stack. Sourced by ./stack.
# AOF, fsync policy STACK_REDIS_APPENDFSYNC (see docs/benchmarks.md for the measured choice).
# A password (requirepass) of this stack's own: every client authenticates, as on a cluster; with
# ./stack up --redis-tls it speaks TLS only, with certificates of its own (redis_tls_material).

REDIS_DATA=$STACK_DIR/redis
REDIS_LOG=$LOG_DIR/redis.log

redis_start() {
  if pid_of redis >/dev/null; then say "redis already running (port $REDIS_PORT)"; return 0; fi
  mkdir -p "$REDIS_DATA"
  # The password goes in a file (owner-only), not on the command line where ps would show it.
  (umask 077 && printf 'requirepass %s\n' "$(stack_secret redis-password)" >"$REDIS_DATA/auth.conf")
  local listen=(--port "$REDIS_PORT")
  if redis_tls; then
    redis_tls_material || return 1
    # TLS only: the plain port closed, clients not asked for certificates (they authenticate by password).
    listen=(--port 0 --tls-port "$REDIS_PORT" --tls-cert-file "$REDIS_TLS_DIR/server.crt"
      --tls-key-file "$REDIS_TLS_DIR/server.key" --tls-ca-cert-file "$REDIS_TLS_DIR/ca.crt" --tls-auth-clients no)
  fi
  launch redis "$REDIS_LOG" redis-server "$REDIS_DATA/auth.conf" "${listen[@]}" --bind 127.0.0.1 \
    --dir "$REDIS_DATA" --appendonly yes --appendfsync "${STACK_REDIS_APPENDFSYNC:-everysec}" --save '' \
    --daemonize no --logfile '' --set-proc-title no   # keeps /proc/PID/environ, see pid_is_ours
}

# redis_tls_material: this stack's CA (REDIS_TLS_DIR/ca.crt, what clients trust) and the server's key and
# certificate for 127.0.0.1 and localhost, signed by it; made once per data directory, kept with the secrets.
redis_tls_material() {
  local d=$REDIS_TLS_DIR
  [[ -s $d/ca.crt && -s $d/server.crt && -s $d/server.key ]] && return 0
  mkdir -p "$d" && chmod 700 "$STACK_DIR/secrets" "$d"
  (
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 -subj "/CN=clones stack CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$d/ca.key" -out "$d/ca.crt" &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$d/server.key" -out "$d/server.csr" &&
      openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 825 \
        -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n') -out "$d/server.crt"
  ) >"$d/openssl.log" 2>&1 || { cat "$d/openssl.log" >&2; warn "could not make Redis's TLS certificates"; return 1; }
  chmod 644 "$d/ca.crt"   # not secret: a container user other than ours reads it
  rm -f "$d/server.csr"
}

redis_ready() { [[ $(stack_redis_cli ping 2>/dev/null) == PONG ]]; }

redis_wait() { wait_ready "redis (port $REDIS_PORT)" redis "$REDIS_LOG" redis_ready; }

redis_stop() {
  pid_of redis >/dev/null || { rm -f "$(pid_file redis)"; return 0; }
  stack_redis_cli shutdown >/dev/null 2>&1
  stop_process redis 10
}

# ---- high availability (./stack up --ha) -------------------------------------------------
# A primary and 2 replicas (redis-1..3) and 3 Sentinels (sentinel-1..3, `redis-server --sentinel`), each
# with its own data directory under STACK_DIR. Every node and Sentinel has the stack's password.
# - A node's redis.conf is written once, when its directory is new: node 1 starts as the primary,
#   nodes 2 and 3 as its replicas. From then on Sentinel owns the roles (it rewrites the files with
#   CONFIG REWRITE), so a node restarted after a failover comes back as what Sentinel made it.
# - min-replicas-to-write 1: a primary that no replica follows refuses writes (NOREPLICAS). A primary
#   that Sentinel has replaced, when it comes back alone, cannot acknowledge a write that is then
#   lost; the services ask for a replica's acknowledgement of each write as well (WAIT, write-replicas).
# - down-after 3 s (STACK_REDIS_DOWN_AFTER_MS), quorum 2 of 3: a SIGKILLed primary is replaced within
#   about 5 s, and no single Sentinel can fail the primary over on its own.
REDIS_DOWN_AFTER_MS=${STACK_REDIS_DOWN_AFTER_MS:-3000}

redis_node_dir() { echo "$STACK_DIR/redis-$1"; }
sentinel_dir() { echo "$STACK_DIR/sentinel-$1"; }

# redis_node_cli N ARGS...: redis-cli on node N; sentinel_cli N ARGS...: on Sentinel N (same password).
redis_node_cli() { local n=$1; shift; REDISCLI_AUTH=$(stack_secret redis-password) redis-cli -p "$(redis_node_port "$n")" "$@"; }
sentinel_cli() { local n=$1; shift; REDISCLI_AUTH=$(stack_secret redis-password) redis-cli -p "$(sentinel_port "$n")" "$@"; }

redis_ha_configure() {
  local n dir pw
  pw=$(stack_secret redis-password)
  for n in "${HA_NODES[@]}"; do
    dir=$(redis_node_dir "$n")
    if [[ ! -s $dir/redis.conf ]]; then
      mkdir -p "$dir"
      (umask 077 && {
        printf '# written by ./stack once; Sentinel rewrites the role lines after a failover\n'
        printf 'port %s\nbind 127.0.0.1\ndir %s\n' "$(redis_node_port "$n")" "$dir"
        printf 'appendonly yes\nappendfsync %s\nsave ""\n' "${STACK_REDIS_APPENDFSYNC:-everysec}"
        printf 'requirepass %s\nmasterauth %s\n' "$pw" "$pw"
        printf 'min-replicas-to-write 1\nmin-replicas-max-lag 10\n'
        ((n == 1)) || printf 'replicaof 127.0.0.1 %s\n' "$(redis_node_port 1)"
      } >"$dir/redis.conf")
    fi
    dir=$(sentinel_dir "$n")
    if [[ ! -s $dir/sentinel.conf ]]; then
      mkdir -p "$dir"
      (umask 077 && {
        printf '# written by ./stack once; the Sentinel keeps its state here\n'
        printf 'port %s\nbind 127.0.0.1\ndir %s\nrequirepass %s\n' "$(sentinel_port "$n")" "$dir" "$pw"
        printf 'sentinel monitor %s 127.0.0.1 %s 2\n' "$REDIS_MASTER_NAME" "$(redis_node_port 1)"
        printf 'sentinel auth-pass %s %s\n' "$REDIS_MASTER_NAME" "$pw"
        printf 'sentinel down-after-milliseconds %s %s\n' "$REDIS_MASTER_NAME" "$REDIS_DOWN_AFTER_MS"
        printf 'sentinel failover-timeout %s 10000\nsentinel parallel-syncs %s 1\n' "$REDIS_MASTER_NAME" "$REDIS_MASTER_NAME"
      } >"$dir/sentinel.conf")
    fi
  done
}

# A node that is down while the Sentinels still name it the primary is started only once they have
# promoted another (bounded): restarted sooner, it would come back as the primary with what its AOF
# holds, and the replicas would resynchronise from it, dropping writes they had confirmed.
redis_ha_start() {
  redis_ha_configure
  local n deadline
  for n in "${HA_NODES[@]}"; do
    pid_of "redis-$n" >/dev/null && continue
    if [[ $(redis_primary) == "$n" ]]; then
      deadline=$((SECONDS + REDIS_DOWN_AFTER_MS / 1000 + 20))
      say "waiting for the Sentinels to replace redis-$n as the primary before starting it"
      while [[ $(redis_primary) == "$n" ]] && ((SECONDS < deadline)); do sleep 0.2; done
    fi
    launch "redis-$n" "$LOG_DIR/redis-$n.log" redis-server "$(redis_node_dir "$n")/redis.conf" \
        --daemonize no --logfile '' --set-proc-title no
  done
  for n in "${HA_NODES[@]}"; do
    pid_of "sentinel-$n" >/dev/null ||
      launch "sentinel-$n" "$LOG_DIR/sentinel-$n.log" redis-server "$(sentinel_dir "$n")/sentinel.conf" --sentinel \
        --daemonize no --logfile '' --set-proc-title no
  done
}

# The port of the primary as Sentinel N (the first that answers, without N) names it.
redis_primary_port() {
  local n reply
  for n in ${1:-${HA_NODES[@]}}; do
    reply=$(sentinel_cli "$n" --raw sentinel get-master-addr-by-name "$REDIS_MASTER_NAME" 2>/dev/null | sed -n 2p)
    [[ $reply =~ ^[0-9]+$ ]] && { echo "$reply"; return 0; }
  done
  return 1
}

redis_primary() { # the node number of the primary
  local port n
  port=$(redis_primary_port) || return 1
  for n in "${HA_NODES[@]}"; do [[ $(redis_node_port "$n") == "$port" ]] && { echo "$n"; return 0; }; done
  return 1
}

redis_node_role() { # N: primary, replica, or nothing when it does not answer
  redis_node_cli "$1" --raw info replication 2>/dev/null | tr -d '\r' | sed -n 's/^role:master$/primary/p; s/^role:slave$/replica/p'
}

# Ready: the primary Sentinel names is a primary that a replica follows (so it accepts writes), and
# every Sentinel knows the other two (so a failover can get its quorum).
redis_ha_ready() {
  local primary info n
  primary=$(redis_primary) || return 1
  info=$(redis_node_cli "$primary" --raw info replication 2>/dev/null | tr -d '\r')
  grep -qx 'role:master' <<<"$info" && grep -q '^slave[0-9]*:.*state=online' <<<"$info" || return 1
  for n in "${HA_NODES[@]}"; do
    [[ $(sentinel_cli "$n" --raw sentinel master "$REDIS_MASTER_NAME" 2>/dev/null |
      awk 'prev == "num-other-sentinels" { print; exit } { prev = $0 }') == 2 ]] || return 1
  done
}

redis_ha_wait() {
  wait_ready "redis primary, replicas and sentinels (ports $(redis_node_port 1)-$(redis_node_port 3), $(sentinel_port 1)-$(sentinel_port 3))" \
    "sentinel-1" "$LOG_DIR/sentinel-1.log" redis_ha_ready
}

# Sentinels first, so that none fails the primary over while the nodes stop.
redis_ha_stop() {
  local n
  for n in "${HA_NODES[@]}"; do
    pid_of "sentinel-$n" >/dev/null && sentinel_cli "$n" shutdown >/dev/null 2>&1
    stop_process "sentinel-$n" 10
  done
  for n in "${HA_NODES[@]}"; do
    pid_of "redis-$n" >/dev/null && redis_node_cli "$n" shutdown >/dev/null 2>&1
    stop_process "redis-$n" 10
  done
}

# What a service replica connects to: Redis itself, or the Sentinels, which name the primary.
redis_service_hosts() {
  local scheme=redis n hosts=()
  redis_tls && scheme=rediss
  if stack_ha; then
    for n in "${HA_NODES[@]}"; do hosts+=("$scheme://127.0.0.1:$(sentinel_port "$n")"); done
  else
    hosts=("$scheme://127.0.0.1:$REDIS_PORT")
  fi
  (IFS=,; echo "${hosts[*]}")
}

# The topology's part of a service's environment (SERVICE_ENV): through Sentinel to the primary,
# and every write the user is told of confirmed by a replica.
redis_ha_service_env() {
  stack_ha || return 0
  SERVICE_ENV+=(QUARKUS_REDIS_CLIENT_TYPE=sentinel QUARKUS_REDIS_MASTER_NAME="$REDIS_MASTER_NAME"
    QUARKUS_REDIS_ROLE=master CLONES_REDIS_WRITE_REPLICAS="${STACK_REDIS_WRITE_REPLICAS:-1}")
}

# ---- either topology: what ./stack calls --------------------------------------------------
redis_names() { if stack_ha; then printf 'redis-%s\n' "${HA_NODES[@]}"; printf 'sentinel-%s\n' "${HA_NODES[@]}"; else echo redis; fi; }
redis_running() { local name; for name in $(redis_names); do pid_of "$name" >/dev/null && return 0; done; return 1; }
redis_ports() { # NAME:PORT of every Redis process
  local n
  if stack_ha; then
    for n in "${HA_NODES[@]}"; do echo "redis-$n:$(redis_node_port "$n") sentinel-$n:$(sentinel_port "$n")"; done
  else
    echo "redis:$REDIS_PORT"
  fi
}
redis_up() { if stack_ha; then redis_ha_start; else redis_start; fi; }
redis_up_wait() { if stack_ha; then redis_ha_wait; else redis_wait; fi; }
redis_down() { if stack_ha; then redis_ha_stop; else redis_stop; fi; }
redis_node_answers() { [[ $(redis_node_cli "$1" ping 2>/dev/null) == PONG ]]; }
sentinel_answers() { [[ $(sentinel_cli "$1" ping 2>/dev/null) == PONG ]]; }
