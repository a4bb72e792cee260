# P6 memory: P6_PENDING pending deliveries (P6_PENDING / P6_ENDPOINTS events,
# each to P6_ENDPOINTS endpoints): the server's peak RSS (VmHWM) after loading
# them, and while draining them for up to P6_DRAIN_SECONDS.
p6_run() {
  load_backlog "$((P6_PENDING / P6_ENDPOINTS))" "$P6_ENDPOINTS" /p6/
  start_drain
  wait_receiver_count "$RECEIVER_PORT" "$BACKLOG_DELIVERIES" "$P6_DRAIN_SECONDS" || true
  peak_rss_kib "$HOOKLINE_PID" >"$RUN_DIR/rss-drain-kib.txt"
  receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-end.json"
  hookline_metric hookline_deliveries_pending >"$RUN_DIR/pending-after-drain.txt"
  stop_hookline
}
