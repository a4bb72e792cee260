// Connected accounts through stripe-node: each type, in test and live mode,
// account.updated, lists, deletion, and the errors only the platform avoids.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, startHookline, stripeClient } = require('./support/hookline');

// The object as JSON (without the SDK's lastResponse).
const plain = (object) => JSON.parse(JSON.stringify(object));

let server;
let stripe;
let live;

before(async () => {
  server = await startHookline();
  stripe = stripeClient(server);
  live = stripeClient(server, { live: true });
});
after(() => server?.stop());

test('creates a connected account of each type', async () => {
  for (const type of ['standard', 'express', 'custom']) {
    const account = await stripe.accounts.create({ type, email: `${type}@example.com` });
    assert.match(account.id, /^acct_/);
    assert.equal(account.object, 'account');
    assert.equal(account.type, type);
    assert.equal(account.email, `${type}@example.com`);
    assert.equal(account.country, 'US');
    assert.equal(account.charges_enabled, false);
    assert.equal(account.external_accounts.object, 'list');
    const fetched = await stripe.accounts.retrieve(account.id);
    assert.deepEqual(plain(fetched), plain(account));
  }
});

test('controller settings decide the type, as on Stripe', async () => {
  const custom = await stripe.accounts.create({ controller: { stripe_dashboard: { type: 'none' },
    requirement_collection: 'application', fees: { payer: 'application' },
    losses: { payments: 'application' } } });
  assert.equal(custom.type, 'custom');
  const express = await stripe.accounts.create({ controller: { stripe_dashboard: { type: 'express' } } });
  assert.equal(express.type, 'express');
  const controlled = await stripe.accounts.create({
    controller: { requirement_collection: 'application', fees: { payer: 'application' } } });
  assert.equal(controlled.type, 'standard');
  assert.equal(controlled.controller.type, 'application');
  assert.equal(controlled.controller.is_controller, true);
  // Issue 12 item 10: `type` (deprecated) and `controller` together are refused, as on Stripe.
  await assert.rejects(stripe.accounts.create({ type: 'standard',
    controller: { requirement_collection: 'application' } }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.param, 'type');
    return true;
  });
});

test('accounts live in the mode of the key that made them', async () => {
  const testOnly = await stripe.accounts.create({ type: 'custom' });
  const liveAccount = await live.accounts.create({ type: 'express' });
  assert.equal((await live.accounts.retrieve(liveAccount.id)).id, liveAccount.id);
  // The test key reaches accounts connected in live mode, as on Stripe.
  assert.equal((await stripe.accounts.retrieve(liveAccount.id)).id, liveAccount.id);
  await assert.rejects(live.accounts.retrieve(testOnly.id), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, 'resource_missing');
    assert.equal(e.message, `No such account: '${testOnly.id}'`);
    return true;
  });
  const liveIds = (await live.accounts.list({ limit: 100 })).data.map((a) => a.id);
  assert.ok(liveIds.includes(liveAccount.id));
  assert.ok(!liveIds.includes(testOnly.id));
});

test('update sends account.updated with previous_attributes', async () => {
  const account = await stripe.accounts.create({ type: 'custom', email: 'old@example.com',
    metadata: { plan: 'basic' } });
  const updated = await stripe.accounts.update(account.id, { email: 'new@example.com',
    metadata: { plan: 'pro', seats: '3' }, business_profile: { name: 'Rocket Rides' } });
  assert.equal(updated.email, 'new@example.com');
  assert.deepEqual(updated.metadata, { plan: 'pro', seats: '3' });
  assert.equal(updated.business_profile.name, 'Rocket Rides');
  const events = await stripe.events.list({ type: 'account.updated' }, { stripeAccount: account.id });
  assert.equal(events.data.length, 1);
  const event = events.data[0];
  assert.equal(event.account, account.id);
  assert.equal(event.data.object.email, 'new@example.com');
  assert.deepEqual(event.data.previous_attributes, {
    business_profile: { name: null }, email: 'old@example.com', metadata: { plan: 'basic', seats: null },
  });
  assert.match(event.request.id, /^req_/);
});

test('lists auto-paginate, newest first', async () => {
  const fresh = await startHookline();
  try {
    const client = stripeClient(fresh);
    const made = [];
    for (let i = 0; i < 23; i++) made.push((await client.accounts.create({ type: 'custom' })).id);
    const seen = await client.accounts.list({ limit: 5 }).autoPagingToArray({ limit: 100 });
    assert.equal(seen.length, 23);
    assert.deepEqual(new Set(seen.map((a) => a.id)), new Set(made));
    const first = await client.accounts.list({ limit: 3 });
    assert.equal(first.has_more, true);
    assert.equal(first.url, '/v1/accounts');
  } finally {
    await fresh.stop();
  }
});

test('delete answers the deleted object', async () => {
  const account = await stripe.accounts.create({ type: 'custom' });
  const deleted = await stripe.accounts.del(account.id);
  assert.equal(deleted.id, account.id);
  assert.equal(deleted.object, 'account');
  assert.equal(deleted.deleted, true);
  await assert.rejects(stripe.accounts.retrieve(account.id), Stripe.errors.StripeInvalidRequestError);
});

test('only the platform manages connected accounts', async () => {
  const account = await stripe.accounts.create({ type: 'custom' });
  const other = await stripe.accounts.create({ type: 'custom' });
  const asAccount = { stripeAccount: account.id };
  await assert.rejects(stripe.accounts.create({ type: 'custom' }, asAccount),
    Stripe.errors.StripePermissionError);
  await assert.rejects(stripe.accounts.list({}, asAccount), Stripe.errors.StripePermissionError);
  await assert.rejects(stripe.accounts.retrieve(other.id, {}, asAccount),
    Stripe.errors.StripePermissionError);
  await assert.rejects(stripe.accounts.del(other.id, {}, asAccount),
    Stripe.errors.StripePermissionError);
  // Its own account it may see.
  assert.equal((await stripe.accounts.retrieve(account.id, {}, asAccount)).id, account.id);
  assert.equal((await stripe.accounts.retrieveCurrent({}, asAccount)).id, account.id);
  // A Stripe-Account that is not connected to the platform.
  await assert.rejects(stripe.accounts.retrieveCurrent({}, { stripeAccount: 'acct_nope' }),
    Stripe.errors.StripePermissionError);
});

test('bad input is a StripeInvalidRequestError naming the parameter', async () => {
  await assert.rejects(stripe.accounts.create({ type: 'premium' }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.statusCode, 400);
    assert.equal(e.param, 'type');
    return true;
  });
  await assert.rejects(stripe.accounts.create({ type: 'custom', nickname: 'x' }), (e) => {
    assert.equal(e.param, 'nickname');
    assert.equal(e.message, 'Received unknown parameter: nickname');
    assert.equal(e.code, 'parameter_unknown');
    return true;
  });
  await assert.rejects(stripe.accounts.list({ limit: 1000 }), (e) => e.param === 'limit');
});

test('a wrong key is a StripeAuthenticationError', async () => {
  for (const key of ['sk_test_wrong', 'sk_live_wrong']) {
    const wrong = new Stripe(key, { host: '127.0.0.1', port: server.port, protocol: 'http' });
    await assert.rejects(wrong.accounts.list(), (e) => {
      assert.ok(e instanceof Stripe.errors.StripeAuthenticationError);
      assert.equal(e.statusCode, 401);
      return true;
    });
  }
});
