# Sourced by ops/test.sh and ops/bench.sh. debian_install <who> <command> <what it is for> <package...>: installs
# Debian's packages when <command> is missing (these machines start without them and keep nothing installed by hand).
debian_install() {
  local who=$1 command=$2 purpose=$3
  shift 3
  command -v "$command" >/dev/null 2>&1 && return 0
  echo "$who: $command is not installed: installing Debian's $* for $purpose" >&2
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}
