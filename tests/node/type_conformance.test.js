// Issue 12: hookline's JSON against stripe-node's own type definitions. For
// Event, WebhookEndpoint, Account and the list object, every field the type
// declares must be in the JSON a real server answers (nested objects: every
// field that is not optional), each with a compatible kind, null only where
// the type allows it. Drift between the two is then caught here, not by a
// typed receiver in production.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { StripeTypes, resourceFile, stripeDir } = require('./stripe_types');
const { startHookline, stripeClient, publishJson, TEST_KEY } =
  require('../api/sdk/support/hookline');

const types = new StripeTypes([resourceFile('Events'), resourceFile('WebhookEndpoints'),
  resourceFile('Accounts'), path.join(stripeDir, 'cjs', 'lib.d.ts')]);

// Optional fields hookline leaves out, and why.
const MAY_BE_ABSENT = {
  EventBase: { context: 'Stripe\'s v2 context: hookline has no v2 API' },
  WebhookEndpoint: { secret: 'returned only when the endpoint is created, as Stripe does' },
  Account: {},
  ApiList: {},
};

// The mismatches between `value` and `shape` at `where`, as messages.
function mismatches(value, shape, where, topLevel, allowedAbsent = {}) {
  const problems = [];
  if (value === null) {
    if (!shape.nullable) problems.push(`${where}: null, but the type does not allow null`);
    return problems;
  }
  const kindOf = Array.isArray(value) ? 'array' : typeof value;
  const expect = (ok, wanted) => {
    if (!ok) problems.push(`${where}: ${JSON.stringify(value)?.slice(0, 60)} is not ${wanted}`);
    return ok;
  };
  switch (shape.kind) {
    case 'string':
      if (expect(kindOf === 'string', 'a string') && shape.values?.length) {
        expect(shape.values.includes(value), `one of ${shape.values.slice(0, 8).join(', ')}…`);
      }
      break;
    case 'number': expect(kindOf === 'number', 'a number'); break;
    case 'boolean': expect(kindOf === 'boolean', 'a boolean'); break;
    case 'map': expect(kindOf === 'object', 'an object'); break;
    case 'array':
      if (expect(kindOf === 'array', 'an array') && shape.items) {
        value.forEach((item, i) => problems.push(...mismatches(item, shape.items, `${where}[${i}]`, false)));
      }
      break;
    case 'list':
      if (expect(kindOf === 'object', 'a list object')) {
        expect(value.object === 'list' && Array.isArray(value.data), 'a list object');
      }
      break;
    case 'object':
      if (!expect(kindOf === 'object', 'an object') || !shape.fields) break;
      for (const [name, field] of Object.entries(shape.fields)) {
        const at = where ? `${where}.${name}` : name;
        if (!(name in value)) {
          const required = topLevel ? !(name in allowedAbsent) : !field.optional;
          if (required) problems.push(`${at}: missing`);
          continue;
        }
        problems.push(...mismatches(value[name], field, at, false));
      }
      break;
    default: break;  // any
  }
  return problems;
}

function check(typeName, json) {
  const shape = types.describe(typeName);
  assert.deepEqual(mismatches(json, shape, '', true, MAY_BE_ABSENT[typeName]), [],
    `${typeName} differs from stripe-node's type`);
}

async function getJson(server, urlPath, stripeAccount) {
  const headers = { Authorization: `Bearer ${TEST_KEY}` };
  if (stripeAccount) headers['Stripe-Account'] = stripeAccount;
  const response = await fetch(`${server.baseUrl}${urlPath}`, { headers });
  assert.equal(response.status, 200, urlPath);
  return response.json();
}

let server;
before(async () => {
  server = await startHookline();
});
after(() => server?.stop());

test('the checker finds a missing field and a wrong kind (it can fail)', () => {
  const shape = types.describe('WebhookEndpoint');
  const endpoint = { id: 'we_1', object: 'webhook_endpoint', api_version: null, application: null,
    created: 1, description: null, enabled_events: ['*'], livemode: false, metadata: {},
    status: 'enabled', url: 'https://e.com', secret: 'whsec_x' };
  assert.deepEqual(mismatches(endpoint, shape, '', true), []);
  const { description, ...withoutDescription } = endpoint;
  assert.equal(description, null);
  assert.deepEqual(mismatches(withoutDescription, shape, '', true), ['description: missing']);
  assert.deepEqual(mismatches({ ...endpoint, livemode: 'false' }, shape, '', true),
    ['livemode: "false" is not a boolean']);
  assert.deepEqual(mismatches({ ...endpoint, url: null }, shape, '', true),
    ['url: null, but the type does not allow null']);
});

test('Event, as retrieved and as listed, matches stripe-node\'s Event', async () => {
  const stripe = stripeClient(server);
  const account = await stripe.accounts.create({ type: 'custom' });
  const event = await publishJson(server, { type: 'invoice.paid',
    object: { id: 'in_1', object: 'invoice', amount_paid: 1000 }, stripeAccount: account.id });
  check('EventBase', await getJson(server, `/v1/events/${event.id}`, account.id));
  const list = await getJson(server, '/v1/events?limit=3', account.id);
  check('ApiList', list);
  for (const item of list.data) check('EventBase', item);
});

test('WebhookEndpoint, created and retrieved, matches stripe-node\'s WebhookEndpoint', async () => {
  const stripe = stripeClient(server);
  const created = await stripe.webhookEndpoints.create({ url: 'https://example.com/t',
    enabled_events: ['*'], connect: true, description: 'typed', metadata: { a: '1' } });
  check('WebhookEndpoint', JSON.parse(JSON.stringify(created)));
  assert.equal(typeof created.secret, 'string');
  check('WebhookEndpoint', await getJson(server, `/v1/webhook_endpoints/${created.id}`));
  check('ApiList', await getJson(server, '/v1/webhook_endpoints'));
});

test('Account matches stripe-node\'s Account', async () => {
  const stripe = stripeClient(server);
  const plain = await stripe.accounts.create({});
  const full = await stripe.accounts.create({ type: 'custom', country: 'FR',
    business_type: 'company', company: { name: 'Rocket Rides' },
    individual: { first_name: 'Jenny', dob: { day: 1, month: 2, year: 1990 } },
    groups: { payments_pricing: 'tier_1' }, tos_acceptance: { date: 1700000000, ip: '8.8.8.8' },
    business_profile: { annual_revenue: { amount: 1000, currency: 'eur', fiscal_year_end: '2025-12-31' },
      support_address: { city: 'Paris' } },
    settings: { card_payments: { decline_on: { cvc_failure: true } } } });
  check('Account', await getJson(server, `/v1/accounts/${full.id}`));
  // An account given none of them has no company, individual or groups, as on Stripe.
  MAY_BE_ABSENT.Account = { company: 'not given', individual: 'not given', groups: 'not given' };
  try {
    check('Account', await getJson(server, `/v1/accounts/${plain.id}`));
  } finally {
    MAY_BE_ABSENT.Account = {};
  }
  const list = await getJson(server, '/v1/accounts');
  check('ApiList', list);
});
