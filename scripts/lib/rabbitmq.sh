# RabbitMQ for the local stack: the rabbitmq-server package's broker run as a
# private node, never as the system service. Sourced by ./stack.
# Own node name, HOME (Erlang cookie), data and config under the data dir;
# own epmd on a private port too, so that `down` leaves nothing behind and the
# machine's RabbitMQ (5672, epmd 4369) is never touched. Management plugin off.

RABBITMQ_DATA=$STACK_DIR/rabbitmq
RABBITMQ_LOG=$LOG_DIR/rabbitmq.log
RABBITMQ_NODE=stack${RABBITMQ_PORT}@localhost
EPMD_LOG=$LOG_DIR/epmd.log

# Exports what the server and every CLI call need; call it in a subshell.
rabbitmq_env() {
  export HOME=$RABBITMQ_DATA/home
  export RABBITMQ_NODENAME=$RABBITMQ_NODE
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$RABBITMQ_PORT
  export RABBITMQ_DIST_PORT=$RABBITMQ_DIST_PORT
  export RABBITMQ_BASE=$RABBITMQ_DATA
  export RABBITMQ_MNESIA_BASE=$RABBITMQ_DATA/mnesia
  export RABBITMQ_LOG_BASE=$RABBITMQ_DATA/log
  export RABBITMQ_CONFIG_FILE=$RABBITMQ_DATA/etc/rabbitmq.conf
  export RABBITMQ_ADVANCED_CONFIG_FILE=$RABBITMQ_DATA/etc/advanced.config
  export RABBITMQ_CONF_ENV_FILE=$RABBITMQ_DATA/etc/rabbitmq-env.conf
  export RABBITMQ_ENABLED_PLUGINS_FILE=$RABBITMQ_DATA/etc/enabled_plugins
  export RABBITMQ_PID_FILE=$PID_DIR/rabbitmq.pid
  # keep Erlang distribution on loopback as well
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_PORT=$EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1
  export ERL_CRASH_DUMP=$RABBITMQ_DATA/log/erl_crash.dump
  # run the VM in place of the start script: one process, whose pid we know
  export RUNNING_UNDER_SYSTEMD=true
  export PATH=/usr/lib/rabbitmq/bin:$PATH
}

rabbitmq_configure() {
  mkdir -p "$RABBITMQ_DATA"/{home,etc,log,mnesia}
  # A fresh node is born with this stack's own user instead of guest/guest (default_user applies to
  # the first boot only; rabbitmq_ensure_user moves a node from before that over).
  (umask 077 && cat >"$RABBITMQ_DATA/etc/rabbitmq.conf" <<EOF
# written by ./stack
loopback_users = none
default_user = $RABBITMQ_USER
default_pass = $(stack_secret rabbitmq-password)
log.console = true
log.console.level = info
log.file = false
EOF
  )
  echo '[].' >"$RABBITMQ_DATA/etc/enabled_plugins"
  echo '[].' >"$RABBITMQ_DATA/etc/advanced.config"
  : >"$RABBITMQ_DATA/etc/rabbitmq-env.conf"
}

rabbitmq_start() {
  if pid_of rabbitmq >/dev/null; then say "rabbitmq already running (port $RABBITMQ_PORT)"; return 0; fi
  rabbitmq_configure
  if ! pid_of epmd >/dev/null; then
    (rabbitmq_env && launch epmd "$EPMD_LOG" epmd -port "$EPMD_PORT")
    local deadline=$((SECONDS + 5))
    until port_in_use "$EPMD_PORT"; do
      ((SECONDS < deadline)) && pid_of epmd >/dev/null || { show_log_tail "$EPMD_LOG"; die "epmd did not start on port $EPMD_PORT"; }
      sleep 0.05
    done
  fi
  (rabbitmq_env && launch rabbitmq "$RABBITMQ_LOG" rabbitmq-server)
}

# The AMQP listener opens at the end of the boot.
rabbitmq_wait() {
  wait_ready "rabbitmq (port $RABBITMQ_PORT)" rabbitmq "$RABBITMQ_LOG" port_in_use "$RABBITMQ_PORT" && rabbitmq_ensure_user
}

# Once per node, then marked: no rabbitmqctl call in the steady state. A fresh node already has the
# user (default_user) and no guest; a node from before, with guest/guest, gets the user
# and loses guest.
rabbitmq_ensure_user() {
  local marker=$RABBITMQ_DATA/mnesia/.clones-user
  [[ -f $marker ]] && return 0
  (
    rabbitmq_env
    local pw
    pw=$(stack_secret rabbitmq-password)
    if ! rabbitmqctl -q -n "$RABBITMQ_NODE" list_users 2>/dev/null | grep -q "^$RABBITMQ_USER[[:space:]]"; then
      rabbitmqctl -q -n "$RABBITMQ_NODE" add_user "$RABBITMQ_USER" "$pw" &&
        rabbitmqctl -q -n "$RABBITMQ_NODE" set_permissions -p / "$RABBITMQ_USER" '.*' '.*' '.*'
    fi
    rabbitmqctl -q -n "$RABBITMQ_NODE" delete_user guest >/dev/null 2>&1 || true
  ) >>"$RABBITMQ_LOG" 2>&1 || { warn "could not set up RabbitMQ user $RABBITMQ_USER (see $RABBITMQ_LOG)"; return 1; }
  touch "$marker"
}

rabbitmq_stop() {
  if pid_of rabbitmq >/dev/null; then
    (rabbitmq_env && timeout 60 rabbitmqctl -q -n "$RABBITMQ_NODE" stop "$RABBITMQ_PID_FILE") >>"$RABBITMQ_LOG" 2>&1 ||
      warn "rabbitmqctl stop failed (see $RABBITMQ_LOG)"
    stop_process rabbitmq 10
  fi
  rm -f "$(pid_file rabbitmq)"
  stop_process epmd 5
}
