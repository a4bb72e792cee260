#!/usr/bin/env node
// Issue 11, shared work across nodes, with two real `hookline serve` nodes on
// one PostgreSQL database (HOOKLINE_TEST_DATABASE, as the other postgres node
// suites):
//  1. `hookline listen` connected to node B receives, signed, the events
//     published on node A.
//  2. One Idempotency-Key used concurrently on both nodes runs the request once:
//     every other answer is a 409 idempotency_error or a replay of that one.
// Usage: cluster_nodes_test.js HOOKLINE_BINARY
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const Stripe = require(path.join(__dirname, '../node/node_modules/stripe'));
const { api, startServer, tempDir, waitFor } = require('../engine/hookline_process');

const binary = process.argv[2];
const key = `sk_test_cluster${Date.now()}`;
const stripe = new Stripe('sk_test_unused');

// A receiver that verifies each request with stripe-node's constructEvent.
function startReceiver(secretOf) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      try {
        const event = stripe.webhooks.constructEvent(raw, req.headers['stripe-signature'], secretOf());
        received.push({ id: event.id, verified: true });
        res.writeHead(200).end('ok');
      } catch (e) {
        received.push({ verified: false, error: e.message });
        res.writeHead(400).end('bad signature');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ server, received, port: server.address().port })));
}

// `hookline listen` against `port`; resolves once it printed its secret.
function startListen(port, forwardTo) {
  const child = spawn(binary, ['listen', '--forward-to', forwardTo], {
    env: { ...process.env, HOOKLINE_API_BASE: `http://127.0.0.1:${port}`, HOOKLINE_API_KEY: key },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hookline listen exited (${code}):\n${stderr}`)));
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = stderr.match(/Ready! Your webhook signing secret is (whsec_[A-Za-z0-9]+)/);
      if (m && !child.secret) {
        child.secret = m[1];
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
  });
}

async function publish(port, i) {
  const response = await fetch(`http://127.0.0.1:${port}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'customer.created',
      data: { object: { id: `cus_cluster${i}`, object: 'customer' } } }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.id;
}

async function listenAcrossNodes(nodeA, nodeB) {
  let secret = '';
  const receiver = await startReceiver(() => secret);
  const listen = await startListen(nodeB.port, `localhost:${receiver.port}/webhook`);
  secret = listen.secret;
  try {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await publish(nodeA.port, i));
    await waitFor(() => ids.every((id) => receiver.received.some((r) => r.id === id)), 60_000,
      'the events published on node A to reach the listen session on node B');
    assert.ok(receiver.received.every((r) => r.verified), JSON.stringify(receiver.received));
    console.log(`listen: ${ids.length} events published on node A reached \`hookline listen\` on node B, signed`);
  } finally {
    listen.kill('SIGTERM');
    receiver.server.close();
  }
}

function createAccount(port, idempotencyKey) {
  return new Promise((resolve, reject) => {
    const body = 'type=custom';
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/v1/accounts',
      headers: {
        Authorization: `Bearer ${key}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        'Idempotency-Key': idempotencyKey,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, replayed: res.headers['idempotent-replayed'] === 'true',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function idempotencyAcrossNodes(nodeA, nodeB) {
  let conflicts = 0;
  let replays = 0;
  const before = await api(nodeA.port, key, 'GET', '/v1/accounts?limit=100');
  assert.equal(before.status, 200);
  for (let round = 0; round < 5; round++) {
    const idempotencyKey = `cluster-key-${round}-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      createAccount(i % 2 === 0 ? nodeA.port : nodeB.port, idempotencyKey)));
    const ran = answers.filter((a) => a.status === 200 && !a.replayed);
    assert.equal(ran.length, 1, `the request ran ${ran.length} times: ${JSON.stringify(answers)}`);
    for (const answer of answers) {
      if (answer.status === 409) {
        assert.equal(answer.body.error.type, 'idempotency_error');
        conflicts++;
      } else {
        if (answer.replayed) replays++;
        assert.equal(answer.status, 200, JSON.stringify(answer));
        assert.equal(answer.body.id, ran[0].body.id);
      }
    }
    // Afterwards either node replays the one result.
    for (const node of [nodeA, nodeB]) {
      const replay = await createAccount(node.port, idempotencyKey);
      assert.equal(replay.status, 200);
      assert.ok(replay.replayed);
      assert.equal(replay.body.id, ran[0].body.id);
    }
  }
  const after = await api(nodeB.port, key, 'GET', '/v1/accounts?limit=100');
  assert.equal(after.body.data.length - before.body.data.length, 5, 'one account per key');
  console.log(`idempotency: 5 keys, each used 16 times at once across two nodes, ran once each ` +
    `(${conflicts} answers 409, ${replays} replays)`);
}

async function main() {
  assert.ok(process.env.HOOKLINE_TEST_DATABASE, 'HOOKLINE_TEST_DATABASE is not set (ctest -L postgres sets it)');
  // The same data dir name: both nodes get the same database (test_database.js).
  const dataDir = tempDir('hookline-cluster-');
  const nodeA = await startServer(binary, dataDir, key);
  const nodeB = await startServer(binary, dataDir, key);
  try {
    await listenAcrossNodes(nodeA, nodeB);
    await idempotencyAcrossNodes(nodeA, nodeB);
  } finally {
    await Promise.all([nodeA.stop(), nodeB.stop()]);
  }
  console.log('cluster_nodes_test: OK');
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exit(1);
});
