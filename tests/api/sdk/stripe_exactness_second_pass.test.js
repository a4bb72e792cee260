// Issue 12, the remaining items, over HTTP against the real server with
// stripe-node and with plain form requests as the Stripe CLI and other
// clients send them.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, TEST_KEY, startHookline, stripeClient, publishJson } =
  require('./support/hookline');

let server;

before(async () => {
  server = await startHookline();
});
after(() => server?.stop());

async function form(target, method, path, params = {}, headers = {}) {
  const response = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TEST_KEY}`,
      'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'GET' ? undefined : new URLSearchParams(params).toString(),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

test('item 4: accounts.list({created}) filters as events.list does', async () => {
  const stripe = stripeClient(server);
  const account = await stripe.accounts.create({ type: 'custom' });
  const ids = async (params) => (await stripe.accounts.list(params)).data.map((a) => a.id);
  assert.ok((await ids({ created: { gte: account.created } })).includes(account.id));
  assert.ok((await ids({ created: { lte: account.created, gt: account.created - 60 } })).includes(account.id));
  assert.ok((await ids({ created: account.created })).includes(account.id));
  assert.deepEqual(await ids({ created: { gt: account.created + 3600 } }), []);
});

test('item 4: documented account parameters are kept or refused by name', async () => {
  const stripe = stripeClient(server);
  const grouped = await stripe.accounts.create({ type: 'custom', groups: { payments_pricing: 'tier_1' } });
  assert.deepEqual(grouped.groups, { payments_pricing: 'tier_1' });
  await assert.rejects(stripe.accounts.create({ type: 'custom', external_account: 'btok_us' }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.param, 'external_account');
    assert.match(e.message, /^`external_account` is not supported by hookline/);
    return true;
  });
});

test('item 4: events resend --account, as the Stripe CLI sends it', async () => {
  const stripe = stripeClient(server);
  const account = await stripe.accounts.create({ type: 'custom' });
  const connect = await stripe.webhookEndpoints.create({ url: 'https://example.com/c',
    enabled_events: ['*'], connect: true });
  const event = await publishJson(server, { type: 'payment_intent.succeeded',
    object: { id: 'pi_1', object: 'payment_intent' }, stripeAccount: account.id });
  const resent = await form(server, 'POST', `/v1/events/${event.id}/retry`,
    { account: account.id, webhook_endpoint: connect.id });
  assert.equal(resent.status, 200, JSON.stringify(resent.body));
  assert.equal(resent.body.id, event.id);
  const missing = await form(server, 'POST', `/v1/events/${event.id}/retry`,
    { account: 'acct_nobody', webhook_endpoint: connect.id });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.param, 'account');
  // for_stripecli=true without a listen session running: said so, by name.
  const noSession = await form(server, 'POST', `/v1/events/${event.id}/retry`,
    { account: account.id, for_stripecli: 'true' });
  assert.equal(noSession.status, 400);
  assert.equal(noSession.body.error.param, 'for_stripecli');
});

test('item 5: account values come back with Stripe\'s types through stripe-node', async () => {
  const stripe = stripeClient(server);
  const account = await stripe.accounts.create({ type: 'custom',
    tos_acceptance: { date: 1700000000, ip: '8.8.8.8' },
    business_profile: { annual_revenue: { amount: 1000, currency: 'usd', fiscal_year_end: '2025-12-31' },
      support_address: { city: 'Paris' } },
    individual: { dob: { day: 1, month: 2, year: 1990 } },
    settings: { card_payments: { decline_on: { cvc_failure: true } } } });
  assert.equal(account.tos_acceptance.date, 1700000000);
  assert.equal(account.business_profile.annual_revenue.amount, 1000);
  assert.deepEqual(account.individual.dob, { day: 1, month: 2, year: 1990 });
  assert.equal(account.settings.card_payments.decline_on.cvc_failure, true);
  assert.equal(account.business_profile.support_address.city, 'Paris');
  assert.equal(account.business_profile.support_address.line1, null);
  assert.deepEqual(account.future_requirements, account.requirements);
});

test('item 7: doc_url, no request_log_url, Stripe\'s 401', async () => {
  const missing = await form(server, 'GET', '/v1/webhook_endpoints/we_missing');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.doc_url, 'https://docs.stripe.com/error-codes/resource-missing');
  assert.equal(missing.body.error.request_log_url, undefined);
  const key = 'sk_test_51NotThisServersKey00000000000000abcd';
  const wrong = await form(server, 'GET', '/v1/events', {}, { Authorization: `Bearer ${key}` });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.type, 'invalid_request_error');
  assert.equal(wrong.body.error.message,
    `Invalid API Key provided: sk_test_${'*'.repeat(key.length - 12)}abcd`);
  const stripe = new Stripe(key, { host: '127.0.0.1', port: server.port, protocol: 'http' });
  await assert.rejects(stripe.events.list(), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeAuthenticationError);
    return true;
  });
  const both = await form(server, 'GET', '/v1/events?starting_after=evt_1&ending_before=evt_2');
  assert.equal(both.body.error.message,
    'Received both starting_after and ending_before parameters. Please pass in only one.');
});

test('item 8: Idempotency-Key echoed, Original-Request on replays, Stripe-Should-Retry', async () => {
  const params = { url: 'https://example.com/idem', 'enabled_events[]': '*' };
  const first = await form(server, 'POST', '/v1/webhook_endpoints', params, { 'Idempotency-Key': 'k-12' });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('idempotency-key'), 'k-12');
  assert.equal(first.headers.get('original-request'), null);
  const replay = await form(server, 'POST', '/v1/webhook_endpoints', params, { 'Idempotency-Key': 'k-12' });
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.equal(replay.headers.get('original-request'), first.headers.get('request-id'));
  assert.notEqual(replay.headers.get('request-id'), first.headers.get('request-id'));
  assert.match(replay.headers.get('request-id'), /^req_[0-9A-Za-z]{14}$/);
  const invalid = await form(server, 'POST', '/v1/webhook_endpoints', { url: 'nope' });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.headers.get('stripe-should-retry'), 'false');
});

test('item 8: serve --rate-limit answers 429 rate_limit, and stripe-node retries until it passes', async () => {
  const limited = await startHookline({ flags: ['--rate-limit', '2'] });
  try {
    const burst = await Promise.all(Array.from({ length: 6 }, () => form(limited, 'GET', '/v1/events')));
    const refused = burst.filter((r) => r.status === 429);
    assert.ok(refused.length > 0, 'some of a burst of 6 are refused at 2/s');
    assert.equal(refused[0].body.error.type, 'invalid_request_error');
    assert.equal(refused[0].body.error.code, 'rate_limit');
    assert.equal(refused[0].headers.get('stripe-should-retry'), 'true');

    const stripe = stripeClient(limited, { maxNetworkRetries: 8 });
    const lists = await Promise.all(Array.from({ length: 5 }, () => stripe.events.list()));
    assert.equal(lists.length, 5);
    for (const list of lists) assert.equal(list.object, 'list');
  } finally {
    limited.stop();
  }
});

test('item 9: ids have Stripe\'s lengths', async () => {
  const stripe = stripeClient(server);
  const account = await stripe.accounts.create({ type: 'custom' });
  assert.match(account.id, /^acct_[0-9A-Za-z]{16}$/);
  const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/len',
    enabled_events: ['*'], connect: true });
  assert.match(endpoint.id, /^we_[0-9A-Za-z]{24}$/);
  assert.match(endpoint.secret, /^whsec_[0-9A-Za-z]{32}$/);
  assert.match(endpoint.application, /^ca_[0-9A-Za-z]{32}$/);
  const event = await publishJson(server, { type: 'invoice.paid', object: { id: 'in_1' } });
  assert.match(event.id, /^evt_[0-9A-Za-z]{24}$/);
});
