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
