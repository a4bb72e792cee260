#!/usr/bin/env bash
# accounts, endpoints and events commands against a server: tables for people,
# --format JSON for scripts, resend, and a clear error with no server.
# Usage: api_commands_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

if HOOKLINE_API_BASE=http://127.0.0.1:1 HOOKLINE_API_KEY=sk_test_x "$HOOKLINE" accounts list \
     > /dev/null 2> "$WORK/noserver.err"; then
  fail "accounts list without a server exited 0"
fi
grep -q "Could not reach the hookline server at http://127.0.0.1:1" "$WORK/noserver.err" ||
  fail "unclear error: $(cat "$WORK/noserver.err")"

start_server serve
# The receiver answers 200 to everything (no automatic retries muddle the count).
echo 200 > "$WORK/status"
start_receiver recv --secret whsec_placeholder --status-file "$WORK/status"

# accounts
ACCOUNT=$(create_account express)
[[ $ACCOUNT == acct_* ]] || fail "accounts create printed no id"
"$HOOKLINE" accounts list > "$WORK/accounts.txt" || fail "accounts list failed"
grep -q "^ID .*TYPE" "$WORK/accounts.txt" || fail "accounts list has no header"
grep -q "^$ACCOUNT .*express" "$WORK/accounts.txt" || fail "accounts list lacks $ACCOUNT"

# endpoints
# Without a scheme, as `listen --forward-to` takes it: http:// is meant.
"$HOOKLINE" endpoints create --url "127.0.0.1:$RECEIVER_PORT/connect_webhook" --connect \
  --events customer.created,account.updated --format JSON > "$WORK/endpoint.json" ||
  fail "endpoints create failed"
ENDPOINT=$(json_field "$(tr -d '\n' < "$WORK/endpoint.json")" id)
[[ $ENDPOINT == we_* ]] || fail "no endpoint id: $(cat "$WORK/endpoint.json")"
"$HOOKLINE" endpoints list > "$WORK/endpoints.txt" || fail "endpoints list failed"
grep -q "^$ENDPOINT .*http://127.0.0.1:$RECEIVER_PORT/connect_webhook" "$WORK/endpoints.txt" ||
  fail "endpoints list lacks $ENDPOINT: $(cat "$WORK/endpoints.txt")"
"$HOOKLINE" endpoints update "$ENDPOINT" --events '*' --format JSON > "$WORK/updated.json" ||
  fail "endpoints update failed"
node -e 'const e=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); if (JSON.stringify(e.enabled_events)!=="[\"*\"]") process.exit(1)' "$WORK/updated.json" ||
  fail "update did not change enabled_events: $(cat "$WORK/updated.json")"

# events: list (table and JSON), retrieve, resend
trigger_event customer.created --stripe-account "$ACCOUNT"
"$HOOKLINE" events list --stripe-account "$ACCOUNT" > "$WORK/events.txt" || fail "events list failed"
grep -q "^$EVENT_ID .*customer.created" "$WORK/events.txt" || fail "events list lacks $EVENT_ID: $(cat "$WORK/events.txt")"
"$HOOKLINE" events list --stripe-account "$ACCOUNT" --format JSON > "$WORK/events.json"
node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); if (l.object!=="list"||!l.data.some(e=>e.id===process.argv[2])) process.exit(1)' "$WORK/events.json" "$EVENT_ID" ||
  fail "events list --format JSON is not the list"
"$HOOKLINE" events retrieve "$EVENT_ID" --stripe-account "$ACCOUNT" > "$WORK/event.json" || fail "retrieve failed"
[[ $(json_field "$(tr -d '\n' < "$WORK/event.json")" id) == "$EVENT_ID" ]] || fail "retrieve returned another event"
# The automatic delivery arrives first (unverified here: the receiver does not
# know this endpoint's secret; only arrivals are counted), then the resend.
connect_requests() { grep -c '"path":"/connect_webhook"' "$WORK/recv.log" || true; }
wait_for "(( \$(connect_requests) >= 1 ))"
before=$(connect_requests)
"$HOOKLINE" events resend "$EVENT_ID" --webhook-endpoint "$ENDPOINT" --stripe-account "$ACCOUNT" > /dev/null ||
  fail "events resend failed"
wait_for "(( \$(connect_requests) > before ))"
# The Stripe CLI's spelling of the account: `events resend --account`.
before=$(connect_requests)
"$HOOKLINE" events resend "$EVENT_ID" --webhook-endpoint "$ENDPOINT" --account "$ACCOUNT" > "$WORK/resend.txt" ||
  fail "events resend --account failed: $(cat "$WORK/resend.txt")"
grep -q "^wha_[0-9]* .*$ENDPOINT " "$WORK/resend.txt" || fail "resend --account printed: $(cat "$WORK/resend.txt")"
wait_for "(( \$(connect_requests) > before ))"

# Deleting the endpoint and deauthorizing the account.
"$HOOKLINE" endpoints delete "$ENDPOINT" > "$WORK/deleted.txt" || fail "endpoints delete failed"
grep -q "Deleted $ENDPOINT" "$WORK/deleted.txt" || fail "no delete confirmation"
# The server's own words when it refuses (OAuth errors have their own shape).
EXPRESS=$(create_account express)
if "$HOOKLINE" accounts deauthorize "$EXPRESS" > /dev/null 2> "$WORK/deauth.err"; then
  fail "deauthorizing an Express account succeeded"
fi
grep -q "is an express account: only Standard accounts" "$WORK/deauth.err" ||
  fail "unclear deauthorize error: $(cat "$WORK/deauth.err")"
STANDARD=$(create_account standard)
"$HOOKLINE" accounts deauthorize "$STANDARD" > "$WORK/deauth.txt" || fail "deauthorize failed"
grep -q "Deauthorized $STANDARD" "$WORK/deauth.txt" || fail "no deauthorize confirmation"
echo "api_commands_test: OK"
