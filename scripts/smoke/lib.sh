# The helpers of the stack smoke test, shared by scripts/stack-smoke.sh and every journey under
# scripts/smoke/ (each sources this file itself, so that a journey still runs when sourced alone).
# Sourced, never run; sourcing it twice is harmless (it only defines functions).
#
# What they use:
#   PASSED, FAILED   the counters every step adds to (unset counts as 0)
#   B                the entry point, e.g. http://127.0.0.1:28080
#   WORK             a directory for the last response: WORK/body, WORK/headers
#   HTTP_TIMEOUT     seconds per request [15]; media's uploads set more
#   BODY_BYTES       keep at most this many bytes of a body in BODY, NULs dropped [all of it]
# A journey that wants its own directory, entry point or timeout declares them local; the
# helpers it calls see its values.

# ---- reporting ----------------------------------------------------------------
section() { printf '\n--- %s\n' "$*"; }
ok() { PASSED=$((${PASSED:-0} + 1)); printf '  ok    %s\n' "$*"; }
fail() { FAILED=$((${FAILED:-0} + 1)); printf '  FAIL  %s\n' "$*"; }
check() { # DESCRIPTION COMMAND...: one step, counted in PASSED or FAILED
  local desc=$1
  shift
  if "$@"; then ok "$desc"; else fail "$desc"; fi
}
quietly() { # COMMAND...: runs it, shows its output only when it fails
  local out
  out=$("$@" 2>&1) && return 0
  printf '        %s\n' "${out//$'\n'/$'\n'        }" | tail -n 20
  return 1
}
tally() { # VALUE...: "a x3, b x2": how often each value came, for a step's description
  printf '%s\n' "$@" | sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}'
}

# ---- HTTP through the load balancer ---------------------------------------------
# http METHOD PATH [CURL ARGS...]: sets STATUS and BODY, headers in $WORK/headers
http() {
  local method=$1 path=$2
  shift 2
  STATUS=$(curl -s -m "${HTTP_TIMEOUT:-15}" -X "$method" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$B$path")
  if [[ -n ${BODY_BYTES:-} ]]; then
    BODY=$(head -c "$BODY_BYTES" "$WORK/body" 2>/dev/null | tr -d '\0')
  else
    BODY=$(cat "$WORK/body" 2>/dev/null)
  fi
}
json_post() { http "$1" "$2" -H 'Content-Type: application/json' -d "$3" "${@:4}"; }
header() { tr -d '\r' <"$WORK/headers" | sed -n "s/^$1: *//Ip" | tail -n1; }
status_is() { [[ $STATUS == "$1" ]]; }
expect_status() { # DESCRIPTION EXPECTED
  if [[ $STATUS == "$2" ]]; then ok "$1 -> $STATUS"; else fail "$1: expected $2, got $STATUS ${BODY:0:300}"; fi
}
json_is() { jq -e "$@" <<<"$BODY" >/dev/null 2>&1; }   # json_is [--arg k v] FILTER

# ---- a user ------------------------------------------------------------------------
# sign_up EMAIL PASSWORD DISPLAY_NAME: registers and logs in, two steps; sets TOKEN (the bearer
# session id) and USER_ID (the id the registration answered)
sign_up() {
  json_post POST /api/auth/register "{\"email\":\"$1\",\"password\":\"$2\",\"displayName\":\"$3\"}"
  check "POST /api/auth/register -> $STATUS" status_is 201
  USER_ID=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  json_post POST /api/auth/login "{\"email\":\"$1\",\"password\":\"$2\"}"
  TOKEN=$(jq -r '.sessionId // empty' <<<"$BODY" 2>/dev/null)
  check "POST /api/auth/login -> $STATUS, a bearer session id" test -n "$TOKEN"
}
