# Redis for the local stack. Sourced by ./stack.
# AOF, fsync policy STACK_REDIS_APPENDFSYNC (see docs/benchmarks.md for the measured choice).

REDIS_DATA=$STACK_DIR/redis
REDIS_LOG=$LOG_DIR/redis.log

redis_start() {
  if pid_of redis >/dev/null; then say "redis already running (port $REDIS_PORT)"; return 0; fi
  mkdir -p "$REDIS_DATA"
  launch redis "$REDIS_LOG" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
    --dir "$REDIS_DATA" --appendonly yes --appendfsync "${STACK_REDIS_APPENDFSYNC:-everysec}" --save '' \
    --daemonize no --logfile '' --set-proc-title no   # keeps /proc/PID/environ, see pid_is_ours
}

redis_ready() { [[ $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_wait() { wait_ready "redis (port $REDIS_PORT)" redis "$REDIS_LOG" redis_ready; }

redis_stop() {
  pid_of redis >/dev/null || { rm -f "$(pid_file redis)"; return 0; }
  redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1
  stop_process redis 10
}
