#!/usr/bin/env node
// Issue 11 item 6a: two `hookline serve` nodes on one PostgreSQL database under
// publishing load; one of them is SIGKILLed at a (seeded) random moment while
// the other keeps taking events. Every event either node acknowledged must
// reach the receiver: the killed node's leased deliveries come due again on
// the survivor when their lease ends (--timeout plus the dispatcher's margin).
// The killed node is restarted for the next round, and the other one is
// killed then. The receiver answers slowly, so that each kill leaves
// deliveries of acknowledged events in flight. Prints acknowledged, received, lost, duplicates; fails on any
// lost or unverified delivery.
// Usage: two_nodes_kill_test.js HOOKLINE_BINARY [ROUNDS]
'use strict';
const assert = require('assert');
const { api, startServer, tempDir, waitFor } = require('./hookline_process');
const { EventReceiver } = require('./event_receiver');
const { PrivatePostgres } = require('../support/private_postgres');

const binary = process.argv[2];
const rounds = Number(process.argv[3] || 2);
const key = 'sk_test_twonodes0123456789abcdef';
const publishersPerNode = 4;
const serveFlags = ['--timeout', '2', '--retry-schedule-test', '1,1,1,1,1,1,1,1,1,1',
  '--log-level', 'warn'];
const seed = Number(process.env.HOOKLINE_TEST_SEED ?? 20261202) >>> 0;

function seededRandom(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Publishes on `node` until it is gone or `stop.now`; 200s join the ledger.
async function publish(node, acknowledged, counter, stop) {
  while (!stop.now) {
    const n = counter.next++;
    let response;
    try {
      response = await api(node.port, key, 'POST', '/v1/events', {
        type: 'customer.created',
        data: { object: { id: `cus_two${n}`, object: 'customer', email: `c${n}@example.com` } },
      });
    } catch (e) {
      return;  // this node is gone
    }
    assert.strictEqual(response.status, 200, JSON.stringify(response.body));
    acknowledged.add(response.body.id);
  }
}

async function main() {
  const postgres = new PrivatePostgres();
  await postgres.start();
  const store = ['--database', postgres.createDatabase('hookline_two_nodes')];
  let secret = '';
  // Slow answers keep attempts in flight, so that the killed node always
  // leaves acknowledged events whose deliveries it held (leased) undelivered.
  const receiver = new EventReceiver(() => secret, { delayMs: 200 });
  const receiverPort = await receiver.listen();
  const start = (port) => startServer(binary, tempDir('hookline-node-'), key,
    { port, store, flags: serveFlags });
  const nodes = [await start(0)];
  nodes.push(await start(0));
  const acknowledged = new Set();
  const random = seededRandom(seed);
  console.log(`seed ${seed}`);
  try {
    const endpoint = await api(nodes[0].port, key, 'POST', '/v1/webhook_endpoints', {
      url: `http://127.0.0.1:${receiverPort}/webhook`, enabled_events: ['*'],
    });
    assert.strictEqual(endpoint.status, 200, JSON.stringify(endpoint.body));
    secret = endpoint.body.secret;

    const counter = { next: 0 };
    for (let round = 1; round <= rounds; round++) {
      const victim = (round - 1) % 2;
      const before = acknowledged.size;
      const stop = { now: false };
      const loops = nodes.flatMap((node) =>
        Array.from({ length: publishersPerNode }, () => publish(node, acknowledged, counter, stop)));
      const killAfterMs = 400 + Math.floor(random() * 1200);
      await new Promise((r) => setTimeout(r, killAfterMs));
      await nodes[victim].kill();
      const owed = [...acknowledged].filter((id) => !receiver.counts.has(id)).length;
      // The survivor keeps taking events for a while.
      await new Promise((r) => setTimeout(r, 1000));
      stop.now = true;
      await Promise.all(loops);
      console.log(`round ${round}: node ${victim + 1} SIGKILLed after ${killAfterMs} ms, ` +
        `${acknowledged.size - before} events acknowledged by the two nodes this round, ` +
        `${owed} acknowledged ones not yet received at the kill`);
      nodes[victim] = await start(nodes[victim].port);
    }
    assert.ok(acknowledged.size > 0, 'no event was acknowledged');
    const waitStart = Date.now();
    // The killed node's leases end after --timeout plus the dispatcher's 60 s margin.
    await waitFor(() => [...acknowledged].every((id) => receiver.counts.has(id)), 240000,
      'every acknowledged event to arrive');
    console.log(`all acknowledged events arrived ${Date.now() - waitStart} ms after the last round`);
  } finally {
    const lost = [...acknowledged].filter((id) => !receiver.counts.has(id));
    const duplicates = [...receiver.counts.values()].reduce((sum, c) => sum + (c - 1), 0);
    console.log(`acknowledged ${acknowledged.size}, received ${receiver.counts.size} distinct, ` +
      `lost ${lost.length}, duplicate deliveries ${duplicates}, unverified ${receiver.unverified}`);
    await Promise.all(nodes.map((node) => node.stop()));
    await receiver.close();
    await postgres.stop();
  }
  assert.strictEqual(receiver.unverified, 0, 'some deliveries did not verify');
}

main().catch((e) => { console.error(e); process.exit(1); });
