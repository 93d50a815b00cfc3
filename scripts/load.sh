#!/usr/bin/env bash
# The load test (load-tests, Gatling): virtual users shop through the entry point, then every
# invariant is read back through the API. Needs a running stack (./stack up) or any deployment.
#
#   scripts/load.sh                                      # 50 users, 10 s ramp, 60 s of load
#   scripts/load.sh -Dusers=5000 -Dramp=120 -Dduration=300 -Dfaults=/tmp/faults.txt
#   LOAD_BASE_URL=https://shop.example scripts/load.sh -Dusers=200
#
# Every -Dname=value goes to the simulation (list in load-tests/README.md). The target is
# LOAD_BASE_URL, else http://127.0.0.1:$STACK_PORT (8080). Prints the path of the run's summary;
# exits 0 when every invariant is 0, non-zero when one is not or the run failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_URL=${LOAD_BASE_URL:-http://127.0.0.1:${STACK_PORT:-8080}}
RUN=$(date -u +%Y%m%d-%H%M%S)
USERS=50
for arg in "$@"; do
  case $arg in
    -Drun=*) RUN=${arg#*=} ;;
    -Dusers=*) USERS=${arg#*=} ;;
    -DbaseUrl=*) BASE_URL=${arg#*=} ;;
  esac
done

# Each virtual user keeps its own connection to the entry point (and briefly one to object storage).
need=$((USERS * 2 + 1024))
if (($(ulimit -n) < need)); then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  (($(ulimit -n) < need)) && echo "load: warning: ulimit -n is $(ulimit -n); $USERS users need about $need file descriptors" >&2
fi

if ! curl -fsS -o /dev/null --max-time 10 "$BASE_URL/api/products"; then
  echo "load: $BASE_URL/api/products does not answer: is the stack up? (./stack up)" >&2
  exit 2
fi

OUT=$ROOT/load-tests/target/load/$RUN
RESULTS=$ROOT/load-tests/target/gatling
mkdir -p "$OUT"
before=$(ls -d "$RESULTS"/userjourneysimulation-* 2>/dev/null | sort | tail -n1)

"$ROOT/mvnw" -B -pl load-tests gatling:test -DbaseUrl="$BASE_URL" -Drun="$RUN" "$@" 2>&1 |
  grep --line-buffered -v -e '^WARNING: ' -e '|-INFO in ch.qos.logback' | tee "$OUT/console.log"
status=${PIPESTATUS[0]}

# Gatling writes its HTML report only when the run succeeds; a run whose invariants broke is the
# one most worth reading, so make the report from its simulation.log.
gatling_dir=$(ls -d "$RESULTS"/userjourneysimulation-* 2>/dev/null | sort | tail -n1)
if [[ -n $gatling_dir && $gatling_dir != "$before" ]]; then
  if [[ ! -f $gatling_dir/index.html ]]; then
    "$ROOT/mvnw" -B -q -pl load-tests gatling:test -Dgatling.reportsOnly="$(basename "$gatling_dir")" >/dev/null 2>&1 ||
      echo "load: could not make Gatling's HTML report from $gatling_dir/simulation.log" >&2
  fi
  [[ -f $OUT/summary.md && -f $gatling_dir/index.html ]] &&
    printf '\nGatling HTML report: [%s](../../gatling/%s/index.html)\n' "$(basename "$gatling_dir")" "$(basename "$gatling_dir")" >>"$OUT/summary.md"
fi

echo
if [[ -f $OUT/summary.md ]]; then
  echo "summary: $OUT/summary.md"
  [[ -n $gatling_dir && -f $gatling_dir/index.html ]] && echo "gatling: $gatling_dir/index.html"
else
  echo "load: the run wrote no summary (see $OUT/console.log)" >&2
fi
((status == 0)) && echo "load: every invariant is 0" || echo "load: FAILED (exit $status): an invariant is not 0 or the run broke" >&2
exit "$status"
