#!/usr/bin/env bash
# Smoke journey of reports (media-service publishes, report-worker produces) through the load balancer,
# for the stack smoke test:
#
#   . scripts/smoke/reports-journey.sh && journey_reports
#
# Self-contained: it uses only BASE (the entry point, e.g. http://127.0.0.1:28080; B is accepted too),
# ROOT (the repository root; REPO is accepted too) and the global counters PASSED and FAILED, which it
# increments; its helpers are scripts/smoke/lib.sh. Needs curl and jq.
#
# The journey: a user registers, logs in and checks out one order; asks for an orders PDF (twice with
# the same Idempotency-Key: one report) and a cart CSV; each is done within a minute whichever replicas
# answer; the signed URLs download a PDF and a CSV with the order in it; the list is newest first; the
# notification WebSocket upgrades with the session and refuses without one; one report-worker replica is
# SIGKILLed, and a report asked for afterwards is done by the other; the killed one is restarted.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# reports_await_done ID AUTH...: polls GET /api/reports/ID (any replica) for up to 60 s until done or failed
reports_await_done() {
  local id=$1 status= i
  shift
  for i in $(seq 1 120); do
    http GET "/api/reports/$id" "$@"
    status=$(jq -r '.status // empty' <<<"$BODY" 2>/dev/null)
    [[ $status == done || $status == failed ]] && break
    sleep 0.5
  done
  [[ $status == done ]]
}

# reports_upgrade [CURL ARGS...]: the HTTP status of a WebSocket handshake on /api/notifications
reports_upgrade() {
  curl -s -m 3 -o /dev/null -w '%{http_code}' --http1.1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
    -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: c21va2UtdGVzdC1rZXktMDE=' "$@" "$B/api/notifications"
}

journey_reports() {
  local B=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  local WORK STATUS BODY TOKEN USER_ID
  WORK=$(mktemp -d /tmp/reports-journey.XXXXXX)
  local email="reports-smoke-$RANDOM$RANDOM@example.com" password="reports-smoke-$RANDOM-$RANDOM"
  local token sku order_id total key pdf_id again_id csv_id url killed replica late_id listed

  section "reports: a shopper with one order"
  sign_up "$email" "$password" "Reports Smoke"
  token=$TOKEN
  local auth=(-H "Authorization: Bearer $token")
  http GET /api/products
  sku=$(jq -r '.[0].sku // empty' <<<"$BODY" 2>/dev/null)
  http POST /api/cart/items "${auth[@]}" -H 'Content-Type: application/json' -d "{\"sku\":\"$sku\",\"quantity\":2}"
  http POST /api/cart/checkout "${auth[@]}" -H "Idempotency-Key: reports-smoke-$RANDOM$RANDOM"
  order_id=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  total=$(jq -r '.totalCents // empty' <<<"$BODY" 2>/dev/null)
  check "checkout of 2 x $sku -> $STATUS, order $order_id of $total cents" test -n "$order_id"

  section "reports: asked for, accepted once per Idempotency-Key"
  http POST /api/reports "${auth[@]}" -H 'Content-Type: application/json'
  check "POST /api/reports without a body -> $STATUS (400 expected)" status_is 400
  http POST /api/reports -H 'Content-Type: application/json' -d '{"type":"orders","format":"pdf"}'
  check "POST /api/reports without a session -> $STATUS (401 expected)" status_is 401
  key="reports-smoke-$RANDOM$RANDOM"
  http POST /api/reports "${auth[@]}" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
    -d '{"type":"orders","format":"pdf"}'
  pdf_id=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  check "POST /api/reports orders/pdf -> $STATUS, Location $(header Location)" \
    eval 'status_is 202 && [[ $(header Location) == "/api/reports/$pdf_id" ]] && json_is ".status == \"queued\""'
  http POST /api/reports "${auth[@]}" -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
    -d '{"type":"orders","format":"pdf"}'
  again_id=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  check "the same request and key again -> $STATUS, the same report" \
    eval 'status_is 202 && [[ -n $pdf_id && $again_id == "$pdf_id" ]]'
  http POST /api/reports "${auth[@]}" -H 'Content-Type: application/json' -d '{"type":"cart","format":"csv"}'
  csv_id=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  check "POST /api/reports cart/csv -> $STATUS" status_is 202

  section "reports: produced by a worker, downloadable through signed URLs"
  check "orders PDF $pdf_id is done within a minute" reports_await_done "$pdf_id" "${auth[@]}"
  url=$(jq -r '.downloadUrl // empty' <<<"$BODY" 2>/dev/null)
  curl -s -m 15 -o "$WORK/report.pdf" "$url"
  check "its signed URL downloads a PDF ($(wc -c <"$WORK/report.pdf" 2>/dev/null) bytes)" \
    eval '[[ $(head -c 5 "$WORK/report.pdf") == "%PDF-" ]] && tail -c 32 "$WORK/report.pdf" | grep -q "%%EOF"'
  check "cart CSV $csv_id is done within a minute" reports_await_done "$csv_id" "${auth[@]}"
  url=$(jq -r '.downloadUrl // empty' <<<"$BODY" 2>/dev/null)
  curl -s -m 15 -o "$WORK/report.csv" "$url"
  check "its signed URL downloads a CSV with a header line" \
    eval 'head -n1 "$WORK/report.csv" | grep -q "^sku,name,quantity,unit_price_cents,line_total_cents"'
  http GET /api/reports "${auth[@]}"
  listed=$(jq -r '[.[].id] | join(" ")' <<<"$BODY" 2>/dev/null)
  check "GET /api/reports -> $STATUS, newest first: $listed" \
    eval '[[ $listed == "$csv_id $pdf_id" ]]'

  section "reports: live notifications"
  check "WebSocket /api/notifications with the session -> 101" eval '[[ $(reports_upgrade "${auth[@]}") == 101 ]]'
  check "WebSocket /api/notifications without a session -> 401" eval '[[ $(reports_upgrade) == 401 ]]'

  section "reports: a worker replica dies, another does the work"
  killed=$("$root/stack" kill report-worker 2>&1)
  check "./stack kill report-worker: $killed" grep -q 'killed' <<<"$killed"
  http POST /api/reports "${auth[@]}" -H 'Content-Type: application/json' -d '{"type":"orders","format":"csv"}'
  late_id=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  check "POST /api/reports orders/csv -> $STATUS" status_is 202
  check "it is done by the remaining worker" reports_await_done "$late_id" "${auth[@]}"
  replica=$(sed -n 's/.*killed report-worker-\([0-9]*\).*/\1/p' <<<"$killed")
  if [[ -n $replica ]]; then
    check "./stack restart report-worker $replica" eval '"$root/stack" restart report-worker "$replica" >/dev/null 2>&1'
  fi
  rm -rf "$WORK"
}
