# P1-SINK: P1 with the epoll sink as the endpoint instead of bench_receiver
# (the sink counts deliveries; GET /count), next to wrk against that same sink:
# end to end against the cheapest receiver the machine can run.
p1_sink_run() {
  start_sink "$RUN_DIR/sink.log"
  ENDPOINT_PID=$SINK_PID
  run_wrk "$SINK_PORT" "$RUN_DIR/wrk-sink.txt" "$SINK_PID"

  start_hookline "$RUN_DIR/data" "$RUN_DIR/hookline.log"
  create_endpoints "$RUN_DIR/endpoints.json" "http://127.0.0.1:$SINK_PORT/p1"
  sink_count "$SINK_PORT" >"$RUN_DIR/count-before.txt"
  cost_snapshot start
  publish "$RUN_DIR/load.json" --connections "$CONNECTIONS" --duration "$P1_SECONDS"
  sink_count "$SINK_PORT" >"$RUN_DIR/count-window.txt"
  local want
  want=$(($(cat "$RUN_DIR/count-before.txt") + $(acked_count "$RUN_DIR/load.json")))
  wait_sink_count "$SINK_PORT" "$want" "$SETTLE_SECONDS" || true
  cost_snapshot end
  sink_count "$SINK_PORT" >"$RUN_DIR/count-settled.txt"
  stop_hookline
}
