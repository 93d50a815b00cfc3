#!/usr/bin/env bash
# Benchmark of reports (issue 6): 200 small reports through the load balancer, with 1 and then
# 2 report-worker replicas, in one run. Jobs/s and p50/p99 of POST-to-done, taken from the
# reports' own createdAt/finishedAt. Prints figures; asserts nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_REPORTS:-200}

export STACK_DIR=${STACK_DIR:-$(mktemp -d /tmp/bench-stack.XXXXXX)}
export STACK_PORT_BASE=${BENCH_PORT_BASE:-38000}
export STACK_PORT=${BENCH_PORT:-38080}
export STACK_SERVICES="auth-service cart-service media-service report-worker"
trap '"$ROOT/stack" down >/dev/null 2>&1 || true' EXIT
"$ROOT/stack" up --replicas 2 >/dev/null

BASE=http://127.0.0.1:$STACK_PORT
email="bench-$RANDOM$RANDOM@example.org"
curl -sf -X POST "$BASE/api/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"bench-password\",\"displayName\":\"Bench\"}" >/dev/null
sid=$(curl -sf -X POST "$BASE/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"bench-password\"}" | jq -r .sessionId)
auth=(-H "Authorization: Bearer $sid")
curl -sf -X POST "$BASE/api/cart/items" "${auth[@]}" -H 'content-type: application/json' -d '{"sku":"TEA-SENCHA-100","quantity":3}' >/dev/null
curl -sf -X POST "$BASE/api/cart/checkout" "${auth[@]}" -H "Idempotency-Key: bench-$RANDOM" >/dev/null

run() { # LABEL: posts N reports, waits until all are finished, prints the figures
  local ids=() id pending
  # 8 clients post at once, so that the workers, not one client's round trips, set the pace.
  mapfile -t ids < <(seq 1 "$N" | xargs -P 8 -I{} sh -c \
    'curl -sf -X POST "$0/api/reports" -H "$1" -H "content-type: application/json" \
       -d "{\"type\":\"orders\",\"format\":\"$( [ $(({} % 2)) -eq 0 ] && echo csv || echo pdf)\"}" | jq -r .id' \
    "$BASE" "Authorization: Bearer $sid")
  for _ in $(seq 1 600); do
    pending=0
    : >"$STACK_DIR/bench-reports.jsonl"
    for id in "${ids[@]}"; do
      curl -sf "$BASE/api/reports/$id" "${auth[@]}" >>"$STACK_DIR/bench-reports.jsonl" || pending=1
      echo >>"$STACK_DIR/bench-reports.jsonl"
    done
    jq -se 'all(.[]; .status == "done" or .status == "failed")' "$STACK_DIR/bench-reports.jsonl" >/dev/null && break
    sleep 1
  done
  python3 - "$1" "$STACK_DIR/bench-reports.jsonl" <<'PY'
import json, sys
from datetime import datetime
label, path = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(path) if l.strip()]
ts = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
done = [r for r in rows if r.get("status") == "done"]
lat = sorted(ts(r["finishedAt"]) - ts(r["createdAt"]) for r in done)
span = max(ts(r["finishedAt"]) for r in done) - min(ts(r["createdAt"]) for r in done)
pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
print(f"{label:<12} {len(done)}/{len(rows)} done   {len(done)/span:7.1f} jobs/s   p50 {pct(0.5):8.0f} ms   p99 {pct(0.99):8.0f} ms")
print(f"JOBS_PER_S={len(done)/span:.3f}", file=open(path + ".rate", "w"))
PY
  cut -d= -f2 "$STACK_DIR/bench-reports.jsonl.rate"
}

echo "== $N reports (half CSV, half PDF) posted by 8 clients at once through $BASE"
"$ROOT/stack" kill report-worker 2 >/dev/null
one=$(run "1 worker" | { read -r line; echo "$line" >&2; cat; })
"$ROOT/stack" restart report-worker 2 >/dev/null
two=$(run "2 workers" | { read -r line; echo "$line" >&2; cat; })
awk -v a="$two" -v b="$one" 'BEGIN { printf "ratio 2 workers / 1 worker: %.2f\n", a / b }'
