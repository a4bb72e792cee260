#!/usr/bin/env bash
# A private PostgreSQL server for the node suites (the C++ tests have
# postgres_server.hpp): `start DIR` runs initdb in DIR (removed first) and
# starts the server listening only on a unix socket in DIR; `stop DIR` stops
# it and removes DIR. Connect with "host=DIR port=5432 user=postgres".
# For the fault tests: `restart DIR` (pg_ctl restart -m fast: sessions are
# cut), `pause DIR` (stopped -m fast, data kept) and `resume DIR`.
# fsync and synchronous_commit keep their defaults. As root, the server runs
# as the `postgres` user (initdb refuses root).
set -euo pipefail
command=${1:?usage: pg_test_server.sh start|stop|restart|pause|resume DIR}
dir=${2:?usage: pg_test_server.sh start|stop|restart|pause|resume DIR}
bin=${HOOKLINE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_server() {
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$command" in
  start)
    stop_server  # a server left over by an interrupted run
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
    # --no-sync: initdb's own fsyncs only; the server keeps fsync on.
    if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      exit 1
    fi
    printf "\nlisten_addresses = ''\nunix_socket_directories = '%s'\nport = 5432\n" "$dir" \
      >>"$dir/data/postgresql.conf"
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
      cat "$dir/server.log" >&2
      exit 1
    fi
    echo "host=$dir port=5432 user=postgres"
    ;;
  stop)
    stop_server
    ;;
  restart)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  pause)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
  resume)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
    ;;
  *)
    echo "pg_test_server.sh: unknown command $command" >&2
    exit 2
    ;;
esac
