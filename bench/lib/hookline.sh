# Starting, reading and stopping `hookline serve`. Sourced by bench/run.sh.

# start_hookline DATA_DIR LOG [serve flags...]: sets HOOKLINE_PID and HOOKLINE_PORT.
start_hookline() {
  local data_dir=$1 log=$2
  shift 2
  mkdir -p "$data_dir"
  store_flags "$data_dir"  # bench/lib/postgres.sh
  local command=(env HOOKLINE_SECRET_KEY="$BENCH_KEY" "$HOOKLINE_BIN" serve --host 127.0.0.1
    --port 0 "${STORE_FLAGS[@]}" --log-level warn "$@")
  record_command "${command[@]}"
  start_process hookline "$log" "${command[@]}"
  HOOKLINE_PID=$STARTED_PID
  wait_for_line "$log" '^hookline listening on http://' 120 "$HOOKLINE_PID" ||
    fail "hookline serve did not start: $(tail -c 600 "$log" | tr '\n' ' ')"
  HOOKLINE_PORT=$(sed -n 's|^hookline listening on http://[^:]*:\([0-9]*\).*|\1|p' "$log" | head -1)
}

# Attempts in flight finish first: up to the attempt timeout (30 s by default).
stop_hookline() {
  stop_process "$HOOKLINE_PID" 45
}

# hookline_metric NAME: the sum of every series of a Prometheus metric on /metrics.
hookline_metric() {
  curl -sf "http://127.0.0.1:$HOOKLINE_PORT/metrics" |
    awk -v name="$1" '$1 == name || index($1, name "{") == 1 { sum += $2 } END { printf "%d\n", sum }'
}

# wait_metric NAME OP VALUE SECONDS: until the metric compares (-ge, -le, -eq) to VALUE.
wait_metric() {
  local name=$1 op=$2 value=$3 seconds=$4
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    local now
    now=$(hookline_metric "$name")
    [[ -n "$now" ]] && test "$now" "$op" "$value" && return 0
    sleep 0.25
  done
  return 1
}

# peak_rss_kib PID: VmHWM, the peak resident set of a live process.
peak_rss_kib() {
  awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status"
}

# create_endpoints OUT URL...: webhook endpoints receiving every event type.
create_endpoints() {
  local out=$1
  shift
  local urls_file="${out%.json}-urls.txt"
  printf '%s\n' "$@" >"$urls_file"
  run_recorded "$out" "$LOAD_BIN" create-endpoints --port "$HOOKLINE_PORT" --key "$BENCH_KEY" \
    --urls-file "$urls_file"
}

# publish OUT [bench_load publish flags...]
publish() {
  local out=$1
  shift
  run_recorded "$out" "$LOAD_BIN" publish --port "$HOOKLINE_PORT" --key "$BENCH_KEY" \
    --body-bytes "$PUBLISH_BODY_BYTES" "$@"
}
