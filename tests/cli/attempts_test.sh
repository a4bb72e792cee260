#!/usr/bin/env bash
# `events attempts` and `endpoints attempts` show the delivery log (status,
# latency, error, time; a table or --format JSON), and `events resend` waits
# for its attempt and prints its result (--no-wait returns at once).
# Usage: attempts_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

start_server serve
echo 500 > "$WORK/status"
start_receiver recv --secret whsec_placeholder --status-file "$WORK/status"

# Comma lists are trimmed: a space after the comma is no part of the type.
"$HOOKLINE" endpoints create --url "127.0.0.1:$RECEIVER_PORT/webhook" \
  --events "customer.created, charge.failed" --format JSON > "$WORK/endpoint.json" ||
  fail "endpoints create with a spaced comma list failed"
ENDPOINT=$(json_field "$(tr -d '\n' < "$WORK/endpoint.json")" id)
[[ $(json_field "$(tr -d '\n' < "$WORK/endpoint.json")" enabled_events) == '["customer.created","charge.failed"]' ]] ||
  fail "enabled_events not trimmed: $(cat "$WORK/endpoint.json")"

# The first attempt fails with 500.
trigger_event customer.created
wait_for "grep -q '$EVENT_ID' '$WORK/recv.log'"
wait_for "'$HOOKLINE' events attempts '$EVENT_ID' --format JSON | grep -q '\"http_status\": 500'"
"$HOOKLINE" events attempts "$EVENT_ID" > "$WORK/event-attempts.txt" || fail "events attempts failed"
grep -q "^ID .*ENDPOINT .*STATUS .*RESULT .*LATENCY .*ERROR .*TIME (UTC)" "$WORK/event-attempts.txt" ||
  fail "events attempts has no header: $(cat "$WORK/event-attempts.txt")"
grep -q "^wha_[0-9]* .*$ENDPOINT .*500 .*failed .*[0-9]* ms " "$WORK/event-attempts.txt" ||
  fail "events attempts lacks the failed attempt: $(cat "$WORK/event-attempts.txt")"
"$HOOKLINE" endpoints attempts "$ENDPOINT" > "$WORK/endpoint-attempts.txt" || fail "endpoints attempts failed"
grep -q "^wha_[0-9]* .*$EVENT_ID .*500 .*failed" "$WORK/endpoint-attempts.txt" ||
  fail "endpoints attempts lacks the attempt: $(cat "$WORK/endpoint-attempts.txt")"
"$HOOKLINE" endpoints attempts "$ENDPOINT" --format JSON > "$WORK/endpoint-attempts.json"
node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const a=l.data[0]; if (l.object!=="list"||a.object!=="webhook_attempt"||a.event!==process.argv[2]||a.http_status!==500||a.success!==false) process.exit(1)' \
  "$WORK/endpoint-attempts.json" "$EVENT_ID" || fail "endpoints attempts --format JSON: $(cat "$WORK/endpoint-attempts.json")"
if "$HOOKLINE" events attempts evt_doesnotexist 2> "$WORK/missing.err"; then fail "attempts of a missing event exited 0"; fi
grep -q "No such event" "$WORK/missing.err" || fail "unclear error: $(cat "$WORK/missing.err")"

# resend waits for the new attempt and prints it; a failure exits 1.
if "$HOOKLINE" events resend "$EVENT_ID" --webhook-endpoint "$ENDPOINT" > "$WORK/resend1.txt"; then
  fail "a resend answered 500 exited 0"
fi
grep -q "^wha_[0-9]* .*$ENDPOINT .*500 .*failed" "$WORK/resend1.txt" || fail "resend printed: $(cat "$WORK/resend1.txt")"
echo 200 > "$WORK/status"
"$HOOKLINE" events resend "$EVENT_ID" --webhook-endpoint "$ENDPOINT" --format JSON > "$WORK/resend2.json" ||
  fail "a resend answered 200 failed"
node -e 'const a=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); if (a.object!=="webhook_attempt"||a.http_status!==200||a.success!==true) process.exit(1)' \
  "$WORK/resend2.json" || fail "resend --format JSON: $(cat "$WORK/resend2.json")"
[[ $(json_field "$(tr -d '\n' < "$WORK/resend2.json")" id) != $(grep -o '^wha_[0-9]*' "$WORK/resend1.txt") ]] ||
  fail "the second resend printed the first one's attempt"
"$HOOKLINE" events resend "$EVENT_ID" --webhook-endpoint "$ENDPOINT" --no-wait > "$WORK/resend3.txt" ||
  fail "resend --no-wait failed"
grep -q "Resending $EVENT_ID to $ENDPOINT" "$WORK/resend3.txt" || fail "resend --no-wait printed: $(cat "$WORK/resend3.txt")"
echo "ok"
