#!/usr/bin/env node
// A webhook receiver for the CLI's end-to-end tests. It verifies every request
// with the official `stripe` package's constructEvent (the secret for
// /webhook and for /connect_webhook may differ), answers 200 or 400 (or the
// status in the file named by --status-file, when it exists), and appends one
// JSON line per request to --log:
//   {"path","verified","error","type","id","account","body","headers"}
// Prints "listening on <port>" once ready. Usage:
//   receiver.js --log FILE [--port 0] [--secret whsec_…] [--connect-secret whsec_…]
//               [--status-file FILE]
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const Stripe = require(path.join(__dirname, '../../node/node_modules/stripe'));

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const stripe = new Stripe('sk_test_unused');

function secretFor(urlPath) {
  let secret = args.secret;
  if (urlPath === '/connect_webhook' && args['connect-secret']) secret = args['connect-secret'];
  return secret;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const urlPath = req.url.split('?')[0];
    const entry = { path: urlPath, verified: false, error: '', headers: req.headers, body: raw.toString('utf8') };
    try {
      const event = stripe.webhooks.constructEvent(raw, req.headers['stripe-signature'], secretFor(urlPath));
      entry.verified = true;
      entry.type = event.type;
      entry.id = event.id;
      entry.account = event.account || null;
    } catch (e) {
      entry.error = e.message;
    }
    fs.appendFileSync(args.log, JSON.stringify(entry) + '\n');
    let status = entry.verified ? 200 : 400;
    if (args['status-file'] && fs.existsSync(args['status-file'])) {
      status = parseInt(fs.readFileSync(args['status-file'], 'utf8'), 10);
    }
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ received: entry.verified }));
  });
});
server.listen(parseInt(args.port || '0', 10), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
