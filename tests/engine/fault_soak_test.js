#!/usr/bin/env node
// Fault soak: events published under load to receivers that misbehave at
// random (5xx, 4xx, redirects, resets, hangs past the attempt timeout, slow
// answers), the server SIGKILLed at random moments and restarted, and its disk
// filled and freed once. A ledger of every acknowledged event proves that each
// (event, endpoint) pair ends delivered or with a final failure on record:
// 0 lost. Duplicates (at-least-once) are counted and reported.
//
// Usage: fault_soak_test.js HOOKLINE_BINARY [--kills N] [--seed S]
//   --kills 20 is `make soak`; CTest runs a short version (4). The seed
//   (printed) fixes the sequence of random draws — kill moments, receiver
//   behaviours — though thread timing still varies between runs.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { api, startServer, tempDir, waitFor } = require('./hookline_process');
const Stripe = require(path.join(__dirname, '../node/node_modules/stripe'));

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const binary = process.argv[2];
const kills = Number(option('--kills', '4'));
const seed = Number(option('--seed', String(crypto.randomInt(1, 2 ** 31))));
// An endpoint that cannot keep up has what it is owed deferred, for up to 5
// minutes at a time (delivery/target_slots.hpp): settling may take that long.
const settleTimeoutS = Number(option('--settle-timeout', '900'));
const key = 'sk_test_faultsoak0123456789abcdef';
const publishers = 6;
const attemptTimeoutS = 1;
const testSchedule = [0.2, 0.2, 0.5, 0.5, 1, 1, 2];
const attemptsPerDelivery = testSchedule.length + 1;
const serveFlags = ['--timeout', String(attemptTimeoutS), '--retry-schedule-test', testSchedule.join(','),
  '--disable-after', '86400', '--log-level', 'warn'];

// mulberry32: a small seeded PRNG, so that a failing run can be replayed.
function prng(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);

// What a receiver does with one request, by endpoint profile: cumulative odds.
const profiles = {
  '/steady': [['ok', 0.62], ['slow', 0.70], ['500', 0.78], ['400', 0.82], ['redirect', 0.86],
    ['reset', 0.93], ['hang', 0.97], ['close', 1]],
  '/flaky': [['ok', 0.25], ['500', 0.45], ['redirect', 0.55], ['reset', 0.75], ['hang', 0.85],
    ['close', 1]],
};

class ChaoticReceiver {
  constructor() {
    this.secrets = {};
    this.delivered = new Map();  // "evt|path" -> 2xx answers given
    this.behaviour = {};
    this.unverified = 0;
    this.sockets = new Set();
    this.stripe = new Stripe('sk_test_unused');
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  pick(urlPath) {
    const r = random();
    return profiles[urlPath].find(([, upTo]) => r < upTo)[0];
  }

  handle(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let event;
      try {
        event = this.stripe.webhooks.constructEvent(Buffer.concat(chunks),
          req.headers['stripe-signature'], this.secrets[req.url]);
      } catch (e) {
        this.unverified++;
        res.writeHead(400).end(e.message);
        return;
      }
      const what = this.pick(req.url);
      this.behaviour[what] = (this.behaviour[what] || 0) + 1;
      const ok = () => {
        const id = `${event.id}|${req.url}`;
        this.delivered.set(id, (this.delivered.get(id) || 0) + 1);
        res.writeHead(200).end('{"received":true}');
      };
      switch (what) {
        case 'ok': return ok();
        case 'slow': return setTimeout(ok, 50 + Math.floor(random() * 250));
        case '500': return res.writeHead(500).end('internal error');
        case '400': return res.writeHead(400).end('bad request');
        case 'redirect': return res.writeHead(302, { Location: req.url }).end();
        case 'reset': return req.socket.resetAndDestroy ? req.socket.resetAndDestroy() : req.socket.destroy();
        case 'hang': return setTimeout(() => req.socket.destroy(), attemptTimeoutS * 1000 + 500);
        default: return req.socket.end();  // 'close': no answer at all
      }
    });
  }

  listen() {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve(this.server.address().port)));
  }

  close() {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

// A small filesystem for the data directory, so that it can be filled: a
// tmpfs (needs root, as CI runs). Elsewhere the disk phase is skipped, said so.
function smallDisk(dir) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', dir], { stdio: 'ignore' });
    return () => execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  } catch (e) {
    return null;
  }
}

function fillDisk(dir) {
  const filler = path.join(dir, 'filler');
  const block = Buffer.alloc(1 << 20, 0x5a);
  const fd = fs.openSync(filler, 'w');
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (e) {
    assert.strictEqual(e.code, 'ENOSPC', e.message);
  } finally {
    fs.closeSync(fd);
  }
  // What a partial block left is filled too.
  try { fs.appendFileSync(filler, Buffer.alloc(4096)); } catch (e) { /* full */ }
  return filler;
}

async function publishLoop(port, ledger, stats, counter, until) {
  while (!until()) {
    const n = counter.next++;
    let response;
    try {
      response = await api(port, key, 'POST', '/v1/events', {
        type: 'customer.created',
        data: { object: { id: `cus_soak${n}`, object: 'customer', email: `c${n}@example.com` } },
      });
    } catch (e) {
      return;  // the server is gone
    }
    if (response.status === 200) ledger.add(response.body.id);
    else stats.refused[response.status] = (stats.refused[response.status] || 0) + 1;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function attemptsOf(port, eventId) {
  const response = await api(port, key, 'GET', `/v1/events/${eventId}/attempts?limit=100`);
  assert.strictEqual(response.status, 200, JSON.stringify(response.body));
  return response.body.data;
}

async function main() {
  console.log(`fault soak: seed ${seed}, ${kills} kills`);
  const dataDir = tempDir('hookline-soak-');
  const unmount = smallDisk(dataDir);
  const receiver = new ChaoticReceiver();
  const receiverPort = await receiver.listen();
  let server = await startServer(binary, dataDir, key, { flags: serveFlags });
  const port = server.port;
  const endpoints = {};
  for (const urlPath of Object.keys(profiles)) {
    const created = await api(port, key, 'POST', '/v1/webhook_endpoints', {
      url: `http://127.0.0.1:${receiverPort}${urlPath}`, enabled_events: ['*'],
    });
    assert.strictEqual(created.status, 200, JSON.stringify(created.body));
    receiver.secrets[urlPath] = created.body.secret;
    endpoints[created.body.id] = urlPath;
  }

  const ledger = new Set();
  const stats = { refused: {} };
  const counter = { next: 0 };
  const diskRound = unmount ? Math.max(1, Math.floor(kills / 2)) : -1;
  let diskNote = 'disk phase skipped: mounting a small tmpfs needs root';
  try {
    for (let round = 1; round <= kills; round++) {
      const before = ledger.size;
      const killAfterMs = 300 + Math.floor(random() * 1500);
      const deadline = Date.now() + killAfterMs;
      const loops = Array.from({ length: publishers },
        () => publishLoop(port, ledger, stats, counter, () => Date.now() > deadline));
      if (round === diskRound) {
        // Full disk under load: publishing is refused (never acknowledged and
        // lost); once space is back, it resumes without a restart.
        const filler = fillDisk(dataDir);
        await sleep(800);
        const refusedWhileFull = Object.values(stats.refused).reduce((a, b) => a + b, 0);
        fs.unlinkSync(filler);
        let resumed = 0;
        await waitFor(async () => {
          const n = counter.next++;
          const response = await api(port, key, 'POST', '/v1/events', {
            type: 'customer.created', data: { object: { id: `cus_soak${n}`, object: 'customer' } },
          });
          if (response.status === 200) { ledger.add(response.body.id); resumed++; }
          return resumed >= 10;
        }, 20000, 'publishing to resume after the disk was freed');
        diskNote = `disk filled and freed in round ${round}: ${refusedWhileFull} publishes refused while full, ` +
          'acknowledgements resumed without a restart';
      }
      await Promise.all(loops);
      await server.kill();
      console.log(`round ${round}: SIGKILL after ${killAfterMs} ms, ${ledger.size - before} events acknowledged`);
      server = await startServer(binary, dataDir, key, { port, flags: serveFlags });
    }
    assert.ok(ledger.size > 0, 'no event was acknowledged');

    // Every (event, endpoint) pair must end: delivered, or failed finally
    // (every attempt on record, none a success). Pairs still retrying wait.
    const open = new Set();
    for (const id of ledger) for (const urlPath of Object.values(endpoints)) open.add(`${id}|${urlPath}`);
    let finalFailures = 0;
    const settleStart = Date.now();
    let lastReport = settleStart;
    const endpointOf = (urlPath) => Object.keys(endpoints).find((e) => endpoints[e] === urlPath);
    const attemptsOfPair = async (pair) => {
      const [eventId, urlPath] = pair.split('|');
      return (await attemptsOf(server.port, eventId)).filter((a) => a.webhook_endpoint === endpointOf(urlPath));
    };
    try {
      await waitFor(async () => {
        for (const pair of [...open]) if (receiver.delivered.has(pair)) open.delete(pair);
        // The rest: ask the server what became of them.
        for (const pair of [...open]) {
          const attempts = await attemptsOfPair(pair);
          if (!attempts.some((a) => a.success) && attempts.length >= attemptsPerDelivery) {
            open.delete(pair);
            finalFailures++;
          }
        }
        if (Date.now() - lastReport > 30000) {
          lastReport = Date.now();
          console.log(`  ${Math.round((lastReport - settleStart) / 1000)} s: ${open.size} pairs still owed`);
        }
        return open.size === 0;
      }, settleTimeoutS * 1000, 'every acknowledged event to be delivered or fail finally');
    } catch (e) {
      for (const pair of [...open].slice(0, 10)) {
        const attempts = await attemptsOfPair(pair);
        console.error(`unsettled ${pair}: ${attempts.length} attempts: ` +
          JSON.stringify(attempts.map((a) => [a.created, a.http_status, a.error, a.success])));
      }
      throw new Error(`${open.size} (event, endpoint) pairs neither delivered nor failed finally: ${e.message}`);
    }
    const duplicates = [...receiver.delivered.values()].reduce((sum, c) => sum + (c - 1), 0);
    console.log(`settled ${Date.now() - settleStart} ms after the last restart`);
    console.log(`acknowledged ${ledger.size} events x ${Object.keys(endpoints).length} endpoints; ` +
      `delivered ${receiver.delivered.size} pairs, final failures on record ${finalFailures}, lost 0; ` +
      `duplicate deliveries ${duplicates}; publishes refused ${JSON.stringify(stats.refused)}`);
    console.log(`receiver behaviour: ${JSON.stringify(receiver.behaviour)}`);
    console.log(diskNote);
  } catch (e) {
    console.error(`seed ${seed}: ${e.stack || e}`);
    console.error((server.stderr() || '').slice(-4000));
    throw e;
  } finally {
    await server.stop();
    await receiver.close();
    if (unmount) unmount();
  }
  assert.strictEqual(receiver.unverified, 0, 'some deliveries did not verify');
}

main().catch(() => process.exit(1));
