#!/usr/bin/env bash
# trigger's editing of its fixture's steps (--override, --add, --remove with
# nested paths and values typed as the fixture's) as the receiver sees it, and
# trigger's error messages.
# Usage: trigger_edit_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

start_server serve
SECRET=$("$HOOKLINE" listen --print-secret)
start_receiver recv --secret "$SECRET"
start_listen listen --forward-to "localhost:$RECEIVER_PORT/webhook" \
  --forward-connect-to "localhost:$RECEIVER_PORT/connect_webhook"
LOG="$WORK/recv.log"

trigger_event payment_intent.succeeded \
  --override payment_intent:amount=3000 \
  --override payment_intent:currency=eur \
  --add payment_intent:metadata.order_id=6735 \
  --add 'payment_intent:metadata[note]=rush order' \
  --add payment_intent:shipping.address.city=Paris \
  --remove payment_intent:description
line=$(received "$LOG" "$EVENT_ID")
body=$(json_field "$line" body)
check() {  # check JS-EXPRESSION-ON-OBJECT EXPECTED
  local got
  got=$(node -e 'const o=JSON.parse(process.argv[1]).data.object;console.log(JSON.stringify(eval(process.argv[2])))' "$body" "$1")
  [[ $got == "$2" ]] || fail "$1: expected $2, got $got"
}
check 'o.amount' '3000'
check 'o.currency' '"eur"'
check 'o.metadata.order_id' '"6735"'
check 'o.metadata.note' '"rush order"'
check 'o.shipping.address.city' '"Paris"'
check 'o.description' 'null'
check 'o.status' '"succeeded"'

# An account event edits the real account through the API (its update_account step).
trigger_event account.updated --add 'update_account:metadata.plan=gold'
line=$(received "$LOG" "$EVENT_ID")
node -e 'const o=JSON.parse(JSON.parse(process.argv[1]).body).data.object; if (o.metadata.plan !== "gold") process.exit(1)' "$line" ||
  fail "account.updated does not show metadata.plan=gold: $line"

# Errors: each exits non-zero with a message that says what to do.
expect_error() {  # expect_error PATTERN ARGS…
  local pattern=$1; shift
  if "$HOOKLINE" trigger "$@" > /dev/null 2> "$WORK/err.txt"; then fail "trigger $* succeeded"; fi
  grep -q -- "$pattern" "$WORK/err.txt" || fail "trigger $*: expected '$pattern' in: $(cat "$WORK/err.txt")"
}
expect_error 'Did you mean payment_intent.succeeded' payment_intent.succeded
expect_error 'No step of the fixture is named "charge"' payment_intent.succeeded --override charge:amount=1
expect_error 'amountt does not exist in the fixture (use --add' payment_intent.succeeded --override payment_intent:amountt=1
expect_error 'is not of the form' payment_intent.succeeded --add amount=1

# --list names every supported event.
"$HOOKLINE" trigger --list > "$WORK/list.txt"
for type in customer.created transfer.created checkout.session.completed person.deleted; do
  grep -q "^  $type " "$WORK/list.txt" || fail "--list lacks $type"
done
echo "trigger_edit_test: OK"
