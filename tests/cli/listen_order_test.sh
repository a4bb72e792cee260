#!/usr/bin/env bash
# 1,000 events published one after the other, never more than 32 ahead of the
# receiver, reach it through `hookline listen` in the order the server created them.
# Usage: listen_order_test.sh HOOKLINE_BINARY [COUNT]
HOOKLINE=$1
COUNT=${2:-1000}
source "$(dirname "$0")/support/lib.sh"

start_server serve
SECRET=$("$HOOKLINE" listen --print-secret)
start_receiver recv --secret "$SECRET"
start_listen listen --forward-to "localhost:$RECEIVER_PORT/webhook" --events customer.created
LOG="$WORK/recv.log"

# While an endpoint keeps up (its 64 slots not all busy), its deliveries go out
# in creation order and listen forwards them one at a time. Past that, what
# waits beyond its slots may be set aside for a second (README, Isolation) and
# be overtaken by newer events, and no order is promised: so publishing stays
# at most 32 events ahead of the receiver, however slow a loaded machine makes it.
node "$SUPPORT_DIR/publish.js" "$API_BASE" "$HOOKLINE_API_KEY" "$COUNT" --window 32 "$LOG" \
  > "$WORK/published.txt" || fail "publishing failed"
wait_for "(( \$(log_count '$LOG') >= $COUNT ))" 300
node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const ids = lines.map((l) => l.id);
  const published = fs.readFileSync(process.argv[2], "utf8").trim().split("\n");
  if (lines.some((l) => !l.verified)) { console.error("a request failed verification"); process.exit(1); }
  const seen = new Set(ids);
  if (seen.size !== ids.length) console.error(`note: ${ids.length - seen.size} duplicate deliveries`);
  // The first arrival of each event, in arrival order, must be the creation order.
  const firsts = ids.filter((id, i) => ids.indexOf(id) === i);
  for (let i = 0; i < published.length; i++) {
    if (firsts[i] !== published[i]) {
      console.error(`out of order at ${i}: received ${firsts[i]}, created ${published[i]}`);
      process.exit(1);
    }
  }
' "$LOG" "$WORK/published.txt" || fail "events arrived out of order"
echo "listen_order_test: OK ($COUNT events in order)"
