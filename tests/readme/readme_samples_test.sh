#!/usr/bin/env bash
# Runs the README's samples as a reader would, taken from README.md itself:
# every ```js block (the stripe-node client, then the examples, in order), the
# ```sh block of "Examples with curl", and every ```sh block marked by the
# comment "# (runs in tests/readme)". Placeholders (sk_test_…, acct_…,
# evt_…, we_…, port 7420) are replaced with the values of a real server.
# The C++ sample is compiled and run by tests/sdk (readme_example_test).
# Usage: readme_samples_test.sh HOOKLINE_BINARY SOURCE_DIR
HOOKLINE=$1
SOURCE_DIR=$2
source "$SOURCE_DIR/tests/cli/support/lib.sh"
README=$SOURCE_DIR/README.md

# blocks LANG [HEADING]: the fenced blocks of LANG (in the section under the
# heading HEADING, when given), separated by a line "#--block--".
blocks() {
  awk -v lang="$1" -v heading="${2:-}" '
    /^#+ / && !inblock { section = $0; sub(/^#+ /, "", section) }
    /^```/ {
      if (inblock) { inblock = 0; if (take) print "#--block--"; take = 0; next }
      inblock = 1
      take = ($0 == "```" lang) && (heading == "" || section == heading)
      next
    }
    inblock && take { print }
  ' "$README"
}

start_server serve
PORT=${API_BASE##*:}

# 1. stripe-node: the client block first, then every other js block in order.
blocks js > "$WORK/all.js"
[[ $(grep -c '^#--block--' "$WORK/all.js") -ge 2 ]] || fail "README has fewer than 2 js blocks"
awk 'BEGIN { n = 0 } /^#--block--$/ { n++; if (n == 1) print "(async () => {"; next } { print }
     END { print "})().catch((e) => { console.error(e); process.exit(1); });" }' "$WORK/all.js" |
  sed "s/port: 7420/port: $PORT/" > "$WORK/readme.js"
HOOKLINE_SECRET_KEY=$HOOKLINE_API_KEY NODE_PATH="$SOURCE_DIR/tests/node/node_modules" \
  node "$WORK/readme.js" > "$WORK/node.out" 2> "$WORK/node.err" ||
  fail "the README's stripe-node samples failed: $(cat "$WORK/node.err")"
echo "ok: stripe-node samples ($(grep -c '^#--block--' "$WORK/all.js") blocks)"

# 2. curl: placeholders get a real connected account, event and Connect endpoint.
ACCOUNT=$(create_account express)
"$HOOKLINE" endpoints create --url https://example.com/connect_webhook --connect \
  --events payment_intent.succeeded --format JSON > "$WORK/endpoint.json" || fail "endpoints create failed"
ENDPOINT=$(json_field "$(tr -d '\n' < "$WORK/endpoint.json")" id)
trigger_event payment_intent.succeeded --stripe-account "$ACCOUNT"
blocks sh "Examples with curl" | grep -v '^#--block--$' > "$WORK/curl.sh"
[[ -s $WORK/curl.sh ]] || fail "README has no sh block under 'Examples with curl'"
sed -e "s/^KEY=sk_test_….*/KEY=$HOOKLINE_API_KEY/" -e "s#^API=http://127.0.0.1:7420#API=$API_BASE#" \
    -e "s/acct_…/$ACCOUNT/g" -e "s/evt_…/$EVENT_ID/g" -e "s/we_…/$ENDPOINT/g" \
    -e 's/^curl /curl -sSf -o \/dev\/null /' "$WORK/curl.sh" > "$WORK/curl-run.sh"
grep -q '…' "$WORK/curl-run.sh" && fail "an unknown placeholder is left: $(grep '…' "$WORK/curl-run.sh")"
bash -euo pipefail "$WORK/curl-run.sh" > "$WORK/curl.out" 2>&1 ||
  fail "the README's curl samples failed: $(cat "$WORK/curl.out")"
echo "ok: curl samples ($(grep -c 'curl ' "$WORK/curl-run.sh") requests)"

# 3. Every sh block marked "# (runs in tests/readme)": the CLI's completion,
# the SDK's install and the one command that builds a receiver against it
# (my_receiver.cpp is tests/sdk/consumer/main.cpp; the prefix is a temporary one).
BUILD_DIR=$(dirname "$HOOKLINE")
cp "$SOURCE_DIR/tests/sdk/consumer/main.cpp" "$WORK/my_receiver.cpp"
blocks sh > "$WORK/sh-blocks.sh"
awk '/^#--block--$/ { if (keep) print buf; buf = ""; keep = 0; next }
     { buf = buf $0 "\n"; if ($0 ~ /# \(runs in tests\/readme\)/) keep = 1 }' "$WORK/sh-blocks.sh" |
  sed -e "s#build/hookline #\"$HOOKLINE\" #g" -e 's#^make build && ##' \
      -e "s#cmake --install build #cmake --install \"$BUILD_DIR\" #" -e "s#/usr/local#$WORK/prefix#g" \
  > "$WORK/marked.sh"
[[ $(grep -c 'runs in tests/readme' "$WORK/marked.sh") -ge 2 ]] ||
  fail "fewer than 2 README blocks are marked '# (runs in tests/readme)'"
(cd "$WORK" && PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig" bash -euo pipefail "$WORK/marked.sh" \
   > "$WORK/marked.out" 2>&1) || fail "the README's marked sh blocks failed: $(cat "$WORK/marked.out")"
[[ $("$WORK/my_receiver") == "evt_consumer payment_intent.succeeded" ]] ||
  fail "the receiver built with the README's command does not run"
echo "ok: marked sh blocks"
