# Redis for the local stack. Sourced by ./stack.
# AOF, fsync policy STACK_REDIS_APPENDFSYNC (see docs/benchmarks.md for the measured choice).
# A password (requirepass) of this stack's own: every client authenticates, as on a cluster.

REDIS_DATA=$STACK_DIR/redis
REDIS_LOG=$LOG_DIR/redis.log

redis_start() {
  if pid_of redis >/dev/null; then say "redis already running (port $REDIS_PORT)"; return 0; fi
  mkdir -p "$REDIS_DATA"
  # The password goes in a file (owner-only), not on the command line where ps would show it.
  (umask 077 && printf 'requirepass %s\n' "$(stack_secret redis-password)" >"$REDIS_DATA/auth.conf")
  launch redis "$REDIS_LOG" redis-server "$REDIS_DATA/auth.conf" --port "$REDIS_PORT" --bind 127.0.0.1 \
    --dir "$REDIS_DATA" --appendonly yes --appendfsync "${STACK_REDIS_APPENDFSYNC:-everysec}" --save '' \
    --daemonize no --logfile '' --set-proc-title no   # keeps /proc/PID/environ, see pid_is_ours
}

redis_ready() { [[ $(stack_redis_cli ping 2>/dev/null) == PONG ]]; }

redis_wait() { wait_ready "redis (port $REDIS_PORT)" redis "$REDIS_LOG" redis_ready; }

redis_stop() {
  pid_of redis >/dev/null || { rm -f "$(pid_file redis)"; return 0; }
  stack_redis_cli shutdown >/dev/null 2>&1
  stop_process redis 10
}
