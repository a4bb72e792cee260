// Webhook endpoints through stripe-node: account and Connect endpoints in
// test and live mode, their Stripe shape, updates, lists, errors, roll_secret.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, startHookline, stripeClient } = require('./support/hookline');

let server;
let stripe;
let live;

before(async () => {
  server = await startHookline();
  stripe = stripeClient(server);
  live = stripeClient(server, { live: true });
});
after(() => server?.stop());

test('account and Connect endpoints in test and live mode', async () => {
  // Its own server: the lists below must hold exactly these endpoints,
  // whatever the other tests of this file made before.
  const fresh = await startHookline();
  try {
    const stripe = stripeClient(fresh);
    const live = stripeClient(fresh, { live: true });
    const made = {};
    for (const [client, mode] of [[stripe, 'test'], [live, 'live']]) {
      for (const connect of [false, true]) {
        const endpoint = await client.webhookEndpoints.create({
          url: `https://example.com/${mode}/${connect ? 'connect' : 'account'}`,
          enabled_events: ['payment_intent.succeeded', 'account.updated'],
          connect,
          description: `${mode} ${connect ? 'Connect' : 'account'} endpoint`,
          metadata: { owner: 'payments' },
        });
        assert.match(endpoint.id, /^we_/);
        assert.equal(endpoint.object, 'webhook_endpoint');
        assert.equal(endpoint.livemode, mode === 'live');
        assert.equal(endpoint.status, 'enabled');
        assert.match(endpoint.secret, /^whsec_/);
        assert.deepEqual(endpoint.enabled_events, ['payment_intent.succeeded', 'account.updated']);
        assert.deepEqual(endpoint.metadata, { owner: 'payments' });
        if (connect) assert.match(endpoint.application, /^ca_/);
        else assert.equal(endpoint.application, null);
        made[`${mode}/${connect}`] = endpoint;
      }
    }
    // Each mode lists its own; the secret is never shown again.
    const testList = await stripe.webhookEndpoints.list();
    assert.deepEqual(testList.data.map((e) => e.id).sort(),
      [made['test/false'].id, made['test/true'].id].sort());
    assert.ok(testList.data.every((e) => e.secret === undefined));
    const liveList = await live.webhookEndpoints.list();
    assert.deepEqual(liveList.data.map((e) => e.id).sort(),
      [made['live/false'].id, made['live/true'].id].sort());
    await assert.rejects(stripe.webhookEndpoints.retrieve(made['live/false'].id), (e) => {
      assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(e.statusCode, 404);
      assert.equal(e.message, `No such webhook endpoint: '${made['live/false'].id}'`);
      return true;
    });
    const fetched = await live.webhookEndpoints.retrieve(made['live/true'].id);
    assert.equal(fetched.secret, undefined);
    assert.equal(fetched.url, 'https://example.com/live/connect');
  } finally {
    await fresh.stop();
  }
});

test('a connected account has its own endpoints, not Connect ones', async () => {
  const account = await stripe.accounts.create({ type: 'custom' });
  const asAccount = { stripeAccount: account.id };
  const own = await stripe.webhookEndpoints.create({ url: 'https://example.com/own',
    enabled_events: ['*'] }, asAccount);
  assert.deepEqual((await stripe.webhookEndpoints.list({}, asAccount)).data.map((e) => e.id), [own.id]);
  await assert.rejects(stripe.webhookEndpoints.retrieve(own.id), Stripe.errors.StripeInvalidRequestError);
  await assert.rejects(stripe.webhookEndpoints.create({ url: 'https://example.com/c',
    enabled_events: ['*'], connect: true }, asAccount), Stripe.errors.StripePermissionError);
});

test('update, disable and delete', async () => {
  const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/a',
    enabled_events: ['*'], metadata: { a: '1', b: '2' } });
  const updated = await stripe.webhookEndpoints.update(endpoint.id, {
    url: 'https://example.com/b', enabled_events: ['charge.failed'], metadata: { a: '' },
    description: 'changed' });
  assert.equal(updated.url, 'https://example.com/b');
  assert.deepEqual(updated.enabled_events, ['charge.failed']);
  assert.deepEqual(updated.metadata, { b: '2' });
  assert.equal(updated.description, 'changed');
  assert.equal(updated.secret, undefined);
  assert.equal((await stripe.webhookEndpoints.update(endpoint.id, { disabled: true })).status, 'disabled');
  assert.equal((await stripe.webhookEndpoints.update(endpoint.id, { disabled: false })).status, 'enabled');
  const deleted = await stripe.webhookEndpoints.del(endpoint.id);
  assert.deepEqual(JSON.parse(JSON.stringify(deleted)),
    { id: endpoint.id, object: 'webhook_endpoint', deleted: true });
  await assert.rejects(stripe.webhookEndpoints.del(endpoint.id), Stripe.errors.StripeInvalidRequestError);
});

test('validation errors name the parameter', async () => {
  await assert.rejects(stripe.webhookEndpoints.create({ url: 'ftp://example.com', enabled_events: ['*'] }),
    (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.param === 'url');
  await assert.rejects(stripe.webhookEndpoints.create({ url: 'https://example.com',
    enabled_events: ['charge.succeeded', 'payment_intent.succeded'] }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.param, 'enabled_events[1]');
    assert.match(e.message, /Did you mean payment_intent\.succeeded/);
    return true;
  });
  await assert.rejects(stripe.webhookEndpoints.create({ enabled_events: ['*'] }),
    (e) => e.param === 'url' && e.code === 'parameter_missing');
  await assert.rejects(stripe.webhookEndpoints.list({ limit: 0 }), (e) => e.param === 'limit');
  await assert.rejects(stripe.webhookEndpoints.list({ starting_after: 'we_missing' }),
    (e) => e.statusCode === 404 && e.param === 'starting_after');
});

test('lists paginate with the SDK, newest first', async () => {
  const fresh = await startHookline();
  try {
    const client = stripeClient(fresh);
    const made = [];
    for (let i = 0; i < 27; i++) {
      made.push((await client.webhookEndpoints.create({ url: `https://example.com/${i}`,
        enabled_events: ['*'] })).id);
    }
    const ids = [];
    for await (const endpoint of client.webhookEndpoints.list({ limit: 4 })) ids.push(endpoint.id);
    assert.equal(ids.length, 27);
    assert.deepEqual(new Set(ids), new Set(made));
  } finally {
    await fresh.stop();
  }
});

test('roll_secret returns a new secret once', async () => {
  const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/r',
    enabled_events: ['*'] });
  const rolled = await stripe.rawRequest('POST', `/v1/webhook_endpoints/${endpoint.id}/roll_secret`,
    { expires_in: 600 });
  assert.equal(rolled.id, endpoint.id);
  assert.match(rolled.secret, /^whsec_/);
  assert.notEqual(rolled.secret, endpoint.secret);
  await assert.rejects(stripe.rawRequest('POST', `/v1/webhook_endpoints/${endpoint.id}/roll_secret`,
    { expires_in: 100000 }), (e) => e.param === 'expires_in');
});

test('unknown URLs and methods get Stripe\'s answer', async () => {
  await assert.rejects(stripe.rawRequest('GET', '/v1/frobnicators'), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.statusCode, 404);
    assert.match(e.message, /^Unrecognized request URL \(GET: \/v1\/frobnicators\)\./);
    return true;
  });
  await assert.rejects(stripe.rawRequest('DELETE', '/v1/events'),
    (e) => /Unrecognized request URL \(DELETE: \/v1\/events\)/.test(e.message));
});
