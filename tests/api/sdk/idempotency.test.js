// Idempotent requests through stripe-node: the same key and body replay the
// first response; the same key with another body is a StripeIdempotencyError.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, startHookline, stripeClient, publishJson } = require('./support/hookline');

let server;
let stripe;

before(async () => {
  server = await startHookline();
  stripe = stripeClient(server);
});
after(() => server?.stop());

test('a replayed create answers the first response and creates nothing more', async () => {
  const params = { url: 'https://example.com/idem', enabled_events: ['*'] };
  const first = await stripe.webhookEndpoints.create(params, { idempotencyKey: 'endpoint-1' });
  const again = await stripe.webhookEndpoints.create(params, { idempotencyKey: 'endpoint-1' });
  assert.equal(again.id, first.id);
  assert.equal(again.secret, first.secret);
  assert.equal((await stripe.webhookEndpoints.list()).data.length, 1);
  await assert.rejects(stripe.webhookEndpoints.create({ ...params, url: 'https://example.com/other' },
    { idempotencyKey: 'endpoint-1' }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeIdempotencyError);
    assert.equal(e.type, 'StripeIdempotencyError');
    return true;
  });
});

test('a replayed publish is one event that records the key', async () => {
  const params = { type: 'customer.created', data: { object: { id: 'cus_idem', object: 'customer' } } };
  const first = await stripe.rawRequest('POST', '/v1/events', params, { idempotencyKey: 'publish-1' });
  const again = await stripe.rawRequest('POST', '/v1/events', params, { idempotencyKey: 'publish-1' });
  assert.equal(again.id, first.id);
  assert.equal(first.request.idempotency_key, 'publish-1');
  assert.match(first.request.id, /^req_/);
  assert.equal(first.request.id, first.lastResponse.requestId);
  const listed = await stripe.events.list({ type: 'customer.created', limit: 100 });
  assert.equal(listed.data.filter((e) => e.request.idempotency_key === 'publish-1').length, 1);
  await assert.rejects(stripe.rawRequest('POST', '/v1/events',
    { ...params, type: 'customer.updated' }, { idempotencyKey: 'publish-1' }),
  Stripe.errors.StripeIdempotencyError);

  const json = await publishJson(server, { type: 'invoice.paid', object: { id: 'in_1', amount: 3 },
    idempotencyKey: 'publish-json' });
  const jsonAgain = await publishJson(server, { type: 'invoice.paid', object: { id: 'in_1', amount: 3 },
    idempotencyKey: 'publish-json' });
  assert.equal(jsonAgain.id, json.id);
  assert.equal(json.request.idempotency_key, 'publish-json');
});
