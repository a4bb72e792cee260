#!/usr/bin/env bash
# The benchmarks of hookline (figures P1–P7; P1 again against the epoll sink;
# P1–P3 again on PostgreSQL, and P9, several nodes on one PostgreSQL) and the
# report BENCHMARKS.md, with its per-event CPU cost table by stage.
#
#   bash bench/run.sh BUILD_DIR            (what `make bench` runs)
#
# Builds the benchmark tools and hookline in BUILD_DIR, runs every figure
# BENCH_RUNS times (median, min, max), each next to its reference measured in
# the same run, and writes BENCHMARKS.md at the repository root. Settings come
# from the environment (see the Benchmarks section of README.md):
#   BENCH_SCALE=full|smoke   smoke: tiny sizes, one run, seconds (the CTest smoke test)
#   BENCH_ONLY="P1 P3"       only these figures
#   BENCH_OUT=FILE           the report (default: BENCHMARKS.md at the repository root)
#   BENCH_NO_BUILD=1         use the binaries already in BUILD_DIR
#   BENCH_<SETTING>=…        any size or duration below, e.g. BENCH_P1_SECONDS=10
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$(realpath -m "${1:?usage: bash bench/run.sh BUILD_DIR}")
BENCH_SCALE=${BENCH_SCALE:-full}

# setting NAME FULL SMOKE: BENCH_NAME from the environment, else the scale's value.
setting() {
  local name=$1 full=$2 smoke=$3 var="BENCH_$1"
  local value=${!var:-}
  if [[ -z "$value" ]]; then
    if [[ $BENCH_SCALE == smoke ]]; then value=$smoke; else value=$full; fi
  fi
  printf -v "$name" '%s' "$value"
  export "BENCH_$name=$value"
}
case $BENCH_SCALE in full | smoke) ;; *) echo "BENCH_SCALE must be full or smoke" >&2; exit 2 ;; esac
export BENCH_SCALE
setting RUNS 3 1
setting CONNECTIONS 32 4
setting RECEIVER_THREADS 2 1
setting WRK_THREADS 2 1
setting WRK_SECONDS 10 1
setting PUBLISH_BODY_BYTES 807 807
setting P1_SECONDS 30 2
setting P2_BACKLOG 200000 300
setting P3_RATE 1000 100
setting P3_SECONDS 20 2
setting P4_ENDPOINTS 1000 20
setting P5_SECONDS 20 2
setting P5_TIMEOUT_SECONDS 30 2
setting P6_PENDING 1000000 1000
setting P6_ENDPOINTS 10 10
setting P6_DRAIN_SECONDS 60 10
setting P7_MIN_TIME 0.5 0.001
setting CURL_FLOOR_REQUESTS 300000 2000
setting BACKLOG_RETRY_SECONDS 2 1
setting BACKLOG_RETRY_STEPS 500 100
setting SETTLE_SECONDS 60 30
setting DRAIN_TIMEOUT_SECONDS 600 60
setting P9_EVENTS 1000 20
setting P9_ENDPOINTS 16 4
setting P9_CONCURRENCY 8 2
setting P9_DELAY_MS 20 20
setting P9_NODES "1 2 4" "1 2 4"
BENCH_ONLY=${BENCH_ONLY:-P1 P2 P3 P4 P5 P6 P7 P1-SINK P1-PG P2-PG P3-PG P9}
BENCH_OUT=$(realpath -m "${BENCH_OUT:-$REPO/BENCHMARKS.md}")
BENCH_KEY=sk_test_bench0000000000000000000000
export BENCH_ONLY BENCH_OUT BUILD_DIR REPO

for tool in curl node wrk; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  [[ -f "$BUILD_DIR/build.ninja" ]] ||
    cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DHOOKLINE_WERROR=ON >/dev/null
  targets=(bench_receiver bench_sink bench_load bench_signing bench_curl_floor)
  ninja -C "$BUILD_DIR" -t targets all | grep -q '^hookline:' && targets+=(hookline)
  cmake --build "$BUILD_DIR" -j "${BENCH_JOBS:-$(nproc)}" --target "${targets[@]}"
fi
HOOKLINE_BIN=$BUILD_DIR/hookline
RECEIVER_BIN=$BUILD_DIR/bench/receiver/bench_receiver
SINK_BIN=$BUILD_DIR/bench/sink/bench_sink
LOAD_BIN=$BUILD_DIR/bench/load/bench_load
SIGNING_BIN=$BUILD_DIR/bench/signing/bench_signing
CURL_FLOOR_BIN=$BUILD_DIR/bench/curl_floor/bench_curl_floor
export HOOKLINE_BIN

WORK=$(realpath -m "${BENCH_WORK_DIR:-$BUILD_DIR/bench-work/$(date +%Y%m%d-%H%M%S)-$BENCH_SCALE}")
mkdir -p "$WORK"
export BENCH_WORK_DIR=$WORK

for lib in "$REPO"/bench/lib/*.sh "$REPO"/bench/figures/*.sh; do
  # shellcheck source=/dev/null
  source "$lib"
done
BENCH_PID_REGISTRY=$WORK/pids
: >"$BENCH_PID_REGISTRY"
trap 'stop_started_processes; stop_bench_postgres' EXIT
trap 'exit 130' INT TERM
# One private PostgreSQL server for the figures on the PostgreSQL store.
if [[ " $BENCH_ONLY " =~ \ (P1-PG|P2-PG|P3-PG|P9)\  ]]; then
  start_bench_postgres
fi

# run_figure ID FUNCTION RUNS NEEDS_HOOKLINE: RUNS runs, each in a subshell
# (its processes stopped on any exit) in WORK/ID/runN; stops at the first
# failure, whose reason the report shows.
run_figure() {
  local id=$1 fn=$2 runs=$3 needs_hookline=$4
  [[ " $BENCH_ONLY " == *" $id "* ]] || return 0
  mkdir -p "$WORK/$id"
  if [[ $needs_hookline == yes && ! -x "$HOOKLINE_BIN" ]]; then
    echo "the hookline binary was not built (the engine is not ready: $HOOKLINE_BIN is missing)" \
      >"$WORK/$id/not-run.txt"
    echo "bench: $id not run: no hookline binary" >&2
    return 0
  fi
  local i status
  for ((i = 1; i <= runs; i++)); do
    RUN_DIR=$WORK/$id/run$i
    mkdir -p "$RUN_DIR"
    echo "bench: $id run $i of $runs ($(date +%T))" >&2
    set +e
    (
      set -euo pipefail
      trap stop_started_processes EXIT
      FIGURE=$id
      "$fn"
    )
    status=$?
    set -e
    [[ -n "${BENCH_KEEP_DATA:-}" ]] || rm -rf "$RUN_DIR"/data*
    if ((status != 0)); then
      [[ -f "$RUN_DIR/error.txt" ]] || echo "the run failed (exit $status); logs in $RUN_DIR" \
        >"$RUN_DIR/error.txt"
      break
    fi
  done
}

run_figure P1 p1_run "$RUNS" yes
run_figure P2 p2_run "$RUNS" yes
run_figure P3 p3_run "$RUNS" yes
run_figure P4 p4_run "$RUNS" yes
run_figure P5 p5_run "$RUNS" yes
run_figure P6 p6_run "$RUNS" yes
run_figure P7 p7_run 1 no  # one process, RUNS repetitions inside
run_figure P1-SINK p1_sink_run "$RUNS" yes
run_figure P1-PG p1_pg_run "$RUNS" yes
run_figure P2-PG p2_pg_run "$RUNS" yes
run_figure P3-PG p3_pg_run "$RUNS" yes
run_figure P9 p9_run "$RUNS" yes

node "$REPO/bench/report/write_report.mjs"
echo "bench: wrote $BENCH_OUT (runs and logs in $WORK)" >&2
