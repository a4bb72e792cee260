#!/usr/bin/env node
// Issue 11 item 6b: PostgreSQL goes away under two `hookline serve` nodes
// that are taking events.
//  1. `pg_ctl restart -m fast` under publishing load: every call is answered
//     200 or a Stripe-shaped 503 (api_error, Stripe-Should-Retry: true) —
//     never a 500, a dropped connection or a crash — and the 503s are counted.
//  2. The database stopped for a while: /readyz says 503 on both nodes, calls
//     answer 503; started again, both nodes become ready and take events
//     without a restart of their own.
// A ledger proves that nothing acknowledged (200) is lost: every such event
// reaches the receiver. Prints the counts (acknowledged, 503s, received,
// lost, duplicates); fails on any lost or unverified delivery.
// Usage: database_restart_test.js HOOKLINE_BINARY
'use strict';
const assert = require('assert');
const http = require('http');
const { api, startServer, tempDir, waitFor } = require('./hookline_process');
const { EventReceiver } = require('./event_receiver');
const { PrivatePostgres } = require('../support/private_postgres');

const binary = process.argv[2];
const key = 'sk_test_dbrestart0123456789abcdef';
const publishersPerNode = 4;
const serveFlags = ['--timeout', '2', '--retry-schedule-test', '1,1,1,1,1,1,1,1,1,1',
  '--log-level', 'error'];

// One publish with its response headers (api() keeps only status and body).
function publishOnce(port, n) {
  const body = new URLSearchParams({
    type: 'customer.created',
    'data[object][id]': `cus_restart${n}`,
    'data[object][object]': 'customer',
  }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/v1/events',
      headers: {
        Authorization: `Bearer ${key}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode, headers: res.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The ledger: 200s are acknowledged; 503s must be Stripe-shaped retryable
// api_errors; anything else fails the test.
class Ledger {
  constructor() {
    this.acknowledged = new Set();
    this.unavailable = 0;
    this.next = 0;
  }

  async publish(port) {
    const response = await publishOnce(port, this.next++);
    if (response.status === 200) {
      this.acknowledged.add(response.body.id);
      return response;
    }
    assert.strictEqual(response.status, 503, JSON.stringify(response.body));
    assert.strictEqual(response.body.error.type, 'api_error', JSON.stringify(response.body));
    assert.strictEqual(response.headers['stripe-should-retry'], 'true');
    this.unavailable++;
    return response;
  }
}

async function publishWhile(port, ledger, stop) {
  while (!stop.now) await ledger.publish(port);
}

async function readyz(port) {
  return (await api(port, key, 'GET', '/readyz')).status;
}

async function main() {
  const postgres = new PrivatePostgres();
  await postgres.start();
  const store = ['--database', postgres.createDatabase('hookline_restart')];
  let secret = '';
  const receiver = new EventReceiver(() => secret);
  const receiverPort = await receiver.listen();
  const nodes = [];
  const ledger = new Ledger();
  try {
    for (let i = 0; i < 2; i++) {
      nodes.push(await startServer(binary, tempDir('hookline-node-'), key, { store, flags: serveFlags }));
    }
    const endpoint = await api(nodes[0].port, key, 'POST', '/v1/webhook_endpoints', {
      url: `http://127.0.0.1:${receiverPort}/webhook`, enabled_events: ['*'],
    });
    assert.strictEqual(endpoint.status, 200, JSON.stringify(endpoint.body));
    secret = endpoint.body.secret;

    // 1. A fast restart under load.
    const stop = { now: false };
    const loops = nodes.flatMap((node) =>
      Array.from({ length: publishersPerNode }, () => publishWhile(node.port, ledger, stop)));
    await new Promise((r) => setTimeout(r, 1000));
    const beforeRestart = { acknowledged: ledger.acknowledged.size, unavailable: ledger.unavailable };
    await postgres.restart();
    const duringRestart = ledger.unavailable - beforeRestart.unavailable;
    // Publishing goes on until each node has acknowledged again after the restart.
    for (const node of nodes) {
      await waitFor(async () => (await ledger.publish(node.port)).status === 200, 60000,
        `node on port ${node.port} to take events again after the restart`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    stop.now = true;
    await Promise.all(loops);
    console.log(`restart -m fast under load: ${beforeRestart.acknowledged} acknowledged before, ` +
      `${ledger.unavailable - beforeRestart.unavailable} answered 503 ` +
      `(${duringRestart} while pg_ctl ran), ${ledger.acknowledged.size} acknowledged in all`);

    // 2. The database away for a while.
    await postgres.pause();
    for (const node of nodes) {
      await waitFor(async () => (await readyz(node.port)) === 503, 30000,
        `/readyz of the node on port ${node.port} to say 503`);
      assert.strictEqual((await ledger.publish(node.port)).status, 503);
    }
    await postgres.resume();
    for (const node of nodes) {
      await waitFor(async () => (await readyz(node.port)) === 200, 60000,
        `/readyz of the node on port ${node.port} to say 200 again`);
      await waitFor(async () => (await ledger.publish(node.port)).status === 200, 60000,
        `node on port ${node.port} to take events again`);
    }
    console.log('database stopped then started: both nodes said 503 on /readyz and the API, ' +
      'then became ready and took events again without a restart');

    assert.ok(ledger.unavailable > 0, 'no call was answered 503 while the database was away');
    const waitStart = Date.now();
    await waitFor(() => [...ledger.acknowledged].every((id) => receiver.counts.has(id)), 240000,
      'every acknowledged event to arrive');
    console.log(`all acknowledged events arrived ${Date.now() - waitStart} ms after the database came back`);
  } finally {
    const lost = [...ledger.acknowledged].filter((id) => !receiver.counts.has(id));
    const duplicates = [...receiver.counts.values()].reduce((sum, c) => sum + (c - 1), 0);
    console.log(`acknowledged ${ledger.acknowledged.size}, answered 503 ${ledger.unavailable}, ` +
      `received ${receiver.counts.size} distinct, lost ${lost.length}, ` +
      `duplicate deliveries ${duplicates}, unverified ${receiver.unverified}`);
    await Promise.all(nodes.map((node) => node.stop()));
    await receiver.close();
    await postgres.stop();
  }
  assert.strictEqual(receiver.unverified, 0, 'some deliveries did not verify');
}

main().catch((e) => { console.error(e); process.exit(1); });
