#!/usr/bin/env node
// Backlog: 100,000 pending deliveries to a receiver that is down (10,000
// events × 10 endpoints), then the receiver starts: every delivery arrives.
// Reports the server's peak RSS; fails above HOOKLINE_BACKLOG_MAX_RSS_MIB
// (default 256; 0 disables the check, as under sanitizers).
// Usage: backlog_test.js HOOKLINE_BINARY [EVENTS] [ENDPOINTS]
'use strict';
const assert = require('assert');
const { api, peakRssKiB, startServer, tempDir, waitFor } = require('./hookline_process');
const { EventReceiver, freePort } = require('./event_receiver');

const binary = process.argv[2];
const events = Number(process.argv[3] || 10000);
const endpoints = Number(process.argv[4] || 10);
const maxRssMiB = Number(process.env.HOOKLINE_BACKLOG_MAX_RSS_MIB ?? 256);
const key = 'sk_test_backlog0123456789abcdefabcd';

async function main() {
  const receiverPort = await freePort();
  const server = await startServer(binary, tempDir('hookline-backlog-'), key,
    { flags: ['--retry-schedule-test', '3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3'] });
  const secrets = [];
  try {
    for (let i = 0; i < endpoints; i++) {
      const r = await api(server.port, key, 'POST', '/v1/webhook_endpoints', {
        url: `http://127.0.0.1:${receiverPort}/hook${i}`, enabled_events: ['*'],
      });
      assert.strictEqual(r.status, 200, JSON.stringify(r.body));
      secrets.push(r.body.secret);
    }
    const started = Date.now();
    let next = 0;
    const publish = async () => {
      while (next < events) {
        const n = next++;
        const r = await api(server.port, key, 'POST', '/v1/events', {
          type: 'invoice.paid', data: { object: { id: `in_${n}`, object: 'invoice', amount_paid: '1000' } },
        });
        assert.strictEqual(r.status, 200, JSON.stringify(r.body));
      }
    };
    await Promise.all(Array.from({ length: 16 }, publish));
    const total = events * endpoints;
    console.log(`published ${events} events (${total} deliveries) in ${Date.now() - started} ms with the receiver down`);

    // One receiver on that port; each endpoint (path /hookN) has its own secret.
    const receiver = new EventReceiver((urlPath) => secrets[Number(urlPath.replace('/hook', ''))]);
    await receiver.listen(receiverPort);
    const drainStart = Date.now();
    await waitFor(() => receiver.deliveries >= total, 600000, `${total} deliveries`);
    const seconds = (Date.now() - drainStart) / 1000;
    const rssMiB = peakRssKiB(server.child.pid) / 1024;
    console.log(`drained ${receiver.deliveries} deliveries in ${seconds.toFixed(1)} s ` +
      `(${Math.round(total / seconds)}/s); server peak RSS ${rssMiB.toFixed(1)} MiB`);
    await receiver.close();
    assert.strictEqual(receiver.unverified, 0, 'some deliveries did not verify');
    if (maxRssMiB > 0) assert.ok(rssMiB <= maxRssMiB, `peak RSS ${rssMiB} MiB > ${maxRssMiB} MiB`);
  } finally {
    await server.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
