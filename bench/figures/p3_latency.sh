# P3 latency: events published at a fixed P3_RATE per second for P3_SECONDS;
# for each event, from the moment the load generator sends it to the moment
# the receiver reads its delivery (both on CLOCK_MONOTONIC).
p3_run() {
  start_receiver "$RUN_DIR/receiver.log" --port 0 --record-arrivals
  start_hookline "$RUN_DIR/data" "$RUN_DIR/hookline.log"
  create_endpoints "$RUN_DIR/endpoints.json" "http://127.0.0.1:$RECEIVER_PORT/p3"
  publish "$RUN_DIR/load.json" --connections "$CONNECTIONS" --rate "$P3_RATE" \
    --duration "$P3_SECONDS" --events-file "$RUN_DIR/events.txt"
  wait_receiver_count "$RECEIVER_PORT" "$(acked_count "$RUN_DIR/load.json")" "$SETTLE_SECONDS" || true
  curl -sf "http://127.0.0.1:$RECEIVER_PORT/__arrivals" -o "$RUN_DIR/arrivals.txt" ||
    fail "cannot read the receiver's arrivals"
  stop_hookline
}
