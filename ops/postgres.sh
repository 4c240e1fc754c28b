#!/usr/bin/env bash
# Ensures a PostgreSQL for FeedbackPlatform and prints its connection string on stdout.
#
#   ops/postgres.sh          start (or reuse) the local cluster, print the connection string
#   ops/postgres.sh stop     stop the local cluster
#   ops/postgres.sh status   say whether it runs
#
# With FEEDBACK_DB set, that database is used as it is and nothing is started.
# Otherwise: Debian's postgresql is installed when missing, a cluster is created under .local/pg
# (git-ignored), and started on 127.0.0.1:${FEEDBACK_PG_PORT:-55432} only. Safe to call repeatedly.
# When another server (another clone's cluster) already holds that port, this clone's cluster takes the next free
# port and remembers it in .local/pg-port; an explicit FEEDBACK_PG_PORT that is taken is refused with what to do.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT_FILE=$ROOT/.local/pg-port
if [[ -n "${FEEDBACK_PG_PORT:-}" ]]; then PORT=$FEEDBACK_PG_PORT
elif [[ -s "$PORT_FILE" ]]; then PORT=$(cat "$PORT_FILE")
else PORT=55432; fi
DATABASE=${FEEDBACK_PG_DATABASE:-feedback}
USER_NAME=feedback
PASSWORD=feedback
DATA=${FEEDBACK_PG_DATA:-$ROOT/.local/pg}
LOG=$DATA.log

say() { echo "postgres.sh: $*" >&2; }

if [[ -n "${FEEDBACK_DB:-}" && "${1:-start}" == start ]]; then
  echo "$FEEDBACK_DB"
  exit 0
fi

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  return 1
}

install_postgres() {
  say "PostgreSQL is not installed: installing Debian's postgresql package"
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

BIN=$(find_bin || { install_postgres; find_bin; }) || { say "no initdb after installing postgresql"; exit 1; }

# initdb and postgres refuse to run as root: run them as the postgres user, which owns the cluster.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() { as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

mkdir -p "$(dirname "$DATA")"
if [[ $(id -u) -eq 0 ]]; then
  as_owner true
  # The postgres user must reach the data folder through every parent (a clone under /root cannot):
  # then the cluster lives in a folder of the temporary directory named after this clone.
  if ! runuser -u postgres -- test -x "$(dirname "$DATA")"; then
    DATA="${TMPDIR:-/tmp}/feedback-pg-$(echo "$ROOT" | md5sum | cut -c1-10)"
    LOG=$DATA.log
    say "postgres cannot reach $ROOT/.local; using $DATA"
  fi
fi

case "${1:-start}" in
  stop)
    if [[ -d "$DATA" ]] && running; then
      as_owner "$BIN/pg_ctl" stop -D "$DATA" -m fast -w >&2
    else
      say "not running"
    fi
    exit 0 ;;
  status)
    if [[ -d "$DATA" ]] && running; then say "running on 127.0.0.1:$PORT"; exit 0; else say "not running"; exit 3; fi ;;
  start) ;;
  *) say "usage: ops/postgres.sh [start|stop|status]"; exit 2 ;;
esac


if [[ ! -s "$DATA/PG_VERSION" ]]; then
  say "creating a cluster in $DATA"
  mkdir -p "$DATA"
  pwfile=$(mktemp)
  echo "$PASSWORD" > "$pwfile"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$DATA" "$pwfile"; fi
  chmod 700 "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U "$USER_NAME" --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >&2 \
    || as_owner "$BIN/initdb" -D "$DATA" -U "$USER_NAME" --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C >&2
  rm -f "$pwfile"
fi

# An event store is write-heavy: with the defaults, a sustained load filled 1 GB of WAL every minute or two
# (checkpoints forced by WAL size, not time) and backends wrote out dirty pages themselves.
WRITE_HEAVY="-c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=15min"
# pg_stat_statements: the benchmark's profile counts the statements each command sends (top level only: a function
# such as Marten's quick append counts once).
STATEMENTS="-c shared_preload_libraries=pg_stat_statements"
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A cluster of this clone that runs already: its own port, whatever was asked.
if running && [[ -r "$DATA/postmaster.pid" ]]; then PORT=$(sed -n 4p "$DATA/postmaster.pid"); fi
if ! running && port_taken "$PORT"; then
  if [[ -n "${FEEDBACK_PG_PORT:-}" ]]; then
    say "port $PORT is taken by another server (another clone's cluster?): set FEEDBACK_PG_PORT to a free port, or FEEDBACK_DB to the connection string of the server that runs there"
    exit 1
  fi
  taken=$PORT
  for candidate in $(seq 55433 55532); do
    if ! port_taken "$candidate"; then PORT=$candidate; break; fi
  done
  [[ "$PORT" == "$taken" ]] && { say "port $taken is taken and no port from 55433 to 55532 is free: set FEEDBACK_PG_PORT or FEEDBACK_DB"; exit 1; }
  echo "$PORT" > "$PORT_FILE"
  say "port $taken is taken by another server (another clone's cluster?): this clone's cluster uses $PORT (remembered in .local/pg-port)"
fi
CONNECTION="Host=127.0.0.1;Port=$PORT;Database=$DATABASE;Username=$USER_NAME;Password=$PASSWORD"
if ! running; then
  say "starting on 127.0.0.1:$PORT"
  touch "$LOG"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$LOG"; fi
  as_owner "$BIN/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DATA -c max_connections=300 $WRITE_HEAVY $STATEMENTS" >&2 \
    || { say "PostgreSQL did not start; its log:"; tail -n 30 "$LOG" >&2; exit 1; }
fi

export PGPASSWORD=$PASSWORD
PSQL="$BIN/psql"
[[ -x "$PSQL" ]] || PSQL=psql
if ! "$PSQL" -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d postgres -tAc "select 1 from pg_database where datname = '$DATABASE'" | grep -q 1; then
  say "creating database $DATABASE"
  "$PSQL" -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d postgres -qc "create database \"$DATABASE\"" >&2
fi

echo "$CONNECTION"
