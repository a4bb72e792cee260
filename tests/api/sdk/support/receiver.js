// A local webhook receiver for the SDK suite: each endpoint gets its own path
// and secret; every delivery is verified with stripe-node's
// webhooks.constructEvent and recorded. Answers 200 when verified, 400 when
// not, or the status set for the path with failWith().
'use strict';
const http = require('node:http');
const { Stripe } = require('./hookline');

const verifier = new Stripe('sk_test_unused');

class Receiver {
  constructor() {
    this.secrets = new Map();  // path -> [secret, …]
    this.statuses = new Map();  // path -> forced status
    this.deliveries = [];  // {path, verified, error, event, signature, userAgent}
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    return this;
  }

  stop() {
    this.server.closeAllConnections?.();
    return new Promise((resolve) => this.server.close(resolve));
  }

  // The URL of a new path whose deliveries verify against `secret` (set later
  // with setSecret when the endpoint is created after its URL is needed).
  url(name) { return `http://127.0.0.1:${this.port}/hook/${name}`; }
  setSecret(name, secret) { this.secrets.set(`/hook/${name}`, [secret]); }
  failWith(name, status) { this.statuses.set(`/hook/${name}`, status); }

  handle(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = req.url.split('?')[0];
      const entry = { path, name: path.replace(/^\/hook\//, ''), verified: false, error: null,
        event: null, signature: req.headers['stripe-signature'],
        userAgent: req.headers['user-agent'] };
      const secrets = this.secrets.get(path) || [];
      for (const secret of secrets) {
        try {
          entry.event = verifier.webhooks.constructEvent(raw, entry.signature, secret);
          entry.verified = true;
          entry.error = null;
          break;
        } catch (e) {
          entry.error = e.message;
        }
      }
      if (secrets.length === 0) entry.error = 'no secret for this path';
      this.deliveries.push(entry);
      const status = this.statuses.get(path) ?? (entry.verified ? 200 : 400);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ received: entry.verified }));
    });
  }

  // The verified deliveries to `name`, as "event id" strings.
  eventIdsOf(name) {
    return this.deliveries.filter((d) => d.name === name && d.verified).map((d) => d.event.id);
  }
  unverified() { return this.deliveries.filter((d) => !d.verified); }
}

module.exports = { Receiver };
