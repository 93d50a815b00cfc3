# HAProxy, the single entry point of the local stack (the routing: the API
# reference docs/api.md). Sourced by ./stack. Runs in master-worker mode in the
# foreground of its own session: the master pid is stable, a reload is
# SIGUSR2 to it, logs go to logs/haproxy.log. The admin socket
# (runtime API: show stat, set server ...) is $HAPROXY_SOCKET.

HAPROXY_DIR=$STACK_DIR/haproxy
HAPROXY_CFG=$HAPROXY_DIR/haproxy.cfg
HAPROXY_SOCKET=$HAPROXY_DIR/admin.sock
HAPROXY_LOG=$LOG_DIR/haproxy.log

problem_json() { # STATUS TITLE DETAIL
  printf '{"type":"about:blank","status":%s,"title":"%s","detail":"%s"}' "$1" "$2" "$3"
}

# Every routed backend declares HAPROXY_SLOTS servers (or more, if it has more
# replicas): the running replicas enabled, the rest `disabled` (MAINT, never
# checked). `./stack scale` then turns slots on and off through the runtime API,
# without a reload that would cut keep-alive connections.
HAPROXY_SLOTS=${HAPROXY_SLOTS:-8}

haproxy_servers() { # SERVICE [SUFFIX]: one server line per slot, named SERVICE-I[SUFFIX]
  local svc=$1 suffix=${2:-} n i slots
  n=$(replicas_of "$svc")
  slots=$((n > HAPROXY_SLOTS ? n : HAPROXY_SLOTS))
  for ((i = 1; i <= slots; i++)); do
    printf '  server %s-%d%s 127.0.0.1:%d check%s\n' "$svc" "$i" "$suffix" "$(service_port "$svc" "$i")" "$( ((i > n)) && printf ' disabled')"
  done
}

# WebSocket endpoints by service. Their upgrades go to a backend of their own, SERVICE-sockets, whose servers
# (SERVICE-I-ws, the same replicas) are not bound by the request maxconn: an open socket is a tunnel that
# holds its server connection for as long as it lives, so counted against the 128 requests a replica may
# have in flight it would cap every replica at 128 sockets and queue reconnects (a replica's sockets all
# coming back after it was killed) behind requests. An idle socket costs the replica memory, not CPU.
declare -A HAPROXY_SOCKET_PATHS=([media-service]=/api/notifications)
HAPROXY_SOCKETS_PER_REPLICA=${HAPROXY_SOCKETS_PER_REPLICA:-10000}

# haproxy_config SERVICE...: every routed service gets its backend (503 while
# it has no replica); only the given services get server lines, so that
# HAProxy never sends traffic to a stranger listening on a replica port.
haproxy_config() {
  local with_servers=" $* "
  cat <<EOF
# written by ./stack up: do not edit, it is regenerated
global
  stats socket $HAPROXY_SOCKET mode 600 level admin expose-fd listeners
  log stdout format raw local0

defaults
  mode http
  log global
  option httplog
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout tunnel 1h
  retries 3
  option redispatch
  retry-on all-retryable-errors
  # Under overload a replica answers slowly, not wrongly: checks get 2 s and two misses
  # before it is taken out (at most 4 s: a stopping replica keeps serving 5 s after its
  # readiness turned DOWN, see QUARKUS_SHUTDOWN_DELAY in services.sh). Beyond maxconn
  # requests wait in HAProxy's queue, so a saturated replica still answers its checks.
  # A replica back from a restart has a cold JIT: slowstart raises its share and maxconn
  # over 20 s (as a Deployment's minReadySeconds would), instead of sending it 128 requests
  # at once that timed out on Redis calls in a 1,000-user rolling restart.
  timeout check 2s
  timeout queue 15s
  # A client that gave up (its timeout, a closed tab) while its request waited in the queue
  # must not have it sent later: under overload that is work nobody waits for, taken from the
  # requests still waited for, and a write applied after its client counted it as unanswered.
  option abortonclose
  default-server inter 1s fall 2 rise 2 maxconn 128 slowstart 20s
  http-error status 502 content-type application/problem+json string '$(problem_json 502 "Bad Gateway" "The service answered with an invalid response")'
  http-error status 503 content-type application/problem+json string '$(problem_json 503 "Service Unavailable" "No replica of this service is available")'
  http-error status 504 content-type application/problem+json string '$(problem_json 504 "Gateway Timeout" "The service did not answer in time")'

frontend api
  bind 127.0.0.1:$STACK_PORT
  # The client's address is the peer's, whatever the client wrote: X-Forwarded-For is set, not
  # appended to (option forwardfor appends, and the services read the first element, so a client's
  # own header chose the address the login throttle counted). The services trust the header only
  # from HAProxy's address (quarkus.http.proxy.trusted-proxies).
  http-request set-header X-Forwarded-For %[src]
  # A replica that accepts an h2c upgrade would turn the client's connection into a tunnel
  # pinned to it, past the random routing; WebSocket upgrades stay.
  http-request del-header HTTP2-Settings if { req.hdr(Upgrade) -i h2c }
  http-request del-header Upgrade if { req.hdr(Upgrade) -i h2c }
  # Replay a request whose answer was lost only when doing it twice is harmless: safe and
  # idempotent methods, and writes that carry an Idempotency-Key. A POST is never resent.
  # A registration is idempotent too: the same one resent within auth's replay window answers
  # the same 201 (see auth-service's registration.replay-window).
  acl idempotent method GET HEAD OPTIONS PUT DELETE
  acl registration path /api/auth/register
  http-request disable-l7-retry if !idempotent !registration !{ req.hdr(Idempotency-Key) -m found }
  # When a backend's replicas are all at maxconn, requests wait in its queue; a request that
  # carries a session (someone already using the site) leaves it before a login or a
  # registration, which costs a bcrypt each: a rush of logins must not hold up everyone's
  # pages. Lower class = served first; requests of one class keep their order.
  acl sign_in path /api/auth/login /api/auth/register
  acl has_session req.hdr(Authorization) -m beg -i "Bearer "
  acl has_session req.cook(SID) -m found
  acl has_session req.cook(__Host-SID) -m found
  http-request set-priority-class int(1) if sign_in
  http-request set-priority-class int(-1) if has_session !sign_in
  acl auth  path_beg /api/auth/
  acl cart  path /api/cart /api/orders /api/products
  acl cart  path_beg /api/cart/ /api/orders/ /api/products/
  acl media path_beg /api/media/
  acl media path /api/reports /api/notifications
  acl media path_beg /api/reports/ /api/notifications/
  acl websocket req.hdr(Upgrade) -i websocket
$(for svc in "${!HAPROXY_SOCKET_PATHS[@]}"; do
  printf '  use_backend %s-sockets if websocket { path %s }\n' "$svc" "${HAPROXY_SOCKET_PATHS[$svc]}"
done)
  use_backend auth-service if auth
  use_backend cart-service if cart
  use_backend media-service if media
  default_backend not-found

backend not-found
  http-request return status 404 content-type application/problem+json string '$(problem_json 404 "Not Found" "No service is routed for this path")'
EOF
  local svc
  for svc in "${ROUTED_SERVICES[@]}"; do
    cat <<EOF

backend $svc
  balance random
  option httpchk GET /q/health/ready
$([[ $with_servers == *" $svc "* ]] && haproxy_servers "$svc")
EOF
    [[ -n ${HAPROXY_SOCKET_PATHS[$svc]:-} ]] || continue
    cat <<EOF

backend $svc-sockets
  # WebSocket upgrades (see HAPROXY_SOCKET_PATHS): no slowstart, which would queue the sockets of a killed
  # replica behind a restarted one's ramp; a replica refuses upgrades itself (503) while it cannot serve them.
  balance random
  option httpchk GET /q/health/ready
  default-server inter 1s fall 2 rise 2 maxconn $HAPROXY_SOCKETS_PER_REPLICA
$([[ $with_servers == *" $svc "* ]] && haproxy_servers "$svc" -ws)
EOF
  done
}

# haproxy_start SERVICE...: start, or reload when the configuration changed
# (another replica count, another set of services).
haproxy_start() {
  mkdir -p "$HAPROXY_DIR"
  haproxy_config "$@" >"$HAPROXY_CFG.new"
  haproxy -c -q -f "$HAPROXY_CFG.new" || die "generated HAProxy configuration is invalid: $HAPROXY_CFG.new"
  local pid
  if pid=$(pid_of haproxy); then
    if cmp -s "$HAPROXY_CFG.new" "$HAPROXY_CFG"; then
      rm -f "$HAPROXY_CFG.new"
      say "haproxy already running (port $STACK_PORT)"
      return 0
    fi
    mv "$HAPROXY_CFG.new" "$HAPROXY_CFG"
    say "haproxy configuration changed: reloading"
    kill -USR2 "$pid"
    sleep 1
    return 0
  fi
  mv "$HAPROXY_CFG.new" "$HAPROXY_CFG"
  launch haproxy "$HAPROXY_LOG" haproxy -W -f "$HAPROXY_CFG"
}

# haproxy_record_config: write the configuration for what runs now, without a
# reload (the runtime API already made the change); a later reload keeps it.
haproxy_record_config() {
  haproxy_config $(services_with_replicas) >"$HAPROXY_CFG.new"
  haproxy -c -q -f "$HAPROXY_CFG.new" || die "generated HAProxy configuration is invalid: $HAPROXY_CFG.new"
  mv "$HAPROXY_CFG.new" "$HAPROXY_CFG"
}

haproxy_wait() {
  wait_ready "haproxy (port $STACK_PORT)" haproxy "$HAPROXY_LOG" haproxy_cmd "show info"
}

haproxy_stop() { stop_process haproxy 10; rm -f "$HAPROXY_SOCKET"; }

# haproxy_cmd COMMAND: one runtime API command on the admin socket.
haproxy_cmd() {
  [[ -S $HAPROXY_SOCKET ]] || return 1
  if command -v socat >/dev/null; then
    printf '%s\n' "$*" | socat -t 2 - "UNIX-CONNECT:$HAPROXY_SOCKET"
  else
    python3 - "$HAPROXY_SOCKET" "$*" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
while (b := s.recv(65536)): sys.stdout.write(b.decode())
EOF
  fi
}

# haproxy_servers_status: "BACKEND SERVER STATUS CHECK" for every server.
haproxy_servers_status() {
  haproxy_cmd "show stat" | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) { n = $i; sub(/^# /, "", n); col[n] = i }; next }
    $2 != "FRONTEND" && $2 != "BACKEND" && NF > 1 {
      print $col["pxname"], $col["svname"], $col["status"], ($col["check_status"] == "" ? "-" : $col["check_status"])
    }'
}

haproxy_server_up() { # SERVER
  [[ $(haproxy_servers_status | awk -v s="$1" '$2 == s { print $3 }') == UP ]]
}

haproxy_server_field() { # SERVER FIELD: one column of `show stat` for one server
  haproxy_cmd "show stat" | awk -F, -v s="$1" -v f="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) { n = $i; sub(/^# /, "", n); col[n] = i }; next }
    $2 == s { print $col[f] }'
}

# haproxy_enable SERVICE I: route to a replica that is ready (its slot must exist).
haproxy_enable() {
  haproxy_cmd "set server $1/$1-$2 state ready" >/dev/null
  if [[ -n ${HAPROXY_SOCKET_PATHS[$1]:-} ]]; then
    haproxy_cmd "set server $1-sockets/$1-$2-ws state ready" >/dev/null
  fi
}

# haproxy_drain SERVICE I: no new requests for the replica, then wait until its
# in-flight ones are answered, then maintenance (no checks, no traffic). Its open WebSockets
# are not waited for (they end when the client does): no new one goes to it, and the replica
# closes those it holds when it is stopped, so that their clients reconnect elsewhere.
haproxy_drain() {
  local name=$1-$2 deadline=$((SECONDS + ${STACK_DRAIN_SECONDS:-30}))
  if [[ -n ${HAPROXY_SOCKET_PATHS[$1]:-} ]]; then
    haproxy_cmd "set server $1-sockets/$name-ws state maint" >/dev/null
  fi
  haproxy_cmd "set server $1/$name state drain" >/dev/null
  while (($(haproxy_server_field "$name" scur || echo 0) > 0)) && ((SECONDS < deadline)); do sleep 0.2; done
  haproxy_cmd "set server $1/$name state maint" >/dev/null
}

# haproxy_slots_cover SERVICE N: the running HAProxy has a slot for replica N.
haproxy_slots_cover() { [[ -n $(haproxy_server_field "$1-$2" status) ]]; }
