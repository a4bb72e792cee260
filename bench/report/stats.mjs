// Small statistics and file helpers for the benchmark report.
import fs from 'node:fs';

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// { median, min, max, n } of the finite numbers in `values`, or null if none.
export function spread(values) {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return null;
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

// The p-th percentile (0–100) of an ascending array, nearest rank.
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function readText(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
}

export function readNumber(file) {
  const text = readText(file);
  return text === null || text === '' ? null : Number(text);
}

// The "wrk_json {...}" line that bench/wrk/post_1k.lua prints.
export function readWrk(file) {
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('wrk_json '));
  if (!line) throw new Error(`no wrk_json line in ${file}`);
  return JSON.parse(line.slice('wrk_json '.length));
}

// Lines of whitespace-separated fields.
export function readRows(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => l.split(' '));
}
