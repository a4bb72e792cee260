// Who gets what (DESIGN.md, routing): events of the platform and of connected
// accounts, in test and live mode, to account and Connect endpoints of both
// modes; every delivery verified with stripe-node's constructEvent.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, startHookline, stripeClient, publishJson, waitFor } = require('./support/hookline');
const { Receiver } = require('./support/receiver');

let server;
let receiver;
let stripe;
let live;

before(async () => {
  server = await startHookline();
  receiver = await new Receiver().start();
  stripe = stripeClient(server);
  live = stripeClient(server, { live: true });
});
after(async () => {
  await server?.stop();
  await receiver?.stop();
});

async function endpoint(name, client, params, options = {}) {
  const made = await client.webhookEndpoints.create({ url: receiver.url(name), ...params }, options);
  receiver.setSecret(name, made.secret);
  return made;
}

test('each event reaches exactly the endpoints the routing rules name', async () => {
  const aTest = (await stripe.accounts.create({ type: 'custom' })).id;
  const aLive = (await live.accounts.create({ type: 'custom' })).id;
  const standard = (await stripe.accounts.create({ type: 'standard' })).id;

  await endpoint('platform_test', stripe, { enabled_events: ['*'] });
  await endpoint('platform_live', live, { enabled_events: ['*'] });
  await endpoint('connect_test', stripe, { enabled_events: ['*'], connect: true });
  await endpoint('connect_live', live, { enabled_events: ['*'], connect: true });
  await endpoint('connect_test_pi', stripe, { enabled_events: ['payment_intent.succeeded'],
    connect: true });
  await endpoint('a_test_own', stripe, { enabled_events: ['*'] }, { stripeAccount: aTest });
  await endpoint('a_live_own_live', live, { enabled_events: ['*'] }, { stripeAccount: aLive });
  await endpoint('a_live_own_test', stripe, { enabled_events: ['*'] }, { stripeAccount: aLive });
  await endpoint('standard_own', stripe, { enabled_events: ['*'] }, { stripeAccount: standard });
  const disabled = await endpoint('disabled_connect', stripe, { enabled_events: ['*'], connect: true });
  await stripe.webhookEndpoints.update(disabled.id, { disabled: true });

  const object = (id) => ({ id, object: 'customer', email: 'jenny@example.com', balance: 0 });
  const cases = [
    { name: 'platform test', live: false, type: 'customer.created', expect: ['platform_test'] },
    { name: 'platform live', live: true, type: 'customer.created', expect: ['platform_live'] },
    { name: 'test-connected, test', live: false, account: aTest, type: 'customer.created',
      expect: ['a_test_own', 'connect_test'] },
    { name: 'test-connected, subscribed type', live: false, account: aTest,
      type: 'payment_intent.succeeded', expect: ['a_test_own', 'connect_test', 'connect_test_pi'] },
    { name: 'live-connected, live', live: true, account: aLive, type: 'customer.created',
      expect: ['a_live_own_live', 'connect_live'] },
    // A live Connect endpoint gets the test events of accounts connected in live mode.
    { name: 'live-connected, test', live: false, account: aLive, type: 'customer.created',
      expect: ['a_live_own_test', 'connect_live'] },
    { name: 'custom account person.updated', live: false, account: aTest, type: 'person.updated',
      expect: ['a_test_own', 'connect_test'] },
    { name: 'standard account', live: false, account: standard, type: 'customer.updated',
      expect: ['standard_own', 'connect_test'] },
  ];
  let n = 0;
  for (const c of cases) {
    const params = { type: c.type, data: { object: object(`cus_${n++}`) } };
    // Half through stripe-node (form-encoded), half as JSON.
    c.event = n % 2 === 0
      ? await (c.live ? live : stripe).rawRequest('POST', '/v1/events', params,
        c.account ? { stripeAccount: c.account } : {})
      : await publishJson(server, { type: c.type, object: params.data.object, live: c.live,
        stripeAccount: c.account });
    assert.equal(c.event.livemode, c.live, c.name);
    assert.equal(c.event.account, c.account, c.name);
  }

  // Every routed delivery has succeeded once each event owes nothing more.
  await waitFor(async () => {
    for (const c of cases) {
      const event = await (c.live ? live : stripe).events.retrieve(c.event.id, {},
        c.account ? { stripeAccount: c.account } : {});
      if (event.pending_webhooks !== 0) return false;
    }
    return true;
  }, 'every event delivered');

  assert.deepEqual(receiver.unverified(), []);
  for (const c of cases) {
    const got = receiver.deliveries.filter((d) => d.event.id === c.event.id);
    assert.deepEqual(got.map((d) => d.name).sort(), [...c.expect].sort(), c.name);
    for (const delivery of got) {
      assert.equal(delivery.event.type, c.type);
      assert.equal(delivery.event.livemode, c.live);
      assert.equal(delivery.event.account, c.account, `${c.name}: account field`);
      assert.equal(delivery.event.pending_webhooks, c.expect.length, `${c.name}: pending at creation`);
      assert.equal(delivery.event.data.object.id, c.event.data.object.id);
    }
  }
  assert.deepEqual(receiver.eventIdsOf('disabled_connect'), []);
});

test('events that cannot happen on an account are refused', async () => {
  const standard = (await stripe.accounts.create({ type: 'standard' })).id;
  const testOnly = (await stripe.accounts.create({ type: 'express' })).id;
  // person.updated only happens on accounts the platform controls.
  await assert.rejects(stripe.rawRequest('POST', '/v1/events',
    { type: 'person.updated', data: { object: { id: 'person_1', object: 'person' } } },
    { stripeAccount: standard }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.param, 'type');
    return true;
  });
  // An account connected in test mode only cannot be acted as with the live key.
  await assert.rejects(live.rawRequest('POST', '/v1/events',
    { type: 'customer.created', data: { object: { id: 'cus_1' } } }, { stripeAccount: testOnly }),
  Stripe.errors.StripePermissionError);
  await assert.rejects(stripe.rawRequest('POST', '/v1/events',
    { type: 'customer.craeted', data: { object: { id: 'cus_1' } } }), (e) => {
    assert.equal(e.param, 'type');
    assert.match(e.message, /Did you mean customer\.created/);
    return true;
  });
});
