#!/usr/bin/env bash
# Runs the libFuzzer targets one after the other, SECONDS each, from the
# committed seeds (fuzz/corpus/<target>/) plus what earlier runs found (kept in
# BUILD_DIR/fuzz-work/corpus/<target>/). Prints one line per target and appends
# it to BUILD_DIR/fuzz-work/runs.tsv (date, target, seconds run, executions,
# crashes, corpus). Exits non-zero if any target found a crash, a leak, a
# timeout or an out-of-memory input; those inputs are kept in
# BUILD_DIR/fuzz-work/artifacts/<target>/.
#
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET…]     (default: every target)
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:?build directory}
seconds=${2:?seconds per target}
shift 2
targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in fuzz/*_fuzzer.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("${name%_fuzzer}")
  done
fi

work=$build/fuzz-work
mkdir -p "$work"
failed=0
printf '%-18s %14s %8s %8s\n' target executions crashes corpus
for target in "${targets[@]}"; do
  corpus=$work/corpus/$target
  artifacts=$work/artifacts/$target
  log=$work/$target.log
  mkdir -p "$corpus" "$artifacts"
  # The API targets keep a SQLite store in a temporary directory: on tmpfs when
  # there is one, so that its commits do not wait for a disk.
  base=$work
  [[ -d /dev/shm && -w /dev/shm ]] && base=/dev/shm
  tmp=$(mktemp -d "$base/hookline-fuzz-$target-XXXXXX")
  before=$(find "$artifacts" -type f | wc -l)
  options=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$artifacts/")
  [[ -f fuzz/$target.dict ]] && options+=(-dict="fuzz/$target.dict")
  started=$SECONDS
  TMPDIR=$tmp "$build/fuzz/${target}_fuzzer" "${options[@]}" "$corpus" "fuzz/corpus/$target" \
    >"$log" 2>&1
  status=$?
  elapsed=$((SECONDS - started))
  rm -rf "$tmp"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(($(find "$artifacts" -type f | wc -l) - before))
  if ((status != 0 && crashes == 0)); then crashes=1; fi
  size=$(($(find "$corpus" -type f | wc -l) + $(find "fuzz/corpus/$target" -type f | wc -l)))
  printf '%-18s %14s %8s %8s\n' "$target" "${executions:-0}" "$crashes" "$size"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$elapsed" \
    "${executions:-0}" "$crashes" "$size" >>"$work/runs.tsv"
  if ((status != 0)); then
    failed=1
    echo "--- $target failed (exit $status); its log: $log; the input: $artifacts/" >&2
    grep -a -E -A30 'ERROR: |fuzz property violated|deadly signal|uncaught exception' "$log" | head -60 >&2
  fi
done
exit $failed
