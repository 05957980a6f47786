#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, from Debian's postgresql-15
# binaries: nothing depends on a system-wide database.
#
#   pg_test_cluster.sh start DIR   initdb in DIR/data, start on a free
#                                  127.0.0.1 port (socket in DIR), write the
#                                  server's URL to DIR/url and print it
#   pg_test_cluster.sh stop DIR    stop the cluster and remove DIR
#   pg_test_cluster.sh pause DIR   stop the server, keeping its data
#   pg_test_cluster.sh resume DIR  start it again on the same port
#
# Exit status 77 when the server binaries are missing (the tests skip then),
# or 0 with `start DIR optional` (for ctest's fixture, which must pass).
# PostgreSQL refuses to run as root: as root, the server runs as the
# `postgres` user (created by the Debian package). That user may not reach
# DIR (a clone under a private temporary directory, say), so its files then
# live in a directory of their own under /tmp, named in DIR/home.
# SPINLOG_PG_BINDIR overrides /usr/lib/postgresql/15/bin.
set -euo pipefail

bindir="${SPINLOG_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
command="${1:-}"
dir="${2:-}"
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

case "$dir" in
  /*) ;;
  *) dir="$PWD/$dir" ;;
esac

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
  # The server's user may not be allowed into the caller's directory.
  cd /
fi

# Where the cluster's files are: DIR, or the directory DIR/home names.
home() {
  if [ -f "$dir/home" ]; then cat "$dir/home"; else echo "$dir"; fi
}

stop() {
  local h
  h="$(home)"
  if [ -f "$h/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$h/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ "$h" != "$dir" ]; then rm -rf "$h"; fi
}

case "$command" in
  start)
    for tool in initdb pg_ctl postgres; do
      if [ ! -x "$bindir/$tool" ]; then
        echo "pg_test_cluster: $bindir/$tool not found (install postgresql-15)" >&2
        rm -rf "$dir"
        if [ "${3:-}" = optional ]; then exit 0; fi
        exit 77
      fi
    done
    # A cluster left behind by an interrupted run goes first.
    stop
    rm -rf "$dir"
    mkdir -p "$dir"
    h="$dir"
    if [ "$(id -u)" -eq 0 ]; then
      h="$(mktemp -d /tmp/spinlog-pg-XXXXXX)"
      chown postgres "$h"
      echo "$h" >"$dir/home"
    fi
    # Throwaway data: --no-sync saves seconds; the server keeps fsync on.
    "${as_owner[@]}" "$bindir/initdb" -D "$h/data" -A trust -U postgres -E UTF8 \
      --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # A random port; another process may hold it, so try a few.
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 40000))
      if "${as_owner[@]}" "$bindir/pg_ctl" -D "$h/data" -l "$h/server.log" -w -t 30 \
        -o "-p $port -k $h -c listen_addresses=127.0.0.1 -c max_connections=200" \
        start >/dev/null 2>&1; then
        url="postgresql://postgres@127.0.0.1:$port/postgres"
        echo "$url" >"$dir/url"
        echo "$url"
        exit 0
      fi
      echo "pg_test_cluster: start on port $port failed (attempt $attempt)" >&2
    done
    tail -20 "$h/server.log" >&2 || true
    exit 1
    ;;
  stop)
    stop
    rm -rf "$dir"
    ;;
  pause)
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$(home)/data" -m fast -w stop >/dev/null
    ;;
  resume)
    port="$(sed -e 's/.*:\([0-9]*\)\/.*/\1/' "$dir/url")"
    h="$(home)"
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$h/data" -l "$h/server.log" -w -t 30 \
      -o "-p $port -k $h -c listen_addresses=127.0.0.1 -c max_connections=200" \
      start >/dev/null
    ;;
  *)
    echo "usage: $0 start|stop|pause|resume DIR" >&2
    exit 2
    ;;
esac
