#!/usr/bin/env bash
# Smoke journey of the security of every service behind the stack's HAProxy, for the stack smoke
# test (uses the helpers of scripts/smoke/lib.sh, and the stack smoke's B, WORK, STACK_DIR, REDIS_PORT).
#
# Headers: every service's answers, errors included, carry nosniff, no-referrer, a CSP that loads
# and frames nothing, and Cache-Control: no-store unless the resource chose otherwise.
#
# Admin: the formerly published password does not log in; the one ./stack up generated does.
#
# Throttle: HAProxy sets X-Forwarded-For to the peer's address, and the services believe it only from
# HAProxy: after this machine's address reached the per-address limit of failed logins (20 in
# 15 min), 25 more failed logins, each claiming another address in its own X-Forwarded-For,
# must all be refused with 429. (With an appended header, each had been a fresh address: 401.)
# At the end the journey forgets its failures, so that journeys after it can log in.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

journey_security() {
  local path want
  section "security: headers on every service's answers"
  for path in /api/auth/me /api/cart /api/products /api/reports; do
    http GET "$path"
    want=1
    [[ $(header X-Content-Type-Options) == nosniff ]] || want=0
    [[ $(header Referrer-Policy) == no-referrer ]] || want=0
    [[ $(header Content-Security-Policy) == "default-src 'none'; base-uri 'none'; frame-ancestors 'none'" ]] || want=0
    [[ $(header Cache-Control) == no-store ]] || want=0
    check "GET $path -> $STATUS by $(header X-Served-By): nosniff, no-referrer, CSP none, no-store" test "$want" = 1
  done
  security_admin_password
  security_throttle
}

security_admin_password() {
  section "security: the admin's password is this stack's own"
  json_post POST /api/auth/login '{"email":"admin@stack.local","password":"admin-change-me"}'
  expect_status "admin login with the formerly published default" 401
  check "the generated password is kept readable by its owner only" \
    test "$(stat -c %a "$STACK_DIR/secrets/admin-password" 2>/dev/null || echo none)" = 600 -o -n "${STACK_ADMIN_PASSWORD:-}"
  json_post POST /api/auth/login "{\"email\":\"admin@stack.local\",\"password\":\"$(stack_admin_password)\"}"
  expect_status "admin login with the stack's password" 200
}

security_throttle() {
  local i statuses=() limit=20

  section "throttle: failed logins count against the real client address"
  security_forget_failures   # earlier journeys' failed logins (the admin's old default) count too
  for ((i = 1; i <= limit; i++)); do
    json_post POST /api/auth/login "{\"email\":\"nobody-$i-$RANDOM@example.com\",\"password\":\"guess\"}"
    statuses+=("$STATUS")
  done
  check "$limit failed logins from this address: all 401 ($(tally "${statuses[@]}"))" \
    test "$(printf '%s\n' "${statuses[@]}" | grep -vc '^401$')" = 0
  json_post POST /api/auth/login "{\"email\":\"nobody-more-$RANDOM@example.com\",\"password\":\"guess\"}"
  expect_status "the next failed login" 429
  check "the 429 names the client address and says when to retry" \
    test -n "$(header Retry-After)" -a "$(jq -r '.detail // empty' <<<"$BODY" | grep -c 'client address')" = 1

  statuses=()
  for ((i = 1; i <= 25; i++)); do
    json_post POST /api/auth/login "{\"email\":\"spoof-$i-$RANDOM@example.com\",\"password\":\"guess\"}" \
      -H "X-Forwarded-For: 198.51.100.$i"
    statuses+=("$STATUS")
  done
  check "25 failed logins with a spoofed X-Forwarded-For each: all 429 ($(tally "${statuses[@]}"))" \
    test "$(printf '%s\n' "${statuses[@]}" | grep -vc '^429$')" = 0

  security_forget_failures   # so that journeys after this one can log in
}

# The throttle's counters live in the stack's Redis, nothing in a replica: deleting them forgets.
security_forget_failures() {
  stack_redis_cli EVAL \
    "for _, k in ipairs(redis.call('KEYS', 'login-failures:*')) do redis.call('DEL', k) end return 1" 0 >/dev/null
}
