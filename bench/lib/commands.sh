# Every command a benchmark run executes is written to RUN_DIR/commands.txt,
# so that BENCHMARKS.md can show exactly what was run. Sourced by bench/run.sh.

# record_command CMD...: appends CMD, shell-quoted, to RUN_DIR/commands.txt.
# An argument equal to RECORD_VALUE is written as RECORD_AS (shell text that
# expands to it), so that a long generated value stays readable.
RECORD_VALUE=""
RECORD_AS=""
record_command() {
  local line="" arg quoted
  for arg in "$@"; do
    if [[ -n "$RECORD_VALUE" && "$arg" == "$RECORD_VALUE" ]]; then
      quoted=$RECORD_AS
    else
      printf -v quoted '%q' "$arg"
    fi
    line+="${line:+ }$quoted"
  done
  echo "$line" >>"$RUN_DIR/commands.txt"
}

# run_recorded OUT CMD...: records CMD and runs it with stdout to OUT (stderr
# to OUT.err); fails the run with the command's stderr if it fails.
run_recorded() {
  local out=$1
  shift
  record_command "$@"
  if ! "$@" >"$out" 2>"$out.err"; then
    fail "$(basename "$1") failed: $(tail -c 600 "$out.err" | tr '\n' ' ') $(tail -c 600 "$out" | tr '\n' ' ')"
  fi
}

# fail REASON: ends the current run (a subshell) and keeps the reason for the report.
fail() {
  echo "$*" >"$RUN_DIR/error.txt"
  echo "bench: $(basename "$RUN_DIR") of $FIGURE: $*" >&2
  exit 1
}

# json_field FILE KEY[.KEY…]: one value of a JSON file (node parses it).
json_field() {
  node -e '
    let v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const k of process.argv[2].split(".")) v = v == null ? undefined : v[k];
    console.log(v ?? "");' "$1" "$2"
}

acked_count() {
  json_field "$1" acked
}
