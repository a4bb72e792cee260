// The real things the dashboard's browser test drives: `hookline serve`
// (SQLite in a temp dir, a free loopback port), a receiver whose answer the
// test changes, the public API for setting up data, and chromium.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const TEST_KEY = 'sk_test_hooklineBrowserSuite0123456789';
const LIVE_KEY = 'sk_live_hooklineBrowserSuite0123456789';

const running = new Set();
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });

// Retries are an hour apart, so that only Resend turns a failed delivery green.
async function startHookline(binary) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-browser-'));
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir,
    '--allow-private-targets', '--retry-schedule-test', '3600,3600', '--retry-schedule-live', '3600'], {
    env: { ...process.env, HOOKLINE_SECRET_KEY: TEST_KEY, HOOKLINE_LIVE_SECRET_KEY: LIVE_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', () => { running.delete(child); resolve(); }));
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hookline serve exited (${code}):\n${stderr}`)));
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/hookline listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    log: () => stdout + stderr,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Answers every POST with `state.status` and `state.body`; keeps what it got.
async function startReceiver() {
  const state = { status: 500, body: 'boom', received: [] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      state.received.push(body);
      res.writeHead(state.status, { 'Content-Type': 'text/html' });
      res.end(state.body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.close = () => new Promise((resolve) => server.close(resolve));
  return state;
}

// The public API, as the test's own client.
function api(baseUrl, key) {
  return async (method, urlPath, { form, json, account } = {}) => {
    const headers = { Authorization: `Bearer ${key}` };
    if (account) headers['Stripe-Account'] = account;
    let body;
    if (json) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
    if (form) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
    const response = await fetch(baseUrl + urlPath, { method, headers, body });
    const parsed = await response.json();
    if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };
}

async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.HOOKLINE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Root in CI containers: chromium's sandbox needs user namespaces it may not have.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

module.exports = { TEST_KEY, LIVE_KEY, startHookline, startReceiver, api, launchBrowser };
