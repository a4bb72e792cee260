# P7 signing: hookline::verify_signature of a 1 KiB body ÷ a raw HMAC-SHA256 of
# the same bytes (bench/signing's bench_signing, Google Benchmark, RUNS
# repetitions interleaved at random; the ratio is computed per repetition).
p7_run() {
  run_recorded "$RUN_DIR/bench_signing.txt" "$SIGNING_BIN" '--benchmark_filter=/bytes:1024$' \
    "--benchmark_repetitions=$RUNS" "--benchmark_min_time=$P7_MIN_TIME" \
    --benchmark_format=json "--benchmark_out=$RUN_DIR/bench_signing.json" \
    --benchmark_out_format=json
}
