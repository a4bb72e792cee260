# P5 isolation: 10 endpoints (each its own port of the receiver, as endpoints
# of different customers are), events published as fast as the server takes
# them for P5_SECONDS. Phase "alive": all 10 answer; phase "dead": one of them
# never answers (its attempts time out after P5_TIMEOUT_SECONDS, hookline's
# default: 30 s). The figure: deliveries to the other 9 in the dead phase ÷ in
# the alive phase.
p5_run() {
  start_receiver "$RUN_DIR/receiver.log" --port 0 --ports 10 --never-answer /p5/dead
  local phase urls i
  for phase in alive dead; do
    urls=()
    for ((i = 0; i < 9; i++)); do urls+=("http://127.0.0.1:${RECEIVER_PORTS[i]}/p5/ok$i"); done
    if [[ $phase == alive ]]; then
      urls+=("http://127.0.0.1:${RECEIVER_PORTS[9]}/p5/ok9")
    else
      urls+=("http://127.0.0.1:${RECEIVER_PORTS[9]}/p5/dead")
    fi
    receiver_reset "$RECEIVER_PORT"
    start_hookline "$RUN_DIR/data-$phase" "$RUN_DIR/hookline-$phase.log" \
      --timeout "$P5_TIMEOUT_SECONDS"
    create_endpoints "$RUN_DIR/endpoints-$phase.json" "${urls[@]}"
    publish "$RUN_DIR/load-$phase.json" --connections "$CONNECTIONS" --duration "$P5_SECONDS"
    receiver_stats "$RECEIVER_PORT" "$RUN_DIR/stats-$phase.json"
    stop_hookline
  done
}
