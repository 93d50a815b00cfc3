# The local stack's maintenance trigger, the laptop twin of the chart's CronJob. It only
# publishes a maintenance job message; any report-worker replica may take it, so no replica
# runs a local cron and none is special. Sourced by ./stack.

MAINTENANCE_INTERVAL=${STACK_MAINTENANCE_INTERVAL:-300}   # seconds

maintenance_start() {
  if pid_of maintenance >/dev/null; then return 0; fi
  local jar
  jar=$(service_jar report-worker)
  service_env report-worker 0
  # The sleep runs in the background so that SIGTERM from `down` ends it with the loop.
  launch maintenance "$LOG_DIR/maintenance.log" env "${SERVICE_ENV[@]}" bash -c \
    "trap 'kill \$! 2>/dev/null; exit 0' TERM
     while :; do sleep $MAINTENANCE_INTERVAL & wait \$!; date '+%F %T publishing a maintenance job';
       '$JAVA_HOME/bin/java' -jar '$jar' publish-maintenance || echo 'not published; next time'; done"
  say "maintenance job published every ${MAINTENANCE_INTERVAL}s (log: $LOG_DIR/maintenance.log)"
}

maintenance_stop() { stop_process maintenance 5; }
