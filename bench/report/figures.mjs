// What each benchmark figure is, how one run's raw files (written by
// bench/figures/*.sh) become numbers, and how the runs become a report row.
import fs from 'node:fs';
import path from 'node:path';
import { runBudget } from './budget.mjs';
import { runCost } from './cost_table.mjs';
import { postgresFigures } from './postgres_figures.mjs';
import { sinkFigure, sinkReference } from './sink_figures.mjs';
import {
  percentile, readJson, readNumber, readRows, readText, readWrk, spread,
} from './stats.mjs';

const env = process.env;
const int = (x) => (x === null || x === undefined ? '—' : Math.round(x).toLocaleString('en-US'));
const fixed = (digits) => (x) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const ms = (x) => (x === null || x === undefined ? '—' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`);

// "median [min–max]" of one field over the runs.
export function spreadText(runs, field, format) {
  const s = spread(runs.map((r) => r[field]));
  if (!s) return '—';
  if (s.n === 1) return `${format(s.median)} (1 run)`;
  return `${format(s.median)} [${format(s.min)}–${format(s.max)}]`;
}
const medianOf = (runs, field) => spread(runs.map((r) => r[field]))?.median ?? null;

const stats = (dir, name) => readJson(path.join(dir, name));
const seconds = (ns) => ns / 1e9;

function deliveredBodyBytes(s) {
  return s.requests > 0 ? s.body_bytes / s.requests : null;
}

function loadErrors(load) {
  const notes = [];
  const failed = load.sent - load.acked;
  if (failed > 0) {
    notes.push(`${failed} of ${load.sent} publish requests failed ` +
      `(${JSON.stringify(load.by_status)}, transport errors ${load.transport_errors})`);
    for (const [status, body] of Object.entries(load.first_error_bodies || {})) {
      notes.push(`first ${status} answer: ${body.slice(0, 200)}`);
    }
  }
  return notes;
}

export const figures = [
  {
    id: 'P1',
    what: 'end-to-end: events/s published over the API and acknowledged by the receiver, ' +
      `sustained ${env.BENCH_P1_SECONDS} s, ${env.BENCH_CONNECTIONS} connections`,
    target: '≥ 0.35 (÷ wrk req/s)',
    analyze(dir) {
      const wrk = readWrk(path.join(dir, 'wrk.txt'));
      const load = readJson(path.join(dir, 'load.json'));
      const before = stats(dir, 'stats-before.json');
      const window = stats(dir, 'stats-window.json');
      const settled = stats(dir, 'stats-settled.json');
      const delivered = window.requests - before.requests;
      const deliveredPerS = delivered / load.seconds;
      const value = Math.min(load.acked_per_s, deliveredPerS);
      const notes = loadErrors(load);
      if (settled.requests < load.acked) {
        notes.push(`${load.acked - settled.requests} published events not delivered ` +
          `${env.BENCH_SETTLE_SECONDS} s after publishing ended`);
      }
      const cost = runCost(dir, settled.requests - before.requests);
      return {
        value, reference: wrk.requests_per_s, ratio: value / wrk.requests_per_s,
        ...sinkReference(dir, value), cost,
        budget: runBudget(dir, 'wrk.txt', cost?.events, cost),
        published_per_s: load.acked_per_s, delivered_per_s: deliveredPerS,
        backlog_at_end: load.acked - delivered,
        catch_up_s: settled.requests >= load.acked
          ? Math.max(0, seconds(settled.last_ns - load.end_ns)) : null,
        publish_p50_ms: load.ack_latency_ms.p50, publish_p99_ms: load.ack_latency_ms.p99,
        delivered_body_bytes: deliveredBodyBytes(window), wrk_body_bytes: wrk.body_bytes,
        notes,
      };
    },
    row(runs) {
      return {
        measured: `${spreadText(runs, 'value', int)} events/s`,
        reference: `wrk ${spreadText(runs, 'reference', int)} req/s; ` +
          `sink: wrk ${spreadText(runs, 'sink_reference', int)} req/s`,
        ratio: `${spreadText(runs, 'ratio', fixed(3))}; ÷ sink ${spreadText(runs, 'sink_ratio', fixed(3))}`,
        met: medianOf(runs, 'ratio') >= 0.35,
      };
    },
    columns: [
      ['events/s (min of published, delivered)', (r) => int(r.value)],
      ['published/s', (r) => int(r.published_per_s)],
      ['delivered/s in the window', (r) => int(r.delivered_per_s)],
      ['not yet delivered at the end', (r) => int(r.backlog_at_end)],
      ['caught up after', (r) => (r.catch_up_s === null ? '—' : `${r.catch_up_s.toFixed(1)} s`)],
      ['publish ack p50 / p99', (r) => `${ms(r.publish_p50_ms)} / ${ms(r.publish_p99_ms)}`],
      ['wrk req/s', (r) => int(r.reference)],
      ['ratio', (r) => fixed(3)(r.ratio)],
      ['sink wrk req/s', (r) => int(r.sink_reference)],
      ['ratio ÷ sink', (r) => fixed(3)(r.sink_ratio)],
      ['body bytes (delivered / wrk)', (r) => `${int(r.delivered_body_bytes)} / ${r.wrk_body_bytes}`],
    ],
  },
  {
    id: 'P2',
    what: `drain: a backlog of ${int(Number(env.BENCH_P2_BACKLOG))} pending deliveries (built up ` +
      `while the receiver was down, retried every ${env.BENCH_BACKLOG_RETRY_SECONDS} s), then the ` +
      'receiver is back: deliveries/s from the first to the last acknowledged',
    target: '≥ 0.70 (÷ wrk req/s)',
    analyze(dir) {
      const wrk = readWrk(path.join(dir, 'wrk.txt'));
      const end = stats(dir, 'stats-end.json');
      const backlog = Number(env.BENCH_P2_BACKLOG);
      // The receiver is fresh: everything it counted is the drain, from the
      // first delivery to the last.
      const delivered = end.requests;
      const elapsed = seconds(end.last_ns - end.first_ns);
      const value = delivered > 1 ? (delivered - 1) / elapsed : null;
      const notes = [];
      if (delivered < backlog) {
        notes.push(`only ${delivered} of ${backlog} deliveries arrived within ` +
          `${env.BENCH_DRAIN_TIMEOUT_SECONDS} s`);
      }
      if (end.answered_ok > backlog) notes.push(`${end.answered_ok - backlog} duplicate deliveries`);
      if (elapsed < 2 * Number(env.BENCH_BACKLOG_RETRY_SECONDS)) {
        notes.push('the drain took less than twice the retry delay: its rate is bounded by when ' +
          'the deliveries came due, not by the engine (make the backlog larger)');
      }
      // The shape of the drain: when 99 % had arrived (a long tail shows stragglers).
      const arrivals = readRows(path.join(dir, 'arrivals.txt')).map(([, ns]) => Number(ns))
        .sort((a, b) => a - b);
      const p99At = arrivals.length ? seconds(percentile(arrivals, 99) - end.first_ns) : null;
      const cost = runCost(dir, delivered);
      return {
        value, reference: wrk.requests_per_s, ratio: value / wrk.requests_per_s,
        ...sinkReference(dir, value), cost, budget: runBudget(dir, 'wrk.txt', delivered, cost),
        drain_s: elapsed, delivered, complete: delivered >= backlog, p99At,
        pending_before: readNumber(path.join(dir, 'pending-before-drain.txt')),
        pending_after: readNumber(path.join(dir, 'pending-after-drain.txt')),
        notes,
      };
    },
    row(runs) {
      return {
        measured: `${spreadText(runs, 'value', int)} deliveries/s`,
        reference: `wrk ${spreadText(runs, 'reference', int)} req/s; ` +
          `sink: wrk ${spreadText(runs, 'sink_reference', int)} req/s`,
        ratio: `${spreadText(runs, 'ratio', fixed(3))}; ÷ sink ${spreadText(runs, 'sink_ratio', fixed(3))}`,
        met: medianOf(runs, 'ratio') >= 0.70 && runs.every((r) => r.complete),
      };
    },
    columns: [
      ['deliveries/s', (r) => int(r.value)],
      ['delivered', (r) => int(r.delivered)],
      ['first to last delivery', (r) => `${r.drain_s.toFixed(2)} s`],
      ['first to 99 % delivered', (r) => (r.p99At === null ? '—' : `${r.p99At.toFixed(2)} s`)],
      ['pending before / after', (r) => `${int(r.pending_before)} / ${int(r.pending_after)}`],
      ['wrk req/s', (r) => int(r.reference)],
      ['ratio', (r) => fixed(3)(r.ratio)],
      ['sink wrk req/s', (r) => int(r.sink_reference)],
      ['ratio ÷ sink', (r) => fixed(3)(r.sink_ratio)],
    ],
  },
  {
    id: 'P3',
    what: `latency publish → receiver at a fixed ${env.BENCH_P3_RATE} events/s for ` +
      `${env.BENCH_P3_SECONDS} s (from the request leaving the load generator to the ` +
      'delivery read by the receiver)',
    target: 'p50 ≤ 1 ms, p99 ≤ 5 ms',
    analyze(dir) {
      const load = readJson(path.join(dir, 'load.json'));
      const arrival = new Map();
      for (const [id, ns] of readRows(path.join(dir, 'arrivals.txt'))) {
        if (!arrival.has(id)) arrival.set(id, Number(ns));
      }
      const latencies = [];
      let missing = 0;
      for (const [id, sendNs, , status] of readRows(path.join(dir, 'events.txt'))) {
        if (status !== '200') continue;
        const at = arrival.get(id);
        if (at === undefined) missing++;
        else latencies.push((at - Number(sendNs)) / 1e6);
      }
      latencies.sort((a, b) => a - b);
      const notes = loadErrors(load);
      if (missing > 0) notes.push(`${missing} published events never reached the receiver`);
      return {
        p50: percentile(latencies, 50), p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? null, events: latencies.length, rate: load.acked_per_s,
        ack_p50: load.ack_latency_ms.p50, ack_p99: load.ack_latency_ms.p99, notes,
      };
    },
    row(runs) {
      return {
        measured: `p50 ${spreadText(runs, 'p50', ms)}; p99 ${spreadText(runs, 'p99', ms)}`,
        reference: `API ack alone: p50 ${ms(medianOf(runs, 'ack_p50'))}, p99 ${ms(medianOf(runs, 'ack_p99'))}`,
        ratio: '—',
        met: medianOf(runs, 'p50') <= 1 && medianOf(runs, 'p99') <= 5 &&
          runs.every((r) => r.notes.length === 0),
      };
    },
    columns: [
      ['events', (r) => int(r.events)],
      ['achieved rate', (r) => `${int(r.rate)}/s`],
      ['p50', (r) => ms(r.p50)],
      ['p99', (r) => ms(r.p99)],
      ['max', (r) => ms(r.max)],
      ['API ack p50 / p99', (r) => `${ms(r.ack_p50)} / ${ms(r.ack_p99)}`],
    ],
  },
  {
    id: 'P4',
    what: `fan-out: one event to ${int(Number(env.BENCH_P4_ENDPOINTS))} endpoints (each its own ` +
      'port): from publishing to the last delivery acknowledged',
    target: '≤ 1 s',
    analyze(dir) {
      const endpoints = Number(env.BENCH_P4_ENDPOINTS);
      const [[, sendNs, , status]] = readRows(path.join(dir, 'events.txt'));
      const end = stats(dir, 'stats-end.json');
      const notes = [];
      if (status !== '200') notes.push(`the event was not accepted (status ${status})`);
      let value = seconds(end.last_ns - Number(sendNs));
      if (end.requests < endpoints) {
        notes.push(`only ${end.requests} of ${endpoints} deliveries arrived within ` +
          `${env.BENCH_SETTLE_SECONDS} s`);
        value = null;
      }
      return { value, first_s: seconds(end.first_ns - Number(sendNs)), delivered: end.requests, notes };
    },
    row(runs) {
      const failed = runs.some((r) => r.value === null);
      return {
        measured: failed ? 'incomplete (see details)' : spreadText(runs, 'value', (x) => `${x.toFixed(3)} s`),
        reference: '— (absolute target)',
        ratio: '—',
        met: !failed && medianOf(runs, 'value') <= 1,
      };
    },
    columns: [
      ['all acknowledged after', (r) => (r.value === null ? '—' : `${r.value.toFixed(3)} s`)],
      ['first after', (r) => `${r.first_s.toFixed(3)} s`],
      ['delivered', (r) => int(r.delivered)],
    ],
  },
  {
    id: 'P5',
    what: `isolation: 10 endpoints (each its own port), one never answers: deliveries/s to the other 9 while ` +
      `publishing as fast as possible for ${env.BENCH_P5_SECONDS} s`,
    target: '≥ 0.95 (÷ none dead)',
    analyze(dir) {
      const throughputTo9 = (phase) => {
        const s = stats(dir, `stats-${phase}.json`);
        const load = readJson(path.join(dir, `load-${phase}.json`));
        let delivered = 0;
        for (let i = 0; i < 9; i++) delivered += s.paths[`/p5/ok${i}`] || 0;
        return { perS: delivered / load.seconds, published: load.acked_per_s, s, load };
      };
      const alive = throughputTo9('alive');
      const dead = throughputTo9('dead');
      return {
        value: dead.perS, reference: alive.perS, ratio: dead.perS / alive.perS,
        published_alive: alive.published, published_dead: dead.published,
        never_answered: dead.s.never_answered,
        notes: [...loadErrors(alive.load), ...loadErrors(dead.load)],
      };
    },
    row(runs) {
      return {
        measured: `${spreadText(runs, 'value', int)} deliveries/s to the 9 (one dead)`,
        reference: `none dead: ${spreadText(runs, 'reference', int)} deliveries/s to the same 9`,
        ratio: spreadText(runs, 'ratio', fixed(3)),
        met: medianOf(runs, 'ratio') >= 0.95,
      };
    },
    columns: [
      ['to the 9, one dead', (r) => `${int(r.value)}/s`],
      ['to the 9, none dead', (r) => `${int(r.reference)}/s`],
      ['ratio', (r) => fixed(3)(r.ratio)],
      ['events published/s (none dead / one dead)', (r) => `${int(r.published_alive)} / ${int(r.published_dead)}`],
      ['requests held by the dead endpoint', (r) => int(r.never_answered)],
    ],
  },
  {
    id: 'P6',
    what: `memory: ${int(Number(env.BENCH_P6_PENDING))} pending deliveries ` +
      `(${int(Number(env.BENCH_P6_PENDING) / Number(env.BENCH_P6_ENDPOINTS))} events × ` +
      `${env.BENCH_P6_ENDPOINTS} endpoints, built up while the receiver was down): the server's ` +
      `peak RSS (VmHWM) while loading them and while draining for up to ${env.BENCH_P6_DRAIN_SECONDS} s`,
    target: '≤ 256 MiB',
    analyze(dir) {
      // VmHWM of the one server process: at the end of loading, and at the end
      // of the drain (its whole life).
      const loadKiB = readNumber(path.join(dir, 'rss-load-kib.txt'));
      const drainKiB = readNumber(path.join(dir, 'rss-drain-kib.txt'));
      const end = stats(dir, 'stats-end.json');
      return {
        value: Math.max(loadKiB, drainKiB) / 1024, load_mib: loadKiB / 1024,
        drain_mib: drainKiB / 1024, pending: readNumber(path.join(dir, 'pending-before-drain.txt')),
        drained: end.requests, drain_s: end.requests ? seconds(end.last_ns - end.first_ns) : 0,
        notes: [],
      };
    },
    row(runs) {
      return {
        measured: `${spreadText(runs, 'value', (x) => `${x.toFixed(1)} MiB`)} peak RSS`,
        reference: '— (absolute target)',
        ratio: '—',
        met: medianOf(runs, 'value') <= 256,
      };
    },
    columns: [
      ['peak RSS', (r) => `${r.value.toFixed(1)} MiB`],
      ['peak until loaded', (r) => `${r.load_mib.toFixed(1)} MiB`],
      ['peak until the end of the drain', (r) => `${r.drain_mib.toFixed(1)} MiB`],
      ['pending', (r) => int(r.pending)],
      ['drained meanwhile', (r) => `${int(r.drained)} in ${r.drain_s.toFixed(1)} s`],
    ],
  },
  {
    id: 'P7',
    what: 'signature verify of a 1 KiB body ÷ raw HMAC-SHA256 of the same bytes (throughput)',
    target: '≥ 0.8',
    // One process, one "run" per Google Benchmark repetition.
    analyze(dir) {
      const out = readJson(path.join(dir, 'bench_signing.json'));
      const byRep = new Map();
      for (const b of out.benchmarks) {
        if (b.run_type !== 'iteration') continue;
        const name = b.run_name.split('/')[0];
        const rep = b.repetition_index ?? 0;
        if (!byRep.has(rep)) byRep.set(rep, {});
        byRep.get(rep)[name] = b.real_time;  // ns (time_unit of these benchmarks)
      }
      return [...byRep.values()].map((t) => {
        // The faster of the two raw references: the stricter ratio.
        const raw = Math.min(t.BM_RawHmac, t.BM_RawHmacOneShot ?? Infinity);
        return { value: t.BM_Verify, reference: raw, ratio: raw / t.BM_Verify, notes: [] };
      });
    },
    row(runs) {
      return {
        measured: `verify ${spreadText(runs, 'value', (x) => `${int(x)} ns`)}`,
        reference: `raw HMAC ${spreadText(runs, 'reference', (x) => `${int(x)} ns`)}`,
        ratio: spreadText(runs, 'ratio', fixed(3)),
        met: medianOf(runs, 'ratio') >= 0.8,
      };
    },
    columns: [
      ['verify', (r) => `${int(r.value)} ns`],
      ['raw HMAC-SHA256', (r) => `${int(r.reference)} ns`],
      ['ratio (raw ÷ verify)', (r) => fixed(3)(r.ratio)],
    ],
  },
];

figures.push(sinkFigure(), ...postgresFigures((id) => figures.find((f) => f.id === id)));

// The runs of one figure: { runs, error, notRun, commands }.
export function collect(figure, work) {
  const dir = path.join(work, figure.id);
  const result = { runs: [], error: null, notRun: null, commands: null };
  if (!fs.existsSync(dir)) {
    result.notRun = 'not selected in this run (BENCH_ONLY)';
    return result;
  }
  result.notRun = readText(path.join(dir, 'not-run.txt'));
  const runDirs = fs.readdirSync(dir).filter((d) => /^run\d+$/.test(d))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const d of runDirs) {
    const runDir = path.join(dir, d);
    result.commands ??= readText(path.join(runDir, 'commands.txt'));
    const error = readText(path.join(runDir, 'error.txt'));
    if (error) {
      result.error = `${d}: ${error}`;
      continue;
    }
    try {
      const analyzed = figure.analyze(runDir);
      result.runs.push(...(Array.isArray(analyzed) ? analyzed : [analyzed]));
    } catch (e) {
      result.error = `${d}: could not read its results: ${e.message}`;
    }
  }
  return result;
}
