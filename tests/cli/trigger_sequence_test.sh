#!/usr/bin/env bash
# Issue 13 (part B): `trigger` runs the Stripe CLI's fixtures, so a real
# receiver (through `hookline listen`, verifying with the official SDK) gets
# the whole sequence of events, in order, with objects that refer to each
# other; its flags (--skip, --stripe-account, --api-version, --edit, --raw,
# typed --add/--override); `hookline fixtures FILE`; and the refusals that
# leave nothing behind.
# Usage: trigger_sequence_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

start_server serve
SECRET=$("$HOOKLINE" listen --print-secret)
start_receiver recv --secret "$SECRET"
start_listen listen --forward-to "localhost:$RECEIVER_PORT/webhook" \
  --forward-connect-to "localhost:$RECEIVER_PORT/connect_webhook"
LOG="$WORK/recv.log"

# run_sequence COMMAND ARGS…: runs `hookline COMMAND ARGS…`, waits until the
# receiver has every event it printed ("  --> TYPE [evt_…]"), checks they
# arrived verified and in the order they were made, and writes them to
# $WORK/seq.json: [{type, path, account, api_version, object, previous}].
run_sequence() {
  "$HOOKLINE" "$@" > "$WORK/run.out" 2> "$WORK/run.err" || fail "hookline $* failed: $(cat "$WORK/run.err")"
  local ids
  ids=$(sed -n 's/^  --> [^ ]* \[\(evt_[A-Za-z0-9]*\)\].*/\1/p' "$WORK/run.out")
  [[ -n $ids ]] || fail "hookline $* printed no event: $(cat "$WORK/run.out")"
  local id
  for id in $ids; do received "$LOG" "$id" > /dev/null; done
  node -e '
    const fs = require("fs");
    const ids = process.argv[2].split("\n");
    const lines = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse)
      .filter((l) => ids.includes(l.id));
    const got = lines.map((l) => l.id);
    if (JSON.stringify(got) !== JSON.stringify(ids)) {
      console.error("received out of order:\n  made:     " + ids.join(" ") + "\n  received: " + got.join(" "));
      process.exit(1);
    }
    const bad = lines.find((l) => !l.verified);
    if (bad) { console.error("not verified: " + JSON.stringify(bad)); process.exit(1); }
    fs.writeFileSync(process.argv[3], JSON.stringify(lines.map((l) => {
      const body = JSON.parse(l.body);
      return { type: l.type, path: l.path, account: l.account, api_version: body.api_version,
               object: body.data.object, previous: body.data.previous_attributes };
    })));' "$LOG" "$ids" "$WORK/seq.json" || fail "hookline $*: see above"
}

# seq_types: the types of $WORK/seq.json, space separated.
seq_types() { node -e 'console.log(require(process.argv[1]).map((e) => e.type).join(" "))' "$WORK/seq.json"; }

# expect_seq DESCRIPTION JS-CONDITION: the condition holds on `s` (seq.json)
# with `o(type)`, the object of the first event of that type.
expect_seq() {
  node -e '
    const s = require(process.argv[1]);
    const o = (type) => { const e = s.find((x) => x.type === type); if (!e) throw new Error("no " + type); return e.object; };
    if (!eval(process.argv[2])) process.exit(1);' "$WORK/seq.json" "$2" ||
    fail "$1: $2 does not hold for: $(cat "$WORK/seq.json")"
}

expect_types() {  # expect_types "TYPE TYPE …"
  local got
  got=$(seq_types)
  [[ $got == "$1" ]] || fail "expected the sequence: $1
got: $got"
}

# --- the sequences --------------------------------------------------------------
run_sequence trigger payment_intent.succeeded
expect_types "payment_intent.created charge.succeeded payment_intent.succeeded"
expect_seq "the charge is the intent's" 'o("charge.succeeded").payment_intent === o("payment_intent.succeeded").id && o("payment_intent.succeeded").latest_charge === o("charge.succeeded").id && o("payment_intent.created").id === o("payment_intent.succeeded").id'
expect_seq "amounts and states" 'o("charge.succeeded").amount === 2000 && o("payment_intent.created").status === "requires_payment_method" && o("payment_intent.succeeded").status === "succeeded"'
expect_seq "platform events" 's.every((e) => e.path === "/webhook" && e.account === null)'
grep -q '^Trigger succeeded! payment_intent.succeeded evt_' "$WORK/run.out" || fail "no success line: $(cat "$WORK/run.out")"

run_sequence trigger customer.subscription.created
expect_types "customer.created payment_method.attached product.created price.created customer.subscription.created invoice.created invoice.finalized charge.succeeded payment_intent.created payment_intent.succeeded invoice.paid invoice.payment_succeeded customer.subscription.updated"
expect_seq "the subscription's customer, price and invoice" 'o("customer.subscription.created").customer === o("customer.created").id && o("customer.subscription.created").items.data[0].price.id === o("price.created").id && o("invoice.paid").subscription === o("customer.subscription.created").id && o("invoice.paid").customer === o("customer.created").id'
expect_seq "the subscription becomes active" 's[s.length - 1].object.status === "active" && s[s.length - 1].previous.status === "incomplete"'

run_sequence trigger invoice.paid
expect_types "customer.created payment_method.attached invoiceitem.created invoice.created invoice.finalized payment_intent.created charge.succeeded payment_intent.succeeded invoice.paid invoice.payment_succeeded"
expect_seq "the invoice's customer, item and payment" 'o("invoice.paid").customer === o("customer.created").id && o("invoiceitem.created").customer === o("customer.created").id && o("invoice.paid").payment_intent === o("payment_intent.succeeded").id && o("invoice.paid").amount_paid === 2000'

run_sequence trigger checkout.session.completed
expect_types "product.created price.created payment_intent.created charge.succeeded payment_intent.succeeded checkout.session.completed"
expect_seq "the session's payment" 'o("checkout.session.completed").payment_intent === o("payment_intent.succeeded").id && o("checkout.session.completed").amount_total === 3000 && o("checkout.session.completed").payment_status === "paid"'

run_sequence trigger charge.refunded
expect_types "payment_intent.created charge.succeeded payment_intent.succeeded charge.refunded refund.created"
expect_seq "the refunded charge is the intent's charge" 'o("charge.refunded").id === o("charge.succeeded").id && o("refund.created").charge === o("charge.succeeded").id && o("charge.refunded").refunded === true'

# --skip, as the Stripe CLI: the step is not run.
run_sequence trigger charge.refunded --skip refund
expect_types "payment_intent.created charge.succeeded payment_intent.succeeded"
grep -q '^Skipping fixture for: refund' "$WORK/run.out" || fail "no Skipping line: $(cat "$WORK/run.out")"

# --stripe-account: every event of the sequence happens on that account.
CUSTOM=$(create_account custom)
run_sequence trigger payment_intent.succeeded --stripe-account "$CUSTOM"
expect_seq "on the connected account" "s.length === 3 && s.every((e) => e.path === '/connect_webhook' && e.account === '$CUSTOM')"
# Connect-only events without --stripe-account: the fixture creates the account.
run_sequence trigger person.updated
expect_types "person.created person.updated"
expect_seq "on the account the fixture made" 's.every((e) => e.account && e.account.startsWith("acct_") && e.object.account === e.account) && s[1].previous.phone === null'

# --api-version: the events' api_version.
run_sequence trigger customer.created --api-version 2024-06-20
expect_seq "api_version" 's[0].api_version === "2024-06-20"'

# Typed edits: metadata values are strings, numbers stay numbers.
run_sequence trigger payment_intent.succeeded --add payment_intent:metadata.order=6735 \
  --override payment_intent:amount=4100
expect_seq "typed edits" 'o("payment_intent.succeeded").metadata.order === "6735" && o("payment_intent.succeeded").amount === 4100 && o("charge.succeeded").amount === 4100'

# --edit: $EDITOR edits the fixture in a temporary file, the edited one runs.
cat > "$WORK/editor.sh" <<'SH'
#!/usr/bin/env bash
case "$1" in */payment_intent.succeeded.*.json) ;; *) echo "unexpected file $1" >&2; exit 1 ;; esac
sed -i 's/"amount": 2000/"amount": 5150/' "$1"
SH
chmod +x "$WORK/editor.sh"
EDITOR="$WORK/editor.sh" run_sequence trigger payment_intent.succeeded --edit
expect_seq "the edited fixture ran" 'o("payment_intent.succeeded").amount === 5150'

# --raw: a fixture as a string, instead of the event's.
run_sequence trigger customer.created --raw '{"_meta":{"template_version":0},"fixtures":[{"name":"customer","path":"/v1/customers","method":"post","params":{"name":"Raw Customer"}}]}'
expect_types "customer.created"
expect_seq "the raw fixture ran" 'o("customer.created").name === "Raw Customer"'

# hookline fixtures FILE: a team's own fixture, with references, .env and edits.
cat > "$WORK/team.json" <<'JSON'
{
  "_meta": {"template_version": 0},
  "fixtures": [
    {"name": "customer", "path": "/v1/customers", "method": "post",
     "params": {"name": "Team Customer", "email": "${.env:TEAM_EMAIL}"}},
    {"name": "product", "path": "/v1/products", "method": "post", "params": {"name": "Gold"}},
    {"name": "price", "path": "/v1/prices", "method": "post",
     "params": {"product": "${product:id}", "unit_amount": 900, "currency": "usd"}},
    {"name": "customer_update", "path": "/v1/customers/${customer:id}", "method": "post",
     "params": {"description": "Bought ${product:name}"}}
  ],
  "env": {"TEAM_CUSTOMER": "${customer:id}", "TEAM_PRICE": "${price:id}"}
}
JSON
mkdir "$WORK/team"
printf 'KEEP=1\nTEAM_CUSTOMER=old\n' > "$WORK/team/.env"
pushd "$WORK/team" > /dev/null
TEAM_EMAIL=team@example.com run_sequence fixtures "$WORK/team.json" --override price:unit_amount=1900 \
  --add customer:metadata.tier=1
popd > /dev/null
expect_types "customer.created product.created price.created customer.updated"
expect_seq "the team's fixture" 'o("customer.created").email === "team@example.com" && o("customer.created").metadata.tier === "1" && o("price.created").product === o("product.created").id && o("price.created").unit_amount === 1900 && o("customer.updated").id === o("customer.created").id && o("customer.updated").description === "Bought Gold"'
grep -q '^Fixture succeeded! 4 events published.' "$WORK/run.out" || fail "no success line: $(cat "$WORK/run.out")"
# Its "env" went into ./.env, as the Stripe CLI does.
CUSTOMER_ID=$(node -e 'console.log(require(process.argv[1])[0].object.id)' "$WORK/seq.json")
grep -qx 'KEEP=1' "$WORK/team/.env" || fail ".env lost KEEP: $(cat "$WORK/team/.env")"
grep -qx "TEAM_CUSTOMER=\"$CUSTOMER_ID\"" "$WORK/team/.env" || fail ".env lacks TEAM_CUSTOMER=$CUSTOMER_ID: $(cat "$WORK/team/.env")"
grep -q '^TEAM_PRICE="price_' "$WORK/team/.env" || fail ".env lacks TEAM_PRICE: $(cat "$WORK/team/.env")"

# --- refusals: each says why, and creates and publishes nothing -------------------
count() {  # count events|accounts
  "$HOOKLINE" "$1" list --limit 100 --format JSON | node -e 'let t="";process.stdin.on("data",(d)=>t+=d).on("end",()=>console.log(JSON.parse(t).data.length))'
}
EVENTS_BEFORE=$(count events)
ACCOUNTS_BEFORE=$(count accounts)
expect_refusal() {  # expect_refusal PATTERN COMMAND ARGS…
  local pattern=$1; shift
  if "$HOOKLINE" "$@" > "$WORK/refused.out" 2> "$WORK/refused.err"; then fail "hookline $* succeeded"; fi
  grep -q -- "$pattern" "$WORK/refused.err" || fail "hookline $*: expected '$pattern' in: $(cat "$WORK/refused.err")"
  if grep -q 'Trigger succeeded' "$WORK/refused.out"; then fail "hookline $* printed success"; fi
}
expect_refusal 'No step of the fixture is named "account"\|email does not exist' trigger account.updated --remove account:email
expect_refusal 'amount is a number in the fixture (2000); abc is not a number' trigger payment_intent.succeeded --override payment_intent:amount=abc
expect_refusal 'not a published Stripe API version' trigger customer.created --api-version 2031-13-45
expect_refusal -- '--skip refundd: no step' trigger charge.refunded --skip refundd
cat > "$WORK/unmodeled.json" <<'JSON'
{"fixtures": [{"name": "customer", "path": "/v1/customers", "method": "post"},
              {"name": "calculation", "path": "/v1/tax/calculations", "method": "post"}]}
JSON
expect_refusal 'Step "calculation": hookline cannot model POST /v1/tax/calculations' fixtures "$WORK/unmodeled.json"
[[ $(count accounts) == "$ACCOUNTS_BEFORE" ]] || fail "a refused trigger created an account"
[[ $(count events) == "$EVENTS_BEFORE" ]] || fail "a refused trigger published an event"

# A server that is not hookline (any 200 with a body that is not an event): an error.
node -e '
  const http = require("http");
  const s = http.createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, {"Content-Type": "application/json"}); res.end("{}"); }); });
  s.listen(0, "127.0.0.1", () => console.log("listening on " + s.address().port));
  process.on("SIGTERM", () => process.exit(0));' > "$WORK/other.out" &
PIDS+=($!)
wait_for "grep -q 'listening on' '$WORK/other.out'"
OTHER="http://127.0.0.1:$(sed -n 's/listening on //p' "$WORK/other.out")"
expect_refusal 'Is the API base a hookline server' trigger payment_intent.succeeded --api-base "$OTHER"
expect_refusal 'Is the API base a hookline server' trigger account.updated --api-base "$OTHER"
echo "trigger_sequence_test: OK"
