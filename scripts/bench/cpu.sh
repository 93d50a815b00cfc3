#!/usr/bin/env bash
# Whole-stack efficiency: CPU microseconds per request, for each request type, summed over
# HAProxy, every replica and Redis, read from /proc before and after a wrk run through the load
# balancer (utime + stime of each process and its children, in clock ticks). Divides by the
# requests wrk completed. Prints figures; asserts nothing.
#
#   BENCH_DURATION=10s scripts/bench/cpu.sh        (auth and cart, 2 replicas each, as ./stack up)
set -euo pipefail
BENCH_DURATION=${BENCH_DURATION:-10s}
. "$(dirname "$0")/lib.sh"
BASE_PORT=${BENCH_PORT_BASE:-38000}

STACK_SERVICES="auth-service cart-service" side_stack "$BASE_PORT" up --replicas "${BENCH_REPLICAS:-2}" >/dev/null
LB=http://127.0.0.1:$((BASE_PORT + 80))
sid=$(session_on "$LB")
cart_line_on "$LB" "$sid"

components() { # -> "name pid" for haproxy, redis and every replica
  local f
  for f in "$(side_dir "$BASE_PORT")"/pids/*.pid; do
    case $(basename "$f" .pid) in
      haproxy | redis | auth-service-* | cart-service-*) echo "$(basename "$f" .pid) $(cat "$f")" ;;
    esac
  done
}
snapshot() { # -> "group ticks" lines, replicas summed per service
  components | while read -r name pid; do echo "${name%-[0-9]*} $(ticks_of "$pid")"; done |
    awk '{ t[$1] += $2 } END { for (g in t) print g, t[g] }' | sort
}

put_script

# label|path|extra wrk args
KINDS=(
  "GET /api/products, anonymous|/api/products|"
  "GET /api/products, bearer|/api/products|-H:Authorization: Bearer $sid"
  "GET /api/auth/me|/api/auth/me|-H:Authorization: Bearer $sid"
  "GET /api/cart|/api/cart|-H:Authorization: Bearer $sid"
  "PUT /api/cart/items/{sku}|/api/cart/items/$BENCH_SKU|-H:Authorization: Bearer $sid|-s:$PUT_SCRIPT"
)
echo "== through HAProxy, ${BENCH_REPLICAS:-2} replicas each, $BENCH_CONNECTIONS connections, $BENCH_DURATION each" \
  "(load before: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-32s %9s %9s | %s\n' "request" "req/s" "µs/req" "µs/req by process (haproxy, auth, cart, redis)"
for kind in "${KINDS[@]}"; do
  IFS='|' read -r label path args <<<"$kind"
  wrk_args=()
  IFS='|' read -ra parts <<<"$args"
  for part in "${parts[@]}"; do [[ -n $part ]] && wrk_args+=("${part%%:*}" "${part#*:}"); done
  # warm-up, then the measured run between two snapshots
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP:-10s}" "${wrk_args[@]}" "$LB$path" >/dev/null
  before=$(snapshot)
  out=$(wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" "${wrk_args[@]}" "$LB$path")
  after=$(snapshot)
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  join -a1 <(echo "$before") <(echo "$after") | awk -v n="$requests" -v us="$TICK_US" -v label="$label" -v rps="$rps" '
    { d[$1] = ($3 - $2) * us / n; total += d[$1] }
    END { printf "%-32s %9s %9.0f | haproxy %.0f, auth %.0f, cart %.0f, redis %.0f\n",
          label, rps, total, d["haproxy"], d["auth-service"], d["cart-service"], d["redis"] }'
done
