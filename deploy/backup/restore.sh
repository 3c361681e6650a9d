#!/usr/bin/env bash
# Restores shop databases from a folder backup.sh wrote: each TARGET's database from
# <RUN>/<database>.dump. Objects the dump holds are dropped and recreated in one transaction
# per database; the target databases must exist (empty or not).
#
#   restore.sh [-x 'EXEC PREFIX'] RUN TARGET...
#
#   RUN     a run's folder, as backup.sh printed it (backups/20261207T101500.123Z)
#   TARGET  a connection string or database name, as for backup.sh
#   -x CMD  runs pg_restore through CMD, e.g. -x 'kubectl exec -i -n microservices-demo postgres-0 --'
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

exec_prefix=''
while getopts 'x:h' option; do
  case "$option" in
    x) exec_prefix=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -gt 1 ] || usage
run=$1
shift
[ -d "$run" ] || { echo "restore.sh: no backup folder $run" >&2; exit 1; }
if [ -z "$exec_prefix" ] && ! command -v pg_restore >/dev/null; then
  echo "restore.sh: pg_restore is not on PATH (Debian: apt-get install postgresql-client)" >&2
  exit 1
fi

database_of() {
  local target=${1%%\?*}
  case "$target" in
    *://*) target=${target#*://}; target=${target#*/} ;;
  esac
  printf '%s' "${target:-postgres}"
}

# Every dump must be there before any database is touched.
for target in "$@"; do
  database=$(database_of "$target")
  [ -s "$run/$database.dump" ] || { echo "restore.sh: $run/$database.dump is missing or empty" >&2; exit 1; }
done
for target in "$@"; do
  database=$(database_of "$target")
  # The dump goes in on stdin, so the same command works through kubectl exec -i.
  # shellcheck disable=SC2086 # the exec prefix is a command with its arguments
  $exec_prefix pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$target" <"$run/$database.dump"
  echo "restore.sh: $database <- $run/$database.dump" >&2
done
