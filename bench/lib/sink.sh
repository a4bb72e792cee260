# The second reference: bench/sink's bench_sink, a single-threaded epoll HTTP
# sink (the cheapest receiver this machine can run). Sourced by bench/run.sh.

# start_sink LOG: sets SINK_PID and SINK_PORT.
start_sink() {
  local log=$1
  record_command "$SINK_BIN" --port 0
  start_process sink "$log" "$SINK_BIN" --port 0
  SINK_PID=$STARTED_PID
  wait_for_line "$log" '^bench_sink ready' 30 "$SINK_PID" ||
    fail "the sink did not start: $(tail -c 400 "$log")"
  SINK_PORT=$(sed -n 's|^bench_sink listening on http://[^:]*:\([0-9]*\)$|\1|p' "$log")
}

sink_count() {
  curl -sf "http://127.0.0.1:$1/count" || echo 0
}

# sink_reference OUT: wrk against a fresh sink (as run_wrk against the
# receiver), in the same run as the figure; the sink is stopped after.
sink_reference() {
  start_sink "$RUN_DIR/sink.log"
  run_wrk "$SINK_PORT" "$1" "$SINK_PID"
  stop_process "$SINK_PID"
}

# wait_sink_count PORT N SECONDS: until the sink has counted N requests; returns 1 on timeout.
wait_sink_count() {
  local port=$1 want=$2 seconds=$3
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    (($(sink_count "$port") >= want)) && return 0
    # Each poll is a curl and a sleep process (≈ 4.5 ms of CPU): every 20 ms that
    # took a fifth of a core from the server under test.
    sleep 0.1
  done
  return 1
}

# curl_floor_reference OUT: libcurl's own CPU per request (bench_curl_floor:
# a multi handle, CONNECTIONS kept-alive connections, 1 KiB POSTs) against a
# fresh sink — the floor of hookline's sender library, for the CPU budget.
curl_floor_reference() {
  start_sink "$RUN_DIR/sink-floor.log"
  run_recorded "$1" "$CURL_FLOOR_BIN" --url "http://127.0.0.1:$SINK_PORT/floor" \
    --connections "$CONNECTIONS" --requests "$CURL_FLOOR_REQUESTS"
  stop_process "$SINK_PID"
}
