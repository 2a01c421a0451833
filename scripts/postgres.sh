#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks, under target/postgres/:
#   bash scripts/postgres.sh start   installs Debian's postgresql when it is missing, creates the
#                                    cluster once (initdb, trust on loopback only), starts it on a
#                                    free loopback port and prints its URL (postgres://postgres@
#                                    127.0.0.1:PORT, no database: tests create their own);
#                                    when it already runs, only prints the URL.
#   bash scripts/postgres.sh stop    stops it (the files stay for the next start).
# Nothing outside target/postgres/ is touched: no system cluster, no service, no port of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$PWD/target/postgres
DATA=$DIR/data

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$dir/initdb" ] && echo "$dir"
}

# As root, initdb and the server refuse to run: they run as Debian's postgres user, which owns
# the cluster's folder.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

running() {
  local bin=$1
  [ -f "$DATA/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  local bin port
  if ! bin=$(bin_dir); then
    echo "installing PostgreSQL from Debian (about a minute)" >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
    bin=$(bin_dir)
  fi
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  if ! [ -f "$DATA/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$DATA" -A trust -U postgres --no-sync -E UTF8 >"$DIR/initdb.log"
  fi
  if ! running "$bin"; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Durable commits as in production (fsync, synchronous_commit on): the tests' promise is
    # that an acknowledged request survives; the socket lives in the cluster's folder.
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start \
      -o "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300" >&2
    echo "postgres://postgres@127.0.0.1:$port" >"$DIR/url"
  fi
  cat "$DIR/url"
}

stop() {
  local bin
  bin=$(bin_dir) || return 0
  if running "$bin"; then
    as_owner "$bin/pg_ctl" -D "$DATA" stop -m fast >&2
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
