// The per-event cost table (bench/report/cost_table.mjs) from /proc snapshots
// written the way bench/lib/thread_cpu.sh writes them: a thread's time goes to
// the stage its name says; names it does not know, threads born or ended in the
// window, and baselines with other names still add up.
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const modulePath = path.join(__dirname, '..', '..', 'bench', 'report', 'cost_table.mjs');

function runDir(start, end) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-cost-'));
  fs.writeFileSync(path.join(dir, 'cpu-start.txt'), start.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'cpu-end.txt'), end.join('\n') + '\n');
  return dir;
}

test('each thread name counts in its stage, per event, in µs', async () => {
  const { runCost, byStage } = await import(modulePath);
  const dir = runDir(
    ['thread 10 hl-api-io 1000000', 'thread 11 hl-api-work 0', 'thread 12 hl-commit 5000000',
      'thread 13 hookline 0', 'process 10 10000000'],
    // 11 and 14 share a name; 15 is a name the map does not know; 13 ended
    // (its 40 ms, and whatever it ran before, are left in the process count).
    ['thread 10 hl-api-io 3000000', 'thread 11 hl-api-work 4000000', 'thread 12 hl-commit 9000000',
      'thread 14 hl-api-work 2000000', 'thread 15 hl-brand-new 1000000', 'process 10 63000000']);
  const cost = runCost(dir, 1000);
  assert.strictEqual(cost.events, 1000);
  assert.deepStrictEqual(cost.threads, {
    'hl-api-io': 2, 'hl-api-work': 6, 'hl-commit': 4, 'hl-brand-new': 1,
    '(threads ended in the window)': 40,
  });
  const stages = byStage(cost.threads);
  assert.strictEqual(stages['HTTP parse'], 2);
  assert.strictEqual(stages['validate+render'], 6);
  assert.strictEqual(stages.commit, 4);
  assert.strictEqual(stages.other, 41);
  assert.strictEqual(stages.total, 53);
  assert.strictEqual(cost.postgres, null);
});

test('a difference within the process count\'s tick resolution is not an ended thread', async () => {
  const { runCost } = await import(modulePath);
  const dir = runDir(['thread 1 hl-sender 0', 'process 1 0'],
    ['thread 1 hl-sender 95000000', 'process 1 100000000']);
  assert.deepStrictEqual(runCost(dir, 10).threads, { 'hl-sender': 9500 });
});

test('no snapshots, no cost', async () => {
  const { runCost } = await import(modulePath);
  assert.strictEqual(runCost(fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-cost-')), 10), null);
});

test('runs and a baseline with different thread names make one table', async () => {
  const { medianCost, costSection } = await import(modulePath);
  const after = medianCost([
    { events: 10, threads: { 'hl-sender': 3, 'hl-outcomes': 1 }, postgres: null },
    { events: 20, threads: { 'hl-sender': 5 }, postgres: null },
    null,
  ]);
  assert.deepStrictEqual(after, {
    runs: 2, events: 15, threads: { 'hl-sender': 4, 'hl-outcomes': 0.5 }, postgres: null,
  });
  const baseline = { commit: 'abcdef1234', date: '2026-12-02T00:00:00Z',
    figures: { P2: { events: 5, threads: { 'hl-old-thread': 7, 'hl-sender': 2 }, postgres: null } } };
  const lines = costSection({ commit: '0123456789', date: '2026-12-03T00:00:00Z', figures: { P2: after } },
    baseline);
  const row = (label) => lines.find((l) => l.startsWith(`| P2 | ${label} |`)).split(' | ');
  // figure, label, then HTTP parse … outcome, other, total.
  assert.deepStrictEqual(row('before').slice(2, 11), ['0.0', '0.0', '0.0', '0.0', '2.0', '0.0', '7.0', '9.0', '—']);
  assert.deepStrictEqual(row('after').slice(2, 11), ['0.0', '0.0', '0.0', '0.0', '4.0', '0.5', '0.0', '4.5', '—']);
  assert.ok(!lines.some((l) => l.startsWith('| P1 |')), 'a figure in neither has no rows');
});
