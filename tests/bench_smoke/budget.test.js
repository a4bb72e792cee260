// The CPU budget at the target (bench/report/budget.mjs) from peer snapshots
// written the way bench/lib/thread_cpu.sh writes them, and that script's
// reading of bash's `times`.
const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const repo = path.join(__dirname, '..', '..');
const modulePath = path.join(repo, 'bench', 'report', 'budget.mjs');

function runDir(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-budget-'));
  for (const [name, lines] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
  }
  return dir;
}

const wrkLine = (requests, seconds) =>
  `wrk_json {"requests":${requests},"seconds":${seconds},"requests_per_s":${requests / seconds},` +
  '"errors":0,"body_bytes":1024,"latency_p50_us":100,"latency_p99_us":900}';

test('the reference and the window are divided by their own counts', async () => {
  const { runBudget } = await import(modulePath);
  const dir = runDir({
    // 100,000 requests in 10 s: the receiver 1.5 s, wrk 0.5 s of CPU.
    'wrk.txt': ['Running 10s test', wrkLine(100000, 10)],
    'wrk-peers-start.txt': ['endpoint 42 1000000000', 'bench 3000000000'],
    'wrk-peers-end.txt': ['endpoint 42 2500000000', 'bench 3500000000'],
    // 20,000 events in the window: the receiver 0.2 s, the load generator 0.1 s.
    'peers-start.txt': ['endpoint 42 2500000000', 'bench 3500000000'],
    'peers-end.txt': ['endpoint 42 2700000000', 'bench 3600000000'],
    // Against the sink: wrk 0.6 s of CPU for 200,000 requests; libcurl alone 9.5 µs.
    'wrk-sink.txt': [wrkLine(200000, 10)],
    'wrk-sink-peers-start.txt': ['endpoint 9 0', 'bench 4000000000'],
    'wrk-sink-peers-end.txt': ['endpoint 9 700000000', 'bench 4600000000'],
    'curl-floor.txt': ['curl_floor_json {"requests":1000,"failed":0,"seconds":0.1,' +
      '"requests_per_s":10000.0,"cpu_us_per_request":9.50,"libcurl":"7.88.1"}'],
  });
  const budget = runBudget(dir, 'wrk.txt', 20000, { threads: { 'hl-commit': 30, 'hl-dispatch': 20 }, postgres: null });
  assert.deepStrictEqual(budget, {
    wrk_per_s: 10000,
    reference_endpoint_us: 15,
    reference_wrk_us: 5,
    reference_cores: 0.2,
    endpoint_us: 10,
    bench_us: 5,
    hookline_us: 50,
    postgres_us: null,
    sink_wrk_us: 3,
    curl_floor_us: 9.5,
  });
});

test('an endpoint started inside the window counts from zero', async () => {
  const { runBudget } = await import(modulePath);
  const dir = runDir({
    'wrk.txt': [wrkLine(1000, 1)],
    'wrk-peers-start.txt': ['endpoint 7 0', 'bench 0'],
    'wrk-peers-end.txt': ['endpoint 7 10000000', 'bench 0'],
    // P2: the window opens while the receiver is down (the pid of an earlier one).
    'peers-start.txt': ['endpoint 5 900000000', 'bench 0'],
    'peers-end.txt': ['endpoint 7 40000000', 'bench 20000000'],
  });
  const budget = runBudget(dir, 'wrk.txt', 1000, { threads: {}, postgres: 300 });
  assert.strictEqual(budget.endpoint_us, 40);
  assert.strictEqual(budget.bench_us, 20);
  assert.strictEqual(budget.postgres_us, 300);
  assert.strictEqual(budget.sink_wrk_us, null, 'no sink reference in this run');
  assert.strictEqual(budget.curl_floor_us, null);
});

test('runs without peer snapshots have no budget and no section', async () => {
  const { runBudget, budgetSection } = await import(modulePath);
  const dir = runDir({ 'wrk.txt': [wrkLine(1000, 1)] });
  assert.strictEqual(runBudget(dir, 'wrk.txt', 10, { threads: {}, postgres: null }), null);
  assert.deepStrictEqual(budgetSection([[{ id: 'P1' }, { runs: [{ budget: null }] }]]), []);
});

test('the section leaves hookline what the cores give at the target rate minus the others', async () => {
  const { budgetSection } = await import(modulePath);
  const b = {
    wrk_per_s: 100000, reference_endpoint_us: 15, reference_wrk_us: 5, reference_cores: 2,
    endpoint_us: 10, bench_us: 5, hookline_us: 50, postgres_us: null,
  };
  const lines = budgetSection([[{ id: 'P1' }, { runs: [{ budget: b }] }], [{ id: 'P4' }, { runs: [{ budget: b }] }]]);
  const cores = os.cpus().length;
  const all = (cores * 1e6) / 35000;
  const row = lines.find((l) => l.startsWith('| P1 |'));
  assert.ok(row.includes('0.35 × 100,000 = 35,000/s'), row);
  const left = all - 15;
  const shown = (x) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
  assert.ok(row.includes(`| ${shown(left)} µs | 50 µs |`), row);
  assert.ok(!lines.some((l) => l.startsWith('| P4 |')), 'P4 has no ratio target');
});

test('thread_cpu.sh reads the children\'s user and system time of `times` in ns', () => {
  const script = `source "${repo}/bench/lib/thread_cpu.sh"; ` +
    'printf "0m0.010s 0m0.004s\\n1m2.345s 0m0.655s\\n" | children_times_ns';
  assert.strictEqual(execFileSync('bash', ['-c', script]).toString().trim(), String(63e9));
});
