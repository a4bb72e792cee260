// Issue 10, item 7: memory and time of concurrent GET /v1/events?limit=100
// over events full of control bytes (each stored escaped, six bytes apiece).
//
//   node bench/list_pages/list_pages.js build/hookline [events=110] [control_bytes=160000] [concurrent=4]
//
// Starts `hookline serve` on a free port with a fresh data dir, publishes the
// events (form-encoded, the control bytes raw), then sends the concurrent
// lists and prints, per request, its time and size, and the server's resident
// memory before and at its peak (VmRSS, VmHWM from /proc).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const [binary, events = '110', controlBytes = '160000', concurrent = '4'] = process.argv.slice(2);
if (!binary) {
  console.error('usage: node list_pages.js <hookline binary> [events] [control_bytes] [concurrent]');
  process.exit(2);
}
const KEY = 'sk_test_listPagesBench0123456789';

function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))[1]);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-list-pages-'));
  const child = spawn(binary, ['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    env: { ...process.env, HOOKLINE_SECRET_KEY: KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const base = await new Promise((resolve, reject) => {
      let out = '';
      child.once('exit', (code) => reject(new Error(`hookline serve exited (${code})`)));
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/hookline listening on (http:\/\/[\d.]+:\d+)/);
        if (m) resolve(m[1]);
      });
    });
    const headers = { Authorization: `Bearer ${KEY}` };
    const description = '%01'.repeat(Number(controlBytes));
    let accepted = 0;
    for (let i = 0; i < Number(events); i++) {
      const response = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `type=customer.created&data[object][id]=cus_${i}&data[object][object]=customer` +
          `&data[object][description]=${description}`,
      });
      if (response.ok) accepted++;
      else if (i === 0) console.log(`publish refused: ${response.status} ${await response.text()}`);
    }
    const before = memory(child.pid);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: Number(concurrent) }, async () => {
      const t0 = performance.now();
      const response = await fetch(`${base}/v1/events?limit=100`, { headers });
      const body = await response.text();
      const page = JSON.parse(body);
      return { ms: performance.now() - t0, bytes: body.length, items: page.data.length,
        hasMore: page.has_more };
    }));
    const wall = performance.now() - started;
    const after = memory(child.pid);
    console.log(`events published: ${accepted} of ${events}, ${controlBytes} control bytes each`);
    for (const r of results) {
      console.log(`GET /v1/events?limit=100: ${r.ms.toFixed(0)} ms, ${(r.bytes / 1048576).toFixed(1)} MiB, ` +
        `${r.items} events, has_more=${r.hasMore}`);
    }
    console.log(`${concurrent} concurrent: ${wall.toFixed(0)} ms in all`);
    console.log(`server RSS before the lists ${before.rssMiB.toFixed(0)} MiB (peak so far ` +
      `${before.peakMiB.toFixed(0)} MiB); peak after them ${after.peakMiB.toFixed(0)} MiB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
