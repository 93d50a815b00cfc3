#!/usr/bin/env bash
# Smoke journey of reports (media-service publishes, report-worker produces) through the load balancer,
# for the stack smoke test:
#
#   . scripts/smoke/reports-journey.sh && journey_reports
#
# Self-contained: it uses only BASE (the entry point, e.g. http://127.0.0.1:28080; B is accepted too),
# ROOT (the repository root; REPO is accepted too) and the global counters PASSED and FAILED, which it
# increments. Needs curl and jq.
#
# The journey: a user registers, logs in and checks out one order; asks for an orders PDF (twice with
# the same Idempotency-Key: one report) and a cart CSV; each is done within a minute whichever replicas
# answer; the signed URLs download a PDF and a CSV with the order in it; the list is newest first; the
# notification WebSocket upgrades with the session and refuses without one; one report-worker replica is
# SIGKILLed, and a report asked for afterwards is done by the other; the killed one is restarted.

reports_assert() { # DESCRIPTION COMMAND...: one step, counted in PASSED or FAILED
  local desc=$1
  shift
  if "$@"; then
    PASSED=$((${PASSED:-0} + 1))
    printf '  ok    %s\n' "$desc"
  else
    FAILED=$((${FAILED:-0} + 1))
    printf '  FAIL  %s\n' "$desc"
  fi
}

# reports_http METHOD PATH [CURL ARGS...]: sets REPORTS_STATUS and REPORTS_BODY; headers in $REPORTS_WORK/headers
reports_http() {
  local method=$1 path=$2
  shift 2
  REPORTS_STATUS=$(curl -s -m 15 -X "$method" -o "$REPORTS_WORK/body" -D "$REPORTS_WORK/headers" -w '%{http_code}' "$@" "$REPORTS_BASE$path")
  REPORTS_BODY=$(cat "$REPORTS_WORK/body" 2>/dev/null)
}
reports_header() { tr -d '\r' <"$REPORTS_WORK/headers" | sed -n "s/^$1: *//Ip" | tail -n1; }
reports_json() { jq -e "$@" <<<"$REPORTS_BODY" >/dev/null 2>&1; }   # reports_json [--arg k v] FILTER
reports_status_is() { [[ $REPORTS_STATUS == "$1" ]]; }
reports_section() { printf '\n--- %s\n' "$*"; }

# reports_await_done ID AUTH...: polls GET /api/reports/ID (any replica) for up to 60 s until done or failed
reports_await_done() {
  local id=$1 status= i
  shift
  for i in $(seq 1 120); do
    reports_http GET "/api/reports/$id" "$@"
    status=$(jq -r '.status // empty' <<<"$REPORTS_BODY" 2>/dev/null)
    [[ $status == done || $status == failed ]] && break
    sleep 0.5
  done
  [[ $status == done ]]
}

# reports_upgrade [CURL ARGS...]: the HTTP status of a WebSocket handshake on /api/notifications
reports_upgrade() {
  curl -s -m 3 -o /dev/null -w '%{http_code}' --http1.1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
    -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: c21va2UtdGVzdC1rZXktMDE=' "$@" "$REPORTS_BASE/api/notifications"
}

journey_reports() {
  local REPORTS_BASE=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  local REPORTS_WORK
  REPORTS_WORK=$(mktemp -d /tmp/reports-journey.XXXXXX)
  local email="reports-smoke-$RANDOM$RANDOM@example.com" password="reports-smoke-$RANDOM-$RANDOM"
  local token sku order_id total key pdf_id again_id csv_id url killed replica late_id listed

  reports_section "reports: a shopper with one order"
  reports_http POST /api/auth/register -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Reports Smoke\"}"
  reports_assert "POST /api/auth/register -> $REPORTS_STATUS" reports_status_is 201
  reports_http POST /api/auth/login -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}"
  token=$(jq -r '.sessionId // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_assert "POST /api/auth/login -> $REPORTS_STATUS, a bearer session id" test -n "$token"
  local auth=(-H "Authorization: Bearer $token")
  reports_http GET /api/products
  sku=$(jq -r '.[0].sku // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_http POST /api/cart/items "${auth[@]}" -H 'Content-Type: application/json' -d "{\"sku\":\"$sku\",\"quantity\":2}"
  reports_http POST /api/cart/checkout "${auth[@]}" -H "Idempotency-Key: reports-smoke-$RANDOM$RANDOM"
  order_id=$(jq -r '.id // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  total=$(jq -r '.totalCents // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_assert "checkout of 2 x $sku -> $REPORTS_STATUS, order $order_id of $total cents" test -n "$order_id"

  reports_section "reports: asked for, accepted once per Idempotency-Key"
  reports_http POST /api/reports "${auth[@]}" -H 'Content-Type: application/json'
  reports_assert "POST /api/reports without a body -> $REPORTS_STATUS (400 expected)" reports_status_is 400
  reports_http POST /api/reports -H 'Content-Type: application/json' -d '{"type":"orders","format":"pdf"}'
  reports_assert "POST /api/reports without a session -> $REPORTS_STATUS (401 expected)" reports_status_is 401
  key="reports-smoke-$RANDOM$RANDOM"
  reports_http POST /api/reports "${auth[@]}" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
    -d '{"type":"orders","format":"pdf"}'
  pdf_id=$(jq -r '.id // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_assert "POST /api/reports orders/pdf -> $REPORTS_STATUS, Location $(reports_header Location)" \
    eval 'reports_status_is 202 && [[ $(reports_header Location) == "/api/reports/$pdf_id" ]] && reports_json ".status == \"queued\""'
  reports_http POST /api/reports "${auth[@]}" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
    -d '{"type":"orders","format":"pdf"}'
  again_id=$(jq -r '.id // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_assert "the same request and key again -> $REPORTS_STATUS, the same report" \
    eval 'reports_status_is 202 && [[ -n $pdf_id && $again_id == "$pdf_id" ]]'
  reports_http POST /api/reports "${auth[@]}" -H 'Content-Type: application/json' -d '{"type":"cart","format":"csv"}'
  csv_id=$(jq -r '.id // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_assert "POST /api/reports cart/csv -> $REPORTS_STATUS" reports_status_is 202

  reports_section "reports: produced by a worker, downloadable through signed URLs"
  reports_assert "orders PDF $pdf_id is done within a minute" reports_await_done "$pdf_id" "${auth[@]}"
  url=$(jq -r '.downloadUrl // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  curl -s -m 15 -o "$REPORTS_WORK/report.pdf" "$url"
  reports_assert "its signed URL downloads a PDF ($(wc -c <"$REPORTS_WORK/report.pdf" 2>/dev/null) bytes)" \
    eval '[[ $(head -c 5 "$REPORTS_WORK/report.pdf") == "%PDF-" ]] && tail -c 32 "$REPORTS_WORK/report.pdf" | grep -q "%%EOF"'
  reports_assert "cart CSV $csv_id is done within a minute" reports_await_done "$csv_id" "${auth[@]}"
  url=$(jq -r '.downloadUrl // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  curl -s -m 15 -o "$REPORTS_WORK/report.csv" "$url"
  reports_assert "its signed URL downloads a CSV with a header line" \
    eval 'head -n1 "$REPORTS_WORK/report.csv" | grep -q "^sku,name,quantity,unit_price_cents,line_total_cents"'
  reports_http GET /api/reports "${auth[@]}"
  listed=$(jq -r '[.[].id] | join(" ")' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_assert "GET /api/reports -> $REPORTS_STATUS, newest first: $listed" \
    eval '[[ $listed == "$csv_id $pdf_id" ]]'

  reports_section "reports: live notifications"
  reports_assert "WebSocket /api/notifications with the session -> 101" eval '[[ $(reports_upgrade "${auth[@]}") == 101 ]]'
  reports_assert "WebSocket /api/notifications without a session -> 401" eval '[[ $(reports_upgrade) == 401 ]]'

  reports_section "reports: a worker replica dies, another does the work"
  killed=$("$root/stack" kill report-worker 2>&1)
  reports_assert "./stack kill report-worker: $killed" grep -q 'killed' <<<"$killed"
  reports_http POST /api/reports "${auth[@]}" -H 'Content-Type: application/json' -d '{"type":"orders","format":"csv"}'
  late_id=$(jq -r '.id // empty' <<<"$REPORTS_BODY" 2>/dev/null)
  reports_assert "POST /api/reports orders/csv -> $REPORTS_STATUS" reports_status_is 202
  reports_assert "it is done by the remaining worker" reports_await_done "$late_id" "${auth[@]}"
  replica=$(sed -n 's/.*killed report-worker-\([0-9]*\).*/\1/p' <<<"$killed")
  if [[ -n $replica ]]; then
    reports_assert "./stack restart report-worker $replica" eval '"$root/stack" restart report-worker "$replica" >/dev/null 2>&1'
  fi
  rm -rf "$REPORTS_WORK"
}
