// Issue 14: the dashboard's API calls on a big store, and the bundle's size.
//
//   node bench/dashboard/dashboard_pages.js build/hookline [events=1000000] [endpoints=100] [attempts_per_endpoint=10000]
//
// Makes a data dir with `hookline serve` (schema, keys) and the endpoints
// (API), stops it, fills the events and attempts with one SQL statement each
// (sqlite3; the API would take minutes for a million) and the hourly rollup
// of the attempts from them, starts it again and times each call the
// dashboard's pages make (20 runs, after one warm-up; median and max). Prints
// a Markdown table; the gzip'd bundle size comes from the build's
// src/dashboard/dist/bundle-size.json.
//
// With HOOKLINE_BENCH_DATABASE=postgresql://… (an empty database, e.g. on
// the private server of tests/support/pg_test_server.sh) the store is that
// PostgreSQL database, filled with psql instead.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const [binary, events = '1000000', endpoints = '100', perEndpoint = '10000'] = process.argv.slice(2);
if (!binary) {
  console.error('usage: node dashboard_pages.js <hookline binary> [events] [endpoints] [attempts_per_endpoint]');
  process.exit(2);
}
const KEY = 'sk_test_dashboardBench0123456789';
const DATABASE = process.env.HOOKLINE_BENCH_DATABASE || '';
// The latency class of store/latency_class.hpp and the rollup's fill of
// store/attempt_hours.cpp (attempt_hours_backfill_sql), the same in both SQL dialects.
const LATENCY_CLASS = `CASE WHEN latency_us < 100 THEN latency_us
  WHEN latency_us < 1000 THEN latency_us / 10 * 10 WHEN latency_us < 10000 THEN latency_us / 100 * 100
  WHEN latency_us < 100000 THEN latency_us / 1000 * 1000 WHEN latency_us < 1000000 THEN latency_us / 10000 * 10000
  WHEN latency_us < 10000000 THEN latency_us / 100000 * 100000 ELSE latency_us / 1000000 * 1000000 END`;
const ROLLUP = `INSERT INTO attempt_hours (endpoint_id, hour_ms, latency_class, attempts, succeeded)
  SELECT endpoint_id, at_ms / 3600000 * 3600000, ${LATENCY_CLASS}, COUNT(*), SUM(success) FROM attempts GROUP BY 1, 2, 3;`;
const TYPE_OF = (i) => `CASE (${i}) % 3 WHEN 0 THEN 'payment_intent.succeeded' WHEN 1 THEN 'customer.created' ELSE 'charge.failed' END`;

async function serve(dataDir) {
  const store = DATABASE ? ['--database', DATABASE] : ['--data-dir', dataDir];
  const child = spawn(binary, ['serve', '--port', '0', ...store, '--log-level', 'warn'], {
    env: { ...process.env, HOOKLINE_SECRET_KEY: KEY }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const base = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hookline serve exited (${code})`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
  });
  const platform = out.match(/platform account\s+(acct_\w+)/)[1];
  const stop = () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
  return { base, platform, stop };
}

async function call(base, method, urlPath, form) {
  const response = await fetch(base + urlPath, {
    method, headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function time(base, urlPath, runs = 20) {
  await call(base, 'GET', urlPath);
  const ms = [];
  for (let i = 0; i < runs; ++i) {
    const start = process.hrtime.bigint();
    await call(base, 'GET', urlPath);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-dashboard-bench-'));
  try {
    let server = await serve(dataDir);
    const ids = [];
    for (let i = 0; i < Number(endpoints); ++i) {
      ids.push((await call(server.base, 'POST', '/v1/webhook_endpoints', {
        url: `https://example.com/hook/${i}`, 'enabled_events[]': '*' })).id);
    }
    const platform = server.platform;
    await server.stop();

    const now = Math.floor(Date.now() / 1000);
    const fillStart = Date.now();
    const n = Number(events);
    const total = Number(perEndpoint) * ids.length;
    const body = (i) => `'{"id":"evt_bench' || ${i} || '","object":"event","api_version":"2026-10-28.endive","created":0,' ||
             '"data":{"object":{"id":"pi_' || ${i} || '","object":"payment_intent","amount":2000,"currency":"usd",' ||
             '"metadata":{"order":"' || ${i} || '"}}},"livemode":false,"pending_webhooks":0,' ||
             '"request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded"}'`;
    if (DATABASE) {
      const sql = `
      INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks)
      SELECT 'evt_bench' || i, '${platform}', 0, ${TYPE_OF('i')}, ${now} - (${n} - i) * 86400 / ${n}, 0
      FROM generate_series(1::bigint, ${n}::bigint) AS i;
      INSERT INTO event_bodies (event_seq, body)
      SELECT seq, ${body("substr(id, 10)")} FROM events WHERE id LIKE 'evt_bench%';
      INSERT INTO attempts (delivery_id, event_id, endpoint_id, at_ms, http_status, error, latency_us,
                            response_excerpt, success, event_type)
      SELECT i, 'evt_bench' || (i + 1), e.id, (${now}::bigint - 86400) * 1000 + i * 86400000 / ${total},
             CASE WHEN i % 10 = 0 THEN 500 ELSE 200 END, '', 1000 + i % 5000, 'ok',
             CASE WHEN i % 10 = 0 THEN 0 ELSE 1 END, ${TYPE_OF('i + 1')}
      FROM generate_series(0::bigint, ${total - 1}::bigint) AS i
      JOIN (SELECT id, row_number() OVER (ORDER BY seq) - 1 AS k FROM webhook_endpoints) e ON e.k = i % ${ids.length};
      ${ROLLUP}
      VACUUM ANALYZE;`;
      execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', DATABASE], { input: sql });
    } else {
      const sql = `
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})
      INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks)
      SELECT 'evt_bench' || i, '${platform}', 0, ${TYPE_OF('i')}, ${now} - (${n} - i) * 86400 / ${n}, 0
      FROM n;
      INSERT INTO event_bodies (event_seq, body)
      SELECT seq, ${body("substr(id, 10)")} FROM events WHERE id LIKE 'evt_bench%';
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${total - 1}),
           e(id, k) AS (SELECT id, row_number() OVER (ORDER BY seq) - 1 FROM webhook_endpoints)
      INSERT INTO attempts (delivery_id, event_id, endpoint_id, at_ms, http_status, error, latency_us,
                            response_excerpt, success, event_type)
      SELECT i, 'evt_bench' || (i + 1), e.id, (${now} - 86400) * 1000 + i * 86400000 / ${total},
             CASE WHEN i % 10 = 0 THEN 500 ELSE 200 END, '', 1000 + i % 5000, 'ok', i % 10 != 0, ${TYPE_OF('i + 1')}
      FROM n JOIN e ON e.k = n.i % ${ids.length};
      ${ROLLUP}`;
      execFileSync('sqlite3', [path.join(dataDir, 'hookline.db')], { input: sql });
    }
    const fillSeconds = (Date.now() - fillStart) / 1000;

    server = await serve(dataDir);
    const first = (await call(server.base, 'GET', '/v1/events?limit=25')).data;
    const middle = `evt_bench${Math.floor(Number(events) / 2)}`;
    const rows = [
      ['events list, first page (limit 25)', '/v1/events?limit=25'],
      ['events list, `type=payment_intent.*`', `/v1/events?limit=25&type=${encodeURIComponent('payment_intent.*')}`],
      ['events list, page in the middle (`starting_after`)', `/v1/events?limit=25&starting_after=${middle}`],
      ['events list, live poll (`ending_before` newest)', `/v1/events?limit=100&ending_before=${first[0].id}`],
      ["an endpoint's attempts (limit 100)", `/v1/webhook_endpoints/${ids[0]}/attempts?limit=100`],
      ["an endpoint's attempts, `type=customer.created`", `/v1/webhook_endpoints/${ids[0]}/attempts?limit=100&type=customer.created`],
      ["an endpoint's attempts, `type=payment_intent.*`", `/v1/webhook_endpoints/${ids[0]}/attempts?limit=100&type=${encodeURIComponent('payment_intent.*')}`],
      ['endpoints list (limit 100)', '/v1/webhook_endpoints?limit=100'],
      ['webhook_stats, last hour', '/v1/webhook_stats?window=hour'],
      ['webhook_stats, last day', '/v1/webhook_stats?window=day'],
    ];
    console.log(`Store: ${DATABASE ? 'PostgreSQL' : 'SQLite'}, ${events} events, ${ids.length} endpoints, ${Number(perEndpoint) * ids.length} attempts (filled in ${fillSeconds.toFixed(1)} s)\n`);
    console.log('| call | median | max (20 runs) |\n| --- | --- | --- |');
    for (const [name, urlPath] of rows) {
      const t = await time(server.base, urlPath);
      console.log(`| ${name} | ${t.median.toFixed(1)} ms | ${t.max.toFixed(1)} ms |`);
    }
    await server.stop();
    const sizeFile = path.join(path.dirname(binary), 'src/dashboard/dist/bundle-size.json');
    if (fs.existsSync(sizeFile)) {
      const size = JSON.parse(fs.readFileSync(sizeFile, 'utf8'));
      console.log(`\nBundle (index.html, JS, CSS, icon): ${(size.raw_bytes / 1024).toFixed(1)} KiB, gzip -9 ${(size.gzip_bytes / 1024).toFixed(1)} KiB`);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
