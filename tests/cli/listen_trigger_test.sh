#!/usr/bin/env bash
# serve + listen + a receiver verifying with the official SDK: each seed event,
# triggered with and without --stripe-account, reaches the right path with the
# right type and account and a signature made with the session's secret.
# Usage: listen_trigger_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

start_server serve
SECRET=$("$HOOKLINE" listen --print-secret) || fail "listen --print-secret failed"
[[ $SECRET == whsec_* ]] || fail "--print-secret printed '$SECRET'"
start_receiver recv --secret "$SECRET"
start_listen listen --forward-to "localhost:$RECEIVER_PORT/webhook" \
  --forward-connect-to "localhost:$RECEIVER_PORT/connect_webhook"
[[ $LISTEN_SECRET == "$SECRET" ]] || fail "the session secret changed between runs"
LOG="$WORK/recv.log"

# Without --stripe-account: platform events go to /webhook with no account;
# Connect-only events happen on a connected account made for the trigger.
for type in balance.available payment_intent.succeeded customer.created; do
  trigger_event "$type"
  [[ -z $EVENT_ACCOUNT ]] || fail "$type without --stripe-account happened on $EVENT_ACCOUNT"
  expect_delivery "$LOG" "$EVENT_ID" "$type" /webhook ""
done
for type in account.updated account.external_account.updated payout.failed person.updated \
            account.application.deauthorized; do
  trigger_event "$type"
  [[ $EVENT_ACCOUNT == acct_* ]] || fail "$type: no connected account in the trigger output"
  expect_delivery "$LOG" "$EVENT_ID" "$type" /connect_webhook "$EVENT_ACCOUNT"
done

# With --stripe-account: on that account, to /connect_webhook.
CUSTOM=$(create_account custom)
for type in balance.available payment_intent.succeeded customer.created account.updated \
            account.external_account.updated payout.failed person.updated; do
  trigger_event "$type" --stripe-account "$CUSTOM"
  [[ $EVENT_ACCOUNT == "$CUSTOM" ]] || fail "$type happened on '$EVENT_ACCOUNT', not $CUSTOM"
  expect_delivery "$LOG" "$EVENT_ID" "$type" /connect_webhook "$CUSTOM"
done
STANDARD=$(create_account standard)
trigger_event account.application.deauthorized --stripe-account "$STANDARD"
expect_delivery "$LOG" "$EVENT_ID" account.application.deauthorized /connect_webhook "$STANDARD"

# Availability: person.updated cannot happen on a Standard account; the error says why.
STANDARD2=$(create_account standard)
if "$HOOKLINE" trigger person.updated --stripe-account "$STANDARD2" > /dev/null 2> "$WORK/avail.err"; then
  fail "person.updated on a Standard account succeeded"
fi
grep -q "Trigger failed: .*person.updated.*not available.*standard" "$WORK/avail.err" ||
  fail "unclear availability error: $(cat "$WORK/avail.err")"

# listen printed a line per event and per response, as the Stripe CLI does.
grep -q -- "--> connect person.updated \[evt_" "$WORK/listen.out" || fail "no --> connect line"
grep -q -- "--> customer.created \[evt_" "$WORK/listen.out" || fail "no --> line"
grep -q -- "<--  \[200\] POST http://localhost:$RECEIVER_PORT/connect_webhook \[evt_" "$WORK/listen.out" ||
  fail "no <-- line"
# No request failed verification.
if grep -q '"verified":false' "$LOG"; then fail "a request failed verification"; fi
echo "listen_trigger_test: OK"
