# P9 horizontal scaling: the same backlog (P9_EVENTS events × P9_ENDPOINTS
# endpoints) drained by 1, 2, then 4 nodes on one PostgreSQL database, each
# node limited to P9_CONCURRENCY attempts at once (--max-concurrent-attempts),
# the receiver taking P9_DELAY_MS per request. Two cores cannot show CPU
# scaling; this measures the mechanism: with 20 ms per request a node can do
# at most CONCURRENCY / 0.02 deliveries/s, so N nodes should reach N times that
# unless something in the database serialises them.
p9_run() {
  BENCH_STORE=postgres
  local base=$RUN_DIR nodes
  for nodes in $P9_NODES; do
    RUN_DIR=$base/n$nodes
    mkdir -p "$RUN_DIR"
    p9_drain "$nodes"
    cat "$RUN_DIR/commands.txt" >>"$base/commands.txt"
  done
  RUN_DIR=$base
}

# p9_drain NODES: one backlog, loaded by one node (one attempt at a time, so
# that it holds almost nothing leased when it stops), then drained by NODES
# nodes started before the receiver comes up.
p9_drain() {
  local count=$1 i
  BACKLOG_RECEIVER_PORT=$(pick_free_port)
  BACKLOG_DELIVERIES=$((P9_EVENTS * P9_ENDPOINTS))
  RECORD_VALUE=$(backlog_schedule)
  RECORD_AS="\"\$(yes $BACKLOG_RETRY_SECONDS | head -n $BACKLOG_RETRY_STEPS | paste -sd,)\""
  start_hookline "$RUN_DIR/data" "$RUN_DIR/loader.log" --retry-schedule-test "$RECORD_VALUE" \
    --max-concurrent-attempts 1 --timeout 1
  local urls=()
  for ((i = 0; i < P9_ENDPOINTS; i++)); do urls+=("http://127.0.0.1:$BACKLOG_RECEIVER_PORT/p9/$i"); done
  create_endpoints "$RUN_DIR/endpoints.json" "${urls[@]}"
  publish "$RUN_DIR/load.json" --connections "$CONNECTIONS" --count "$P9_EVENTS"
  (($(acked_count "$RUN_DIR/load.json") == P9_EVENTS)) || fail "the P9 backlog was not accepted"
  hookline_metric hookline_deliveries_pending >"$RUN_DIR/pending-before-drain.txt"
  stop_hookline

  local pids=()
  for ((i = 1; i <= count; i++)); do
    start_hookline "$RUN_DIR/data" "$RUN_DIR/node$i.log" --retry-schedule-test "$RECORD_VALUE" \
      --max-concurrent-attempts "$P9_CONCURRENCY"
    pids+=("$HOOKLINE_PID")
  done
  pg_statements_reset
  start_receiver "$RUN_DIR/receiver.log" --port "$BACKLOG_RECEIVER_PORT" --record-arrivals \
    --delay-ms "$P9_DELAY_MS"
  wait_receiver_count "$RECEIVER_PORT" "$BACKLOG_DELIVERIES" "$DRAIN_TIMEOUT_SECONDS" ||
    echo "timeout" >"$RUN_DIR/drain-timeout.txt"
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-end.json"
  curl -sf "http://127.0.0.1:$RECEIVER_PORT/__arrivals" -o "$RUN_DIR/arrivals.txt" || true
  sleep 1  # the last outcomes are written
  pg_statement_counts "$RUN_DIR/pg-counts.json"
  for i in "${pids[@]}"; do stop_process "$i" 45; done
  stop_process "$RECEIVER_PID"
}
