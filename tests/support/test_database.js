// Node suites on PostgreSQL: with HOOKLINE_TEST_DATABASE set to a libpq
// connection string of a PostgreSQL server's superuser (pg_test_server.sh
// prints one), every `hookline serve` a test starts gets `--database` with a
// database of its own instead of `--data-dir`. Unset: SQLite, as before.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const created = new Set();

function psqlPath() {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => b - a) : [];
  for (const version of versions) {
    const candidate = path.join(root, version, 'bin', 'psql');
    if (fs.existsSync(candidate)) return candidate;
  }
  return 'psql';
}

// The flags that choose the store for a server whose data dir is `dataDir`:
// the same data dir (a restarted server) maps to the same database.
function storeFlags(dataDir) {
  const server = process.env.HOOKLINE_TEST_DATABASE;
  if (!server) return ['--data-dir', dataDir];
  const name = `hookline_${path.basename(dataDir).toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  if (!created.has(name)) {
    execFileSync(psqlPath(), [`${server} dbname=postgres`, '-v', 'ON_ERROR_STOP=1', '-qc',
      `CREATE DATABASE ${name}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    created.add(name);
  }
  return ['--database', `${server} dbname=${name}`];
}

module.exports = { storeFlags };
