#!/usr/bin/env bash
# Benchmark of JVM start-up: for each service, the time from process start until
# /q/health/ready answers 200, in plain JVM mode (the default fast-jar) and with a JDK AOT cache
# (JEP 483/514/515: the aot-jar of ./mvnw -Paot plus a cache from a training run), in one run,
# against private Redis, RabbitMQ and S3Proxy. One service at a time, modes interleaved, the
# median of BENCH_RUNS starts each. Prints figures; asserts nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${BENCH_RUNS:-5}
SERVICES=${BENCH_SERVICES:-auth-service cart-service media-service report-worker}

export STACK_DIR=${STACK_DIR:-$(mktemp -d /tmp/bench-startup.XXXXXX)}
export STACK_PORT_BASE=${BENCH_PORT_BASE:-39000}   # apart from the other benchmarks (38000)
export STACK_PORT=${BENCH_PORT:-39080}
export STACK_SERVICES=none   # ./stack starts the backing servers only; this script starts the services
. "$ROOT/scripts/lib/jdk.sh"
for lib in common redis rabbitmq s3proxy services; do . "$ROOT/scripts/lib/$lib.sh"; done
JAVA_OPTS=($STACK_JAVA_OPTS)
APPS=$STACK_DIR/apps
trap '"$ROOT/stack" down >/dev/null 2>&1 || true' EXIT

# Both packagings side by side, each copied out of target/ (the default build goes last, so target/
# is left as ./stack expects it).
build() { # APP_DIR [MAVEN_ARGS...]
  local dir=$1 svc
  shift
  (cd "$ROOT" && ./mvnw -B -q -pl "${SERVICES// /,}" -am package -DskipTests -DskipITs "$@" 9>&-) >"$STACK_DIR/build.log" 2>&1 \
    || { tail -n 40 "$STACK_DIR/build.log" >&2; die "the build failed"; }
  for svc in $SERVICES; do
    mkdir -p "$dir"
    cp -r "$ROOT/$svc/target/quarkus-app" "$dir/$svc"
  done
}
if [[ -d $APPS/jvm ]]; then
  step "reusing the builds in $APPS"
else
  step "building the aot-jar packaging (-Paot), then the default fast-jar"
  build "$APPS/aot" -Paot
  build "$APPS/jvm"
fi

"$ROOT/stack" up >/dev/null
SERVICE_ENV=()

start_service() { # NAME SERVICE APP_DIR [JVM_OPTS...]
  local name=$1 svc=$2 dir=$3
  shift 3
  service_env "$svc" 1
  launch "$name" "$LOG_DIR/$name.log" env "${SERVICE_ENV[@]}" "$JAVA_HOME/bin/java" "${JAVA_OPTS[@]}" "$@" -jar "$dir/quarkus-run.jar"
}

# Polls readiness every 20 ms; prints the ms since START (taken just before the launch).
await_ready() { # NAME SERVICE START
  local name=$1 url="http://127.0.0.1:$(service_port "$2" 1)/q/health/ready" start=$3
  until curl -fs -o /dev/null -m 1 "$url"; do
    pid_of "$name" >/dev/null || { show_log_tail "$LOG_DIR/$name.log"; die "$name exited before it was ready"; }
    (($(now_ms) - start < STACK_WAIT_SECONDS * 1000)) || die "$name not ready after ${STACK_WAIT_SECONDS}s"
    sleep 0.02
  done
  echo $(($(now_ms) - start))
}

# What a training run does between start and exit: the start-up itself, plus a few requests so
# that the classes of the request path are in the cache too.
exercise() { # SERVICE
  local base="http://127.0.0.1:$(service_port "$1" 1)" email="train-$RANDOM$RANDOM@example.org" sid
  curl -s -o /dev/null "$base/q/health/live"
  case $1 in
    auth-service)
      curl -s -o /dev/null -X POST "$base/api/auth/register" -H 'content-type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"training-run\",\"displayName\":\"Training\"}"
      sid=$(curl -s -X POST "$base/api/auth/login" -H 'content-type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"training-run\"}" | jq -r .sessionId)
      curl -s -o /dev/null "$base/api/auth/me" -H "Authorization: Bearer $sid" ;;
    cart-service)
      curl -s -o /dev/null "$base/api/products"
      curl -s -o /dev/null "$base/api/products/TEA-SENCHA-100"
      curl -s -o /dev/null "$base/api/cart" ;;
    media-service)
      curl -s -o /dev/null "$base/api/media/files" ;;
  esac
}

step "training runs: each service started once with -XX:AOTCacheOutput, a few requests, SIGTERM"
for svc in $SERVICES; do
  cache=$APPS/aot/$svc/app.aot
  start=$(now_ms)
  start_service "train-$svc" "$svc" "$APPS/aot/$svc" -XX:AOTCacheOutput="$cache"
  await_ready "train-$svc" "$svc" "$start" >/dev/null
  exercise "$svc"
  # The JVM writes the cache as it exits.
  stop_process "train-$svc" 300
  [[ -s $cache ]] || { show_log_tail "$LOG_DIR/train-$svc.log"; die "the training run of $svc left no $cache"; }
  say "$svc: $(du -h "$cache" | cut -f1) cache, training run $(elapsed_since "$start")"
done

# started_in LOG: Quarkus's own "started in" figure of the last start logged there, in ms.
started_in() { grep -o 'started in [0-9.]*s' "$1" | tail -n1 | awk '{ sub("s", "", $3); printf "%d", $3 * 1000 }'; }

declare -A READY STARTED
step "$RUNS starts per service and mode, one service at a time (JVM options: ${JAVA_OPTS[*]})"
for ((run = 1; run <= RUNS; run++)); do
  for svc in $SERVICES; do
    for mode in jvm aot; do
      name=$svc-$mode-$run
      opts=()
      # AOTMode=on: a cache the JVM cannot use is an error here, not a silent fall-back to plain mode.
      [[ $mode == aot ]] && opts=(-XX:AOTCache="$APPS/aot/$svc/app.aot" -XX:AOTMode=on)
      start=$(now_ms)
      start_service "$name" "$svc" "$APPS/$mode/$svc" "${opts[@]}"
      READY[$svc.$mode]+=" $(await_ready "$name" "$svc" "$start")"
      stop_process "$name" 60
      STARTED[$svc.$mode]+=" $(started_in "$LOG_DIR/$name.log")"
    done
  done
  say "run $run/$RUNS done"
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo
echo "== start to ready (process start until /q/health/ready is 200), median of $RUNS; Quarkus's own \"started in\" beside it"
printf '%-15s %14s %14s %7s   %-26s %s\n' service "plain JVM" "AOT cache" ratio '"started in" JVM / AOT' "all runs (ms) JVM | AOT"
for svc in $SERVICES; do
  jvm=$(median <<<"${READY[$svc.jvm]}") aot=$(median <<<"${READY[$svc.aot]}")
  printf '%-15s %11s ms %11s ms %7s   %-26s %s |%s\n' "$svc" "$jvm" "$aot" "$(awk -v a="$aot" -v b="$jvm" 'BEGIN { printf "%.2f", a / b }')" \
    "$(median <<<"${STARTED[$svc.jvm]}") / $(median <<<"${STARTED[$svc.aot]}") ms" "${READY[$svc.jvm]}" "${READY[$svc.aot]}"
done
