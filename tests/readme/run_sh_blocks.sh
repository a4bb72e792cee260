#!/usr/bin/env bash
# Runs every ```sh block of README.md, in order, as one reader's session in one
# shell: each block's commands as written, in a fresh directory where build/ is
# the build tree, so `build/hookline …` is what the README means. A block is
# left out only when the line just before its fence says why:
#   <!-- not run by tests/readme: REASON -->
# What the test changes, and nothing else (sh_prelude.sh defines the stand-ins):
# - The long-running commands (`make serve` / `build/hookline serve`, the example
#   receiver, `hookline listen` but for --print-secret) run in the background, as
#   in a terminal of their own, and the block goes on once each is ready.
# - Ports: 7420, 4242, 4243 and 5000 stand for free loopback ports. A server or
#   receiver started on its default port gets a free one (read back from what it
#   prints); one the README names before anything listens on it (an endpoint's
#   URL) is picked free then. HOOKLINE_API_BASE is exported once the server is
#   up, as the CLI's default (127.0.0.1:7420) would reach it.
# - Placeholders (sk_test_…, acct_Z2Bn…, evt_…, we_…, whsec_…) become the ids
#   the README's earlier commands printed (readme_id in sh_prelude.sh says which).
# - `make build` does nothing (the binaries are built), /usr/local is a
#   temporary prefix, EDITOR=nano is EDITOR=true (the fixture is run unedited),
#   https://example.com/… (an endpoint in the curl sample) is a closed loopback
#   port: tests send nothing to the internet,
#   and curl fails on an HTTP error (--fail-with-body), as a reader would see it.
# - A ```json block right before an sh block is saved as the first *.json file
#   that block names (the fixture file it runs).
# Any command that fails fails the test, naming the README line of its block.
# Usage: run_sh_blocks.sh README BUILD_DIR WORK_DIR
set -euo pipefail
README=$1
BUILD_DIR=$2
WORK=$3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN=$WORK/readme-session
BLOCKS=$WORK/readme-blocks
mkdir -p "$RUN" "$RUN/.out" "$BLOCKS"
ln -s "$BUILD_DIR" "$RUN/build"

# The fenced blocks: BLOCKS/<line>.sh (.json, .other) with the block's text, and
# <line>.skip with the reason when the line before the fence gives one.
awk -v dir="$BLOCKS" '
  /^```/ {
    if (inblock) { inblock = 0; close(file); next }
    inblock = 1; lang = substr($0, 4)
    file = sprintf("%s/%05d.%s", dir, NR, lang == "sh" || lang == "json" ? lang : "other")
    printf "" > file
    if (lang == "sh" && match(previous, /^<!-- not run by tests\/readme: .* -->$/)) {
      reason = previous; sub(/^<!-- not run by tests\/readme: /, "", reason); sub(/ -->$/, "", reason)
      print reason > sprintf("%s/%05d.skip", dir, NR)
    }
    next
  }
  inblock { print > file }
  { previous = $0 }
' "$README"

# The session script: the stand-ins, then each block, its output kept apart.
SCRIPT=$RUN/.session.sh
echo "source '$HERE/sh_prelude.sh'" > "$SCRIPT"
echo "trap 'rd_block_failed \$?' ERR" >> "$SCRIPT"
ran=0 skipped=0 previous_json=""
for block in $(ls "$BLOCKS" | grep -E '^[0-9]+\.(sh|json|other)$' | sort); do
  line=$((10#${block%%.*}))
  if [[ $block == *.json ]]; then previous_json=$BLOCKS/$block; continue; fi
  if [[ $block == *.other ]]; then previous_json=""; continue; fi
  json=$previous_json previous_json=""
  if [[ -f $BLOCKS/${block%.sh}.skip ]]; then
    reason=$(cat "$BLOCKS/${block%.sh}.skip")
    [[ -n $reason ]] || { echo "FAIL: README line $line: a block left out without a reason" >&2; exit 1; }
    echo "not run: README line $line ($reason)"
    skipped=$((skipped + 1))
    continue
  fi
  text=$(perl -pe '
    s{^(\s*(?:[A-Z_]+=\S+\s+)*)(build/hookline-example-receiver\b|build/hookline serve\b|build/hookline listen\b(?!.*--print-secret))}{$1readme_start $2};
    s{\bEDITOR=nano\b}{EDITOR=true}g;
    s{https://example\.com/}{$ENV{NO_INTERNET_URL}/}g;
    s{/usr/local\b}{\$RD_PREFIX}g;
    s{(:|--port )(7420|4242|4243|5000)\b}{$1\$(readme_port $2)}g;
    s{\b((?:sk_test|sk_live|acct|evt|we|whsec)_[A-Za-z0-9]*…)}{\$(readme_id '"'"'$1'"'"')}g;
  ' "$BLOCKS/$block")
  unknown=$(sed -e "s/readme_id '[^']*'//g" -e 's/\(^\|[[:space:]]\)#.*$//' <<< "$text" | grep '…' || true)
  [[ -z $unknown ]] || { echo "FAIL: README line $line: a placeholder this test does not know: $unknown" >&2; exit 1; }
  file=$(grep -o '[^[:space:]]*\.json\b' <<< "$text" | head -n 1 || true)
  if [[ -n $json && -n $file ]]; then
    printf '{ cat > %q; } <<'"'"'RD_JSON'"'"'\n%s\nRD_JSON\n' "$file" "$(cat "$json")" >> "$SCRIPT"
  fi
  printf 'RD_LINE=%d RD_FILE=$RD_OUT/%05d.txt\n{\n%s\n} > "$RD_FILE" 2>&1\n' "$line" "$line" "$text" >> "$SCRIPT"
  ran=$((ran + 1))
done

cp "$HERE/../sdk/consumer/main.cpp" "$RUN/my_receiver.cpp"  # the file the SDK block compiles
(cd "$RUN" && env -u HOOKLINE_API_KEY -u HOOKLINE_API_BASE -u HOOKLINE_SECRET_KEY \
   -u HOOKLINE_LIVE_SECRET_KEY -u HOOKLINE_WEBHOOK_SECRET -u HOOKLINE_CONNECT_WEBHOOK_SECRET \
   -u HOOKLINE_DATABASE_URL RD_WORK="$RUN" RD_OUT="$RUN/.out" bash "$SCRIPT") || {
  last=$(ls "$RUN/.out" | grep -E '^[0-9]+\.txt$' | sort | tail -n 1)
  echo "FAIL: the README session stopped in the block at line $((10#${last%.txt})); its output:" >&2
  tail -n 40 "$RUN/.out/$last" >&2
  exit 1
}

# What the README says the handlers saw happened: every `hookline listen`
# forward got a 2xx, and each "# receiver: …" / "# the receiver prints: …"
# comment of a block is a line some example receiver printed (a placeholder
# there stands for any id).
for err in "$RUN"/.bg-*.err; do
  grep -q 'Ready! Your webhook signing secret is' "$err" || continue
  bad=$(cat "${err%.err}.out" "$err" | grep -e '<--  \[[^2]' -e '\[ERROR\]' || true)
  [[ -z $bad ]] || { echo "FAIL: hookline listen forwarded with errors: $bad" >&2; exit 1; }
done
promised=$(cat "$BLOCKS"/*.sh | sed -nE 's/^# (the )?receiver( prints)?: (.*)$/\3/p')
[[ -n $promised ]] || { echo "FAIL: no '# receiver: …' comment left in the README's sh blocks" >&2; exit 1; }
while IFS= read -r line; do
  regex=$(RD_L=$line perl -e 'print join("[a-z]+_[A-Za-z0-9]+",
    map { quotemeta } split(/\b[a-z]+_[A-Za-z0-9]*\xe2\x80\xa6/, $ENV{RD_L}, -1))')
  cat "$RUN"/.bg-*.out | grep -qP "$regex" ||
    { echo "FAIL: no receiver printed what the README says: $line" >&2; exit 1; }
done <<< "$promised"
echo "ok: $ran sh blocks of the README ran, $skipped left out; $(wc -l <<< "$promised") receiver lines seen"
