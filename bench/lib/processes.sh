# Processes the harness starts, tracked by PID so that every exit path ends
# them (and only them). Sourced by bench/run.sh.
#
#   start_process NAME LOG CMD...   starts CMD in the background, output to LOG;
#                                   sets STARTED_PID
#   stop_process PID [SECONDS]      SIGTERM, up to SECONDS (20) for a clean exit, then SIGKILL
#   stop_started_processes          stops every process started and still running
#   wait_for_line LOG REGEX SECONDS PID   waits until LOG has a line matching REGEX

BENCH_PID_REGISTRY=""  # set by run.sh: a file with one PID per line

start_process() {
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  STARTED_PID=$!
  echo "$STARTED_PID $name" >>"$BENCH_PID_REGISTRY"
}

stop_process() {
  local pid=$1 seconds=${2:-20}
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < seconds * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "bench: process $pid did not stop within $seconds s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

stop_started_processes() {
  [[ -n "$BENCH_PID_REGISTRY" && -f "$BENCH_PID_REGISTRY" ]] || return 0
  local pid name
  while read -r pid name; do
    stop_process "$pid"
  done <"$BENCH_PID_REGISTRY"
  : >"$BENCH_PID_REGISTRY"
}

wait_for_line() {
  local log=$1 regex=$2 seconds=$3 pid=$4
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    grep -qE "$regex" "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
