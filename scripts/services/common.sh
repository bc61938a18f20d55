# Shared by scripts/services/*/{install,start,stop}. Sourced, not run.
# Service state lives under the worktree's target/ so parallel checkouts
# on one machine never share a data directory; ports are picked free.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE_BASE="$ROOT/target/services"
export FEASTOPS_VENV=${FEASTOPS_VENV:-$ROOT/.venv-feast}
FEAST=${FEASTOPS_FEAST:-$FEASTOPS_VENV/bin/feast}

die() { echo "scripts/services: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Servers refuse to run as root: run them as `nobody` when we are root.
as_service_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

own_for_service() {
  if [ "$(id -u)" = 0 ]; then chown -R nobody "$@"; fi
}

wait_port() { # host port seconds
  local i
  for i in $(seq 1 $(( $3 * 10 ))); do
    if python3 -c "import socket,sys; socket.create_connection(('$1',$2),0.5)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

apt_install() { # package...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "need root to apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

pip_install() { # import-name requirement...
  local mod=$1; shift
  "$FEASTOPS_VENV/bin/python" -c "import $mod" 2>/dev/null && return 0
  "$FEASTOPS_VENV/bin/pip" install --quiet "$@"
}
