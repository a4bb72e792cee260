// Writes BENCHMARKS.md from the raw results bench/run.sh left in
// $BENCH_WORK_DIR: one row per figure (median [min–max] of the runs, its
// reference from the same runs, the target and whether it was met), then the
// runs one by one and the exact commands. A figure that could not be measured
// says why; nothing is invented.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { budgetSection } from './budget.mjs';
import { costRecord, costSection, readBaseline } from './cost_table.mjs';
import { collect, figures } from './figures.mjs';

const env = process.env;
const work = env.BENCH_WORK_DIR;
const repo = env.REPO;
const smoke = env.BENCH_SCALE === 'smoke';
const buildDir = path.relative(repo, env.BUILD_DIR) || '.';

function git(...args) {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function buildType() {
  try {
    const cache = fs.readFileSync(path.join(env.BUILD_DIR, 'CMakeCache.txt'), 'utf8');
    return cache.match(/^CMAKE_BUILD_TYPE:\w+=(.*)$/m)?.[1] || 'default';
  } catch {
    return 'unknown';
  }
}

// Paths inside the repository are shown relative to it.
const relative = (text) => text.split(`${repo}/`).join('');
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const reproduce = (id) => `\`BENCH_ONLY=${id} bash bench/run.sh ${buildDir}\``;

function result(figure, collected) {
  const expected = figure.id === 'P7' ? Number(env.BENCH_RUNS) : Number(env.BENCH_RUNS);
  if (collected.runs.length === 0) {
    const why = collected.notRun || collected.error || 'no results';
    return { measured: `not measured: ${why}`, reference: '—', ratio: '—', verdict: 'not measured' };
  }
  const row = figure.row(collected.runs);
  let verdict = row.met ? 'met' : '**not met**';
  if (row.met === null) verdict = 'for information';
  if (collected.error || collected.runs.length < expected) {
    verdict += ` (${collected.runs.length} of ${expected} runs)`;
  }
  return { ...row, verdict };
}

const lines = [];
const out = (line = '') => lines.push(line);
const commit = git('rev-parse', '--short', 'HEAD');
const dirty = git('status', '--porcelain', '--untracked-files=no');
const cpus = os.cpus();

out('# hookline benchmarks');
out();
if (smoke) {
  out('> **Smoke run** (`BENCH_SCALE=smoke`): tiny sizes and one run, to check that the ' +
    'harness works. These numbers measure nothing; `make bench` gives the real ones.');
  out();
}
out(`Written by \`bash bench/run.sh ${buildDir}\` (what \`make bench\` runs) on ` +
  `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`);
out();
out(`- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ` +
  `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Linux ${os.release()}.`);
out(`- hookline ${commit ?? '(no git)'}${dirty ? ' with uncommitted changes' : ''}, ` +
  `CMake build type ${buildType()}; embedded store (SQLite, durable commits; the -PG ` +
  'figures and P9 on a private PostgreSQL 15 server on the same machine), ' +
  'everything on loopback (127.0.0.1), every process on the same cores.');
out('- The receiver is `bench/receiver` (C++, Beast, keep-alive, answers 200 with an empty ' +
  `body, ${env.BENCH_RECEIVER_THREADS} threads). The reference for P1 and P2 is \`wrk ` +
  `-t${env.BENCH_WRK_THREADS} -c${env.BENCH_CONNECTIONS} -d${env.BENCH_WRK_SECONDS}s\` POSTing a ` +
  '1 KiB JSON body (`bench/wrk/post_1k.lua`) to that same receiver in the same run: the ' +
  'rate one HTTP exchange per event can reach on this machine.');
out('- The second reference is `bench/sink` (C++, no framework: one thread, one epoll set, ' +
  'keep-alive; reads each request just far enough to find its end by Content-Length, answers ' +
  '200 with an empty body, counts requests): the cheapest receiver this machine can run. The ' +
  'same wrk command against it, in the same runs, gives P1 and P2 a second ratio (÷ sink), the ' +
  'distance to the machine\'s limit; P1-SINK is P1 with the sink as the endpoint.');
out('- The per-event cost table (after the figures) divides the server\'s CPU time, thread by ' +
  'thread, by the events of P1 and P2 (and P1-SINK, P1-PG, P2-PG), by stage of the pipeline, ' +
  'beside the same figures before this pass (`bench/cost-baseline.json`).');
out('- The CPU budget at the target (after the cost table) says how much CPU per event the ' +
  'targets of P1 and P2 leave to hookline on these cores, once the receiver and the load ' +
  'generator have had their share, beside what hookline spends.');
out('- Events are published by `bench/load` (C++, keep-alive connections, JSON bodies sized ' +
  'so that the delivered event is about 1 KiB).');
out(`- Each figure: the median of ${env.BENCH_RUNS} runs, [min–max]. A target not met is ` +
  'written as not met, with the measured number.');
out();
out('| id | what | measured: median [min–max] | reference (same runs) | ratio | target | result | command |');
out('| --- | --- | --- | --- | --- | --- | --- | --- |');
const collectedAll = figures.map((figure) => [figure, collect(figure, work)]);
for (const [figure, collected] of collectedAll) {
  const r = result(figure, collected);
  out(`| ${figure.id} | ${cell(figure.what)} | ${cell(r.measured)} | ${cell(r.reference)} | ` +
    `${cell(r.ratio)} | ${cell(figure.target)} | ${cell(r.verdict)} | ${reproduce(figure.id)} |`);
}
out();
const costHeader = {
  commit: git('rev-parse', 'HEAD'),
  uncommitted_changes: Boolean(dirty),
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  machine: `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Linux ${os.release()}`,
  settings: Object.fromEntries(['BENCH_SCALE', 'BENCH_RUNS', 'BENCH_CONNECTIONS', 'BENCH_P1_SECONDS',
    'BENCH_P2_BACKLOG'].map((k) => [k, env[k]])),
};
const record = costRecord(collectedAll, costHeader);
fs.writeFileSync(path.join(work, 'cost.json'), `${JSON.stringify(record, null, 2)}\n`);
for (const line of costSection(record, readBaseline(repo))) out(line);
out();
for (const line of budgetSection(collectedAll)) out(line);
out();
out('## Runs and commands');
for (const [figure, collected] of collectedAll) {
  out();
  out(`### ${figure.id}`);
  out();
  out(`${figure.what}. Target: ${figure.target}.`);
  out();
  if (collected.notRun) out(`Not run: ${collected.notRun}.`);
  if (collected.error) out(`Failed: ${relative(collected.error)}`);
  if (collected.runs.length > 0) {
    out(`| run | ${figure.columns.map(([name]) => name).join(' | ')} |`);
    out(`| --- | ${figure.columns.map(() => '---').join(' | ')} |`);
    collected.runs.forEach((run, i) => {
      out(`| ${i + 1} | ${figure.columns.map(([, f]) => cell(f(run))).join(' | ')} |`);
    });
    const notes = collected.runs.flatMap((run, i) => run.notes.map((n) => `run ${i + 1}: ${n}`));
    if (notes.length > 0) {
      out();
      for (const note of notes) out(`- ${cell(note)}`);
    }
  }
  if (collected.commands) {
    out();
    out('Commands of the first run (ports are picked at run time):');
    out();
    out('```sh');
    out(relative(collected.commands));
    out('```');
  }
}
const profile = path.join(repo, 'bench', 'profile.md');
if (!smoke && fs.existsSync(profile)) {
  out();
  out(fs.readFileSync(profile, 'utf8').trimEnd());
}
// Measured apart from the figures, by its own command (it says which).
const dashboard = path.join(repo, 'bench', 'dashboard', 'RESULTS.md');
if (!smoke && fs.existsSync(dashboard)) {
  out();
  out(fs.readFileSync(dashboard, 'utf8').trimEnd());
}
// Several nodes on one PostgreSQL: the database's work per event and the
// ceiling of a cluster on one primary (measured by hand from P1-PG and P9).
const cluster = path.join(repo, 'bench', 'postgres_cluster.md');
if (!smoke && fs.existsSync(cluster)) {
  out();
  out(fs.readFileSync(cluster, 'utf8').trimEnd());
}
out();
out('## Settings of this run');
out();
out('Every `BENCH_*` variable can be set in the environment (see the Benchmarks section of `README.md`).');
out();
out('```sh');
for (const name of Object.keys(env).filter((k) => k.startsWith('BENCH_')).sort()) {
  if (['BENCH_WORK_DIR', 'BENCH_OUT', 'BENCH_PG_DIR', 'BENCH_PG_SERVER'].includes(name)) continue;
  out(`${name}=${env[name]}`);
}
out('```');

fs.writeFileSync(env.BENCH_OUT, `${lines.join('\n')}\n`);
