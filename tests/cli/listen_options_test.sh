#!/usr/bin/env bash
# listen's flags: --events filters, --headers / --connect-headers are added,
# --format JSON prints each event as one JSON line, a failing local server is
# reported back to hookline (attempts), and clear errors for a wrong key or no
# server. Usage: listen_options_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

# No server yet: a clear error, not a hang.
if HOOKLINE_API_BASE=http://127.0.0.1:1 HOOKLINE_API_KEY=sk_test_x "$HOOKLINE" listen \
     --forward-to localhost:1/webhook > /dev/null 2> "$WORK/noserver.err"; then
  fail "listen without a server exited 0"
fi
grep -q "Could not connect to hookline at http://127.0.0.1:1" "$WORK/noserver.err" ||
  fail "unclear error without a server: $(cat "$WORK/noserver.err")"

start_server serve
# A wrong key: the server's message, and listen exits at once (it used to
# wait out the handshake timer, deaf to Ctrl-C).
status=0
HOOKLINE_API_KEY=sk_test_wrong timeout 10 "$HOOKLINE" listen > /dev/null 2> "$WORK/badkey.err" || status=$?
(( status != 124 )) || fail "listen with a wrong key did not exit"
(( status == 1 )) || fail "listen with a wrong key exited $status"
grep -q "refused the listen session" "$WORK/badkey.err" || fail "unclear bad key error: $(cat "$WORK/badkey.err")"
if HOOKLINE_API_KEY=sk_test_wrong "$HOOKLINE" events list > /dev/null 2> "$WORK/badkey2.err"; then
  fail "events list with a wrong key exited 0"
fi
grep -q "Check HOOKLINE_API_KEY" "$WORK/badkey2.err" || fail "unclear bad key error: $(cat "$WORK/badkey2.err")"

SECRET=$("$HOOKLINE" listen --print-secret)
start_receiver recv --secret "$SECRET"
start_listen listen --forward-to "localhost:$RECEIVER_PORT/webhook" \
  --forward-connect-to "localhost:$RECEIVER_PORT/connect_webhook" \
  --events customer.created,payment_intent.succeeded --format JSON \
  --headers "X-Test-One:1, X-Test-Two: two" --connect-headers "X-Connect:yes"
LOG="$WORK/recv.log"

trigger_event charge.failed        # not in --events: never forwarded
FILTERED=$EVENT_ID
trigger_event customer.created
expect_delivery "$LOG" "$EVENT_ID" customer.created /webhook ""
line=$(received "$LOG" "$EVENT_ID")
headers=$(json_field "$line" headers)
node -e 'const h=JSON.parse(process.argv[1]); if (h["x-test-one"]!=="1"||h["x-test-two"]!=="two"||h["x-connect"]) process.exit(1)' "$headers" ||
  fail "--headers not added as asked: $headers"
CUSTOM=$(create_account custom)
trigger_event payment_intent.succeeded --stripe-account "$CUSTOM"
line=$(received "$LOG" "$EVENT_ID")
node -e 'const h=JSON.parse(process.argv[1]); if (h["x-connect"]!=="yes"||h["x-test-one"]) process.exit(1)' "$(json_field "$line" headers)" ||
  fail "--connect-headers not added as asked: $line"
if grep -q "$FILTERED" "$LOG"; then fail "an event outside --events was forwarded"; fi

# --format JSON: each event body on its own line, and nothing else on stdout.
wait_for "(( \$(wc -l < '$WORK/listen.out') >= 2 ))"
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  for (const l of lines) { const e = JSON.parse(l); if (e.object !== "event") process.exit(1); }
' "$WORK/listen.out" || fail "--format JSON printed something else: $(cat "$WORK/listen.out")"

# A second session of the same key (here --print-secret, while listen runs)
# neither steals the first one's events nor closes its endpoints when it ends.
[[ $("$HOOKLINE" listen --print-secret) == "$SECRET" ]] || fail "the secret changed between sessions"
trigger_event customer.created
expect_delivery "$LOG" "$EVENT_ID" customer.created /webhook ""

# A failing local server: the outcome reaches hookline's attempts log.
echo 500 > "$WORK/status"
kill "$LISTEN_PID"
start_receiver recv500 --secret "$SECRET" --status-file "$WORK/status"
start_listen listen500 --forward-to "localhost:$RECEIVER_PORT/webhook"
trigger_event customer.created
received "$WORK/recv500.log" "$EVENT_ID" > /dev/null
wait_for "grep -q '<--  \[500\] POST' '$WORK/listen500.out'"
echo "listen_options_test: OK"
