#!/usr/bin/env bash
# What this checkout costs per request next to an earlier commit: the session hot path (GET /api/auth/me
# and an authenticated GET /api/products) on one replica of each, measured in alternating rounds of one
# run (base, head, base, head ...), medians and the ratio head / base printed. Each side is a whole
# ./stack of its own tree (the base built in a temporary worktree), so each runs with its own code and
# its own defaults. Optionally records JFR on each side's replicas in round 1 and prints the hot methods.
# Prints figures; asserts nothing.
#
#   BENCH_BASE=<commit> scripts/bench/commits.sh
#   BENCH_BASE=<commit> BENCH_ROUNDS=5 BENCH_DURATION=15s BENCH_PROFILE=1 scripts/bench/commits.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib/jdk.sh"
BASE=${BENCH_BASE:?BENCH_BASE=<commit> to compare this checkout with}
ROUNDS=${BENCH_ROUNDS:-3}
PROFILE=${BENCH_PROFILE:-0}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/bench-commits.XXXXXX)}
SERVICES="auth-service cart-service"
HEAD_PORTS=${BENCH_PORT_BASE:-38000} BASE_PORTS=$((${BENCH_PORT_BASE:-38000} + 1000))

base_tree=$(mktemp -d /tmp/bench-base.XXXXXX)
at_exit 'git -C "$ROOT" worktree remove --force "$base_tree" >/dev/null 2>&1; rm -rf "$base_tree"'
git -C "$ROOT" worktree add --detach "$base_tree" "$BASE" >/dev/null 2>&1 || { echo "no such commit: $BASE" >&2; exit 1; }
echo "== building $(git -C "$base_tree" log --oneline -1 | cut -c1-100)"
(cd "$base_tree" && ./mvnw -B -q package -pl "${SERVICES// /,}" -am -DskipTests -DskipITs >"$OUT/base-build.log" 2>&1) ||
  { tail -20 "$OUT/base-build.log" >&2; exit 1; }
echo "== head: $(git -C "$ROOT" log --oneline -1 | cut -c1-100)$([[ -n $(git -C "$ROOT" status --short -uno) ]] && echo ' + uncommitted changes')"

STACK_SERVICES=$SERVICES side_stack "$HEAD_PORTS" up --replicas 1 >/dev/null
STACK_SERVICES=$SERVICES SIDE_STACK_TREE=$base_tree side_stack "$BASE_PORTS" up --replicas 1 >/dev/null
head_sid=$(session_on "$(auth_1 "$HEAD_PORTS")")
base_sid=$(session_on "$(auth_1 "$BASE_PORTS")")

# name|url|port base|replica|wrk header: base and head of each endpoint next to each other
SIDES=(
  "/me, base|$(auth_1 "$BASE_PORTS")/api/auth/me|$BASE_PORTS|auth-service-1|Authorization: Bearer $base_sid"
  "/me, head|$(auth_1 "$HEAD_PORTS")/api/auth/me|$HEAD_PORTS|auth-service-1|Authorization: Bearer $head_sid"
  "products bearer, base|$(cart_1 "$BASE_PORTS")/api/products|$BASE_PORTS|cart-service-1|Authorization: Bearer $base_sid"
  "products bearer, head|$(cart_1 "$HEAD_PORTS")/api/products|$HEAD_PORTS|cart-service-1|Authorization: Bearer $head_sid"
)

echo "== warm-up: every side once, ${BENCH_WARMUP:-10s}"
for side in "${SIDES[@]}"; do
  IFS='|' read -r label url _ _ header <<<"$side"
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP:-10s}" -H "$header" "$url" >/dev/null
done

declare -A RESULTS
echo "== $ROUNDS alternating rounds, one replica per side, $BENCH_CONNECTIONS connections, $BENCH_DURATION each" \
  "(load before: $(cut -d' ' -f1-3 /proc/loadavg))"
for ((round = 1; round <= ROUNDS; round++)); do
  for s in "${!SIDES[@]}"; do
    IFS='|' read -r label url ports replica header <<<"${SIDES[$s]}"
    jfr=
    if [[ $PROFILE == 1 && $round == 1 ]]; then
      jfr=$OUT/side-$s.jfr
      "$JAVA_HOME/bin/jcmd" "$(side_pid "$ports" "$replica")" JFR.start name=bench settings=profile filename="$jfr" >/dev/null
    fi
    wrk_run "r$round $label" "$url" -H "$header"
    RESULTS[$s]+="$BENCH_RPS "
    [[ -n $jfr ]] && "$JAVA_HOME/bin/jcmd" "$(side_pid "$ports" "$replica")" JFR.stop name=bench >/dev/null
  done
done

print_medians
echo "ratio head / base: /me $(ratio "${MED[1]}" "${MED[0]}"), products bearer $(ratio "${MED[3]}" "${MED[2]}")"
echo "(load after: $(cut -d' ' -f1-3 /proc/loadavg))"

if [[ $PROFILE == 1 ]]; then
  for s in "${!SIDES[@]}"; do
    echo "== JFR hot methods, round 1: ${SIDES[$s]%%|*} ($OUT/side-$s.jfr)"
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$OUT/side-$s.jfr" | sed -n '1,25p'
  done
fi
