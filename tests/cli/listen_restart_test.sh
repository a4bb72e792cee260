#!/usr/bin/env bash
# `hookline listen` survives a server restart: it says it lost the connection,
# reconnects when the server is back (same port, same data), says so, keeps the
# same secret, and forwards events again. Ctrl-C (SIGINT) then ends it cleanly.
# Usage: listen_restart_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

start_server serve1
SECRET=$("$HOOKLINE" listen --print-secret)
start_receiver recv --secret "$SECRET"
start_listen listen --forward-to "localhost:$RECEIVER_PORT/webhook"
LOG="$WORK/recv.log"

trigger_event customer.created
expect_delivery "$LOG" "$EVENT_ID" customer.created /webhook ""

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
wait_for "grep -q 'Lost connection to hookline' '$WORK/listen.err'"
kill -0 "$LISTEN_PID" || fail "listen exited when the server went away"

start_server serve2  # SERVER_PORT is kept: the same port and data dir
wait_for "grep -q 'Reconnected to hookline' '$WORK/listen.err'" 60
trigger_event customer.created
expect_delivery "$LOG" "$EVENT_ID" customer.created /webhook ""

kill -INT "$LISTEN_PID"
status=0
wait "$LISTEN_PID" || status=$?
[[ $status == 0 ]] || fail "listen exited with $status after SIGINT"
echo "listen_restart_test: OK"
