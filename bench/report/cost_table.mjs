// The per-event cost table: the server's CPU time per event delivered, by
// stage of the pipeline, before (bench/cost-baseline.json) and after (this
// run). hookline names each thread after the stage it serves
// (src/core/thread_name.hpp); bench/lib/thread_cpu.sh reads every thread's
// CPU time from /proc at the start and the end of a figure's window, and
// here the time of each thread name is divided by the events delivered in the
// window and added up by stage. Nothing is measured inside the server.
import fs from 'node:fs';
import path from 'node:path';
import { spread } from './stats.mjs';

// Thread name (its start) → stage, the first match wins. A name not listed
// here (the main thread is "hookline"; threads that pools or libraries start
// take their starter's name) counts as "other", so that names appearing or
// disappearing never break the table: the threads are listed by name beside it.
export const threadStages = [
  [/^hl-api-io/, 'HTTP parse', 'hl-api-io: the API\'s I/O threads (read and parse requests, write answers; on SQLite they also run unkeyed publishes: authenticate, validate, route, render)'],
  [/^hl-api-work/, 'validate+render', 'hl-api-work: the API\'s handler pool (authenticate, validate, route, render the body)'],
  [/^hl-(commit|checkpoint)/, 'commit', 'hl-commit: the group-commit writer (since the second pass it also completes the publish requests: renders their headers and posts the answers); hl-checkpoint: the SQLite WAL checkpointer'],
  [/^hl-(dispatch|pg-listen)/, 'claim/hand-over', 'hl-dispatch: the dispatcher (claims due deliveries, takes the commit\'s hand-over; since the second pass it also runs the sender on its own loop, so its send time is here and send reads 0 after); hl-dispatch-clm: its claims, on their own thread since h16d; hl-pg-listen: the PostgreSQL LISTEN thread'],
  [/^hl-send/, 'send', 'hl-sender: the sender\'s own thread before the second pass (libcurl multi: sign, connect, write, read the answer)'],
  [/^hl-outcome/, 'outcome', 'hl-outcomes: the outcome recorder (writes attempts and states back)'],
];
export const stages = ['HTTP parse', 'validate+render', 'commit', 'claim/hand-over', 'send', 'outcome', 'other'];
export const endedThreads = '(threads ended in the window)';
// The figures whose runs carry a cost (their analyze() calls runCost).
export const costFigures = ['P1', 'P2', 'P1-SINK', 'P1-PG', 'P2-PG'];

export const stageOf = (name) => threadStages.find(([re]) => re.test(name))?.[1] ?? 'other';

// "thread TID NAME NS" and "process PID NS" lines.
function readSnapshot(file) {
  const snapshot = { threads: new Map(), process: null };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'thread') snapshot.threads.set(f[1], { name: f[2], ns: Number(f[3]) });
    if (f[0] === 'process') snapshot.process = Number(f[2]);
  }
  return snapshot;
}

// The CPU µs per event of one run's window, by thread name, by stage, in
// total, and the PostgreSQL server's (when measured); null without snapshots.
export function runCost(dir, events) {
  const startFile = path.join(dir, 'cpu-start.txt');
  const endFile = path.join(dir, 'cpu-end.txt');
  if (!events || !fs.existsSync(startFile) || !fs.existsSync(endFile)) return null;
  const start = readSnapshot(startFile);
  const end = readSnapshot(endFile);
  const usPerEvent = (ns) => ns / 1e3 / events;
  const byName = {};
  let threadNs = 0;
  for (const [tid, { name, ns }] of end.threads) {
    const delta = ns - (start.threads.get(tid)?.ns ?? 0);
    byName[name] = (byName[name] ?? 0) + delta;
    threadNs += delta;
  }
  // The process's own count keeps the time of threads that ended meanwhile;
  // it is in clock ticks (10 ms), so up to two ticks of difference are noise.
  const ended = (end.process - start.process) - threadNs;
  if (ended > 20e6) byName[endedThreads] = ended;
  const threads = Object.fromEntries(Object.entries(byName).map(([n, t]) => [n, usPerEvent(t)]));
  let postgres = null;
  const pgStart = path.join(dir, 'pg-cpu-start.txt');
  const pgEnd = path.join(dir, 'pg-cpu-end.txt');
  if (fs.existsSync(pgStart) && fs.existsSync(pgEnd)) {
    postgres = usPerEvent(readSnapshot(pgEnd).process - readSnapshot(pgStart).process);
  }
  return { events, threads, postgres };
}

// Stage totals of a { threads } cost with the current map.
export function byStage(threads) {
  const totals = Object.fromEntries(stages.map((s) => [s, 0]));
  for (const [name, us] of Object.entries(threads)) totals[stageOf(name)] += us;
  totals.total = Object.values(threads).reduce((a, b) => a + b, 0);
  return totals;
}

// The median over runs, per thread name (a name missing in a run counts 0 there).
export function medianCost(costs) {
  const present = costs.filter(Boolean);
  if (present.length === 0) return null;
  const names = new Set(present.flatMap((c) => Object.keys(c.threads)));
  const med = (values) => spread(values)?.median ?? null;
  return {
    runs: present.length,
    events: med(present.map((c) => c.events)),
    threads: Object.fromEntries([...names].map((n) => [n, med(present.map((c) => c.threads[n] ?? 0))])),
    postgres: med(present.map((c) => c.postgres)),
  };
}

export function readBaseline(repo) {
  const file = path.join(repo, 'bench', 'cost-baseline.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

// This run's costs in the baseline's format (WORK/cost.json): copied to
// bench/cost-baseline.json, it becomes the "before" of the next pass.
export function costRecord(collectedAll, header) {
  const figures = {};
  for (const [figure, collected] of collectedAll) {
    if (!costFigures.includes(figure.id)) continue;
    const cost = medianCost(collected.runs.map((r) => r.cost));
    if (cost) figures[figure.id] = cost;
  }
  return { ...header, figures };
}

const us = (x) => (x === null || x === undefined ? '—' : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));

// The report's section, as lines of Markdown.
export function costSection(record, baseline) {
  const lines = [];
  const out = (line = '') => lines.push(line);
  out('## Per-event CPU cost by stage');
  out();
  out('CPU time of the server (each thread\'s time on a CPU, from `/proc/PID/task/*/schedstat`, ' +
    'by the thread\'s name in `/proc/PID/task/*/stat`) over each figure\'s window — P1: from the start of publishing until ' +
    'every accepted event was delivered; P2: from the receiver\'s start to the last delivery — ' +
    'divided by the events delivered in it, in µs per event, median of the runs. Each thread ' +
    'is counted in the stage its name says (the map below); "PostgreSQL" is the database ' +
    'server\'s processes, apart from hookline\'s total. P2 publishes nothing in its window: ' +
    'its HTTP parse, validate+render and commit stages are near zero.');
  out();
  const when = (r) => (r ? `${(r.commit ?? '?').slice(0, 9)}, ${String(r.date ?? '').slice(0, 10)}` : '');
  out(`Before: \`bench/cost-baseline.json\`${baseline ? ` (${when(baseline)}; ${baseline.note ?? ''})` : ' (none committed)'}. ` +
    `After: this run (${when(record)}).`);
  out();
  out(`| figure | | ${stages.join(' | ')} | hookline total | PostgreSQL | events |`);
  out(`| --- | --- | ${stages.map(() => '---').join(' | ')} | --- | --- | --- |`);
  const row = (id, label, cost) => {
    if (!cost) {
      out(`| ${id} | ${label} | ${stages.map(() => '—').join(' | ')} | — | — | — |`);
      return;
    }
    const s = byStage(cost.threads);
    out(`| ${id} | ${label} | ${stages.map((st) => us(s[st])).join(' | ')} | ${us(s.total)} | ` +
      `${us(cost.postgres)} | ${Math.round(cost.events ?? 0).toLocaleString('en-US')} |`);
  };
  for (const id of costFigures) {
    const before = baseline?.figures?.[id];
    const after = record.figures[id];
    if (!before && !after) continue;
    row(id, 'before', before);
    row(id, 'after', after);
  }
  out();
  out('Threads → stages (by the start of the thread\'s name; any other name, such as the main ' +
    'thread\'s `hookline`, counts as other, and so does the time of threads that ended during ' +
    'the window):');
  out();
  for (const [, stage, text] of threadStages) out(`- ${stage}: ${text}`);
  out();
  out('By thread name, µs per event (after):');
  out();
  for (const id of costFigures) {
    const after = record.figures[id];
    if (!after) continue;
    const names = Object.entries(after.threads).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    out(`- ${id}: ${names.map(([n, v]) => `${n} ${us(v)}`).join(', ') || '—'}`);
  }
  return lines;
}
