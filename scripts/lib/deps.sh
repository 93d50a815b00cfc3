# Debian packages the local stack and its tests need. Sourced, never run.
#   ensure_packages [PACKAGE...]   (default: STACK_PACKAGES)
# Installs what is missing when run as root (apt-get update once per run),
# otherwise prints the exact command to run and returns 1.

# socat talks to HAProxy's admin socket (./stack status, scaling).
STACK_PACKAGES=(redis-server rabbitmq-server haproxy wrk curl jq socat)

package_present() { # PACKAGE: judged by the program it provides
  case $1 in
    redis-server) command -v redis-server && command -v redis-cli ;;
    rabbitmq-server) [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] && command -v epmd ;;
    docker.io) [[ -x /usr/sbin/dockerd ]] && command -v docker ;;
    nodejs) command -v node ;;
    *) command -v "$1" ;;
  esac >/dev/null 2>&1
}

ensure_packages() {
  local wanted=("$@") missing=() p
  ((${#wanted[@]})) || wanted=("${STACK_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    package_present "$p" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0

  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    printf '==> installing missing packages: %s\n' "${missing[*]}"
    if [[ -z ${_STACK_APT_UPDATED:-} ]]; then
      apt-get update -q >/dev/null || { printf 'apt-get update failed\n' >&2; return 1; }
      _STACK_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
      { printf 'apt-get install failed for: %s\n' "${missing[*]}" >&2; return 1; }
    for p in "${missing[@]}"; do
      package_present "$p" || { printf 'package %s is installed but its program is not on PATH\n' "$p" >&2; return 1; }
    done
    return 0
  fi

  printf 'Missing packages: %s\nInstall them (as root):\n' "${missing[*]}" >&2
  printf '  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
  return 1
}

# The tests' real clients (scripts/clients): Debian's chromium for the headless browser, and the pinned
# node packages (playwright-core, ws) installed from the lockfile, once per change of it.
#   ensure_clients   -> CLIENTS_DIR is ready; `node "$CLIENTS_DIR/x.mjs"` finds its packages
CLIENTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../clients" && pwd)
ensure_clients() {
  ensure_packages chromium nodejs npm || return 1
  local stamp=$CLIENTS_DIR/node_modules/.installed-from
  if [[ ! -f $stamp ]] || ! cmp -s "$CLIENTS_DIR/package-lock.json" "$stamp"; then
    printf '==> installing the test clients (npm ci in scripts/clients)\n'
    (cd "$CLIENTS_DIR" && npm ci --no-audit --no-fund --loglevel=error) ||
      { printf 'npm ci failed in %s\n' "$CLIENTS_DIR" >&2; return 1; }
    cp "$CLIENTS_DIR/package-lock.json" "$stamp"
  fi
}
