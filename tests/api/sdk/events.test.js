// Events through stripe-node: auto-pagination over hundreds of events, the
// list filters, retrieval scoped to the account, resend, and the attempts log.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, startHookline, stripeClient, publishJson, waitFor } = require('./support/hookline');
const { Receiver } = require('./support/receiver');

const TOTAL = 260;
const TYPES = ['customer.created', 'payment_intent.succeeded', 'payment_intent.created',
  'invoice.paid'];

let server;
let receiver;
let stripe;
const published = [];  // in creation order

before(async () => {
  server = await startHookline();
  receiver = await new Receiver().start();
  stripe = stripeClient(server);
  // invoice.paid deliveries fail (500), so those events stay pending.
  const failing = await stripe.webhookEndpoints.create({ url: receiver.url('failing'),
    enabled_events: ['invoice.paid'] });
  receiver.setSecret('failing', failing.secret);
  receiver.failWith('failing', 500);
  for (let batch = 0; batch < TOTAL; batch += 20) {
    const made = await Promise.all(Array.from({ length: Math.min(20, TOTAL - batch) }, (_, i) =>
      publishJson(server, { type: TYPES[(batch + i) % TYPES.length],
        object: { id: `obj_${batch + i}`, object: 'thing', n: batch + i } })));
    published.push(...made);
  }
});
after(async () => {
  await server?.stop();
  await receiver?.stop();
});

test('auto-pagination yields every event exactly once, newest first', async () => {
  const seen = [];
  for await (const event of stripe.events.list({ limit: 100 })) seen.push(event);
  assert.equal(seen.length, TOTAL);
  assert.equal(new Set(seen.map((e) => e.id)).size, TOTAL);
  assert.deepEqual(new Set(seen.map((e) => e.id)), new Set(published.map((e) => e.id)));
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1].created >= seen[i].created);

  const small = await stripe.events.list({ limit: 7 }).autoPagingToArray({ limit: 1000 });
  assert.deepEqual(small.map((e) => e.id), seen.map((e) => e.id));
  // Backwards from the oldest with ending_before.
  const oldest = seen[seen.length - 1].id;
  const newer = await stripe.events.list({ limit: 50, ending_before: oldest })
    .autoPagingToArray({ limit: 1000 });
  assert.equal(newer.length, TOTAL - 1);
  assert.deepEqual(new Set(newer.map((e) => e.id)), new Set(seen.slice(0, -1).map((e) => e.id)));
  const defaultPage = await stripe.events.list();
  assert.equal(defaultPage.data.length, 10);
  assert.equal(defaultPage.has_more, true);
  assert.equal(defaultPage.url, '/v1/events');
});

test('filters: type, wildcard, types, created, delivery_success', async () => {
  const count = (type) => published.filter((e) => e.type === type).length;
  const all = (params) => stripe.events.list({ limit: 100, ...params }).autoPagingToArray({ limit: 1000 });

  const customers = await all({ type: 'customer.created' });
  assert.equal(customers.length, count('customer.created'));
  assert.ok(customers.every((e) => e.type === 'customer.created'));
  const intents = await all({ type: 'payment_intent.*' });
  assert.equal(intents.length, count('payment_intent.succeeded') + count('payment_intent.created'));
  const two = await all({ types: ['customer.created', 'invoice.paid'] });
  assert.equal(two.length, count('customer.created') + count('invoice.paid'));
  await assert.rejects(stripe.events.list({ type: 'a.b', types: ['c.d'] }),
    (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.param === 'types');

  const middle = published[Math.floor(TOTAL / 2)].created;
  const since = await all({ created: { gte: middle } });
  assert.equal(since.length, published.filter((e) => e.created >= middle).length);
  const before = await all({ created: { lt: middle } });
  assert.equal(since.length + before.length, TOTAL);
  await assert.rejects(stripe.events.list({ created: { gt: 'soon' } }),
    (e) => e.param === 'created[gt]');

  const pending = await all({ delivery_success: false });
  assert.equal(pending.length, count('invoice.paid'));
  assert.ok(pending.every((e) => e.type === 'invoice.paid' && e.pending_webhooks === 1));
  const done = await all({ delivery_success: true });
  assert.equal(done.length, TOTAL - count('invoice.paid'));
});

test('an event is retrieved only as its account and mode', async () => {
  const event = published[0];
  const fetched = await stripe.events.retrieve(event.id);
  assert.equal(fetched.id, event.id);
  assert.deepEqual(fetched.data, event.data);
  const live = stripeClient(server, { live: true });
  await assert.rejects(live.events.retrieve(event.id), (e) => e.statusCode === 404);
  const account = await stripe.accounts.create({ type: 'custom' });
  await assert.rejects(stripe.events.retrieve(event.id, {}, { stripeAccount: account.id }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.message, `No such event: '${event.id}'`);
    return true;
  });
  await assert.rejects(stripe.events.list({ starting_after: 'evt_missing' }),
    (e) => e.statusCode === 404 && e.param === 'starting_after');
});

test('resend delivers the event to the endpoint again', async () => {
  const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url('resend'),
    enabled_events: ['charge.succeeded'] });
  receiver.setSecret('resend', endpoint.secret);
  const event = await publishJson(server, { type: 'charge.succeeded',
    object: { id: 'ch_1', object: 'charge', amount: 500 } });
  await waitFor(() => receiver.eventIdsOf('resend').length === 1, 'the first delivery');
  const answer = await stripe.rawRequest('POST', `/v1/events/${event.id}/retry`,
    { webhook_endpoint: endpoint.id });
  assert.equal(answer.id, event.id);
  assert.equal(answer.object, 'event');
  await waitFor(() => receiver.eventIdsOf('resend').length === 2, 'the resent delivery');
  assert.deepEqual(receiver.eventIdsOf('resend'), [event.id, event.id]);

  // The receiver may see a request before its outcome is recorded.
  let attempts;
  await waitFor(async () => {
    attempts = await stripe.rawRequest('GET', `/v1/events/${event.id}/attempts`);
    return attempts.data.length === 2;
  }, 'both attempts recorded');
  assert.equal(attempts.object, 'list');
  assert.equal(attempts.data.length, 2);
  for (const attempt of attempts.data) {
    assert.equal(attempt.object, 'webhook_attempt');
    assert.equal(attempt.event, event.id);
    assert.equal(attempt.webhook_endpoint, endpoint.id);
    assert.equal(attempt.http_status, 200);
    assert.equal(attempt.success, true);
  }
  const byEndpoint = await stripe.rawRequest('GET',
    `/v1/webhook_endpoints/${endpoint.id}/attempts?limit=1`);
  assert.equal(byEndpoint.data.length, 1);
  assert.equal(byEndpoint.has_more, true);

  await assert.rejects(stripe.rawRequest('POST', `/v1/events/${event.id}/retry`,
    { webhook_endpoint: 'we_missing' }), (e) => e.statusCode === 404 && e.param === 'webhook_endpoint');
  await assert.rejects(stripe.rawRequest('POST', `/v1/events/${published[0].id}/retry`,
    { webhook_endpoint: endpoint.id }), (e) => e.statusCode === 400 && e.param === 'webhook_endpoint');
});
