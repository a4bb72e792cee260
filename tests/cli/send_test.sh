#!/usr/bin/env bash
# `hookline send` (no server): signed requests verify with the official SDK at
# the receiver, bodies arrive byte for byte, a wrong secret is rejected.
# Usage: send_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

SECRET=whsec_sendtest0123456789
start_receiver recv --secret "$SECRET"
URL="localhost:$RECEIVER_PORT/webhook"

# An event built from a fixture.
"$HOOKLINE" send --url "$URL" --secret "$SECRET" --event payment_intent.succeeded > "$WORK/send1.out" ||
  fail "send --event failed"
grep -q "<-- \[200\] POST http://$URL" "$WORK/send1.out" || fail "no 200 line in send output"
line=$(sed -n 1p "$WORK/recv.log")
[[ $(json_field "$line" verified) == true ]] || fail "signature did not verify: $line"
[[ $(json_field "$line" type) == payment_intent.succeeded ]] || fail "wrong type: $line"
[[ $(json_field "$line" account) == "" ]] || fail "platform event has an account: $line"

# A Connect event on a given account, to the Connect path.
"$HOOKLINE" send --url "localhost:$RECEIVER_PORT/connect_webhook" --secret "$SECRET" \
  --event person.updated --stripe-account acct_sendtest > /dev/null || fail "send person.updated failed"
line=$(sed -n 2p "$WORK/recv.log")
[[ $(json_field "$line" path) == /connect_webhook && $(json_field "$line" account) == acct_sendtest ]] ||
  fail "wrong path or account: $line"

# A body from a file arrives unchanged (bytes, spacing, unicode).
printf '{"id":"evt_file","object":"event","type":"customer.created","data":{"object":{"name":"Zoë  "}}}' > "$WORK/body.json"
"$HOOKLINE" send --url "$URL" --secret "$SECRET" --body "@$WORK/body.json" > /dev/null || fail "send --body @file failed"
line=$(sed -n 3p "$WORK/recv.log")
[[ $(json_field "$line" body) == "$(cat "$WORK/body.json")" ]] || fail "body changed in transit: $line"
[[ $(json_field "$line" verified) == true ]] || fail "file body did not verify: $line"

# The wrong secret: the receiver answers 400 and send exits non-zero.
if "$HOOKLINE" send --url "$URL" --secret whsec_wrong --body '{"id":"evt_x","object":"event"}' > "$WORK/send4.out"; then
  fail "send with a wrong secret exited 0"
fi
grep -q '<-- \[400\]' "$WORK/send4.out" || fail "no 400 line"
[[ $(json_field "$(sed -n 4p "$WORK/recv.log")" verified) == false ]] || fail "wrong secret verified"

# Nothing listening: a clear error.
if "$HOOKLINE" send --url "localhost:1/webhook" --secret "$SECRET" --event customer.created 2> "$WORK/send5.err" > /dev/null; then
  fail "send to a closed port exited 0"
fi
grep -q "Failed to POST" "$WORK/send5.err" || fail "no clear error for a closed port"
echo "send_test: OK"
