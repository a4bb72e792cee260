// The figures on the PostgreSQL store: P1-PG, P2-PG and P3-PG (P1–P3 with
// one node on a private PostgreSQL server on this machine, beside the SQLite
// figures of the same run), and P9, the same backlog drained by 1, 2 and 4
// nodes (bench/figures/pg_store.sh, bench/figures/p9_scaling.sh).
import fs from 'node:fs';
import path from 'node:path';
import { percentile, readJson, readRows, spread } from './stats.mjs';

const env = process.env;
const int = (x) => (x === null || x === undefined ? '—' : Math.round(x).toLocaleString('en-US'));
const fixed = (digits) => (x) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const medianOf = (runs, field) => spread(runs.map((r) => r[field]))?.median ?? null;

const onPostgres = ' — one node on PostgreSQL (a private server on this machine, ' +
  'synchronous_commit on)';

// What the database did per event (pg-counts.json from pg_stat_statements).
function perEvent(dir, events) {
  const file = path.join(dir, 'pg-counts.json');
  if (!fs.existsSync(file) || !events) return {};
  const c = readJson(file);
  const statements = Number(c.statements);
  const roundTrips = statements - Number(c.set_local_async);
  const commits = Number(c.commits);
  return {
    statements_per_event: statements / events,
    round_trips_per_event: roundTrips / events,
    commits_per_event: commits / events,
    durable_commits_per_event: (commits - Number(c.set_local_async)) / events,
    rows_per_event: Number(c.rows_written) / events,
  };
}

const countColumns = [
  ['statements / event', (r) => fixed(2)(r.statements_per_event)],
  ['round trips / event', (r) => fixed(2)(r.round_trips_per_event)],
  ['transactions / event (durable)', (r) => `${fixed(3)(r.commits_per_event)} (${fixed(3)(r.durable_commits_per_event)})`],
  ['rows written / event', (r) => fixed(2)(r.rows_per_event)],
];

// P1–P3 again, on PostgreSQL; P1-PG also shows the database's work per event.
export function postgresFigures(byId) {
  const clone = (id, extra = {}) => ({ ...byId(id), id: `${id}-PG`, what: byId(id).what + onPostgres, ...extra });
  const p1 = byId('P1');
  const p2 = byId('P2');
  return [
    clone('P1', {
      analyze(dir) {
        const run = p1.analyze(dir);
        const delivered = readJson(path.join(dir, 'stats-settled.json')).requests -
          readJson(path.join(dir, 'stats-before.json')).requests;
        return { ...run, ...perEvent(dir, delivered) };
      },
      columns: [...p1.columns, ...countColumns],
    }),
    clone('P2', {
      analyze(dir) {
        const run = p2.analyze(dir);
        return { ...run, ...perEvent(dir, run.delivered) };
      },
      columns: [...p2.columns, ...countColumns],
    }),
    clone('P3'),
    p9,
  ];
}

// One drain of P9: deliveries/s over the middle 90 % of the arrivals (the
// nodes' start and the last stragglers left out), and first to last.
function drain(dir) {
  const stats = readJson(path.join(dir, 'stats-end.json'));
  const arrivals = readRows(path.join(dir, 'arrivals.txt')).map(([, ns]) => Number(ns))
    .sort((a, b) => a - b);
  const p5 = percentile(arrivals, 5);
  const p95 = percentile(arrivals, 95);
  const middle = arrivals.filter((t) => t >= p5 && t <= p95).length;
  const expected = Number(env.BENCH_P9_EVENTS) * Number(env.BENCH_P9_ENDPOINTS);
  return {
    rate: p95 > p5 ? (middle - 1) / ((p95 - p5) / 1e9) : null,
    first_to_last_s: (stats.last_ns - stats.first_ns) / 1e9,
    delivered: stats.requests,
    complete: stats.requests >= expected,
    ...perEvent(dir, stats.requests),
  };
}

const p9 = {
  id: 'P9',
  what: `horizontal scaling: a backlog of ${int(Number(env.BENCH_P9_EVENTS) * Number(env.BENCH_P9_ENDPOINTS))} ` +
    `deliveries (${env.BENCH_P9_ENDPOINTS} endpoints) drained by ${env.BENCH_P9_NODES?.split(' ').join(', ')} ` +
    `nodes on one PostgreSQL, each node at most ${env.BENCH_P9_CONCURRENCY} attempts at once, the receiver ` +
    `taking ${env.BENCH_P9_DELAY_MS} ms per request: deliveries/s (middle 90 % of the drain)`,
  target: '2 nodes ≥ 1.8×, 4 nodes ≥ 3.4× one node',
  analyze(dir) {
    const nodes = (env.BENCH_P9_NODES || '1 2 4').split(' ').map(Number);
    const drains = Object.fromEntries(nodes.map((n) => [n, drain(path.join(dir, `n${n}`))]));
    const one = drains[1]?.rate ?? null;
    const notes = [];
    for (const n of nodes) {
      if (!drains[n].complete) notes.push(`${n} nodes: only ${drains[n].delivered} deliveries arrived`);
    }
    return {
      value: one, drains, nodes, notes,
      ratio2: drains[2] && one ? drains[2].rate / one : null,
      ratio4: drains[4] && one ? drains[4].rate / one : null,
      ceiling: (Number(env.BENCH_P9_CONCURRENCY) * 1000) / Number(env.BENCH_P9_DELAY_MS),
    };
  },
  row(runs) {
    const rate = (n) => spread(runs.map((r) => r.drains[n]?.rate));
    const text = (n) => `${n} node${n > 1 ? 's' : ''} ${int(rate(n)?.median)}/s`;
    return {
      measured: runs[0].nodes.map(text).join('; '),
      reference: `one node's ceiling ${int(runs[0].ceiling)}/s (attempts ÷ delay)`,
      ratio: `2 nodes ×${fixed(2)(medianOf(runs, 'ratio2'))}, 4 nodes ×${fixed(2)(medianOf(runs, 'ratio4'))} (median of the runs' ratios)`,
      met: medianOf(runs, 'ratio2') >= 1.8 && medianOf(runs, 'ratio4') >= 3.4 &&
        runs.every((r) => r.notes.length === 0),
    };
  },
  columns: [
    ['deliveries/s by nodes', (r) => r.nodes.map((n) => `${n}: ${int(r.drains[n].rate)}`).join(', ')],
    ['first to last, s', (r) => r.nodes.map((n) => `${n}: ${r.drains[n].first_to_last_s.toFixed(1)}`).join(', ')],
    ['ratio 2 / 4 nodes', (r) => `×${fixed(2)(r.ratio2)} / ×${fixed(2)(r.ratio4)}`],
    ['statements / delivery (4 nodes)', (r) => fixed(2)(r.drains[4]?.statements_per_event)],
    ['round trips / delivery (4 nodes)', (r) => fixed(2)(r.drains[4]?.round_trips_per_event)],
    ['rows written / delivery (4 nodes)', (r) => fixed(2)(r.drains[4]?.rows_per_event)],
  ],
};
