// The second reference: bench/sink's bench_sink, a single-threaded epoll HTTP
// sink, the cheapest receiver the machine can run. P1 and P2 give their rate
// ÷ wrk against it beside their ratio to bench_receiver's (wrk-sink.txt of the
// same run); P1-SINK is P1 delivering to the sink itself
// (bench/figures/p1_sink.sh).
import fs from 'node:fs';
import path from 'node:path';
import { runCost } from './cost_table.mjs';
import { spreadText } from './figures.mjs';
import { readJson, readNumber, readWrk } from './stats.mjs';

const env = process.env;
const int = (x) => (x === null || x === undefined ? '—' : Math.round(x).toLocaleString('en-US'));
const fixed = (digits) => (x) => (x === null || x === undefined ? '—' : x.toFixed(digits));

// { sink_reference, sink_ratio } of a run whose value is `value`; nulls
// without a wrk-sink.txt (a run made before the sink existed).
export function sinkReference(dir, value) {
  const file = path.join(dir, 'wrk-sink.txt');
  if (!fs.existsSync(file)) return { sink_reference: null, sink_ratio: null };
  const wrk = readWrk(file);
  return { sink_reference: wrk.requests_per_s, sink_ratio: value / wrk.requests_per_s };
}

export function sinkFigure() {
  return {
    id: 'P1-SINK',
    what: 'end-to-end against the epoll sink: P1 (events/s published over the API and ' +
      `delivered, sustained ${env.BENCH_P1_SECONDS} s, ${env.BENCH_CONNECTIONS} connections) ` +
      'with bench/sink as the endpoint, ÷ wrk against that same sink',
    target: '— (for information: the distance to the machine\'s limit)',
    analyze(dir) {
      const wrk = readWrk(path.join(dir, 'wrk-sink.txt'));
      const load = readJson(path.join(dir, 'load.json'));
      const before = readNumber(path.join(dir, 'count-before.txt'));
      const window = readNumber(path.join(dir, 'count-window.txt'));
      const settled = readNumber(path.join(dir, 'count-settled.txt'));
      const deliveredPerS = (window - before) / load.seconds;
      const value = Math.min(load.acked_per_s, deliveredPerS);
      const notes = [];
      if (load.sent > load.acked) notes.push(`${load.sent - load.acked} of ${load.sent} publish requests failed`);
      if (settled - before < load.acked) {
        notes.push(`${load.acked - (settled - before)} published events not delivered ` +
          `${env.BENCH_SETTLE_SECONDS} s after publishing ended`);
      }
      return {
        value, reference: wrk.requests_per_s, ratio: value / wrk.requests_per_s,
        published_per_s: load.acked_per_s, delivered_per_s: deliveredPerS,
        cost: runCost(dir, settled - before), notes,
      };
    },
    row(runs) {
      return {
        measured: `${spreadText(runs, 'value', int)} events/s`,
        reference: `sink: wrk ${spreadText(runs, 'reference', int)} req/s`,
        ratio: spreadText(runs, 'ratio', fixed(3)),
        met: null,
      };
    },
    columns: [
      ['events/s (min of published, delivered)', (r) => int(r.value)],
      ['published/s', (r) => int(r.published_per_s)],
      ['delivered/s in the window', (r) => int(r.delivered_per_s)],
      ['sink wrk req/s', (r) => int(r.reference)],
      ['ratio', (r) => fixed(3)(r.ratio)],
    ],
  };
}
