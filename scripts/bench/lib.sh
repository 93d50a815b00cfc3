# The set-up every benchmark shares: ROOT, the wrk helpers (wrk.sh), stacks side by side
# (side-stacks.sh), one exit handler, the benchmark's stack, its user and cart line, the Lua
# script of cart writes, and the table of medians. Sourced first thing by each benchmark:
#
#   set -euo pipefail
#   BENCH_DURATION=${BENCH_DURATION:-10s}   (optional: a default other than wrk.sh's)
#   . "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/scripts/bench/wrk.sh"
. "$ROOT/scripts/bench/side-stacks.sh"

BENCH_SKU=TEA-SENCHA-100   # a product of the seeded catalogue: every stack has it

# ---- on exit: whatever a benchmark added, then every stack down -------------------
BENCH_AT_EXIT=()
at_exit() { BENCH_AT_EXIT+=("$1"); }   # 'COMMAND': run on exit, the last added first
bench_exit() {
  local i
  # The stacks first: a handler may remove the tree a side stack runs from (commits.sh's base
  # worktree), and its ./stack down would then be gone, leaving the stack running.
  side_stacks_down
  for ((i = ${#BENCH_AT_EXIT[@]} - 1; i >= 0; i--)); do eval "${BENCH_AT_EXIT[i]}" || true; done
}
trap bench_exit EXIT

# ---- the benchmark's own stack (the ones beside each other: side_stack) ------------
# bench_stack SERVICES UP_ARGS...: `./stack up UP_ARGS` of SERVICES for a benchmark that runs one
# stack: STACK_DIR [a new temp directory], STACK_PORT_BASE from BENCH_PORT_BASE [38000], STACK_PORT
# from BENCH_PORT [38080] and STACK_SERVICES are exported for every "$ROOT/stack" call afterwards;
# it goes down on exit.
bench_stack() {
  export STACK_DIR=${STACK_DIR:-$(mktemp -d /tmp/bench-stack.XXXXXX)}
  export STACK_PORT_BASE=${BENCH_PORT_BASE:-38000}
  export STACK_PORT=${BENCH_PORT:-38080}
  export STACK_SERVICES=$1
  shift
  at_exit '"$ROOT/stack" down >/dev/null 2>&1'
  "$ROOT/stack" up "$@" >/dev/null
}

# ---- a user and their cart ----------------------------------------------------------
session_on() { # AUTH_URL -> a fresh user's session token, registered and logged in there
  local email="bench-$RANDOM$RANDOM@example.org"
  curl -sf -X POST "$1/api/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"bench-password\",\"displayName\":\"Bench\"}" >/dev/null
  curl -sf -X POST "$1/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"bench-password\"}" | jq -r .sessionId
}

cart_line_on() { # CART_URL SID [QUANTITY]: puts QUANTITY [1] of BENCH_SKU in that user's cart
  curl -sf -X POST "$1/api/cart/items" -H "Authorization: Bearer $2" -H 'content-type: application/json' \
    -d "{\"sku\":\"$BENCH_SKU\",\"quantity\":${3:-1}}" >/dev/null
}

# put_script: writes PUT_SCRIPT, a wrk Lua script of PUT /api/cart/items/BENCH_SKU, removed on
# exit. It alternates the quantity so that every PUT really writes (a PUT of the same quantity is
# a no-op).
put_script() {
  PUT_SCRIPT=$(mktemp --suffix=.lua)
  at_exit 'rm -f "$PUT_SCRIPT"'
  cat >"$PUT_SCRIPT" <<LUA
local n = 0
request = function()
  n = n + 1
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
  return wrk.format("PUT", "/api/cart/items/$BENCH_SKU", headers, '{"quantity":' .. (n % 2 + 1) .. '}')
end
LUA
}

# replica-1 addresses of a stack on PORT_BASE (the port layout of scripts/lib/common.sh)
auth_1() { echo "http://127.0.0.1:$(($1 + 101))"; } # PORT_BASE -> auth-service-1
cart_1() { echo "http://127.0.0.1:$(($1 + 201))"; } # PORT_BASE -> cart-service-1

# ---- alternating rounds ----------------------------------------------------------
# alternate_rounds WHAT: measures every side of SIDES, each "label|url|port base|replica|header|wrk args"
# (header and args may be empty; args are word-split), with wrk: one warm-up run of each side
# (BENCH_WARMUP [10s]), then BENCH_ROUNDS [3] rounds of every side in turn (A B C A B C ...), so that a
# noisy machine hits every side alike. RESULTS[index] collects each round's req/s for print_medians.
# WHAT describes the runs in the heading. BENCH_PROFILE=1: JFR on the side's replica during its round-1
# run, into OUT/side-index.jfr, which print_hot_methods prints.
alternate_rounds() {
  local side s round label url ports replica header extra jfr
  echo "== warm-up: every side once, ${BENCH_WARMUP:-10s}"
  for side in "${SIDES[@]}"; do
    IFS='|' read -r label url ports replica header extra <<<"$side"
    # shellcheck disable=SC2086 # extra is word-split on purpose
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP:-10s}" ${header:+-H "$header"} $extra "$url" >/dev/null
  done
  declare -gA RESULTS=()
  echo "== ${BENCH_ROUNDS:-3} alternating rounds, $1, $BENCH_CONNECTIONS connections, $BENCH_DURATION each" \
    "(load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  for ((round = 1; round <= ${BENCH_ROUNDS:-3}; round++)); do
    for s in "${!SIDES[@]}"; do
      IFS='|' read -r label url ports replica header extra <<<"${SIDES[$s]}"
      jfr=
      if [[ ${BENCH_PROFILE:-0} == 1 && $round == 1 ]]; then
        jfr=$OUT/side-$s.jfr
        "$JAVA_HOME/bin/jcmd" "$(side_pid "$ports" "$replica")" JFR.start name=bench settings=profile filename="$jfr" >/dev/null
      fi
      # shellcheck disable=SC2086 # extra is word-split on purpose
      wrk_run "r$round $label" "$url" ${header:+-H "$header"} $extra
      RESULTS[$s]+="$BENCH_RPS "
      if [[ -n $jfr ]]; then
        "$JAVA_HOME/bin/jcmd" "$(side_pid "$ports" "$replica")" JFR.stop name=bench >/dev/null
      fi
    done
  done
}

# print_hot_methods [LINES]: with BENCH_PROFILE=1, the JFR hot methods of every side (alternate_rounds)
print_hot_methods() {
  local s
  [[ ${BENCH_PROFILE:-0} == 1 ]] || return 0
  for s in "${!SIDES[@]}"; do
    echo "== JFR hot methods, round 1: ${SIDES[$s]%%|*} ($OUT/side-$s.jfr)"
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$OUT/side-$s.jfr" | sed -n "1,${1:-25}p"
  done
}

# ---- results ---------------------------------------------------------------------
# print_medians: for the alternating rounds of SIDES ("label|..." each) with RESULTS[index] the
# req/s of each round ("r1 r2 ..."): one line per side, and MED[index] set to its median
print_medians() {
  local s
  echo "== medians"
  declare -ga MED=()
  for s in "${!SIDES[@]}"; do
    MED[$s]=$(median <<<"${RESULTS[$s]}")
    printf '%-44s %10s req/s   (rounds: %s)\n' "${SIDES[$s]%%|*}" "${MED[$s]}" "${RESULTS[$s]% }"
  done
}
