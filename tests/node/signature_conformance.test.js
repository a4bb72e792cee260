'use strict';
// Signature conformance between hookline and the official stripe-node SDK.
//
// A few hundred generated cases, in both directions: bodies signed by hookline
// must verify with stripe.webhooks.constructEvent, headers made by
// stripe.webhooks.generateTestHeaderString must verify with hookline, and the
// negative cases (wrong secret, one changed byte of the body, timestamp past the
// tolerance, header missing / garbage / only v0, two v1 of which one matches…)
// must get the same verdict — and the same reason — from both.
//
// hookline's side runs in one spawn of hookline-sign-tool (all cases batched
// through stdin/stdout as JSON). Deterministic: a seeded generator, a fixed "now".
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');

let Stripe;
try {
  Stripe = require('stripe');
} catch (e) {
  throw new Error(`the stripe npm package is missing: run scripts/install-deps.sh ` +
                  `(npm ci in tests/node). ${e.message}`);
}
const stripe = new Stripe('sk_test_hookline_conformance');  // webhooks need no network

const TOOL = process.env.HOOKLINE_SIGN_TOOL;

// ---------------------------------------------------------------------------
// Deterministic generators.

function mulberry32(seed) {
  return function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(0x5eed2);
const int = (n) => Math.floor(rand() * n);
const pick = (array) => array[int(array.length)];
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const randomString = (n, alphabet = ALNUM) => {
  const chars = Array.from(alphabet);  // code points, not UTF-16 halves
  return Array.from({ length: n }, () => chars[int(chars.length)]).join('');
};
const newSecret = () => 'whsec_' + randomString(32);
const randomHex = () => randomString(64, HEX);

const TYPES = ['payment_intent.succeeded', 'charge.refunded', 'account.updated',
               'account.application.deauthorized', 'customer.subscription.updated',
               'invoice.paid', 'payout.failed', 'person.updated'];
const TEXTS = ['Thé café', 'naïve façade', '日本語のテキスト', 'emoji 🎉🚀', 'line\nbreak',
               'tab\there', 'quote "q"', 'back\\slash', '<b>&amp;</b>', '', 'plain'];

function eventBody() {
  const event = {
    id: 'evt_' + randomString(24),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: 1700000000 + int(100000000),
    data: {
      object: {
        id: 'pi_' + randomString(24),
        object: 'payment_intent',
        amount: int(1000000),
        currency: pick(['usd', 'eur', 'jpy']),
        description: pick(TEXTS),
        metadata: { order: String(int(1e6)), note: pick(TEXTS) },
      },
    },
    livemode: rand() < 0.5,
    pending_webhooks: int(5),
    request: { id: rand() < 0.5 ? null : 'req_' + randomString(14), idempotency_key: null },
    type: pick(TYPES),
  };
  if (rand() < 0.7) event.account = 'acct_' + randomString(16);
  if (rand() < 0.3) event.data.previous_attributes = { description: pick(TEXTS) };
  if (rand() < 0.1) event.data.object.blob = randomString(20000 + int(50000));
  // Formatting and new line styles vary: the signature covers the exact bytes.
  let body = rand() < 0.5 ? JSON.stringify(event) : JSON.stringify(event, null, 2);
  if (rand() < 0.2) body = body.replace(/\n/g, '\r\n');
  if (rand() < 0.2) body += '\n';
  return { body, id: event.id };
}

// One byte of the body changed (an ASCII character, for another one).
function changeOneByte(body) {
  for (;;) {
    const i = int(body.length);
    const c = body.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) continue;
    let d = c;
    while (d === c) d = 0x20 + int(0x5f);
    return body.slice(0, i) + String.fromCharCode(d) + body.slice(i + 1);
  }
}

const stripeHeader = (payload, secret, timestamp, scheme) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp, scheme });
const v1Of = (header) => header.slice(header.indexOf('v1=') + 3);

// ---------------------------------------------------------------------------
// The cases. Each: {group, payload, secret, now, tolerance, header | sign, expect,
// reason (the expected reason of a rejection), compareReason (default true)}.

function buildCases() {
  const cases = [];
  const add = (group, c) => cases.push({ group, tolerance: 300, compareReason: true, ...c });
  const fresh = () => {
    const { body, id } = eventBody();
    const t = 1700000000 + int(100000000);
    return { body, id, t, secret: newSecret() };
  };

  // Positive, hookline signs (one v1 per active secret, optional fake v0).
  for (let i = 0; i < 120; i++) {
    const { body, id, t, secret } = fresh();
    const secrets = pick([[secret], [newSecret(), secret], [secret, newSecret()],
                          [newSecret(), secret, newSecret()]]);
    add('hookline signs, stripe verifies', {
      payload: body, secret, now: t + int(301), eventId: id,
      sign: { timestamp: t, secrets, fake_v0: rand() < 0.5 }, expect: 'accepted',
    });
  }
  // Positive, stripe-node signs.
  for (let i = 0; i < 120; i++) {
    const { body, id, t, secret } = fresh();
    add('stripe signs, hookline verifies', {
      payload: body, secret, now: t + int(301), eventId: id,
      header: stripeHeader(body, secret, t), expect: 'accepted',
    });
  }
  // Either signer, for the negative cases.
  const signedBy = (i, body, secret, t) => (i % 2
    ? { header: stripeHeader(body, secret, t) }
    : { sign: { payload: body, timestamp: t, secrets: [secret], fake_v0: rand() < 0.5 } });

  for (let i = 0; i < 40; i++) {
    const { body, t, secret } = fresh();
    add('wrong secret', {
      payload: body, secret: pick([newSecret(), secret.slice(6), secret + 'x', secret + '\n']),
      now: t, ...signedBy(i, body, secret, t), expect: 'rejected', reason: 'no_match',
    });
  }
  for (let i = 0; i < 40; i++) {
    const { body, t, secret } = fresh();
    add('one changed byte of the body', {
      payload: changeOneByte(body), secret, now: t, ...signedBy(i, body, secret, t),
      expect: 'rejected', reason: 'no_match',
    });
  }
  for (let i = 0; i < 40; i++) {
    const { body, t, secret } = fresh();
    const tolerance = pick([300, 1, 60, 3600]);
    add('timestamp past tolerance', {
      payload: body, secret, tolerance, now: t + tolerance + 1 + int(100000),
      ...signedBy(i, body, secret, t), expect: 'rejected', reason: 'too_old',
    });
  }
  for (let i = 0; i < 40; i++) {
    const { body, id, t, secret } = fresh();
    const kind = i % 4;
    add('timestamp at the tolerance, in the future, or tolerance off', {
      payload: body, secret, eventId: id, ...signedBy(i >> 2, body, secret, t),
      tolerance: kind === 3 ? 0 : 300,
      now: [t + 300, t - 1 - int(100000), t - 86400 * 365, t + 10000000][kind],
      expect: 'accepted',
    });
  }
  for (let i = 0; i < 10; i++) {
    const { body, t, secret } = fresh();
    add('header missing', {
      payload: body, secret, now: t, header: '', expect: 'rejected', reason: 'no_header',
    });
  }
  for (let i = 0; i < 60; i++) {
    const { body, t, secret } = fresh();
    const garbage = [
      () => randomString(1 + int(80), ALNUM + ' ,=.-_:;"\'é🎉\t'),
      () => randomString(1 + int(20)),
      () => Array.from({ length: 1 + int(6) }, () =>
        pick(['t', 'v1', 'v0', 'x', '']) + pick(['=', '', '==']) +
        pick(['', 'abc', String(t), randomHex(), '-1', 'NaN'])).join(','),
      () => `t=${t}` + pick([',v1=zz', ',v1=' + randomHex().toUpperCase(), ',v1=' + randomHex()]),
      () => pick([',', '=', ',,,', 'v1=', 't=', 'Stripe-Signature', 'null', 'undefined']),
    ];
    add('garbage header', {
      // Both reject; the reason can differ (stripe-node's parseInt reads "t=12ab" as 12).
      payload: body, secret, now: t, header: pick(garbage)(), expect: 'rejected',
      compareReason: false,
    });
  }
  for (let i = 0; i < 30; i++) {
    const { body, t, secret } = fresh();
    add('only v0 (a correct HMAC under another scheme)', {
      payload: body, secret, now: t, expect: 'rejected', reason: 'no_v1',
      ...(i % 2 ? { header: stripeHeader(body, secret, t, 'v0') }
                : { sign: { timestamp: t, secrets: [secret], scheme: 'v0' } }),
    });
  }
  for (let i = 0; i < 40; i++) {
    const { body, id, t, secret } = fresh();
    const good = v1Of(stripeHeader(body, secret, t));
    const bad = pick([randomHex(), v1Of(stripeHeader(body, newSecret(), t))]);
    add('two v1, one matches', {
      payload: body, secret, now: t, eventId: id, expect: 'accepted',
      header: i % 2 ? `t=${t},v1=${bad},v1=${good}` : `t=${t},v1=${good},v1=${bad},v0=${randomHex()}`,
    });
  }
  for (let i = 0; i < 20; i++) {
    const { body, t, secret } = fresh();
    add('two v1, none matches', {
      payload: body, secret, now: t, expect: 'rejected', reason: 'no_match',
      header: `t=${t},v1=${randomHex()},v1=${v1Of(stripeHeader(body, newSecret(), t))}`,
    });
  }
  for (let i = 0; i < 20; i++) {
    const { body, id, t, secret } = fresh();
    const sig = v1Of(stripeHeader(body, secret, t));
    add('unusual but valid header layout', {
      payload: body, secret, now: t, eventId: id, expect: 'accepted',
      header: pick([`v1=${sig},t=${t}`, `t=${t},foo=bar,v1=${sig}`, `v0=${randomHex()},t=${t},v1=${sig}`,
                    `t=${t},v1=${sig},`, `,t=${t},,v1=${sig}`, `t=0${t},v1=${sig}`]),
    });
  }
  for (let i = 0; i < 20; i++) {
    const { body, t, secret } = fresh();
    const sig = v1Of(stripeHeader(body, secret, t));
    add('signature present but malformed', {
      payload: body, secret, now: t, expect: 'rejected',
      ...pick([
        { header: `t=${t},v1=`, reason: 'no_match' },         // stripe-node: secureCompare throws
        { header: `t=${t},v1=${sig.toUpperCase()}`, reason: 'no_match' },
        { header: `t=${t},v1=${sig.slice(1)}`, reason: 'no_match' },
        { header: `t=${t},v1= ${sig}`, reason: 'no_match' },
        { header: `t=${t}, v1=${sig}`, reason: 'no_v1' },      // no trimming, either side
        { header: `t=${t},V1=${sig}`, reason: 'no_v1' },
        { header: `v1=${sig}`, reason: 'unparsable' },
      ]),
    });
  }
  for (let i = 0; i < 10; i++) {
    const { body, t } = fresh();
    add('blank secret', {
      payload: body, secret: pick(['', ' ', '\n']), now: t,
      header: stripeHeader(body, newSecret(), t), expect: 'rejected', reason: 'no_secret',
    });
  }
  for (let i = 0; i < 10; i++) {
    const { t, secret } = fresh();
    const body = pick(['not json', '{"id":"evt_1"', '{"a":1}}', '\u00e9']);
    add('authentic body that is not JSON', {
      payload: body, secret, now: t, ...signedBy(i, body, secret, t),
      expect: 'rejected', reason: 'payload',
    });
  }
  for (let i = 0; i < 5; i++) {
    const { body, t, secret } = fresh();
    add('empty body', {
      payload: '', secret, now: t, header: stripeHeader(body, secret, t),
      expect: 'rejected', reason: 'no_payload',
    });
  }
  return cases;
}

// Where hookline is deliberately stricter than stripe-node (which reads the
// header with split('=') and parseInt, and returns any JSON): hookline rejects,
// stripe-node accepts. Listed so that a change on either side shows up.
function buildStricterCases() {
  const cases = [];
  const add = (group, c) => cases.push({ group, tolerance: 300, ...c });
  const t = 1750000000;
  const secret = newSecret();
  const { body } = eventBody();
  const sig = v1Of(stripeHeader(body, secret, t));
  add('duplicated t (stripe-node takes the last)', {
    payload: body, secret, now: t, header: `t=1,t=${t},v1=${sig}`, reason: 'unparsable' });
  add('t with trailing characters (parseInt reads the digits)', {
    payload: body, secret, now: t, header: `t=${t}abc,v1=${sig}`, reason: 'unparsable' });
  add('a v1 value followed by "=…" (split drops the rest)', {
    payload: body, secret, now: t, header: `t=${t},v1=${sig}=x`, reason: 'no_match' });
  for (const json of ['[]', '42', '"evt"', '{}', '{"id":"evt_1"}']) {
    add(`authentic JSON that is not an event: ${json}`, {
      payload: json, secret, now: t, header: stripeHeader(json, secret, t), reason: 'payload' });
  }
  return cases;
}

// ---------------------------------------------------------------------------
// Running both sides.

const REASONS = [
  ['No webhook payload was provided', 'no_payload'],
  ['No stripe-signature header value was provided', 'no_header'],
  ['Unable to extract timestamp and signatures from header', 'unparsable'],
  ['No signatures found with expected scheme', 'no_v1'],
  ['No signatures found matching the expected signature for payload', 'no_match'],
  ['Timestamp outside the tolerance zone', 'too_old'],
  ['No webhook secret value was provided', 'no_secret'],
  // stripe-node compares an empty v1 value by throwing a plain Error.
  ['secureCompare must receive two arguments', 'no_match'],
];
function reasonOf(message) {
  const found = REASONS.find(([prefix]) => message.startsWith(prefix));
  return found ? found[1] : `unknown: ${message.slice(0, 80)}`;
}

function runHookline(cases) {
  assert.ok(TOOL, 'HOOKLINE_SIGN_TOOL is not set (run through ctest)');
  const request = cases.map((c) => {
    const { payload, secret, now, tolerance, header, sign } = c;
    return header !== undefined ? { payload, secret, now, tolerance, header }
                                : { payload, secret, now, tolerance, sign };
  });
  const run = spawnSync(TOOL, [], {
    input: JSON.stringify({ cases: request }), encoding: 'utf8', maxBuffer: 1 << 30,
  });
  assert.equal(run.status, 0, `hookline-sign-tool failed: ${run.error || run.stderr}`);
  const results = JSON.parse(run.stdout);
  assert.equal(results.length, cases.length);
  return results.map((r) => ({
    header: r.header,
    verdict: r.verdict === 'accepted' ? 'accepted' : 'rejected',
    reason: r.verdict === 'accepted' ? undefined
      : r.verdict === 'PayloadError' ? 'payload' : reasonOf(r.message),
    eventId: r.event_id,
    message: r.message,
  }));
}

function runStripe(c, header) {
  try {
    const event = stripe.webhooks.constructEvent(c.payload, header, c.secret, c.tolerance,
                                                 undefined, c.now * 1000);
    return { verdict: 'accepted', eventId: event && event.id };
  } catch (e) {
    const reason = e instanceof SyntaxError ? 'payload' : reasonOf(String(e.message));
    return { verdict: 'rejected', reason, message: e.message };
  }
}

const short = (s) => (s === undefined ? s : JSON.stringify(s.length > 120 ? s.slice(0, 120) + '…' : s));

function describe(c, h, s) {
  return `[${c.group}] payload=${short(c.payload)} secret=${short(c.secret)} now=${c.now} ` +
         `tolerance=${c.tolerance} header=${short(h.header)}\n` +
         `    expected ${c.expect}${c.reason ? ` (${c.reason})` : ''}; ` +
         `hookline: ${h.verdict}${h.reason ? ` (${h.reason})` : ''}; ` +
         `stripe-node: ${s.verdict}${s.reason ? ` (${s.reason})` : ''}`;
}

const cases = buildCases();
const stricter = buildStricterCases();
const hookline = runHookline([...cases, ...stricter]);

test(`hookline and stripe-node agree on ${cases.length} generated cases`, async (t) => {
  const groups = [...new Set(cases.map((c) => c.group))];
  for (const group of groups) {
    await t.test(group, () => {
      const failures = [];
      let n = 0;
      cases.forEach((c, i) => {
        if (c.group !== group) return;
        n++;
        const h = hookline[i];
        const s = runStripe(c, h.header);
        const ok = h.verdict === c.expect && s.verdict === c.expect &&
          (c.expect === 'accepted'
            ? h.eventId === c.eventId && s.eventId === c.eventId
            : !c.compareReason || (h.reason === s.reason && (!c.reason || h.reason === c.reason)));
        if (!ok) failures.push(describe(c, h, s));
      });
      assert.ok(n > 0);
      assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${n} cases disagree`);
    });
  }
});

test('headers signed by hookline have the documented shape', () => {
  cases.forEach((c, i) => {
    if (!c.sign || c.sign.scheme) return;
    const expected = new RegExp(`^t=${c.sign.timestamp}(,v1=[0-9a-f]{64}){${c.sign.secrets.length}}` +
                                `${c.sign.fake_v0 ? ',v0=[0-9a-f]{64}' : ''}$`);
    assert.match(hookline[i].header, expected);
  });
});

test('where hookline is stricter than stripe-node, it rejects what stripe-node accepts', () => {
  const failures = [];
  stricter.forEach((c, j) => {
    const h = hookline[cases.length + j];
    const s = runStripe(c, h.header);
    if (h.verdict !== 'rejected' || h.reason !== c.reason || s.verdict !== 'accepted') {
      failures.push(describe({ ...c, expect: 'hookline rejects, stripe-node accepts' }, h, s));
    }
  });
  assert.deepEqual(failures, []);
});
