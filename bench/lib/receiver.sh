# Starting and reading the benchmark receiver (bench/receiver). Sourced by bench/run.sh.

# start_receiver LOG [bench_receiver flags...]: sets RECEIVER_PID, RECEIVER_PORT
# (the first port) and RECEIVER_PORTS (all of them).
start_receiver() {
  local log=$1
  shift
  record_command "$RECEIVER_BIN" --threads "$RECEIVER_THREADS" "$@"
  start_process receiver "$log" "$RECEIVER_BIN" --threads "$RECEIVER_THREADS" "$@"
  RECEIVER_PID=$STARTED_PID
  wait_for_line "$log" '^bench_receiver ready' 30 "$RECEIVER_PID" ||
    fail "the receiver did not start: $(tail -c 400 "$log")"
  mapfile -t RECEIVER_PORTS < <(sed -n 's|^bench_receiver listening on http://[^:]*:\([0-9]*\)$|\1|p' "$log")
  RECEIVER_PORT=${RECEIVER_PORTS[0]}
}

# A free loopback port below the kernel's ephemeral range, for a receiver that
# starts later. A port the system hands out (port 0) is in that range, and while
# the receiver is down hookline keeps connecting to it: a connection whose own
# source port happens to be that port connects to itself (TCP simultaneous
# open) and holds the port, so the receiver could not bind it (seen in P2).
pick_free_port() {
  local log="$RUN_DIR/port-probe.log" low range_start tries port pid
  read -r range_start _ </proc/sys/net/ipv4/ip_local_port_range
  low=$((range_start > 12000 ? 10000 : 1024))
  for tries in $(seq 1 50); do
    port=$((low + RANDOM % (range_start - low)))
    start_process port-probe "$log" "$RECEIVER_BIN" --port "$port" --threads 1
    pid=$STARTED_PID
    if wait_for_line "$log" '^bench_receiver ready' 10 "$pid"; then
      stop_process "$pid"
      echo "$port"
      return 0
    fi
    stop_process "$pid" 2>/dev/null || true
  done
  fail "cannot pick a free port below $range_start"
}

receiver_count() {
  curl -sf "http://127.0.0.1:$1/__count" || echo 0
}

# receiver_stats PORT FILE
receiver_stats() {
  curl -sf "http://127.0.0.1:$1/__stats" -o "$2" || fail "cannot read the receiver's stats"
}

receiver_reset() {
  curl -sf -X POST "http://127.0.0.1:$1/__reset" >/dev/null || fail "cannot reset the receiver"
}

# wait_receiver_count PORT N SECONDS: until the receiver has counted N
# requests; returns 1 on timeout.
wait_receiver_count() {
  local port=$1 want=$2 seconds=$3
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    (($(receiver_count "$port") >= want)) && return 0
    # Each poll is a curl and a sleep process (≈ 4.5 ms of CPU): every 20 ms that
    # took a fifth of a core from the server under test.
    sleep 0.1
  done
  return 1
}

# run_wrk PORT OUT PID: the reference — wrk POSTing 1 KiB to the receiver
# (or the sink) whose process is PID; OUT-peers-start.txt and
# OUT-peers-end.txt hold its and wrk's CPU time around the run.
run_wrk() {
  local port=$1 out=$2 pid=$3
  peer_cpu_snapshot "${out%.txt}-peers-start.txt" "$pid"
  run_recorded "$out" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WRK_SECONDS}s" \
    -s "$REPO/bench/wrk/post_1k.lua" "http://127.0.0.1:$port/wrk"
  peer_cpu_snapshot "${out%.txt}-peers-end.txt" "$pid"
}
