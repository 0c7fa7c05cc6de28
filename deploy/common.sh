# shellcheck shell=bash
# Sourced (not run) by deploy.sh, teardown.sh and validate.sh: what the three scripts share.
#
# After sourcing, the working directory is the repository root and these are defined:
#   SCRIPT       the calling script's file name, for messages
#   TOOL         the samconfig.toml helper (deploy/samconfig_tool.py)
#   usage        prints the calling script's header comment (its help text)
#   parse_flags  parse_flags --flag=VAR ... -- "$@": every VAR starts false, each --flag given
#                sets its VAR to true, -h/--help prints usage and exits 0, anything else exits 2
#   show         prints a command as a copy-pasteable shell line
#   run          show, then run the command unless DRY_RUN is true

SCRIPT="$(basename "$0")"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

parse_flags() {
  local -A flags=()
  local spec arg
  while [[ $# -gt 0 && "$1" != "--" ]]; do
    spec="$1"
    flags["${spec%%=*}"]="${spec#*=}"
    printf -v "${spec#*=}" '%s' false
    shift
  done
  [[ $# -gt 0 ]] && shift # the --
  for arg in "$@"; do
    if [[ -n "${flags[$arg]+set}" ]]; then
      printf -v "${flags[$arg]}" '%s' true
    elif [[ "$arg" == -h || "$arg" == --help ]]; then
      usage
      exit 0
    else
      echo "$SCRIPT: unknown argument: $arg" >&2
      usage >&2
      exit 2
    fi
  done
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
# shellcheck disable=SC2034 # used by the scripts that source this file
TOOL=(python3 deploy/samconfig_tool.py)
export PYTHONDONTWRITEBYTECODE=1 # keep deploy/ free of __pycache__

show() {
  local out="+" arg quote="'\\''"
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
      out+=" $arg"
    else
      out+=" '${arg//\'/$quote}'"
    fi
  done
  printf '%s\n' "$out"
}

run() {
  show "$@"
  if [[ "$DRY_RUN" == false ]]; then "$@"; fi
}
