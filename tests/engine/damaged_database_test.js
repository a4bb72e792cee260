#!/usr/bin/env node
// Issue 10 item 8: "A database with flipped bytes starts and serves garbage."
// Fills a data dir through the API, stops the server, flips bytes in pages of
// its database, and checks that `hookline serve` then refuses to start, with
// status 1 and a message that names the file and says what to do.
// Usage: damaged_database_test.js HOOKLINE_BINARY
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { api, startServer, tempDir } = require('./hookline_process');

const binary = process.argv[2];
const key = 'sk_test_damageddatabase0123456789abcdef';
const kPage = 4096;

async function main() {
  const dataDir = tempDir('hookline-damaged-');
  const database = path.join(dataDir, 'hookline.db');
  let server = await startServer(binary, dataDir, key);
  for (let i = 0; i < 200; i++) {
    const response = await api(server.port, key, 'POST', '/v1/events', {
      type: 'customer.created',
      data: { object: { id: `cus_${i}`, object: 'customer', description: 'x'.repeat(4000) } },
    });
    assert.strictEqual(response.status, 200, JSON.stringify(response.body));
  }
  assert.strictEqual((await server.stop()).code, 0);

  // The clean stop checkpointed the WAL into the file: damage its pages there.
  const size = fs.statSync(database).size;
  assert.ok(size > 64 * kPage, `database of ${size} bytes`);
  const fd = fs.openSync(database, 'r+');
  for (let page = 20; page < 30; page++) {
    const header = Buffer.alloc(12);
    fs.readSync(fd, header, 0, header.length, page * kPage);
    for (let i = 0; i < header.length; i++) header[i] ^= 0xff;
    fs.writeSync(fd, header, 0, header.length, page * kPage);
  }
  fs.closeSync(fd);

  let refusal = null;
  try {
    server = await startServer(binary, dataDir, key);
  } catch (e) {
    refusal = e.message;
  }
  if (refusal === null) {
    await server.stop();
    assert.fail('hookline serve started on a damaged database');
  }
  assert.match(refusal, /exited \(1\)/);
  assert.match(refusal, /hookline serve: cannot start: the database .*hookline\.db is damaged/);
  assert.match(refusal, /Restore it from a backup/);
  console.log(refusal.split('\n').find((line) => line.includes('cannot start')));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
