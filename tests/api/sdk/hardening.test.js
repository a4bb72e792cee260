// Issue 10 through stripe-node: numbers (item 4) and the size of events and of
// list pages (item 7), seen the way the SDK sees them.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, TEST_KEY, startHookline, stripeClient, publishJson } = require('./support/hookline');

let server;
let stripe;

before(async () => {
  server = await startHookline();
  stripe = stripeClient(server);
});
after(async () => {
  await server?.stop();
});

// POST /v1/events with `text` as the JSON body, written by hand: JSON.stringify
// cannot write 1e999 or integers beyond 2^53.
async function publishRaw(text) {
  const response = await fetch(`${server.baseUrl}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: text,
  });
  return { status: response.status, text: await response.text() };
}

async function retrieveRaw(id) {
  const response = await fetch(`${server.baseUrl}/v1/events/${id}`, {
    headers: { Authorization: `Bearer ${TEST_KEY}` },
  });
  assert.equal(response.status, 200);
  return response.text();
}

const invoice = (amountDue) =>
  `{"type":"invoice.created","data":{"object":{"id":"in_1","object":"invoice",` +
  `"lines":[{"amount":1},{"amount_due":${amountDue}}],"amount_due":${amountDue}}}}`;

test('issue 10 numbers: what cannot round-trip is refused by field; list pages stay JSON', async () => {
  for (const number of ['1e999', '-1e999', '123456789012345678901234567890', '1e-999',
    '0.10000000000000000000001']) {
    const { status, text } = await publishRaw(invoice(number));
    assert.equal(status, 400, `${number}: ${text}`);
    const { error } = JSON.parse(text);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.param, 'data[object][lines][1][amount_due]', number);
    assert.match(error.message, /cannot be kept exactly/);
  }

  // Integers are kept as written, past 2^53 and up to 2^64 - 1; doubles that round-trip stay.
  const kept = await publishRaw(
    '{"type":"invoice.created","data":{"object":{"id":"in_2","object":"invoice",' +
    '"amount_due":9007199254740993,"total":18446744073709551615,"min":-9223372036854775808,' +
    '"tax_rate":0.5,"discount":1.25,"ratio":0.1}}}');
  assert.equal(kept.status, 200, kept.text);
  const id = JSON.parse(kept.text).id;
  const stored = await retrieveRaw(id);
  for (const field of ['"amount_due":9007199254740993', '"total":18446744073709551615',
    '"min":-9223372036854775808']) {
    assert.ok(stored.includes(field), `${field} in ${stored}`);
  }

  // Every page that holds the events parses in the SDK.
  const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
  const event = events.find((e) => e.id === id);
  assert.ok(event, 'the event is listed');
  assert.equal(event.data.object.tax_rate, 0.5);
  assert.equal(event.data.object.discount, 1.25);
  assert.equal(event.data.object.ratio, 0.1);
});

test('issue 10 unbounded response size: an event is at most 1 MiB once escaped', async () => {
  // stripe-node form-encodes: each \x01 is 3 bytes (%01) on the way in, 6 (\u0001) in the event.
  await assert.rejects(
    stripe.rawRequest('POST', '/v1/events', {
      type: 'customer.created',
      data: { object: { id: 'cus_big', object: 'customer', description: '\x01'.repeat(180000) } },
    }),
    (error) => {
      assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError, String(error));
      assert.equal(error.param, 'data[object]');
      assert.match(error.message, /at most 1048576 bytes/);
      return true;
    });
});

test('issue 10 unbounded response size: pages end at their byte budget, autoPagingEach gets all', async () => {
  const ids = new Set();
  for (let i = 0; i < 14; i++) {
    // About 900 KB each once stored (150,000 escapes of six bytes), with small ones between.
    const description = i % 5 === 2 ? 'small' : '\u0001'.repeat(150000);
    const event = await publishJson(server, {
      type: 'customer.updated', object: { id: `cus_${i}`, object: 'customer', description },
    });
    ids.add(event.id);
  }
  const first = await stripe.events.list({ limit: 100, type: 'customer.updated' });
  assert.equal(first.has_more, true);
  assert.ok(first.data.length < ids.size, `the first page held ${first.data.length} events`);

  const seen = [];
  await stripe.events.list({ limit: 100, type: 'customer.updated' }).autoPagingEach((event) => {
    seen.push(event.id);
  });
  assert.equal(seen.length, ids.size);
  assert.deepEqual(new Set(seen), ids);
});
