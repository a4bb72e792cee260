#!/usr/bin/env bash
# Flag > environment > default, for every subcommand that reads an
# env-backed flag (--api-base/HOOKLINE_API_BASE, --api-key/HOOKLINE_API_KEY,
# send's --secret/HOOKLINE_WEBHOOK_SECRET): run the real binary against a real
# server with a wrong environment and the right flags (the flags must win),
# and with the right environment and a wrong flag (the flag must win again).
# Usage: flag_precedence_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

export HOOKLINE_LIVE_SECRET_KEY="sk_live_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_server serve
KEY=$HOOKLINE_API_KEY
DEAD=http://127.0.0.1:1
echo 200 > "$WORK/status"
start_receiver verifying --secret whsec_precedence
VERIFYING_PORT=$RECEIVER_PORT
start_receiver recv --secret whsec_precedence --status-file "$WORK/status"

ACCOUNT=$(create_account custom)
new_endpoint() {
  "$HOOKLINE" endpoints create --url "127.0.0.1:$RECEIVER_PORT/webhook" --format JSON > "$WORK/ep.json" ||
    fail "endpoints create failed"
  json_field "$(tr -d '\n' < "$WORK/ep.json")" id
}
ENDPOINT=$(new_endpoint)
trigger_event customer.created
EVENT=$EVENT_ID

# check NAME ARGS…: the subcommand ARGS… must follow its flags, not the environment.
check() {
  local name=$1; shift
  HOOKLINE_API_BASE=$DEAD HOOKLINE_API_KEY=sk_test_wrong \
    "$HOOKLINE" "$@" --api-base "$API_BASE" --api-key "$KEY" > "$WORK/flag.out" 2> "$WORK/flag.err" ||
    fail "$name: with the right flags and a wrong environment it failed: $(cat "$WORK/flag.err")"
  if "$HOOKLINE" "$@" --api-base "$DEAD" > "$WORK/base.out" 2> "$WORK/base.err"; then
    fail "$name: --api-base $DEAD lost to HOOKLINE_API_BASE"
  fi
  grep -q "127.0.0.1:1" "$WORK/base.err" ||
    fail "$name: the error does not name the flag's server: $(cat "$WORK/base.err")"
  if "$HOOKLINE" "$@" --api-key sk_test_wrongwrongwrong > "$WORK/key.out" 2> "$WORK/key.err"; then
    fail "$name: --api-key sk_test_wrong… lost to HOOKLINE_API_KEY"
  fi
  echo "ok: $name"
}

check "listen" listen --print-secret
check "trigger" trigger customer.created
check "events list" events list
check "events retrieve" events retrieve "$EVENT"
check "events attempts" events attempts "$EVENT"
check "events resend" events resend "$EVENT" --webhook-endpoint "$ENDPOINT" --no-wait
check "endpoints create" endpoints create --url "127.0.0.1:$RECEIVER_PORT/other"
check "endpoints list" endpoints list
check "endpoints update" endpoints update "$ENDPOINT" --description "flag wins"
check "endpoints attempts" endpoints attempts "$ENDPOINT"
check "endpoints delete" endpoints delete "$(new_endpoint)"
check "accounts create" accounts create
check "accounts list" accounts list
check "accounts deauthorize" accounts deauthorize "$(create_account standard)"

# The environment alone still works (environment > default), and the key's
# mode is the flag's: a live key given as a flag makes a live endpoint.
"$HOOKLINE" endpoints list > /dev/null || fail "the environment alone was not used"
"$HOOKLINE" endpoints create --url "127.0.0.1:$RECEIVER_PORT/live" --api-key "$HOOKLINE_LIVE_SECRET_KEY" \
  --format JSON > "$WORK/live.json" || fail "endpoints create with a live key failed"
[[ $(json_field "$(tr -d '\n' < "$WORK/live.json")" livemode) == true ]] ||
  fail "--api-key sk_live_… made a test endpoint: $(cat "$WORK/live.json")"
"$HOOKLINE" accounts create --api-key "$HOOKLINE_LIVE_SECRET_KEY" --format JSON > "$WORK/live-acct.json" ||
  fail "accounts create with a live key failed"
LIVE_ACCOUNT=$(json_field "$(tr -d '\n' < "$WORK/live-acct.json")" id)
"$HOOKLINE" accounts list --api-key "$HOOKLINE_LIVE_SECRET_KEY" --limit 100 | grep -q "^$LIVE_ACCOUNT " ||
  fail "accounts create --api-key sk_live_… did not create a live account"
echo "ok: a live --api-key beats a test HOOKLINE_API_KEY"

# send: --secret beats HOOKLINE_WEBHOOK_SECRET (the receiver verifies with whsec_precedence).
HOOKLINE_WEBHOOK_SECRET=whsec_wrong "$HOOKLINE" send --url "127.0.0.1:$VERIFYING_PORT/webhook" \
  --secret whsec_precedence --event customer.created > "$WORK/send.out" 2>&1 ||
  fail "send: --secret lost to HOOKLINE_WEBHOOK_SECRET: $(cat "$WORK/send.out")"
HOOKLINE_WEBHOOK_SECRET=whsec_precedence "$HOOKLINE" send --url "127.0.0.1:$VERIFYING_PORT/webhook" \
  --event customer.created > "$WORK/send.out" 2>&1 ||
  fail "send: HOOKLINE_WEBHOOK_SECRET alone was not used: $(cat "$WORK/send.out")"
echo "ok: send --secret"

# serve: --database beats HOOKLINE_DATABASE_URL (an empty --database: SQLite in --data-dir).
HOOKLINE_DATABASE_URL=postgres://127.0.0.1:1/nothing "$HOOKLINE" serve --database "" --port 0 \
  --data-dir "$WORK/data2" > "$WORK/serve2.out" 2> "$WORK/serve2.err" &
PIDS+=($!)
wait_for "grep -q 'hookline listening on http://' '$WORK/serve2.out' || grep -q 'cannot start' '$WORK/serve2.err'"
grep -q 'hookline listening on http://' "$WORK/serve2.out" ||
  fail "serve: --database lost to HOOKLINE_DATABASE_URL: $(cat "$WORK/serve2.err")"
# --database-wait 0: give up at once rather than retry the unreachable database.
if HOOKLINE_DATABASE_URL=postgres://127.0.0.1:1/nothing "$HOOKLINE" serve --port 0 \
     --database-wait 0 --data-dir "$WORK/data3" > /dev/null 2> "$WORK/serve3.err"; then
  fail "serve with an unreachable HOOKLINE_DATABASE_URL exited 0"
fi
grep -q "postgres" "$WORK/serve3.err" || fail "serve ignored HOOKLINE_DATABASE_URL: $(cat "$WORK/serve3.err")"
echo "ok: serve --database"
