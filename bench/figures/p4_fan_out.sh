# P4 fan-out: one event to P4_ENDPOINTS endpoints, each on its own port of the
# receiver: from sending the event to the last delivery read by the receiver.
p4_run() {
  start_receiver "$RUN_DIR/receiver.log" --port 0 --ports "$P4_ENDPOINTS"
  start_hookline "$RUN_DIR/data" "$RUN_DIR/hookline.log"
  local urls=() port
  for port in "${RECEIVER_PORTS[@]}"; do urls+=("http://127.0.0.1:$port/p4"); done
  create_endpoints "$RUN_DIR/endpoints.json" "${urls[@]}"
  receiver_reset "$RECEIVER_PORT"
  publish "$RUN_DIR/load.json" --connections 1 --count 1 --events-file "$RUN_DIR/events.txt"
  wait_receiver_count "$RECEIVER_PORT" "$P4_ENDPOINTS" "$SETTLE_SECONDS" ||
    echo "timeout" >"$RUN_DIR/fan-out-timeout.txt"
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-end.json"
  stop_hookline
}
