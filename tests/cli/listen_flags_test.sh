#!/usr/bin/env bash
# listen's Stripe CLI flags: --load-from-webhooks-api forwards each event to the
# paths of the account's enabled endpoints (on --forward-to's host; Connect
# endpoints on --forward-connect-to's) for the types each is enabled for;
# --skip-verify forwards to an https receiver with a self-signed certificate
# (refused without it); --latest is accepted and the bodies carry the newest
# API version.
# Usage: listen_flags_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

start_server serve
SECRET=$("$HOOKLINE" listen --print-secret) || fail "listen --print-secret failed"
start_receiver recv --secret "$SECRET" --status-file "$WORK/status"
echo 200 > "$WORK/status"

# The account's registered endpoints (their hosts are never reached by listen;
# the server's own attempts to them fail and do not matter here).
"$HOOKLINE" endpoints create --url "http://127.0.0.1:1/hooks/platform?src=api" \
  --events customer.created > /dev/null || fail "endpoints create failed"
"$HOOKLINE" endpoints create --url "http://127.0.0.1:1/hooks/connect" --connect > /dev/null ||
  fail "endpoints create --connect failed"
"$HOOKLINE" endpoints create --url "http://127.0.0.1:1/hooks/disabled" --format JSON > "$WORK/off.json"
"$HOOKLINE" endpoints update "$(json_field "$(tr -d '\n' < "$WORK/off.json")" id)" --disable > /dev/null

if "$HOOKLINE" listen --load-from-webhooks-api 2> "$WORK/noforward.err"; then
  fail "--load-from-webhooks-api without --forward-to exited 0"
fi
grep -q -- "--load-from-webhooks-api needs --forward-to" "$WORK/noforward.err" ||
  fail "unclear error: $(cat "$WORK/noforward.err")"

start_listen routes --load-from-webhooks-api --forward-to "127.0.0.1:$RECEIVER_PORT"
grep -q "Forwarding events \[customer.created\] to http://127.0.0.1:$RECEIVER_PORT/hooks/platform?src=api" \
  "$WORK/routes.err" || fail "the platform route is not announced: $(cat "$WORK/routes.err")"
grep -q "Forwarding Connect events \[\*\] to http://127.0.0.1:$RECEIVER_PORT/hooks/connect" \
  "$WORK/routes.err" || fail "the Connect route is not announced: $(cat "$WORK/routes.err")"
grep -q "hooks/disabled" "$WORK/routes.err" && fail "a disabled endpoint got a route"

trigger_event customer.created
expect_delivery "$WORK/recv.log" "$EVENT_ID" customer.created /hooks/platform ""
ACCOUNT=$(create_account express)
trigger_event customer.created --stripe-account "$ACCOUNT"
expect_delivery "$WORK/recv.log" "$EVENT_ID" customer.created /hooks/connect "$ACCOUNT"
# customer.updated: no platform endpoint is enabled for it, so listen forwards it nowhere.
trigger_event customer.updated
wait_for "grep -q -- '--> customer.updated \[$EVENT_ID\]' '$WORK/routes.out'"
MARKER=$EVENT_ID
trigger_event customer.created
expect_delivery "$WORK/recv.log" "$EVENT_ID" customer.created /hooks/platform ""
grep -q "$MARKER" "$WORK/recv.log" && fail "customer.updated was forwarded to an endpoint not enabled for it"
kill "$LISTEN_PID"; wait "$LISTEN_PID" 2>/dev/null || true
echo "ok: --load-from-webhooks-api"

# --skip-verify: an https receiver with a self-signed certificate.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2> /dev/null || fail "openssl req failed"
cat > "$WORK/https.js" <<'JS'
const fs = require('fs'), https = require('https');
const [key, cert, log] = process.argv.slice(2);
const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    fs.appendFileSync(log, JSON.stringify({ path: req.url, id: JSON.parse(body).id, api_version: JSON.parse(body).api_version }) + '\n');
    res.writeHead(200); res.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
JS
: > "$WORK/https.log"
node "$WORK/https.js" "$WORK/key.pem" "$WORK/cert.pem" "$WORK/https.log" > "$WORK/https.out" 2> "$WORK/https.err" &
PIDS+=($!)
wait_for "grep -q 'listening on' '$WORK/https.out'"
HTTPS_PORT=$(sed -n 's/listening on //p' "$WORK/https.out")

start_listen strict --forward-to "https://127.0.0.1:$HTTPS_PORT/webhook"
trigger_event customer.created
wait_for "grep -q 'Failed to POST' '$WORK/strict.out'"
grep -q "$EVENT_ID" "$WORK/https.log" && fail "a self-signed certificate was accepted without --skip-verify"
kill "$LISTEN_PID"; wait "$LISTEN_PID" 2>/dev/null || true

start_listen insecure --skip-verify --latest --forward-to "https://127.0.0.1:$HTTPS_PORT/webhook"
trigger_event customer.created
wait_for "grep -q '$EVENT_ID' '$WORK/https.log'"
# The receiver logs before it answers: wait for listen to print the answer too.
wait_for "grep -qF '<--  [200] POST https://127.0.0.1:$HTTPS_PORT/webhook [$EVENT_ID]' '$WORK/insecure.out'" ||
  fail "--skip-verify: no answer line: $(cat "$WORK/insecure.out")"
echo "ok: --skip-verify"
line=$(grep "$EVENT_ID" "$WORK/https.log")
newest=$(grep -o '"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9][.a-z]*"' "$(dirname "$0")/../../src/catalog/api_versions.cpp" | tail -n 1 | tr -d '"')
[[ $(json_field "$line" api_version) == "$newest" ]] || fail "--latest: api_version is not $newest: $line"
echo "ok: --latest"
