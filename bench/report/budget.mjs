// The CPU budget at the target. P1 and P2 are ratios to wrk's rate against the
// same receiver, and the receiver, the load generator and hookline share the
// machine's cores. At the target ratio t the N cores must carry, per event,
//   N × 1e6 / (t × wrk req/s) µs
// in all: what the receiver and the bench's own processes spend on it, and
// what hookline (on PostgreSQL, hookline and the database) spends. What is
// left after the receiver and the bench is hookline's budget, shown beside
// what it spends now. The CPU times come from bench/lib/thread_cpu.sh's
// peer_cpu_snapshot files around the wrk reference and around the figure's
// cost window; nothing is measured inside a process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { byStage } from './cost_table.mjs';
import { readWrk, spread } from './stats.mjs';

export const budgetTargets = { P1: 0.35, P2: 0.70, 'P1-PG': 0.35, 'P2-PG': 0.70 };

// "endpoint PID NS" and "bench NS" lines.
function readPeers(file) {
  if (!fs.existsSync(file)) return null;
  const peers = { endpoint: null, bench: null };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'endpoint') peers.endpoint = { pid: f[1], ns: Number(f[2]) };
    if (f[0] === 'bench') peers.bench = Number(f[1]);
  }
  return peers.endpoint && peers.bench !== null ? peers : null;
}

// CPU ns of the endpoint and of the bench's processes between PREFIXstart.txt
// and PREFIXend.txt. An endpoint started in between (P2's receiver comes back
// after the window opened) counts from zero.
function peerDelta(dir, prefix) {
  const start = readPeers(path.join(dir, `${prefix}start.txt`));
  const end = readPeers(path.join(dir, `${prefix}end.txt`));
  if (!start || !end) return null;
  const endpointStart = start.endpoint.pid === end.endpoint.pid ? start.endpoint.ns : 0;
  return { endpoint: end.endpoint.ns - endpointStart, bench: end.bench - start.bench };
}

// What an HTTP client costs per request against the sink, where the receiver
// costs least: wrk (its CPU around the sink reference) and libcurl alone
// (bench_curl_floor, P2's runs). Nulls where a run has neither.
function sinkClientCosts(dir) {
  const sink = peerDelta(dir, 'wrk-sink-peers-');
  const sinkWrk = fs.existsSync(path.join(dir, 'wrk-sink.txt')) ? readWrk(path.join(dir, 'wrk-sink.txt')) : null;
  const floorFile = path.join(dir, 'curl-floor.txt');
  const floorLine = fs.existsSync(floorFile)
    ? fs.readFileSync(floorFile, 'utf8').split('\n').find((l) => l.startsWith('curl_floor_json ')) : null;
  return {
    sink_wrk_us: sink && sinkWrk ? sink.bench / 1e3 / sinkWrk.requests : null,
    curl_floor_us: floorLine ? JSON.parse(floorLine.slice('curl_floor_json '.length)).cpu_us_per_request : null,
  };
}

// One run's budget figures, or null when its files predate them. wrkFile is
// the reference's output in dir; events and cost are the figure's window.
export function runBudget(dir, wrkFile, events, cost) {
  const reference = peerDelta(dir, `${path.basename(wrkFile, '.txt')}-peers-`);
  const window = peerDelta(dir, 'peers-');
  if (!reference || !window || !events || !cost) return null;
  const wrk = readWrk(path.join(dir, wrkFile));
  return {
    ...sinkClientCosts(dir),
    wrk_per_s: wrk.requests_per_s,
    reference_endpoint_us: reference.endpoint / 1e3 / wrk.requests,
    reference_wrk_us: reference.bench / 1e3 / wrk.requests,
    reference_cores: (reference.endpoint + reference.bench) / 1e9 / wrk.seconds,
    endpoint_us: window.endpoint / 1e3 / events,
    bench_us: window.bench / 1e3 / events,
    hookline_us: byStage(cost.threads).total,
    postgres_us: cost.postgres,
  };
}

const us = (x) => (x === null || x === undefined ? '—' : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));

// The medians over runs of each field of their budgets.
function medianBudget(runs) {
  const budgets = runs.map((r) => r.budget).filter(Boolean);
  if (budgets.length === 0) return null;
  const fields = Object.keys(budgets[0]);
  return Object.fromEntries(fields.map((f) => [f, spread(budgets.map((b) => b[f]))?.median ?? null]));
}

// The report's section, as lines of Markdown.
export function budgetSection(collectedAll) {
  const cores = os.cpus().length;
  const rows = [];
  for (const [figure, collected] of collectedAll) {
    const target = budgetTargets[figure.id];
    const b = target ? medianBudget(collected.runs) : null;
    if (b) rows.push({ id: figure.id, target, b });
  }
  if (rows.length === 0) return [];
  const lines = [];
  const out = (line = '') => lines.push(line);
  out('## CPU budget at the target');
  out();
  out(`P1 and P2 are ratios to wrk's rate against the same receiver, on the same ${cores} cores ` +
    'as the receiver and the load generator. At the target ratio t, those cores give each event ' +
    `${cores} × 10⁶ ÷ (t × wrk req/s) µs of CPU in all. The receiver and the bench's own ` +
    'processes (the load generator, the bench\'s curl polls) take their share, as measured in ' +
    'the figure\'s cost window, per event; what is left is what hookline may spend (on ' +
    'PostgreSQL, hookline and the database together), beside what it spends now. Whole ' +
    'processes\' CPU time from /proc (clock ticks) and bash\'s `times`; median of the runs. The ' +
    'receiver\'s share is taken at the figure\'s own rate, so this is an estimate: it tells how far ' +
    'the target is, not a figure to compare to a tenth.');
  out();
  out('| figure | target rate (t × wrk) | CPU per event at that rate | receiver | bench processes | ' +
    'left for hookline (+ PostgreSQL) | spent now: hookline (+ PostgreSQL) | spent ÷ left |');
  out('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { id, target, b } of rows) {
    const rate = target * b.wrk_per_s;
    const all = (cores * 1e6) / rate;
    const left = all - b.endpoint_us - b.bench_us;
    const spent = b.hookline_us + (b.postgres_us ?? 0);
    const spentText = b.postgres_us === null ? us(spent) : `${us(spent)} (${us(b.hookline_us)} + ${us(b.postgres_us)})`;
    const over = left > 0 ? `${(spent / left).toFixed(1)}×` : 'no CPU left';
    out(`| ${id} | ${target} × ${Math.round(b.wrk_per_s).toLocaleString('en-US')} = ` +
      `${Math.round(rate).toLocaleString('en-US')}/s | ${us(all)} µs | ${us(b.endpoint_us)} µs | ` +
      `${us(b.bench_us)} µs | ${us(left)} µs | ${spentText} µs | ${over} |`);
  }
  out();
  out('The references themselves (the wrk run of each figure): µs of CPU per request and the ' +
    'cores they kept busy; and what an HTTP client alone costs per request against the sink: ' +
    'wrk, and libcurl, hookline\'s sender library (`bench_curl_floor`: a multi handle, ' +
    'kept-alive connections, 1 KiB POSTs, nothing of hookline around it; run with P2 and ' +
    'P2-PG) — a floor under a delivery\'s cost to hookline before its signature, bookkeeping ' +
    'and outcome.');
  out();
  out('| figure\'s reference | receiver µs / request | wrk µs / request | cores busy | ' +
    'against the sink: wrk µs / request | against the sink: libcurl alone µs / request |');
  out('| --- | --- | --- | --- | --- | --- |');
  for (const { id, b } of rows) {
    out(`| ${id} | ${us(b.reference_endpoint_us)} | ${us(b.reference_wrk_us)} | ` +
      `${b.reference_cores.toFixed(2)} of ${cores} | ${us(b.sink_wrk_us)} | ${us(b.curl_floor_us)} |`);
  }
  return lines;
}
