#!/usr/bin/env node
// Issue 10, "secrets never leave where they belong": a realistic session with
// a real `hookline serve` (debug logs captured): connected accounts, endpoints
// of every kind, secrets rolled, events published (form and JSON), delivered,
// failing (5xx, redirect, refused), resent, a `hookline listen` session, and
// errors of every sort (a wrong key that starts with the real one, a key in
// the body, unknown ids, bad parameters). Then every log line of the server
// (stdout and stderr), every API answer (status line, headers, body) and every
// request the receivers got is searched for the platform's secret keys and
// every signing secret, outside the answers that return a secret by design
// (an endpoint's create and roll_secret answer, its idempotent replay).
// Usage: secrets_never_leave_test.js HOOKLINE_BINARY
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const http = require('http');
const { tempDir, waitFor } = require('./hookline_process');

const binary = process.argv[2];
const testKey = 'sk_test_51SecretsNeverLeaveTestKey0123456789abcdef';
const liveKey = 'sk_live_51SecretsNeverLeaveLiveKey0123456789abcdef';

// --- the server, every byte it prints kept
function startServer(dataDir) {
  const child = spawn(binary, ['serve', '--port', '0', '--data-dir', dataDir, '--log-level',
    'debug', '--timeout', '2', '--retry-schedule-test', '1,1', '--retry-schedule-live', '1,1'], {
    env: { ...process.env, HOOKLINE_SECRET_KEY: testKey, HOOKLINE_LIVE_SECRET_KEY: liveKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stderr.on('data', (d) => { output.stderr += d; });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output.stderr}`)));
    child.stdout.on('data', (d) => {
      output.stdout += d;
      const m = output.stdout.match(/hookline listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m && !child.ready) {
        child.ready = true;
        child.removeAllListeners('exit');
        const exited = new Promise((r) => child.once('exit', r));
        resolve({ port: Number(m[1]), output, stop: () => { child.kill('SIGTERM'); return exited; } });
      }
    });
  });
}

// --- every answer recorded, with the secrets it may carry by design
const answers = [];

function request(port, { method, path, key, form, json, headers = {}, mayReturnSecret = false }) {
  let body = '';
  const sent = { ...headers };
  if (key) sent.Authorization = `Bearer ${key}`;
  if (json) {
    body = JSON.stringify(json);
    sent['Content-Type'] = 'application/json';
  } else if (form) {
    body = new URLSearchParams(form).toString();
    sent['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  sent['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: sent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const head = `HTTP ${res.statusCode}\n` +
          Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
        answers.push({ what: `${method} ${path}`, text: `${head}\n\n${text}`, mayReturnSecret });
        let parsed = null;
        try { parsed = JSON.parse(text); } catch (e) { parsed = text; }
        resolve({ status: res.statusCode, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// --- receivers: 200, 500, a redirect, an echo of what they got
const received = [];
function startReceiver() {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n\n${body}`);
      if (req.url.startsWith('/fail')) return res.writeHead(500).end('receiver broke');
      if (req.url.startsWith('/redirect')) {
        return res.writeHead(302, { Location: 'http://127.0.0.1:9/elsewhere' }).end();
      }
      // The echo ends up in attempts' response excerpts, readable through the API.
      res.writeHead(200, { 'Content-Type': 'text/plain' })
        .end(`${JSON.stringify(req.headers)}\n${body}`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function closedPort() {
  return new Promise((resolve) => {
    const probe = http.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function main() {
  const receiver = await startReceiver();
  const rport = receiver.address().port;
  const refused = await closedPort();
  const server = await startServer(tempDir('hookline-secrets-'));
  const port = server.port;
  const secrets = new Set([testKey, liveKey]);
  const call = (options) => request(port, options);
  const ok = (response, what) => {
    assert.ok(response.status >= 200 && response.status < 300,
      `${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  // Connected accounts in each mode.
  const testAccount = ok(await call({ method: 'POST', path: '/v1/accounts', key: testKey,
    form: { type: 'custom', email: 'c@example.com' } }), 'test account');
  const liveAccount = ok(await call({ method: 'POST', path: '/v1/accounts', key: liveKey,
    form: { type: 'standard' } }), 'live account');

  // Endpoints of every kind; the create answer is where a secret belongs.
  const endpoints = [];
  const createEndpoint = async (key, form, extra = {}) => {
    const endpoint = ok(await call({ method: 'POST', path: '/v1/webhook_endpoints', key, form,
      mayReturnSecret: true, ...extra }), `endpoint ${form.url}`);
    assert.match(endpoint.secret, /^whsec_/);
    secrets.add(endpoint.secret);
    endpoints.push(endpoint);
    return endpoint;
  };
  const base = `http://127.0.0.1:${rport}`;
  await createEndpoint(testKey, { url: `${base}/ok`, 'enabled_events[]': '*' });
  await createEndpoint(testKey, { url: `${base}/fail`, 'enabled_events[]': '*', connect: 'true' });
  await createEndpoint(testKey, { url: `${base}/redirect`, 'enabled_events[]': '*' });
  await createEndpoint(testKey, { url: `http://127.0.0.1:${refused}/down`, 'enabled_events[]': '*' });
  await createEndpoint(liveKey, { url: `${base}/ok-live`, 'enabled_events[]': '*', connect: 'true' });
  const idempotent = { url: `${base}/ok-idem`, 'enabled_events[]': 'customer.created' };
  const first = await createEndpoint(testKey, idempotent, { headers: { 'Idempotency-Key': 'idem-1' } });
  // The replay repeats the create answer (by design, it is that answer).
  const replay = ok(await call({ method: 'POST', path: '/v1/webhook_endpoints', key: testKey,
    form: idempotent, headers: { 'Idempotency-Key': 'idem-1' }, mayReturnSecret: true }), 'replay');
  assert.strictEqual(replay.id, first.id);

  // Roll secrets: the new one is returned once; the old one keeps signing a while.
  for (const endpoint of endpoints.slice(0, 2)) {
    const rolled = ok(await call({ method: 'POST', key: testKey, mayReturnSecret: true,
      path: `/v1/webhook_endpoints/${endpoint.id}/roll_secret`, form: { expires_in: '3600' } }), 'roll');
    secrets.add(rolled.secret);
  }

  // A listen session: its secret is printed by `hookline listen`, nowhere else.
  const listen = spawn(binary, ['listen', '--api-base', `http://127.0.0.1:${port}`, '--api-key',
    testKey, '--forward-to', `${base}/listen`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let listenOutput = '';
  listen.stdout.on('data', (d) => { listenOutput += d; });
  listen.stderr.on('data', (d) => { listenOutput += d; });
  await waitFor(() => /whsec_\w+/.test(listenOutput), 20000, 'the listen session');
  secrets.add(listenOutput.match(/whsec_\w+/)[0]);

  // Events, as the platform and as connected accounts, form and JSON.
  const published = [];
  for (let i = 0; i < 4; i++) {
    published.push(ok(await call({ method: 'POST', path: '/v1/events', key: testKey,
      form: { type: 'customer.created', 'data[object][id]': `cus_${i}`,
        'data[object][object]': 'customer' } }), 'publish form'));
  }
  published.push(ok(await call({ method: 'POST', path: '/v1/events', key: testKey,
    headers: { 'Stripe-Account': testAccount.id },
    json: { type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_1', object: 'payment_intent', amount: 2000 } } } }), 'publish json'));
  published.push(ok(await call({ method: 'POST', path: '/v1/events', key: liveKey,
    headers: { 'Stripe-Account': liveAccount.id },
    form: { type: 'account.updated', 'data[object][id]': liveAccount.id,
      'data[object][object]': 'account' } }), 'publish live'));

  // Deliveries happen, fail, are retried; a resend.
  await waitFor(() => received.some((r) => r.startsWith('POST /listen')), 20000, 'listen forwarding');
  await waitFor(() => received.filter((r) => r.startsWith('POST /fail')).length >= 3, 20000,
    'the retries of the failing endpoint');
  ok(await call({ method: 'POST', key: testKey, path: `/v1/events/${published[0].id}/retry`,
    form: { webhook_endpoint: endpoints[0].id } }), 'resend');

  // Everything readable: lists, retrievals, attempts (with response excerpts).
  const reads = ['/v1/webhook_endpoints', '/v1/events?limit=100', '/v1/accounts', '/v1/account',
    `/v1/events/${published[0].id}`, `/v1/events/${published[0].id}/attempts`,
    '/healthz', '/readyz', '/metrics'];
  for (const endpoint of endpoints) {
    reads.push(`/v1/webhook_endpoints/${endpoint.id}`, `/v1/webhook_endpoints/${endpoint.id}/attempts`);
  }
  for (const path of reads) {
    await call({ method: 'GET', path, key: endpoints.find((e) => path.includes(e.id))?.livemode ? liveKey : testKey });
  }
  await call({ method: 'GET', path: '/v1/webhook_endpoints', key: liveKey });
  await call({ method: 'POST', key: testKey, path: `/v1/webhook_endpoints/${endpoints[0].id}`,
    form: { description: 'updated', disabled: 'false' } });

  // Errors: a key (or a near miss of one) the caller sent is masked, a secret
  // sent in a parameter is not repeated. (What a caller puts in an id or a
  // type comes back to that caller in the error, as with Stripe: not searched.)
  await call({ method: 'POST', path: '/v1/webhook_endpoints', key: testKey,
    form: { url: `${base}/x:99999`, 'enabled_events[]': '*' } });
  await call({ method: 'GET', path: '/v1/events', key: `${testKey}x` });
  await call({ method: 'GET', path: '/v1/events', key: testKey.slice(0, -1) });
  await call({ method: 'GET', path: '/v1/events', headers: { Authorization: `Basic ${Buffer.from(`${liveKey}0:`).toString('base64')}` } });
  await call({ method: 'POST', path: '/v1/webhook_endpoints', key: testKey,
    form: { url: `${base}/x`, 'enabled_events[]': '*', secret: [...secrets][2] } });
  await call({ method: 'POST', path: '/oauth/deauthorize',
    form: { client_secret: testKey, stripe_user_id: 'acct_none' } });
  await call({ method: 'POST', path: '/oauth/deauthorize',
    form: { client_secret: `${liveKey}x`, stripe_user_id: liveAccount.id } });
  await call({ method: 'POST', path: '/v1/accounts', key: testKey, form: { type: 'custom', nosuch: liveKey } });
  await call({ method: 'DELETE', path: `/v1/webhook_endpoints/${endpoints[3].id}`, key: testKey });

  listen.kill('SIGTERM');
  await server.stop();
  receiver.close();

  // --- the search
  const leaks = [];
  const search = (where, text) => {
    for (const secret of secrets) {
      // The whole secret, and its random part alone (a log that cut the prefix).
      const random = secret.replace(/^(sk_test_|sk_live_|whsec_)/, '');
      if (text.includes(secret) || text.includes(random)) {
        leaks.push(`${secret.slice(0, 12)}… in ${where}`);
      }
    }
  };
  const lines = `${server.output.stdout}\n${server.output.stderr}`.split('\n');
  lines.forEach((line, i) => search(`server output line ${i + 1}: ${line.slice(0, 160)}`, line));
  let byDesign = 0;
  for (const answer of answers) {
    if (answer.mayReturnSecret) {
      // Returned by design: it may carry its endpoint's secret, never a key.
      byDesign++;
      for (const key of [testKey, liveKey]) {
        if (answer.text.includes(key)) leaks.push(`a key in ${answer.what}`);
      }
      continue;
    }
    search(`the answer to ${answer.what}`, answer.text);
  }
  received.forEach((r, i) => search(`delivered request ${i + 1} (${r.split('\n')[0]})`, r));

  console.log(`searched ${lines.length} lines of server output, ${answers.length} API answers ` +
    `(${byDesign} returning a secret by design), ${received.length} delivered requests ` +
    `for ${secrets.size} secrets`);
  assert.ok(lines.length > 20, 'the server logged (debug) something to search');
  assert.ok(received.length > 10, 'deliveries were made');
  assert.deepStrictEqual(leaks, [], `secrets leaked:\n${leaks.join('\n')}`);
  console.log('no secret left where it belongs');
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
