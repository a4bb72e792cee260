#!/usr/bin/env node
// Issue 11, the per-endpoint ceiling across nodes, with two real `hookline
// serve` nodes on one PostgreSQL database (HOOKLINE_TEST_DATABASE, as the
// other postgres node suites): both nodes take bursts of events for one slow
// endpoint at the same time, each hands the deliveries of what it accepted to
// its own dispatcher, and yet the receiver never has more requests in flight
// at once than --max-concurrent-attempts-per-endpoint; every event arrives.
// Usage: cluster_ceiling_nodes_test.js HOOKLINE_BINARY
'use strict';
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');

const Stripe = require(path.join(__dirname, '../node/node_modules/stripe'));
const { api, startServer, tempDir, waitFor } = require('../engine/hookline_process');

const binary = process.argv[2];
const key = `sk_test_ceiling${Date.now()}`;
const stripe = new Stripe('sk_test_unused');
const ceiling = 2;
const replyDelayMs = 250;
const rounds = 3;
const eventsPerNodePerRound = 12;

// A slow receiver that counts the requests it holds at once (from arrival to
// its answer) and verifies each with stripe-node's constructEvent.
function startReceiver(secretOf) {
  const state = { inFlight: 0, peak: 0, received: new Map(), unverified: 0 };
  const server = http.createServer((req, res) => {
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        state.inFlight--;
        try {
          const event = stripe.webhooks.constructEvent(Buffer.concat(chunks),
            req.headers['stripe-signature'], secretOf());
          state.received.set(event.id, (state.received.get(event.id) || 0) + 1);
          res.writeHead(200).end('ok');
        } catch (e) {
          state.unverified++;
          res.writeHead(400).end(e.message);
        }
      }, replyDelayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ server, state, port: server.address().port })));
}

async function publish(port, n) {
  const response = await api(port, key, 'POST', '/v1/events', {
    type: 'customer.created',
    data: { object: { id: `cus_ceiling${n}`, object: 'customer' } },
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.id;
}

async function main() {
  assert.ok(process.env.HOOKLINE_TEST_DATABASE, 'HOOKLINE_TEST_DATABASE is not set (ctest -L postgres sets it)');
  let secret = '';
  const receiver = await startReceiver(() => secret);
  // The same data dir name: both nodes get the same database (test_database.js).
  const dataDir = tempDir('hookline-ceiling-');
  const flags = ['--max-concurrent-attempts-per-endpoint', String(ceiling), '--timeout', '10',
    '--log-level', 'warn'];
  const nodes = [await startServer(binary, dataDir, key, { flags }),
    await startServer(binary, dataDir, key, { flags })];
  try {
    const endpoint = await api(nodes[0].port, key, 'POST', '/v1/webhook_endpoints', {
      url: `http://127.0.0.1:${receiver.port}/webhook`, enabled_events: ['*'],
    });
    assert.equal(endpoint.status, 200, JSON.stringify(endpoint.body));
    secret = endpoint.body.secret;

    const ids = [];
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      // Both nodes accept a burst at the same moment: each one's group commit
      // would hand the deliveries to its own dispatcher.
      const burst = [];
      for (let i = 0; i < eventsPerNodePerRound; i++) {
        for (const node of nodes) burst.push(publish(node.port, n++));
      }
      ids.push(...await Promise.all(burst));
      await waitFor(() => ids.every((id) => receiver.state.received.has(id)), 120_000,
        `the events of round ${round + 1} to arrive (${receiver.state.received.size} of ${ids.length})`);
    }
    assert.equal(receiver.state.unverified, 0);
    const duplicates = [...receiver.state.received.values()].reduce((sum, c) => sum + c - 1, 0);
    console.log(`${ids.length} events published on two nodes at once, all received ` +
      `(${duplicates} duplicates); at most ${receiver.state.peak} requests in flight at the ` +
      `receiver (ceiling ${ceiling})`);
    assert.ok(receiver.state.peak <= ceiling,
      `the receiver had ${receiver.state.peak} requests in flight at once, over the ceiling of ${ceiling}`);
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    receiver.server.closeAllConnections();
    receiver.server.close();
  }
  console.log('cluster_ceiling_nodes_test: OK');
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exit(1);
});
