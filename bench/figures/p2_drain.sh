# P2 drain: P2_BACKLOG pending deliveries (one endpoint), all due, the receiver
# up: deliveries per second until the last is acknowledged; next to wrk's
# req/s against the same receiver, and against the epoll sink. The server's CPU
# time by thread is read from the receiver's start to the last delivery.
p2_run() {
  load_backlog "$P2_BACKLOG" 1 /p2/
  if [[ $BENCH_STORE == postgres ]]; then pg_statements_reset; fi
  cost_snapshot start
  start_drain
  wait_receiver_count "$RECEIVER_PORT" "$BACKLOG_DELIVERIES" "$DRAIN_TIMEOUT_SECONDS" ||
    echo "timeout" >"$RUN_DIR/drain-timeout.txt"
  cost_snapshot end
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-end.json"
  curl -sf "http://127.0.0.1:$RECEIVER_PORT/__arrivals" -o "$RUN_DIR/arrivals.txt" || true
  hookline_metric hookline_deliveries_pending >"$RUN_DIR/pending-after-drain.txt"
  if [[ $BENCH_STORE == postgres ]]; then
    # Every outcome is written within 25 ms of its attempt (outcome_recorder).
    sleep 1
    pg_statement_counts "$RUN_DIR/pg-counts.json"
  fi
  stop_hookline
  # The references, on the same receiver and on the sink, once hookline is stopped.
  run_wrk "$RECEIVER_PORT" "$RUN_DIR/wrk.txt" "$RECEIVER_PID"
  sink_reference "$RUN_DIR/wrk-sink.txt"
  curl_floor_reference "$RUN_DIR/curl-floor.txt"
}
