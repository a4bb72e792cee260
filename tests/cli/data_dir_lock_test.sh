#!/usr/bin/env bash
# Issue 10, item 6: a second `hookline serve` on a data directory in use exits
# with a message naming the directory and the pid holding it; the first keeps serving.
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

start_server serve1

status=0
timeout 30 "$HOOKLINE" serve --port 0 --data-dir "$WORK/data" > "$WORK/serve2.out" 2> "$WORK/serve2.err" || status=$?
[[ $status -ne 0 && $status -ne 124 ]] || fail "the second server did not exit with an error (status $status)"
grep -qF "the data directory $WORK/data is in use by another hookline server (pid $SERVER_PID)" "$WORK/serve2.err" ||
  fail "no clear message from the second server: $(cat "$WORK/serve2.err")"
grep -q 'hookline listening' "$WORK/serve2.out" && fail "the second server announced itself"

kill -0 "$SERVER_PID" || fail "the first server is gone"
node -e "require('http').get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" "$API_BASE/healthz" || fail "the first server stopped answering /healthz"
trigger_event payment_intent.succeeded
"$HOOKLINE" events retrieve "$EVENT_ID" > "$WORK/retrieve.out" 2> "$WORK/retrieve.err" ||
  fail "the first server lost its store"

# Once the first has stopped, the directory is free again.
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
start_server serve3
"$HOOKLINE" events retrieve "$EVENT_ID" > "$WORK/retrieve3.out" 2> "$WORK/retrieve3.err" ||
  fail "the next server does not see the event"
echo "PASS"
