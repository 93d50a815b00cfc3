# RabbitMQ for the local stack: the rabbitmq-server package's broker run as a
# private node, never as the system service. Sourced by ./stack.
# Own node name, HOME (Erlang cookie), data and config under the data dir;
# own epmd on a private port too, so that `down` leaves nothing behind and the
# machine's RabbitMQ (5672, epmd 4369) is never touched. Management plugin off.

#
# With ./stack up --ha: three such nodes (rabbitmq-1..3) in one cluster, each with its own name, ports
# and data directory, one epmd and one Erlang cookie for all. The job queue is a quorum queue (the
# services declare it so) whose members are on all three nodes: it keeps its jobs and takes new ones
# while two of the three run.

EPMD_LOG=$LOG_DIR/epmd.log
HOME_HA=$STACK_DIR/rabbitmq-home   # --ha: the nodes' and the CLI's HOME, with the cluster's Erlang cookie
rabbitmq_node_port() { echo $((STACK_PORT_BASE + 662 + 10 * $1)); }        # N: +672, +682, +692
rabbitmq_node_dist_port() { echo $((STACK_PORT_BASE + 663 + 10 * $1)); }   # N: +673, +683, +693

# rabbitmq_node [N]: selects the node the functions below act on (no N: the single node of the
# default topology) by setting RMQ_NAME (its process name), RMQ_DATA, RMQ_LOG, RMQ_NODE (its
# Erlang node name), RMQ_PORT and RMQ_DIST.
rabbitmq_node() {
  if [[ -n ${1:-} ]]; then
    RMQ_NAME=rabbitmq-$1 RMQ_DATA=$STACK_DIR/rabbitmq-$1 RMQ_NODE=stack${RABBITMQ_PORT}-$1@localhost
    RMQ_PORT=$(rabbitmq_node_port "$1") RMQ_DIST=$(rabbitmq_node_dist_port "$1")
  else
    RMQ_NAME=rabbitmq RMQ_DATA=$STACK_DIR/rabbitmq RMQ_NODE=stack${RABBITMQ_PORT}@localhost
    RMQ_PORT=$RABBITMQ_PORT RMQ_DIST=$RABBITMQ_DIST_PORT
  fi
  RMQ_LOG=$LOG_DIR/$RMQ_NAME.log
}
rabbitmq_node

# The nodes of this topology: "" (the single node) or 1 2 3.
rabbitmq_nodes() { if stack_ha; then echo "${HA_NODES[*]}"; else echo ""; fi; }
rabbitmq_names() { if stack_ha; then printf 'rabbitmq-%s\n' "${HA_NODES[@]}"; else echo rabbitmq; fi; }
rabbitmq_running() { local name; for name in $(rabbitmq_names); do pid_of "$name" >/dev/null && return 0; done; return 1; }
rabbitmq_ports() { # NAME:PORT of every broker port, epmd's included
  local n
  echo "epmd:$EPMD_PORT"
  if stack_ha; then
    for n in "${HA_NODES[@]}"; do echo "rabbitmq-$n:$(rabbitmq_node_port "$n") rabbitmq-$n:$(rabbitmq_node_dist_port "$n")"; done
  else
    echo "rabbitmq:$RABBITMQ_PORT rabbitmq:$RABBITMQ_DIST_PORT"
  fi
}

# What a service connects to: the port of the (first) node, and with --ha every node's address (the
# clients try them in turn, and reconnect to another when theirs dies).
rabbitmq_first_port() { if stack_ha; then rabbitmq_node_port 1; else echo "$RABBITMQ_PORT"; fi; }
rabbitmq_service_env() {
  stack_ha || return 0
  local n addresses=()
  for n in "${HA_NODES[@]}"; do addresses+=("127.0.0.1:$(rabbitmq_node_port "$n")"); done
  SERVICE_ENV+=(RABBITMQ_ADDRESSES="$(IFS=,; echo "${addresses[*]}")")
}

# Exports what the server and every CLI call need for the selected node; call it in a subshell.
rabbitmq_env() {
  # One HOME, so one Erlang cookie, for the nodes of a cluster (and the CLI that talks to them).
  if stack_ha; then export HOME=$HOME_HA; else export HOME=$RMQ_DATA/home; fi
  export RABBITMQ_NODENAME=$RMQ_NODE
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$RMQ_PORT
  export RABBITMQ_DIST_PORT=$RMQ_DIST
  export RABBITMQ_BASE=$RMQ_DATA
  export RABBITMQ_MNESIA_BASE=$RMQ_DATA/mnesia
  export RABBITMQ_LOG_BASE=$RMQ_DATA/log
  export RABBITMQ_CONFIG_FILE=$RMQ_DATA/etc/rabbitmq.conf
  export RABBITMQ_ADVANCED_CONFIG_FILE=$RMQ_DATA/etc/advanced.config
  export RABBITMQ_CONF_ENV_FILE=$RMQ_DATA/etc/rabbitmq-env.conf
  export RABBITMQ_ENABLED_PLUGINS_FILE=$RMQ_DATA/etc/enabled_plugins
  export RABBITMQ_PID_FILE=$PID_DIR/$RMQ_NAME.pid
  # keep Erlang distribution on loopback as well
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_PORT=$EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1
  export ERL_CRASH_DUMP=$RMQ_DATA/log/erl_crash.dump
  # run the VM in place of the start script: one process, whose pid we know
  export RUNNING_UNDER_SYSTEMD=true
  export PATH=/usr/lib/rabbitmq/bin:$PATH
}

rabbitmq_configure() {
  mkdir -p "$RMQ_DATA"/{home,etc,log,mnesia}
  # A fresh node is born with this stack's own user instead of guest/guest (default_user applies to
  # the first boot only; rabbitmq_ensure_user moves a node from before that over).
  (umask 077 && cat >"$RMQ_DATA/etc/rabbitmq.conf" <<EOF
# written by ./stack
loopback_users = none
default_user = $RABBITMQ_USER
default_pass = $(stack_secret rabbitmq-password)
log.console = true
log.console.level = info
log.file = false
EOF
  )
  if stack_ha; then
    # The cluster's members, which a fresh node joins (the first of them to boot forms it), and
    # pause_minority: a node cut off from the other two stops serving rather than diverge.
    local n
    {
      echo "cluster_formation.peer_discovery_backend = classic_config"
      for n in "${HA_NODES[@]}"; do echo "cluster_formation.classic_config.nodes.$n = stack${RABBITMQ_PORT}-$n@localhost"; done
      echo "cluster_partition_handling = pause_minority"
    } >>"$RMQ_DATA/etc/rabbitmq.conf"
    mkdir -p "$HOME_HA"
    if [[ ! -s $HOME_HA/.erlang.cookie ]]; then
      (umask 077 && stack_secret erlang-cookie | tr -dc 'A-Za-z0-9' >"$HOME_HA/.erlang.cookie")
      chmod 400 "$HOME_HA/.erlang.cookie"
    fi
  fi
  echo '[].' >"$RMQ_DATA/etc/enabled_plugins"
  echo '[].' >"$RMQ_DATA/etc/advanced.config"
  : >"$RMQ_DATA/etc/rabbitmq-env.conf"
}

rabbitmq_epmd_start() {
  pid_of epmd >/dev/null && return 0
  (rabbitmq_env && launch epmd "$EPMD_LOG" epmd -port "$EPMD_PORT")
  local deadline=$((SECONDS + 5))
  until port_in_use "$EPMD_PORT"; do
    ((SECONDS < deadline)) && pid_of epmd >/dev/null || { show_log_tail "$EPMD_LOG"; die "epmd did not start on port $EPMD_PORT"; }
    sleep 0.05
  done
}

rabbitmq_node_start() { # [N]
  rabbitmq_node "${1:-}"
  if pid_of "$RMQ_NAME" >/dev/null; then say "$RMQ_NAME already running (port $RMQ_PORT)"; return 0; fi
  rabbitmq_configure
  rabbitmq_epmd_start
  (rabbitmq_env && launch "$RMQ_NAME" "$RMQ_LOG" rabbitmq-server)
}

# The AMQP listener opens at the end of the boot (for a node of a cluster: once it has joined).
rabbitmq_node_wait() { # [N]
  rabbitmq_node "${1:-}"
  wait_ready "$RMQ_NAME (port $RMQ_PORT)" "$RMQ_NAME" "$RMQ_LOG" port_in_use "$RMQ_PORT" && rabbitmq_ensure_user
}

# Starts what is down. A cluster's very first boot goes one node after the other: node 1 forms the
# cluster, the others join it. Later, every node that is down starts at once: a node that stopped
# before the others waits at boot for the ones that stopped after it.
rabbitmq_start() {
  local n
  if ! stack_ha; then rabbitmq_node_start; return; fi
  if [[ ! -d $STACK_DIR/rabbitmq-1/mnesia/stack${RABBITMQ_PORT}-1@localhost ]]; then
    rabbitmq_node_start 1 && rabbitmq_node_wait 1 || return 1
  fi
  for n in "${HA_NODES[@]}"; do pid_of "rabbitmq-$n" >/dev/null || rabbitmq_node_start "$n"; done
}

rabbitmq_wait() {
  local n
  if ! stack_ha; then rabbitmq_node_wait; return; fi
  for n in "${HA_NODES[@]}"; do rabbitmq_node_wait "$n" || return 1; done
  wait_ready "the RabbitMQ cluster to have ${#HA_NODES[@]} nodes running" rabbitmq-1 "$LOG_DIR/rabbitmq-1.log" rabbitmq_cluster_complete
}

rabbitmq_cluster_complete() {
  rabbitmq_node 1
  [[ $( (rabbitmq_env && rabbitmqctl -q -n "$RMQ_NODE" cluster_status --formatter json 2>/dev/null) |
    jq '.running_nodes | length' 2>/dev/null) == "${#HA_NODES[@]}" ]]
}

# Once per node, then marked: no rabbitmqctl call in the steady state. A fresh node already has the
# user (default_user) and no guest; a node from before, with guest/guest, gets the user
# and loses guest.
rabbitmq_ensure_user() {
  local marker=$RMQ_DATA/mnesia/.clones-user
  [[ -f $marker ]] && return 0
  (
    rabbitmq_env
    local pw
    pw=$(stack_secret rabbitmq-password)
    if ! rabbitmqctl -q -n "$RMQ_NODE" list_users 2>/dev/null | grep -q "^$RABBITMQ_USER[[:space:]]"; then
      rabbitmqctl -q -n "$RMQ_NODE" add_user "$RABBITMQ_USER" "$pw" &&
        rabbitmqctl -q -n "$RMQ_NODE" set_permissions -p / "$RABBITMQ_USER" '.*' '.*' '.*'
    fi
    rabbitmqctl -q -n "$RMQ_NODE" delete_user guest >/dev/null 2>&1 || true
  ) >>"$RMQ_LOG" 2>&1 || { warn "could not set up RabbitMQ user $RABBITMQ_USER (see $RMQ_LOG)"; return 1; }
  touch "$marker"
}

rabbitmq_node_stop() { # [N]
  rabbitmq_node "${1:-}"
  if pid_of "$RMQ_NAME" >/dev/null; then
    (rabbitmq_env && timeout 60 rabbitmqctl -q -n "$RMQ_NODE" stop "$RABBITMQ_PID_FILE") >>"$RMQ_LOG" 2>&1 ||
      warn "rabbitmqctl stop failed (see $RMQ_LOG)"
    stop_process "$RMQ_NAME" 10
  fi
  rm -f "$(pid_file "$RMQ_NAME")"
}

rabbitmq_stop() {
  local n
  for n in $(rabbitmq_nodes); do rabbitmq_node_stop "$n"; done
  [[ -n $(rabbitmq_nodes) ]] || rabbitmq_node_stop
  stop_process epmd 5
}
