#!/usr/bin/env bash
# How `hookline` answers its command line: bare `hookline` prints the help, a
# mistyped subcommand gets a suggestion, usage errors exit 1, listen refuses a
# URL that is not http(s) at once, events retrieve, attempts and resend name
# the missing --stripe-account, and each --help states the default the command really uses.
# Usage: usage_errors_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

# expect_exit CODE STDERR-PATTERN ARGS…
expect_exit() {
  local code=$1 pattern=$2; shift 2
  local rc=0
  "$HOOKLINE" "$@" > "$WORK/cmd.out" 2> "$WORK/cmd.err" || rc=$?
  [[ $rc == "$code" ]] || fail "hookline $*: exit $rc, expected $code: $(cat "$WORK/cmd.err")"
  [[ -z $pattern ]] || grep -q -- "$pattern" "$WORK/cmd.err" ||
    fail "hookline $*: stderr lacks '$pattern': $(cat "$WORK/cmd.err")"
}

expect_exit 0 "" && grep -q "^Subcommands:" "$WORK/cmd.out" || fail "bare hookline printed no help"
grep -q "^  listen " "$WORK/cmd.out" || fail "the help lacks listen"
expect_exit 0 "" events && grep -q "^  attempts " "$WORK/cmd.out" || fail "hookline events printed no help"
expect_exit 1 "Did you mean events?" evnts
expect_exit 1 'unknown command "evnts" for "hookline"' evnts
expect_exit 1 "Did you mean retrieve?" events retreive evt_1
expect_exit 1 "Did you mean attempts?" endpoints attempt we_1
expect_exit 1 "not expected" events list --bogus            # CLI11 alone: 109
expect_exit 1 "not in range" events list --limit 0         # 105
expect_exit 1 "required" events retrieve                   # 106
expect_exit 1 "" accounts create --type platinum

# listen refuses what it cannot forward to, before connecting (the server is unreachable).
export HOOKLINE_API_BASE=http://127.0.0.1:1 HOOKLINE_API_KEY=sk_test_x
expect_exit 1 "--forward-to must be an http:// or https:// URL" listen -f ftp://localhost:21/x
expect_exit 1 "--forward-connect-to must be an http:// or https:// URL" \
  listen -f localhost:4242/webhook --forward-connect-to ftp://localhost/connect
expect_exit 1 "--forward-to must be an http:// or https:// URL" listen -f "http://"
unset HOOKLINE_API_BASE HOOKLINE_API_KEY

start_server serve
ACCOUNT=$(create_account express)
trigger_event customer.created --stripe-account "$ACCOUNT"
expect_exit 1 "is an event of the connected account $ACCOUNT: add --stripe-account $ACCOUNT" events retrieve "$EVENT_ID"
expect_exit 1 "add --stripe-account $ACCOUNT" events attempts "$EVENT_ID"
# resend names it too, whether it waits for the attempt or not.
expect_exit 1 "is an event of the connected account $ACCOUNT: add --stripe-account $ACCOUNT" \
  events resend "$EVENT_ID" --webhook-endpoint we_any
expect_exit 1 "is an event of the connected account $ACCOUNT: add --stripe-account $ACCOUNT" \
  events resend "$EVENT_ID" --webhook-endpoint we_any --no-wait
expect_exit 1 "No such event" events retrieve evt_doesnotexist

# Help defaults against behaviour.
help_of() { "$HOOKLINE" "$@" --help; }
help_of events retrieve | grep -q -- "--format .*(default: JSON" || fail "events retrieve --help: format default"
"$HOOKLINE" events retrieve "$EVENT_ID" --stripe-account "$ACCOUNT" > "$WORK/event.json"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))' "$WORK/event.json" ||
  fail "events retrieve does not print JSON by default"

help_of events list | grep -q -- "--format .*" || fail "events list --help: no --format"
help_of events list | grep -q "(default: a table)" || fail "events list --help: format default"
"$HOOKLINE" events list --stripe-account "$ACCOUNT" | head -n 1 | grep -q "^ID " ||
  fail "events list does not print a table by default"

limit_default=$(help_of events list | sed -n 's/.*--limit .*=\([0-9]*\).*/\1/p')
[[ $limit_default == 10 ]] || fail "events list --help: limit default '$limit_default'"
for i in $(seq 1 $((limit_default + 1))); do
  curl -sf "$API_BASE/v1/events" -u "$HOOKLINE_API_KEY:" -d type=customer.created \
    -d "data[object][id]=cus_$i" -d "data[object][object]=customer" > /dev/null || fail "publish failed"
done
count=$("$HOOKLINE" events list --format JSON | node -e 'const l=JSON.parse(require("fs").readFileSync(0,"utf8")); console.log(l.data.length+(l.has_more?"+":""))')
[[ $count == "$limit_default+" ]] || fail "events list listed $count, its help says $limit_default"

help_of endpoints create | grep -q -- "--events .*(default: \*)" || fail "endpoints create --help: events default"
"$HOOKLINE" endpoints create --url localhost:1/hook --format JSON > "$WORK/ep.json"
EP=$(json_field "$(tr -d '\n' < "$WORK/ep.json")" id)
[[ $(json_field "$(tr -d '\n' < "$WORK/ep.json")" enabled_events) == '["*"]' ]] || fail "create's events default is not *"
help_of endpoints update | grep -q -- "--events .*(default: unchanged)" || fail "endpoints update --help: events default"
"$HOOKLINE" endpoints update "$EP" --events "customer.created, customer.updated" > /dev/null
"$HOOKLINE" endpoints update "$EP" --description later --format JSON > "$WORK/ep2.json"
[[ $(json_field "$(tr -d '\n' < "$WORK/ep2.json")" enabled_events) == '["customer.created","customer.updated"]' ]] ||
  fail "update without --events changed them: $(cat "$WORK/ep2.json")"

type_default=$(help_of accounts create | sed -n 's/.*--type .*=\([a-z]*\).*/\1/p')
"$HOOKLINE" accounts create --format JSON > "$WORK/acct.json"
[[ $(json_field "$(tr -d '\n' < "$WORK/acct.json")" type) == "$type_default" && -n $type_default ]] ||
  fail "accounts create --help says type $type_default: $(cat "$WORK/acct.json")"

help_of events list | grep -q -- "--api-base .*(default: \$HOOKLINE_API_BASE, else http://127.0.0.1:7420)" ||
  fail "--api-base help does not state its default"
echo ok
