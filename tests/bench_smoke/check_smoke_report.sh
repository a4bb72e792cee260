#!/usr/bin/env bash
# The benchmark harness at tiny sizes (BENCH_SCALE=smoke), so that it cannot
# rot: passes when bench/run.sh completes and its report has all eleven rows,
# each measured. The numbers are never checked.
#   check_smoke_report.sh REPO BUILD_DIR OUT_DIR
set -euo pipefail
repo=$1 build_dir=$2 out_dir=$3
report=$out_dir/BENCHMARKS.smoke.md
rm -rf "$out_dir/work" "$report"
mkdir -p "$out_dir"
BENCH_SCALE=smoke BENCH_NO_BUILD=1 BENCH_OUT="$report" BENCH_WORK_DIR="$out_dir/work" \
  bash "$repo/bench/run.sh" "$build_dir"

status=0
for id in P1 P2 P3 P4 P5 P6 P7 P1-PG P2-PG P3-PG P9; do
  row=$(grep "^| $id |" "$report" || true)
  if [[ -z "$row" ]]; then
    echo "bench smoke: no row for $id in $report" >&2
    status=1
  elif [[ "$row" == *"not measured"* ]]; then
    echo "bench smoke: $id was not measured: $row" >&2
    status=1
  fi
done
((status == 0)) && echo "bench smoke: all eleven figures reported ($report)"
exit "$status"
