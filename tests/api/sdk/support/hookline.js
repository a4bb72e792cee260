// Starting and stopping the real `hookline serve` for the SDK suite, and
// stripe-node clients pointed at it. The binary is argv[2] (CMake passes
// $<TARGET_FILE:hookline>) or $HOOKLINE_BIN.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const Stripe = require(path.join(__dirname, '../../../node/node_modules/stripe'));
const { storeFlags } = require('../../../support/test_database');

const TEST_KEY = 'sk_test_hooklineSdkSuite0123456789';
const LIVE_KEY = 'sk_live_hooklineSdkSuite0123456789';

const running = new Set();
// Whatever happens to the test process, no server outlives it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

function binaryPath() {
  const binary = process.argv[2] || process.env.HOOKLINE_BIN;
  if (!binary || !fs.existsSync(binary)) {
    throw new Error(`the hookline binary is needed: pass it as the first argument (got ${binary})`);
  }
  return binary;
}

// Starts `hookline serve` on a free loopback port (--port 0: the server binds
// one and prints it) with a fresh data dir (or, with HOOKLINE_TEST_DATABASE, a
// fresh PostgreSQL database). Resolves once it prints its banner.
async function startHookline({ flags = [] } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-sdk-'));
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', ...storeFlags(dataDir),
    '--allow-private-targets', '--retry-schedule-test', '1,1,1', '--retry-schedule-live', '1,1,1',
    ...flags];
  const child = spawn(binaryPath(), args, {
    env: { ...process.env, HOOKLINE_SECRET_KEY: TEST_KEY, HOOKLINE_LIVE_SECRET_KEY: LIVE_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 1e6) stderr = stderr.slice(-1e5);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));
  const port = await new Promise((resolve, reject) => {
    const onExit = (code, signal) =>
      reject(new Error(`hookline serve exited (${code ?? signal}) before it was ready:\n${stderr}`));
    child.once('exit', onExit);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/hookline listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (!m) return;
      child.removeListener('exit', onExit);
      resolve(Number(m[1]));
    });
  });
  const platformMatch = stdout.match(/platform account\s+(acct_\w+)/);
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    platformAccount: platformMatch ? platformMatch[1] : null,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// A stripe-node client for the server: the test or the live key.
function stripeClient(server, { live = false, ...config } = {}) {
  return new Stripe(live ? LIVE_KEY : TEST_KEY, {
    host: '127.0.0.1',
    port: server.port,
    protocol: 'http',
    ...config,
  });
}

// POST /v1/events with a JSON body (typed data.object), as stripe-node cannot.
async function publishJson(server, { type, object, previous, stripeAccount, live = false,
  idempotencyKey } = {}) {
  const headers = {
    Authorization: `Bearer ${live ? LIVE_KEY : TEST_KEY}`,
    'Content-Type': 'application/json',
  };
  if (stripeAccount) headers['Stripe-Account'] = stripeAccount;
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const data = { object };
  if (previous) data.previous_attributes = previous;
  const response = await fetch(`${server.baseUrl}/v1/events`, {
    method: 'POST', headers, body: JSON.stringify({ type, data }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`publish ${type}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

// Polls `condition` until it holds; fails after `timeoutMs` naming `what`.
async function waitFor(condition, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

module.exports = { Stripe, TEST_KEY, LIVE_KEY, startHookline, stripeClient, publishJson, waitFor };
