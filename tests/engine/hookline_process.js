// Starting and stopping a real `hookline serve` for node tests, and a small
// API client for it (form-encoded, keep-alive).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const { storeFlags } = require('../support/test_database');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Starts the server; resolves with {child, port, stop(), kill()} once it prints
// its banner. `options.port` (default 0), `options.flags` (extra flags) and
// `options.store` (the store's flags, instead of those for `dataDir`).
function startServer(binary, dataDir, key, options = {}) {
  const args = ['serve', '--port', String(options.port || 0), ...(options.store || storeFlags(dataDir)),
    ...(options.flags || [])];
  const child = spawn(binary, args, {
    env: { ...process.env, HOOKLINE_SECRET_KEY: key },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 1e6) stderr = stderr.slice(-1e5); });
  return new Promise((resolve, reject) => {
    const onExit = (code, signal) =>
      reject(new Error(`hookline serve exited (${code ?? signal}) before it was ready:\n${stderr}`));
    child.once('exit', onExit);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/hookline listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (!m || child.ready) return;
      child.ready = true;
      child.removeListener('exit', onExit);
      const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
      resolve({
        child,
        port: Number(m[1]),
        stderr: () => stderr,
        exited,
        stop: () => { child.kill('SIGTERM'); return exited; },
        kill: () => { child.kill('SIGKILL'); return exited; },
      });
    });
  });
}

function encodeForm(params, prefix = '', out = []) {
  for (const [k, v] of Object.entries(params)) {
    const name = prefix ? `${prefix}[${k}]` : k;
    if (Array.isArray(v)) v.forEach((item) => out.push(`${encodeURIComponent(name + '[]')}=${encodeURIComponent(item)}`));
    else if (v !== null && typeof v === 'object') encodeForm(v, name, out);
    else out.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return out.join('&');
}

// One API call; resolves with {status, body (parsed JSON)}; rejects on a
// connection error (the server is down).
function api(port, key, method, urlPath, params) {
  const body = params ? encodeForm(params) : '';
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method, path: urlPath, agent,
      headers: {
        Authorization: `Bearer ${key}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = null;
        try { parsed = JSON.parse(text); } catch (e) { parsed = text; }
        resolve({ status: res.statusCode, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Peak resident set size of a process, in KiB (VmHWM).
function peakRssKiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = status.match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) : 0;
}

async function waitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

module.exports = { api, peakRssKiB, startServer, tempDir, waitFor };
