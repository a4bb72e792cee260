#!/usr/bin/env bash
# Runs the README's samples as a reader would, taken from README.md itself:
# every ```js block (the stripe-node client, then the examples, in order)
# against a server of its own, then every ```sh block, in order, as one
# reader's session (run_sh_blocks.sh: what it substitutes, and the blocks it
# leaves out, each marked in the README with its reason).
# The C++ sample is compiled and run by tests/sdk (readme_example_test).
# Usage: readme_samples_test.sh HOOKLINE_BINARY SOURCE_DIR
HOOKLINE=$1
SOURCE_DIR=$2
source "$SOURCE_DIR/tests/cli/support/lib.sh"
README=$SOURCE_DIR/README.md

# blocks LANG: the fenced blocks of LANG, separated by a line "#--block--".
blocks() {
  awk -v lang="$1" '
    /^```/ {
      if (inblock) { inblock = 0; if (take) print "#--block--"; take = 0; next }
      inblock = 1; take = ($0 == "```" lang); next
    }
    inblock && take { print }
  ' "$README"
}

start_server serve
# The README's endpoints at https://example.com/… would make the server deliver
# to the internet; tests send only to loopback, so they point at a closed port.
export NO_INTERNET_URL=http://127.0.0.1:9
PORT=${API_BASE##*:}

# 1. stripe-node: the client block first, then every other js block in order.
blocks js > "$WORK/all.js"
[[ $(grep -c '^#--block--' "$WORK/all.js") -ge 2 ]] || fail "README has fewer than 2 js blocks"
awk 'BEGIN { n = 0 } /^#--block--$/ { n++; if (n == 1) print "(async () => {"; next } { print }
     END { print "})().catch((e) => { console.error(e); process.exit(1); });" }' "$WORK/all.js" |
  sed -e "s/port: 7420/port: $PORT/" -e "s#https://example.com/#$NO_INTERNET_URL/#g" > "$WORK/readme.js"
HOOKLINE_SECRET_KEY=$HOOKLINE_API_KEY NODE_PATH="$SOURCE_DIR/tests/node/node_modules" \
  node "$WORK/readme.js" > "$WORK/node.out" 2> "$WORK/node.err" ||
  fail "the README's stripe-node samples failed: $(cat "$WORK/node.err")"
echo "ok: stripe-node samples ($(grep -c '^#--block--' "$WORK/all.js") blocks)"

# 2. Every sh block: the walkthrough (serve, listen, the receivers, trigger,
# fixtures, endpoints, events), curl, the SDK's install, completion, ….
BUILD_DIR=$(dirname "$HOOKLINE")
bash "$SOURCE_DIR/tests/readme/run_sh_blocks.sh" "$README" "$BUILD_DIR" "$WORK" ||
  fail "the README's sh blocks failed"
# The receiver the SDK block built (from tests/sdk/consumer/main.cpp) runs.
[[ $("$WORK/readme-session/my_receiver") == "evt_consumer payment_intent.succeeded" ]] ||
  fail "the receiver built with the README's command does not run"
echo "readme_samples: OK"
