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

# label|url|port base|replica|header (alternate_rounds): base and head of each endpoint next to each other
SIDES=(
  "/me, base|$(auth_1 "$BASE_PORTS")/api/auth/me|$BASE_PORTS|auth-service-1|Authorization: Bearer $base_sid"
  "/me, head|$(auth_1 "$HEAD_PORTS")/api/auth/me|$HEAD_PORTS|auth-service-1|Authorization: Bearer $head_sid"
  "products bearer, base|$(cart_1 "$BASE_PORTS")/api/products|$BASE_PORTS|cart-service-1|Authorization: Bearer $base_sid"
  "products bearer, head|$(cart_1 "$HEAD_PORTS")/api/products|$HEAD_PORTS|cart-service-1|Authorization: Bearer $head_sid"
)

alternate_rounds "one replica per side"

print_medians
echo "ratio head / base: /me $(ratio "${MED[1]}" "${MED[0]}"), products bearer $(ratio "${MED[3]}" "${MED[2]}")"
echo "(load after: $(cut -d' ' -f1-3 /proc/loadavg))"

print_hot_methods 25
