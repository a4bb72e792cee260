# P1-PG, P2-PG, P3-PG: P1, P2 and P3 with one node on the PostgreSQL store
# (the run's private server, on this machine). P1-PG also counts, with
# pg_stat_statements, the statements, round trips, commits and rows written
# per event published and delivered (pg-counts.json).
p1_pg_run() {
  BENCH_STORE=postgres
  start_receiver "$RUN_DIR/receiver.log" --port 0
  run_wrk "$RECEIVER_PORT" "$RUN_DIR/wrk.txt" "$RECEIVER_PID"
  sink_reference "$RUN_DIR/wrk-sink.txt"
  receiver_reset "$RECEIVER_PORT"

  start_hookline "$RUN_DIR/data" "$RUN_DIR/hookline.log"
  create_endpoints "$RUN_DIR/endpoints.json" "http://127.0.0.1:$RECEIVER_PORT/p1"
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-before.json"
  pg_statements_reset
  cost_snapshot start
  publish "$RUN_DIR/load.json" --connections "$CONNECTIONS" --duration "$P1_SECONDS"
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-window.json"
  wait_receiver_count "$RECEIVER_PORT" "$(acked_count "$RUN_DIR/load.json")" "$SETTLE_SECONDS" || true
  cost_snapshot end
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-settled.json"
  # Every outcome is written within 25 ms of its attempt (outcome_recorder).
  sleep 1
  pg_statement_counts "$RUN_DIR/pg-counts.json"
  curl -sf "http://127.0.0.1:$HOOKLINE_PORT/metrics" -o "$RUN_DIR/metrics.txt" || true
  stop_hookline
}

p2_pg_run() {
  BENCH_STORE=postgres
  p2_run
}

p3_pg_run() {
  BENCH_STORE=postgres
  p3_run
}
