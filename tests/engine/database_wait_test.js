#!/usr/bin/env node
// Issue 11 item 6c: `hookline serve --database …` while PostgreSQL is down.
//  - `--database-wait 0`: exits at once with status 1 and a message naming the
//    database's host and port, never its password.
//  - the default wait: logs that it cannot reach the database and tries again;
//    SIGTERM meanwhile stops it cleanly (status 0).
//  - `--database-wait 120`, the database started meanwhile: the node comes up
//    on its own, serves /readyz 200 and takes an event.
// Usage: database_wait_test.js HOOKLINE_BINARY
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const { api, startServer, tempDir, waitFor } = require('./hookline_process');
const { PrivatePostgres } = require('../support/private_postgres');

const binary = process.argv[2];
const key = 'sk_test_dbwait0123456789abcdef';
const password = 'pw-never-in-logs-7f3a';

// A `hookline serve` run that is not expected to get ready: its exit and output.
function serve(conninfo, flags) {
  const child = spawn(binary, ['serve', '--port', '0', '--database', conninfo, ...flags], {
    env: { ...process.env, HOOKLINE_SECRET_KEY: key }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = { child, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => { run.stdout += d; });
  child.stderr.on('data', (d) => { run.stderr += d; });
  run.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return run;
}

async function main() {
  const postgres = new PrivatePostgres();
  await postgres.start();
  const conninfo = `${postgres.createDatabase('hookline_wait')} password=${password}`;
  await postgres.pause();
  try {
    // Fail at once.
    const once = serve(conninfo, ['--database-wait', '0']);
    const onceExit = await once.exited;
    assert.strictEqual(onceExit.code, 1, once.stderr);
    assert.match(once.stderr, /cannot start: the database .*host=\S*hlpg-\S* port=5432/, once.stderr);
    assert.ok(!once.stderr.includes(password) && !once.stdout.includes(password), once.stderr);
    console.log(`--database-wait 0: exit 1: ${once.stderr.trim().split('\n')[0]}`);

    // The default wait, stopped by SIGTERM.
    const waiting = serve(conninfo, []);
    await waitFor(() => /cannot be reached.*trying again/.test(waiting.stderr), 30000,
      'a log line saying that the database cannot be reached and is tried again');
    waiting.child.kill('SIGTERM');
    const waitingExit = await waiting.exited;
    assert.strictEqual(waitingExit.code, 0, waiting.stderr);
    assert.ok(!waiting.stderr.includes(password), waiting.stderr);
    console.log(`waiting, then SIGTERM: exit 0 after: ${waiting.stderr.trim().split('\n')[0]}`);

    // The database comes up while the node waits for it.
    const starting = startServer(binary, tempDir('hookline-wait-'), key,
      { store: ['--database', conninfo], flags: ['--database-wait', '120'] });
    await new Promise((r) => setTimeout(r, 2000));
    await postgres.resume();
    const node = await starting;
    try {
      assert.match(node.stderr(), /cannot be reached/);
      assert.ok(!node.stderr().includes(password), node.stderr());
      assert.strictEqual((await api(node.port, key, 'GET', '/readyz')).status, 200);
      const event = await api(node.port, key, 'POST', '/v1/events', {
        type: 'customer.created', data: { object: { id: 'cus_wait', object: 'customer' } },
      });
      assert.strictEqual(event.status, 200, JSON.stringify(event.body));
      console.log('--database-wait 120: the node started once the database came up, and serves');
    } finally {
      await node.stop();
    }
  } finally {
    await postgres.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
