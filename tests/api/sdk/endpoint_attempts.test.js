// Issue 14: one endpoint's attempts filtered by event type (exact, or a
// wildcard such as payment_intent.*), paginated within the filter; and
// webhook_stats' day window (read from the hourly rollup of attempts) counting
// what its hour window counts. On SQLite, and on PostgreSQL as
// postgres_api_sdk_endpoint_attempts.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { startHookline, stripeClient, publishJson, waitFor } = require('./support/hookline');
const { Receiver } = require('./support/receiver');

const TYPES = ['payment_intent.succeeded', 'customer.created', 'payment_intent.created',
  'charge.failed', 'payment_intent.succeeded', 'customer.created'];

let server;
let receiver;
let stripe;
let endpoint;
const published = [];

before(async () => {
  server = await startHookline();
  receiver = await new Receiver().start();
  stripe = stripeClient(server);
  endpoint = await stripe.webhookEndpoints.create({ url: receiver.url('all'), enabled_events: ['*'] });
  receiver.setSecret('all', endpoint.secret);
  for (const type of TYPES) {
    published.push(await publishJson(server, { type, object: { id: `obj_${published.length}`, object: 'thing' } }));
  }
  await waitFor(async () => (await attemptsOf({ limit: 100 })).data.length === TYPES.length,
    'every attempt recorded');
});

after(async () => {
  await receiver?.stop();
  await server?.stop();
});

// stripe-node's rawRequest takes GET parameters only in the path.
const get = (path, params) => stripe.rawRequest('GET', `${path}?${new URLSearchParams(params)}`);
const attemptsOf = (params) => get(`/v1/webhook_endpoints/${endpoint.id}/attempts`, params);
const idsOf = (type) => published.filter((e) => type(e.type)).map((e) => e.id).reverse();

test('an exact type and a wildcard filter the attempts, newest first', async () => {
  const intents = await attemptsOf({ type: 'payment_intent.*', limit: 100 });
  assert.deepEqual(intents.data.map((a) => a.event), idsOf((t) => t.startsWith('payment_intent.')));
  assert.equal(intents.url, `/v1/webhook_endpoints/${endpoint.id}/attempts`);
  const customers = await attemptsOf({ type: 'customer.created' });
  assert.deepEqual(customers.data.map((a) => a.event), idsOf((t) => t === 'customer.created'));
  assert.deepEqual((await attemptsOf({ type: 'charge' })).data, []);
  assert.equal((await attemptsOf({ type: '*', limit: 100 })).data.length, TYPES.length);
  assert.equal((await attemptsOf({ limit: 100 })).data.length, TYPES.length);
});

test('pages walk the filtered list', async () => {
  const expected = idsOf((t) => t.startsWith('payment_intent.'));
  const first = await attemptsOf({ type: 'payment_intent.*', limit: 2 });
  assert.equal(first.has_more, true);
  const second = await attemptsOf({ type: 'payment_intent.*', limit: 2, starting_after: first.data[1].id });
  assert.equal(second.has_more, false);
  assert.deepEqual([...first.data, ...second.data].map((a) => a.event), expected);
  const back = await attemptsOf({ type: 'payment_intent.*', limit: 2, ending_before: second.data[0].id });
  assert.deepEqual(back.data.map((a) => a.id), first.data.map((a) => a.id));
});

test('a malformed type is a 400 naming it', async () => {
  for (const type of ['', 'payment_*.created']) {
    await assert.rejects(attemptsOf({ type }), (e) => e.statusCode === 400 && e.param === 'type');
  }
});

test("the day's stats count the attempts the hour's do", async () => {
  const hour = await get('/v1/webhook_stats', { window: 'hour' });
  const day = await get('/v1/webhook_stats', { window: 'day' });
  assert.equal(hour.totals.attempts, TYPES.length);
  assert.equal(day.totals.attempts, TYPES.length);
  assert.equal(day.totals.succeeded, TYPES.length);
  assert.equal(day.buckets.reduce((n, b) => n + b.attempts, 0), TYPES.length);
  assert.equal(day.totals.latency_p95_ms, hour.totals.latency_p95_ms);
  const mine = day.endpoints.find((e) => e.webhook_endpoint === endpoint.id);
  assert.equal(mine.attempts, TYPES.length);
});
