#!/usr/bin/env node
// Crash safety: publish events under load, SIGKILL the server at a (seeded)
// random moment, restart it on the same data dir, and check that every event the API
// acknowledged reaches the receiver at least once. Reports duplicates
// (at-least-once allows them) and fails on any lost event.
// Usage: crash_safety_test.js HOOKLINE_BINARY [ROUNDS]
'use strict';
const assert = require('assert');
const { api, startServer, tempDir, waitFor } = require('./hookline_process');
const { EventReceiver } = require('./event_receiver');

const binary = process.argv[2];
const rounds = Number(process.argv[3] || 3);
const key = 'sk_test_crashsafety0123456789abcdef';
const publishers = 8;
// Short attempt timeout: deliveries leased by the killed server come due again
// soon after the restart.
const serveFlags = ['--timeout', '2', '--retry-schedule-test', '1,1,1,1,1,1,1,1,1,1'];
// The kill times come from a seeded generator, so that a failing run can be
// replayed: HOOKLINE_TEST_SEED=<the seed it printed>.
const seed = Number(process.env.HOOKLINE_TEST_SEED ?? 20261201) >>> 0;

// mulberry32: a tiny deterministic generator of floats in [0, 1).
function seededRandom(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function publishUntilDown(port, acknowledged, counter) {
  for (;;) {
    const n = counter.next++;
    let response;
    try {
      response = await api(port, key, 'POST', '/v1/events', {
        type: 'customer.created',
        data: { object: { id: `cus_crash${n}`, object: 'customer', email: `c${n}@example.com` } },
      });
    } catch (e) {
      return;  // the server is gone
    }
    assert.strictEqual(response.status, 200, JSON.stringify(response.body));
    acknowledged.add(response.body.id);
  }
}

async function main() {
  const dataDir = tempDir('hookline-crash-');
  let secret = '';
  const receiver = new EventReceiver(() => secret);
  const receiverPort = await receiver.listen();
  let server = await startServer(binary, dataDir, key, { flags: serveFlags });
  const port = server.port;
  const endpoint = await api(port, key, 'POST', '/v1/webhook_endpoints', {
    url: `http://127.0.0.1:${receiverPort}/webhook`, enabled_events: ['*'],
  });
  assert.strictEqual(endpoint.status, 200, JSON.stringify(endpoint.body));
  secret = endpoint.body.secret;

  const acknowledged = new Set();
  const counter = { next: 0 };
  const random = seededRandom(seed);
  console.log(`seed ${seed}`);
  try {
    for (let round = 1; round <= rounds; round++) {
      const before = acknowledged.size;
      const loops = Array.from({ length: publishers }, () => publishUntilDown(port, acknowledged, counter));
      const killAfterMs = 300 + Math.floor(random() * 1200);
      await new Promise((r) => setTimeout(r, killAfterMs));
      await server.kill();
      await Promise.all(loops);
      console.log(`round ${round}: SIGKILL after ${killAfterMs} ms, ${acknowledged.size - before} events acknowledged this round`);
      server = await startServer(binary, dataDir, key, { port, flags: serveFlags });
    }
    assert.ok(acknowledged.size > 0, 'no event was acknowledged before the kills');
    const waitStart = Date.now();
    await waitFor(() => [...acknowledged].every((id) => receiver.counts.has(id)), 120000,
      'every acknowledged event to arrive');
    console.log(`all acknowledged events arrived ${Date.now() - waitStart} ms after the last restart`);
  } finally {
    const lost = [...acknowledged].filter((id) => !receiver.counts.has(id));
    const duplicates = [...receiver.counts.values()].reduce((sum, c) => sum + (c - 1), 0);
    console.log(`acknowledged ${acknowledged.size}, received ${receiver.counts.size} distinct, ` +
      `lost ${lost.length}, duplicate deliveries ${duplicates}, unverified ${receiver.unverified}`);
    await server.stop();
    await receiver.close();
  }
  assert.strictEqual(receiver.unverified, 0, 'some deliveries did not verify');
}

main().catch((e) => { console.error(e); process.exit(1); });
