#!/usr/bin/env bash
# Smoke journey of the documented browser client of notifications (docs/notifications-client.js), for the stack
# smoke test:
#
#   . scripts/smoke/notifications-journey.sh && journey_notifications
#
# Self-contained: it uses only BASE (the entry point, e.g. http://127.0.0.1:28080; B is accepted too), ROOT (the
# repository root; REPO is accepted too) and the global counters PASSED and FAILED, which it increments; its helpers
# are scripts/smoke/lib.sh, its clients (Debian's chromium, node with playwright-core) come from ensure_clients.
#
# The journey (scripts/clients/notifications-browser.mjs, in headless Chromium): a user logs in through the page, the
# example connects with the session cookie; a report's report.done is shown; the media-service replica holding the
# socket is SIGKILLed; two reports are done through the load balancer while the page holds no socket; the page
# reconnects by itself with since= and shows every report.done exactly once, in order, then one more live; a since no
# longer kept makes it reload (resync); logout closes the socket 4401 and sends it to login. The killed replica is
# restarted here, whatever happened, so later journeys find the stack whole.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/deps.sh"

journey_notifications() {
  local B=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  local line status replica= out

  section "notifications: the documented browser client across the death of its replica"
  if ! ensure_clients; then
    fail "ensure_clients: chromium and the test clients are not installed"
    return
  fi
  out=$(mktemp /tmp/notifications-journey.XXXXXX)
  BASE=$B STACK=$root/stack EXAMPLE=$root/docs/notifications-client.js \
    node "$CLIENTS_DIR/notifications-browser.mjs" >"$out" 2>&1
  status=$?
  while IFS= read -r line; do
    case $line in
      ok$'\t'*) ok "${line#ok$'\t'}" ;;
      FAIL$'\t'*) fail "${line#FAIL$'\t'}" ;;
      killed$'\t'*) replica=${line#killed$'\t'} ;;
      *) printf '%s\n' "$line" ;;
    esac
  done <"$out"
  check "the browser journey ran to its end (node exit status $status)" test "$status" = 0
  if [[ -n $replica ]]; then
    check "./stack restart media-service $replica" quietly "$root/stack" restart media-service "$replica"
  fi
  rm -f "$out"
}
