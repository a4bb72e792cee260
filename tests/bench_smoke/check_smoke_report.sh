#!/usr/bin/env bash
# The benchmark harness at tiny sizes (BENCH_SCALE=smoke), so that it cannot
# rot: passes when bench/run.sh completes and its report has all twelve rows,
# each measured, P1 and P2 have their ratio to the epoll sink, and the
# per-event cost table has its rows for this run. The numbers are never checked.
#   check_smoke_report.sh REPO BUILD_DIR OUT_DIR
set -euo pipefail
repo=$1 build_dir=$2 out_dir=$3
report=$out_dir/BENCHMARKS.smoke.md
rm -rf "$out_dir/work" "$report"
mkdir -p "$out_dir"
BENCH_SCALE=smoke BENCH_NO_BUILD=1 BENCH_OUT="$report" BENCH_WORK_DIR="$out_dir/work" \
  bash "$repo/bench/run.sh" "$build_dir"

status=0
for id in P1 P2 P3 P4 P5 P6 P7 P1-SINK P1-PG P2-PG P3-PG P9; do
  row=$(grep "^| $id |" "$report" || true)
  if [[ -z "$row" ]]; then
    echo "bench smoke: no row for $id in $report" >&2
    status=1
  elif [[ "$row" == *"not measured"* ]]; then
    echo "bench smoke: $id was not measured: $row" >&2
    status=1
  fi
done
for id in P1 P2 P1-PG P2-PG; do
  # "÷ sink 0.123 (1 run)": a number, not "—".
  if ! grep "^| $id |" "$report" | grep -qE '÷ sink [0-9]'; then
    echo "bench smoke: $id has no ratio to the sink's wrk rate" >&2
    status=1
  fi
done
# The cost table: an "after" row per figure, with a hookline total (a number).
for id in P1 P2 P1-SINK P1-PG P2-PG; do
  row=$(grep "^| $id | after |" "$report" || true)
  total=$(awk -F' \\| ' '{ print $10 }' <<<"$row")
  if [[ ! "$total" =~ ^[0-9] ]]; then
    echo "bench smoke: no per-event cost for $id: '$row'" >&2
    status=1
  fi
done
# The CPU budget at the target: a row per figure with a ratio target, its
# share left for hookline a number (negative in a smoke run, where the polls
# dominate).
for id in P1 P2 P1-PG P2-PG; do
  if ! sed -n '/^## CPU budget at the target/,/^## /p' "$report" | grep -qE "^\| $id \| [0-9.]+ × "; then
    echo "bench smoke: no CPU budget row for $id" >&2
    status=1
  fi
done
grep -q '^- commit: hl-commit' "$report" || {
  echo "bench smoke: the cost table does not state its thread → stage map" >&2
  status=1
}
((status == 0)) && echo "bench smoke: all twelve figures, the cost table and the CPU budget reported ($report)"
exit "$status"
