#!/usr/bin/env bash
# Dumps shop databases with pg_dump (custom format), one file per database, into a folder
# named after the time of the run. Works against any PostgreSQL: the embedded run's, compose's,
# or a cluster's through kubectl exec.
#
#   backup.sh [-d DIR] [-k KEEP] [-x 'EXEC PREFIX'] TARGET...
#
#   TARGET  a connection string pg_dump accepts: a URL (postgresql://user@host:5432/orders)
#           or a database name; the database's name names the file.
#   -d DIR  where the run's folder goes (default ./backups); prints the folder it wrote.
#   -k N    keep only the newest N runs' folders in DIR (default: keep all).
#   -x CMD  runs pg_dump through CMD, e.g. -x 'kubectl exec -i -n microservices-demo postgres-0 --'
#
# Passwords come from PGPASSWORD or ~/.pgpass, never from the command line.
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

dir=./backups
keep=0
exec_prefix=''
while getopts 'd:k:x:h' option; do
  case "$option" in
    d) dir=$OPTARG ;;
    k) keep=$OPTARG ;;
    x) exec_prefix=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -gt 0 ] || usage
[[ "$keep" =~ ^[0-9]+$ ]] || { echo "backup.sh: -k wants a number, got '$keep'" >&2; exit 2; }
if [ -z "$exec_prefix" ] && ! command -v pg_dump >/dev/null; then
  echo "backup.sh: pg_dump is not on PATH (Debian: apt-get install postgresql-client)" >&2
  exit 1
fi

# The database a target names: the URL's path, or the target itself.
database_of() {
  local target=${1%%\?*}
  case "$target" in
    *://*) target=${target#*://}; target=${target#*/} ;;
  esac
  printf '%s' "${target:-postgres}"
}

# Milliseconds in the name, so two runs in the same second keep apart and still sort by time.
run="$dir/$(date -u +%Y%m%dT%H%M%S.%3NZ)"
mkdir -p "$run"
trap 'rm -f -- "$run"/*.partial' EXIT
for target in "$@"; do
  database=$(database_of "$target")
  # Written beside the final name first, so an interrupted dump never looks like a good one.
  # shellcheck disable=SC2086 # the exec prefix is a command with its arguments
  $exec_prefix pg_dump --format=custom --no-owner --no-privileges --dbname="$target" >"$run/$database.dump.partial"
  mv "$run/$database.dump.partial" "$run/$database.dump"
  echo "backup.sh: $database -> $run/$database.dump ($(wc -c <"$run/$database.dump") bytes)" >&2
done

if [ "$keep" -gt 0 ]; then
  # Run folders sort by time as names (UTC stamps); the oldest beyond KEEP go.
  find "$dir" -mindepth 1 -maxdepth 1 -type d -name '????????T??????.???Z' | sort | head -n "-$keep" |
    while read -r old; do rm -rf -- "$old"; done
fi
echo "$run"
