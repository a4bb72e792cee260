# P1 end-to-end: events published over the API (as fast as the server takes
# them, CONNECTIONS keep-alive connections) and acknowledged by the receiver,
# for P1_SECONDS; next to wrk's req/s against the same receiver, and against
# the epoll sink. The server's CPU time by thread is read from the start of
# publishing until the deliveries have caught up (the per-event cost table).
p1_run() {
  start_receiver "$RUN_DIR/receiver.log" --port 0
  run_wrk "$RECEIVER_PORT" "$RUN_DIR/wrk.txt" "$RECEIVER_PID"
  sink_reference "$RUN_DIR/wrk-sink.txt"
  receiver_reset "$RECEIVER_PORT"

  start_hookline "$RUN_DIR/data" "$RUN_DIR/hookline.log"
  create_endpoints "$RUN_DIR/endpoints.json" "http://127.0.0.1:$RECEIVER_PORT/p1"
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-before.json"
  cost_snapshot start
  publish "$RUN_DIR/load.json" --connections "$CONNECTIONS" --duration "$P1_SECONDS"
  # The window is the publishing run: what was delivered by its end.
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-window.json"
  # For information: how long the deliveries still owed take to arrive.
  wait_receiver_count "$RECEIVER_PORT" "$(acked_count "$RUN_DIR/load.json")" "$SETTLE_SECONDS" || true
  cost_snapshot end
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-settled.json"
  curl -sf "http://127.0.0.1:$HOOKLINE_PORT/metrics" -o "$RUN_DIR/metrics.txt" || true
  stop_hookline
}
