// An in-process webhook receiver that verifies each delivery with the official
// `stripe` package and counts deliveries per event id. `secretFor(path)` gives
// the endpoint secret for a request path. With `options.delayMs`, each answer
// waits that long, and a delivery counts only once answered (a sender killed
// meanwhile never saw it succeed).
'use strict';
const http = require('http');
const path = require('path');
const Stripe = require(path.join(__dirname, '../node/node_modules/stripe'));

const stripe = new Stripe('sk_test_unused');

class EventReceiver {
  constructor(secretFor, options = {}) {
    this.secretFor = secretFor;
    this.delayMs = options.delayMs || 0;
    this.counts = new Map();  // event id -> deliveries received
    this.deliveries = 0;
    this.unverified = 0;
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        try {
          const event = stripe.webhooks.constructEvent(Buffer.concat(chunks),
            req.headers['stripe-signature'], this.secretFor(req.url));
          const count = () => {
            this.counts.set(event.id, (this.counts.get(event.id) || 0) + 1);
            this.deliveries++;
            res.writeHead(200).end();
          };
          if (this.delayMs === 0) {
            count();
          } else {
            setTimeout(() => { if (!req.socket.destroyed) count(); }, this.delayMs);
          }
        } catch (e) {
          this.unverified++;
          res.writeHead(400).end(e.message);
        }
      });
    });
    this.server.keepAliveTimeout = 60000;
  }

  listen(port = 0) {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => resolve(this.server.address().port)));
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

// A port nothing listens on (bound, then released).
function freePort() {
  const probe = http.createServer();
  return new Promise((resolve) => probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  }));
}

module.exports = { EventReceiver, freePort };
