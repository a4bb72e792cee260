#!/usr/bin/env node
// Publishes COUNT events one after the other (POST /v1/events, JSON body) and
// prints their ids in creation order, one per line.
// With --window N LOG, event i is published only once LOG (a receiver's log,
// one line per request) has at least i - N lines: at most N events are owed
// to the receiver at any time.
// Usage: publish.js API_BASE API_KEY COUNT [TYPE] [--window N LOG]
'use strict';
const fs = require('fs');

const argv = process.argv.slice(2);
let window = null;
const windowAt = argv.indexOf('--window');
if (windowAt >= 0) {
  window = { size: parseInt(argv[windowAt + 1], 10), log: argv[windowAt + 2] };
  argv.splice(windowAt, 3);
}
const [apiBase, apiKey, countText, type = 'customer.created'] = argv;

// Lines in the log so far, reading only what was appended since the last call.
const logLines = { count: 0, offset: 0 };
function countLogLines() {
  const fd = fs.openSync(window.log, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, logLines.offset);
      if (read === 0) break;
      logLines.offset += read;
      for (let i = 0; i < read; i++) if (buffer[i] === 0x0a) logLines.count++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return logLines.count;
}

// Waits until the receiver has logged `needed` requests; fails after a minute without progress.
async function receiverReached(needed) {
  let last = -1;
  let since = Date.now();
  while (countLogLines() < needed) {
    if (logLines.count !== last) {
      last = logLines.count;
      since = Date.now();
    } else if (Date.now() - since > 60000) {
      throw new Error(`the receiver logged ${last} requests and no more for a minute (waiting for ${needed})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function main() {
  for (let i = 0; i < parseInt(countText, 10); i++) {
    if (window) await receiverReached(i - window.size);
    const response = await fetch(`${apiBase}/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type, data: { object: { id: `cus_order${i}`, object: 'customer', sequence: i } } }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`publish ${i}: ${response.status} ${JSON.stringify(body)}`);
    console.log(body.id);
  }
}
main().catch((e) => { console.error(e.message); process.exit(1); });
