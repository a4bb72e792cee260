#!/usr/bin/env bash
# Issue 10, read-SSRF through test endpoints: a server that listens on a
# non-loopback address keeps test endpoints off loopback/private targets too
# (the attempt fails with private_address_blocked, the target never sees a
# byte and nothing of it is readable through the API), unless the operator
# allows the target with --allow-target.
# Usage: serve_ssrf_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

SECRET_OF_NOBODY=whsec_unused
start_receiver recv --secret "$SECRET_OF_NOBODY"

# attempt_error EVENT_ID: waits for the event's first attempt; prints its error.
attempt_error() {
  wait_for "curl -s -u '$HOOKLINE_API_KEY:' '$API_BASE/v1/events/$1/attempts' | grep -q '\"object\": *\"webhook_attempt\"'"
  curl -s -u "$HOOKLINE_API_KEY:" "$API_BASE/v1/events/$1/attempts" > "$WORK/attempts.json"
  node -e 'const a=JSON.parse(require("fs").readFileSync(process.argv[1])).data[0];
           if (a.response_body !== "") { console.error("response body readable: " + a.response_body); process.exit(1); }
           console.log(a.error === null ? "none" : a.error)' "$WORK/attempts.json"
}

# 1. Reachable from elsewhere (0.0.0.0): a test endpoint on localhost is refused.
start_server wide --host 0.0.0.0
"$HOOKLINE" endpoints create --url "http://127.0.0.1:$RECEIVER_PORT/webhook" --events '*' > /dev/null ||
  fail "endpoints create failed"
trigger_event customer.created
[[ $(attempt_error "$EVENT_ID") == private_address_blocked ]] || fail "expected private_address_blocked"
[[ $(log_count "$WORK/recv.log") == 0 ]] || fail "the private target was reached"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

# 2. The operator allows the block: delivered (the receiver answers 400 to the
#    unknown secret, which proves the request arrived).
start_server allowed --host 0.0.0.0 --allow-target 127.0.0.0/8,hooks.internal
trigger_event customer.created
wait_for "grep -q '$EVENT_ID' '$WORK/recv.log'"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

# 3. A bad entry is refused at start with a message.
if "$HOOKLINE" serve --port 0 --data-dir "$WORK/data" --allow-target 10.0.0.0/40 > "$WORK/bad.out" 2> "$WORK/bad.err"; then
  fail "serve accepted --allow-target 10.0.0.0/40"
fi
grep -q "prefix length" "$WORK/bad.err" || fail "no message for a bad --allow-target: $(cat "$WORK/bad.err")"
echo "PASS"
