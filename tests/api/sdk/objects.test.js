// Objects carried by events, retrieved through stripe-node: only with the
// Stripe-Account they belong to, as Stripe answers.
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

test('a payment intent is there only for its account', async () => {
  const a = (await stripe.accounts.create({ type: 'custom' })).id;
  const b = (await stripe.accounts.create({ type: 'custom' })).id;
  await publishJson(server, { type: 'payment_intent.created', stripeAccount: a,
    object: { id: 'pi_123', object: 'payment_intent', amount: 2000, status: 'processing' } });
  await publishJson(server, { type: 'payment_intent.succeeded', stripeAccount: a,
    object: { id: 'pi_123', object: 'payment_intent', amount: 2000, status: 'succeeded' } });

  const intent = await stripe.paymentIntents.retrieve('pi_123', {}, { stripeAccount: a });
  assert.equal(intent.amount, 2000);
  assert.equal(intent.status, 'succeeded');  // the latest state

  for (const options of [{}, { stripeAccount: b }]) {
    await assert.rejects(stripe.paymentIntents.retrieve('pi_123', {}, options), (e) => {
      assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(e.statusCode, 404);
      assert.equal(e.code, 'resource_missing');
      assert.equal(e.message, "No such payment_intent: 'pi_123'");
      return true;
    });
  }
  await assert.rejects(stripe.customers.retrieve('pi_123', {}, { stripeAccount: a }),
    (e) => e.message === "No such customer: 'pi_123'");
});

test('the platform\'s own objects, and persons under their account', async () => {
  await publishJson(server, { type: 'customer.created',
    object: { id: 'cus_platform', object: 'customer', email: 'jenny@example.com' } });
  assert.equal((await stripe.customers.retrieve('cus_platform')).email, 'jenny@example.com');
  const live = stripeClient(server, { live: true });
  await assert.rejects(live.customers.retrieve('cus_platform'), (e) => e.statusCode === 404);

  const account = (await stripe.accounts.create({ type: 'custom' })).id;
  await publishJson(server, { type: 'person.updated', stripeAccount: account,
    object: { id: 'person_1', object: 'person', account, first_name: 'Jenny' } });
  const person = await stripe.accounts.retrievePerson(account, 'person_1');
  assert.equal(person.first_name, 'Jenny');
  const other = (await stripe.accounts.create({ type: 'custom' })).id;
  await assert.rejects(stripe.accounts.retrievePerson(other, 'person_1'),
    (e) => e.statusCode === 404);
});
