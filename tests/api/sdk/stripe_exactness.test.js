// Issue 12 (Stripe exactness), over HTTP against the real server: what a
// client other than stripe-node sends, and what stripe-node itself sends.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stripe, TEST_KEY, startHookline, stripeClient, publishJson, waitFor } =
  require('./support/hookline');
const { Receiver } = require('./support/receiver');

let server;

before(async () => {
  server = await startHookline();
});
after(() => server?.stop());

// A form-encoded call as any HTTP client makes it; the status and parsed body.
async function form(method, path, params = {}, headers = {}) {
  const body = new URLSearchParams(params).toString();
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TEST_KEY}`,
      'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'GET' ? undefined : body,
  });
  return { status: response.status, body: await response.json() };
}

test('issue 12 item 1: connect=True and disabled=False, as Python clients send them', async () => {
  const made = await form('POST', '/v1/webhook_endpoints',
    { url: 'https://example.com/connect', 'enabled_events[]': '*', connect: 'True' });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  assert.match(made.body.application, /^ca_/);
  const disabled = await form('POST', `/v1/webhook_endpoints/${made.body.id}`, { disabled: 'True' });
  assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
  assert.equal(disabled.body.status, 'disabled');
  const enabled = await form('POST', `/v1/webhook_endpoints/${made.body.id}`, { disabled: 'False' });
  assert.equal(enabled.body.status, 'enabled');
  const refused = await form('POST', '/v1/webhook_endpoints',
    { url: 'https://example.com/x', 'enabled_events[]': '*', connect: 'yes' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.param, 'connect');
  assert.equal(refused.body.error.message, 'Invalid boolean: yes');
});

test('issue 12 item 3: Stripe-Version and api_version must be published versions', async () => {
  // stripe-node sends the version it pins (2026-10-28.endive) on every request.
  const stripe = stripeClient(server);
  const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/basil',
    enabled_events: ['*'], api_version: '2025-03-31.basil' });
  assert.equal(endpoint.api_version, '2025-03-31.basil');
  assert.equal(endpoint.lastResponse.headers['stripe-version'], Stripe.API_VERSION);
  await assert.rejects(stripe.webhookEndpoints.create({ url: 'https://example.com/x',
    enabled_events: ['*'], api_version: '2099-01-01.zzz' }), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.statusCode, 400);
    assert.equal(e.param, 'api_version');
    assert.equal(e.message, 'Invalid Stripe API version: 2099-01-01.zzz');
    return true;
  });
  const pinnedOlder = stripeClient(server, { apiVersion: '2024-06-20' });
  assert.equal((await pinnedOlder.events.list()).lastResponse.headers['stripe-version'], '2024-06-20');
  const unknown = stripeClient(server, { apiVersion: 'foo' });
  await assert.rejects(unknown.events.list(), (e) => {
    assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(e.statusCode, 400);
    assert.equal(e.message, 'Invalid Stripe API version: foo');
    return true;
  });
  const raw = await form('GET', '/v1/events', {}, { 'Stripe-Version': '2099-01-01.zzz' });
  assert.equal(raw.status, 400);
  assert.equal(raw.body.error.message, 'Invalid Stripe API version: 2099-01-01.zzz');
});

test('issue 12 item 11: OAuth calls take the key as client_secret, with or without a header', async () => {
  const stripe = stripeClient(server);
  for (const withHeader of [false, true]) {
    const account = await stripe.accounts.create({ type: 'standard' });
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (withHeader) headers.Authorization = `Bearer ${TEST_KEY}`;
    const response = await fetch(`${server.baseUrl}/oauth/deauthorize`, {
      method: 'POST', headers,
      body: new URLSearchParams({ client_secret: TEST_KEY, stripe_user_id: account.id }).toString(),
    });
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.stripe_user_id, account.id);
  }
});

test('issue 12 item 12: --user-agent sets the deliveries\' User-Agent; the default is unchanged', async () => {
  const stripeLike = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';
  const cases = [
    { flags: [], expected: /^hookline\/\S+ \(\+https:\/\/github\.com\/hookline\)$/ },
    { flags: ['--user-agent', stripeLike], expected: stripeLike },
  ];
  const receiver = await new Receiver().start();
  try {
    for (const [i, c] of cases.entries()) {
      const hookline = await startHookline({ flags: c.flags });
      try {
        const name = `ua${i}`;
        const endpoint = await stripeClient(hookline).webhookEndpoints.create({
          url: receiver.url(name), enabled_events: ['charge.succeeded'] });
        receiver.setSecret(name, endpoint.secret);
        const event = await publishJson(hookline, { type: 'charge.succeeded',
          object: { id: 'ch_1', object: 'charge' } });
        await waitFor(() => receiver.eventIdsOf(name).includes(event.id), `the delivery to ${name}`);
        const delivery = receiver.deliveries.find((d) => d.name === name && d.verified);
        if (typeof c.expected === 'string') assert.equal(delivery.userAgent, c.expected);
        else assert.match(delivery.userAgent, c.expected);
      } finally {
        await hookline.stop();
      }
    }
  } finally {
    await receiver.stop();
  }
});

test('issue 12 item 2: an endpoint pinned to an API version receives events in it', async () => {
  const stripe = stripeClient(server);
  const receiver = await new Receiver().start();
  try {
    const pinned = { none: undefined, basil: '2025-03-31.basil', acacia: '2024-09-30.acacia' };
    for (const [name, version] of Object.entries(pinned)) {
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url(`v-${name}`),
        enabled_events: ['invoice.paid'], ...(version ? { api_version: version } : {}) });
      receiver.setSecret(`v-${name}`, endpoint.secret);
    }
    const event = await publishJson(server, { type: 'invoice.paid',
      object: { id: 'in_1', object: 'invoice', amount_paid: 1000 } });
    for (const [name, version] of Object.entries(pinned)) {
      await waitFor(() => receiver.eventIdsOf(`v-${name}`).includes(event.id), `delivery to ${name}`);
      const delivered = receiver.deliveries.find((d) => d.name === `v-${name}` && d.verified).event;
      assert.equal(delivered.api_version, version ?? Stripe.API_VERSION, name);
      assert.deepEqual(delivered.data, event.data, name);
    }
    // The API keeps the version the event was created with.
    assert.equal((await stripe.events.retrieve(event.id)).api_version, Stripe.API_VERSION);
    assert.deepEqual(receiver.unverified(), []);
  } finally {
    await receiver.stop();
  }
});
