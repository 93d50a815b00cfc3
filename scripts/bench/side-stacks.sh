# Stacks side by side on one machine, for benchmarks that measure two set-ups in alternating
# rounds of one run, and what they measure with. Sourced by lib.sh, whose exit handler takes
# every stack started here down (side_stacks_down).
#
#   side_stack 38000 up --replicas 1      ./stack on port base 38000, its own STACK_DIR
#   STACK_REDIS_APPENDFSYNC=everysec side_stack 39000 up ...   settings pass through the environment

#   SIDE_STACK_TREE=/tmp/other-checkout side_stack 39000 up ...   ./stack of another checkout (kept for that port base)

declare -A SIDE_STACK_DIRS SIDE_STACK_TREES
side_stack() { # PORT_BASE ./stack-args...
  local base=$1
  shift
  [[ -n ${SIDE_STACK_DIRS[$base]:-} ]] || SIDE_STACK_DIRS[$base]=$(mktemp -d "/tmp/bench-stack-$base.XXXXXX")
  [[ -n ${SIDE_STACK_TREES[$base]:-} ]] || SIDE_STACK_TREES[$base]=${SIDE_STACK_TREE:-$ROOT}
  STACK_DIR=${SIDE_STACK_DIRS[$base]} STACK_PORT_BASE=$base STACK_PORT=$((base + 80)) "${SIDE_STACK_TREES[$base]}/stack" "$@"
}
side_stacks_down() {
  local base
  for base in "${!SIDE_STACK_DIRS[@]}"; do
    side_stack "$base" down >/dev/null 2>&1 || true
    rm -rf "${SIDE_STACK_DIRS[$base]}"
  done
}

side_dir() { echo "${SIDE_STACK_DIRS[$1]}"; }     # PORT_BASE -> its STACK_DIR
side_pid() { cat "$(side_dir "$1")/pids/$2.pid"; } # PORT_BASE NAME -> pid of that process

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

side_redis_cli() { # PORT_BASE redis-cli-args...: redis-cli on that stack's Redis, with its password
  local base=$1
  shift
  REDISCLI_AUTH=$(cat "$(side_dir "$base")/secrets/redis-password") redis-cli -p $((base + 379)) "$@"
}

redis_writes() { # PORT_BASE -> writes to that stack's Redis since it started (it never saves a snapshot)
  side_redis_cli "$1" info persistence | awk -F: '/^rdb_changes_since_last_save/ { print $2 + 0 }'
}

TICK_US=$((1000000 / $(getconf CLK_TCK))) # one clock tick of /proc/PID/stat, in µs
ticks_of() { # PID -> utime+stime of it and its live children (HAProxy's worker is a child of its master)
  local pid=$1 total=0 p
  for p in "$pid" $(pgrep -P "$pid" || true); do
    [[ -r /proc/$p/stat ]] || continue
    total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}
