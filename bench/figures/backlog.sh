# A backlog of pending deliveries, for P2 (drain) and P6 (memory), built the
# way one builds up in production: the receiver is down while events keep
# coming. Every attempt is refused and retried BACKLOG_RETRY_SECONDS later, for
# BACKLOG_RETRY_STEPS retries (far more than the loading takes), so nothing
# fails finally; and since the retry delay is short, the whole backlog is due
# within that delay once the receiver is back — the drain then measures the
# engine, not the retry schedule.

# The --retry-schedule-test value: BACKLOG_RETRY_STEPS × BACKLOG_RETRY_SECONDS.
backlog_schedule() {
  local schedule="" i
  for ((i = 0; i < BACKLOG_RETRY_STEPS; i++)); do schedule+="${schedule:+,}$BACKLOG_RETRY_SECONDS"; done
  echo "$schedule"
}

# load_backlog EVENTS ENDPOINTS PATH_PREFIX: starts hookline, publishes EVENTS
# events each routed to ENDPOINTS endpoints on a port where nothing listens;
# sets BACKLOG_RECEIVER_PORT and BACKLOG_DELIVERIES; writes
# pending-before-drain.txt, attempts-before-drain.txt, rss-load-kib.txt.
load_backlog() {
  local events=$1 endpoints=$2 prefix=$3
  BACKLOG_RECEIVER_PORT=$(pick_free_port)
  BACKLOG_DELIVERIES=$((events * endpoints))
  RECORD_VALUE=$(backlog_schedule)
  RECORD_AS="\"\$(yes $BACKLOG_RETRY_SECONDS | head -n $BACKLOG_RETRY_STEPS | paste -sd,)\""
  start_hookline "$RUN_DIR/data" "$RUN_DIR/hookline.log" --retry-schedule-test "$RECORD_VALUE"
  local urls=() i
  for ((i = 0; i < endpoints; i++)); do
    urls+=("http://127.0.0.1:$BACKLOG_RECEIVER_PORT$prefix$i")
  done
  create_endpoints "$RUN_DIR/endpoints.json" "${urls[@]}"
  publish "$RUN_DIR/load.json" --connections "$CONNECTIONS" --count "$events"
  local acked pending
  acked=$(acked_count "$RUN_DIR/load.json")
  ((acked == events)) || fail "only $acked of $events events were accepted while loading the backlog"
  pending=$(hookline_metric hookline_deliveries_pending)
  echo "$pending" >"$RUN_DIR/pending-before-drain.txt"
  hookline_metric hookline_delivery_attempts_total >"$RUN_DIR/attempts-before-drain.txt"
  ((pending == BACKLOG_DELIVERIES)) ||
    fail "$pending deliveries pending after loading, $BACKLOG_DELIVERIES expected"
  peak_rss_kib "$HOOKLINE_PID" >"$RUN_DIR/rss-load-kib.txt"
}

# start_drain: the receiver, on the backlog's port (recording arrivals).
start_drain() {
  start_receiver "$RUN_DIR/receiver.log" --port "$BACKLOG_RECEIVER_PORT" --record-arrivals
}
