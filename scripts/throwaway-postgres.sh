#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: a fresh cluster in a temp folder, listening on 127.0.0.1 on a
# free port, trust authentication, run as a non-root user (initdb refuses root: as root it runs as `postgres`).
#
#   eval "$(scripts/throwaway-postgres.sh start)"   # exports TEST_DATABASE_URL and THROWAWAY_POSTGRES_DIR
#   scripts/throwaway-postgres.sh stop "$THROWAWAY_POSTGRES_DIR"   # stops the server and deletes the folder
#
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql); nothing is installed here.
set -euo pipefail

find_bindir() {
  if [[ -n "${POSTGRES_BINDIR:-}" ]]; then echo "$POSTGRES_BINDIR"; return; fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  echo "throwaway-postgres: no PostgreSQL server binaries found (install the Debian package postgresql)" >&2
  exit 1
}

# Runs a command as the server's OS user: ourselves, or `postgres` when we are root.
as_server_user() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
}

start() {
  local bindir dir port
  bindir="$(find_bindir)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/throwaway-postgres.XXXXXX")"
  mkdir -p "$dir/data" "$dir/socket"
  if [[ "$(id -u)" == 0 ]]; then chown -R postgres: "$dir"; fi
  as_server_user "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  # A port can be taken between choosing and binding it; try a few.
  for _ in 1 2 3 4 5; do
    port="$(free_port)"
    if as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off -c max_connections=200" >/dev/null; then
      echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
      echo "export THROWAWAY_POSTGRES_DIR=$dir"
      return
    fi
  done
  cat "$dir/server.log" >&2
  rm -rf "$dir"
  exit 1
}

stop() {
  local dir="${1:-${THROWAWAY_POSTGRES_DIR:-}}"
  if [[ -z "$dir" || ! -d "$dir/data" ]]; then
    echo "throwaway-postgres: usage: stop <folder printed by start>" >&2
    exit 1
  fi
  local bindir pid
  bindir="$(find_bindir)"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    pid="$(head -n 1 "$dir/data/postmaster.pid")"
    if ! as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >"$dir/stop.log" 2>&1; then
      cat "$dir/stop.log" >&2
      echo "throwaway-postgres: fast shutdown failed; killing the server" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    # Only delete the folder once the server process is really gone.
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop <folder>" >&2; exit 2 ;;
esac
