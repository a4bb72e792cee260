# The private PostgreSQL server of a benchmark run, for the figures on the
# PostgreSQL store (P1-PG, P2-PG, P3-PG, P9): tests/support/pg_test_server.sh
# in /tmp (unix socket only, fsync and synchronous_commit on), with
# pg_stat_statements loaded to count statements. Sourced by bench/run.sh.

BENCH_PG_DIR=""     # set by start_bench_postgres
BENCH_PG_SERVER=""  # its connection string, without dbname
BENCH_STORE=sqlite  # a figure sets postgres: start_hookline then uses a database of its own

start_bench_postgres() {
  BENCH_PG_DIR=$(mktemp -d /tmp/hookline-pg-bench-XXXXXX)
  local script="$REPO/tests/support/pg_test_server.sh"
  BENCH_PG_SERVER=$(bash "$script" start "$BENCH_PG_DIR")
  printf "shared_preload_libraries = 'pg_stat_statements'\nmax_connections = 200\n" \
    >>"$BENCH_PG_DIR/data/postgresql.conf"
  bash "$script" restart "$BENCH_PG_DIR"
  export BENCH_PG_DIR BENCH_PG_SERVER
}

stop_bench_postgres() {
  [[ -z "$BENCH_PG_DIR" ]] || bash "$REPO/tests/support/pg_test_server.sh" stop "$BENCH_PG_DIR"
  BENCH_PG_DIR=""
}

# bench_psql DB SQL: one query, unaligned rows on stdout.
bench_psql() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  "$bin/psql" "$BENCH_PG_SERVER dbname=$1" -v ON_ERROR_STOP=1 -qAtc "$2"
}

# store_flags DATA_DIR: sets STORE_FLAGS, the flags of the store of a server
# whose data dir would be DATA_DIR: that dir (SQLite), or with BENCH_STORE=postgres
# a database named after it (created on first use).
store_flags() {
  if [[ $BENCH_STORE != postgres ]]; then
    STORE_FLAGS=(--data-dir "$1")
    return
  fi
  [[ -n "$BENCH_PG_SERVER" ]] || fail "no benchmark PostgreSQL server was started"
  local db
  db=hl_$(printf '%s' "$1" | md5sum | cut -c1-16)
  if [[ -z "$(bench_psql postgres "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
    bench_psql postgres "CREATE DATABASE $db" >/dev/null
    bench_psql "$db" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  fi
  STORE_DATABASE=$db
  STORE_FLAGS=(--database "$BENCH_PG_SERVER dbname=$db")
}

# pg_statements_reset: counting starts now (every database of the server).
pg_statements_reset() {
  bench_psql "$STORE_DATABASE" "SELECT pg_stat_statements_reset()" >/dev/null
}

# pg_statement_counts OUT: what the statements of STORE_DATABASE cost since the
# reset, as JSON: statements, round trips (a BEGIN and the SET LOCAL sent with
# it travel together), transactions, durable commits (those without
# synchronous_commit off) and rows written (inserted, updated, deleted).
pg_statement_counts() {
  bench_psql "$STORE_DATABASE" "
    WITH s AS (
      SELECT query, calls, rows, total_exec_time FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT LIKE '%pg_stat_statements%')
    SELECT json_build_object(
      'statements', COALESCE(SUM(calls), 0),
      'set_local_async', COALESCE(SUM(calls) FILTER (WHERE query ILIKE 'SET LOCAL synchronous_commit%'), 0),
      'commits', COALESCE(SUM(calls) FILTER (WHERE query ILIKE 'COMMIT%'), 0),
      'rows_written', COALESCE(SUM(rows) FILTER (
        WHERE query ~* '^\\s*(WITH\\s.*)?(INSERT|UPDATE|DELETE)\\s'), 0),
      'by_statement', (SELECT json_agg(json_build_object('query', left(query, 120), 'calls', calls,
        'rows', rows, 'exec_ms', round(total_exec_time::numeric, 1)) ORDER BY calls DESC) FROM (SELECT * FROM s ORDER BY calls DESC LIMIT 16) t),
      'by_time', (SELECT json_agg(json_build_object('query', left(query, 120), 'calls', calls,
        'exec_ms', round(total_exec_time::numeric, 1)) ORDER BY total_exec_time DESC)
        FROM (SELECT * FROM s ORDER BY total_exec_time DESC LIMIT 8) t))
    FROM s" >"$1"
}
