// stripe.oauth.deauthorize: the platform's Connect endpoints get
// account.application.deauthorized; then the account is cut off.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, startHookline, stripeClient, waitFor } = require('./support/hookline');
const { Receiver } = require('./support/receiver');

let server;
let receiver;
let stripe;

before(async () => {
  server = await startHookline();
  receiver = await new Receiver().start();
  stripe = stripeClient(server);
});
after(async () => {
  await server?.stop();
  await receiver?.stop();
});

test('deauthorizing a Standard account', async () => {
  const connect = await stripe.webhookEndpoints.create({ url: receiver.url('connect'),
    enabled_events: ['*'], connect: true });
  receiver.setSecret('connect', connect.secret);
  const account = (await stripe.accounts.create({ type: 'standard' })).id;
  const own = await stripe.webhookEndpoints.create({ url: receiver.url('own'), enabled_events: ['*'] },
    { stripeAccount: account });
  receiver.setSecret('own', own.secret);

  const answer = await stripe.oauth.deauthorize({ client_id: connect.application,
    stripe_user_id: account });
  assert.equal(answer.stripe_user_id, account);

  await waitFor(() => receiver.eventIdsOf('connect').length === 1, 'the deauthorization event');
  const [delivery] = receiver.deliveries.filter((d) => d.name === 'connect');
  assert.equal(delivery.event.type, 'account.application.deauthorized');
  assert.equal(delivery.event.account, account);
  assert.equal(delivery.event.data.object.object, 'application');
  assert.equal(delivery.event.data.object.id, connect.application);
  // Routed to that one endpoint only (the count at creation), not the account's own.
  assert.equal(delivery.event.pending_webhooks, 1);

  // The account is cut off: calls made as it, or about it, are refused.
  await assert.rejects(stripe.accounts.retrieve(account), Stripe.errors.StripePermissionError);
  await assert.rejects(stripe.events.list({}, { stripeAccount: account }),
    Stripe.errors.StripePermissionError);
  await assert.rejects(stripe.rawRequest('POST', '/v1/events',
    { type: 'customer.created', data: { object: { id: 'cus_after' } } }, { stripeAccount: account }),
  Stripe.errors.StripePermissionError);
  await assert.rejects(stripe.accounts.update(account, { email: 'x@example.com' }),
    Stripe.errors.StripePermissionError);
  assert.ok(!(await stripe.accounts.list({ limit: 100 })).data.some((a) => a.id === account));
  assert.deepEqual(receiver.eventIdsOf('own'), []);
  // Once is enough.
  await assert.rejects(stripe.oauth.deauthorize({ stripe_user_id: account }),
    Stripe.errors.StripeInvalidClientError);
});

test('OAuth errors', async () => {
  const custom = (await stripe.accounts.create({ type: 'custom' })).id;
  await assert.rejects(stripe.oauth.deauthorize({ stripe_user_id: custom }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeOAuthInvalidRequestError);
    return true;
  });
  const standard = (await stripe.accounts.create({ type: 'standard' })).id;
  await assert.rejects(stripe.oauth.deauthorize({ client_id: 'ca_someoneelse', stripe_user_id: standard }),
    (e) => {
      assert.ok(e instanceof Stripe.errors.StripeInvalidClientError);
      assert.match(e.message, /No such application/);
      return true;
    });
  await assert.rejects(stripe.oauth.deauthorize({ stripe_user_id: 'acct_nope' }),
    Stripe.errors.StripeInvalidClientError);
  // Still connected after the failed attempts.
  assert.equal((await stripe.accounts.retrieve(standard)).id, standard);
});
