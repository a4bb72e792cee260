// A PostgreSQL server of one test's own (tests/support/pg_test_server.sh in a
// fresh /tmp directory: initdb, unix socket only), for the tests that stop or
// restart the database under a running hookline and so cannot share the CTest
// fixture's server.
'use strict';
const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const script = path.join(__dirname, 'pg_test_server.sh');

class PrivatePostgres {
  constructor() {
    // Short: the unix socket's path must fit in 107 bytes.
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hlpg-'));
    this.server = `host=${this.dir} port=5432 user=postgres`;
    this.started = false;
    // However the test ends (a failed assertion, process.exit), nothing is left behind.
    process.once('exit', () => {
      if (!this.started) return;
      try {
        execFileSync('bash', [script, 'stop', this.dir], { stdio: 'ignore' });
      } catch (e) {
        // exiting anyway
      }
    });
  }

  // Resolves when pg_test_server.sh is done; the event loop (the test's
  // publishers) keeps running meanwhile.
  run(command) {
    return new Promise((resolve, reject) => {
      execFile('bash', [script, command, this.dir], (error, stdout, stderr) => {
        if (error) reject(new Error(`pg_test_server.sh ${command} failed: ${stderr}`));
        else resolve();
      });
    });
  }

  start() { this.started = true; return this.run('start'); }
  restart() { return this.run('restart'); }  // pg_ctl restart -m fast
  pause() { return this.run('pause'); }
  resume() { return this.run('resume'); }
  stop() { this.started = false; return this.run('stop'); }  // and remove everything

  // A new database; returns its connection string.
  createDatabase(name) {
    execFileSync(psqlPath(), [`${this.server} dbname=postgres`, '-v', 'ON_ERROR_STOP=1', '-qc',
      `CREATE DATABASE ${name}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    return `${this.server} dbname=${name}`;
  }
}

function psqlPath() {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => b - a) : [];
  for (const version of versions) {
    const candidate = path.join(root, version, 'bin', 'psql');
    if (fs.existsSync(candidate)) return candidate;
  }
  return 'psql';
}

module.exports = { PrivatePostgres };
