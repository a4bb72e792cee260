#!/usr/bin/env node
// Publishes COUNT events one after the other (POST /v1/events, JSON body) and
// prints their ids in creation order, one per line.
// Usage: publish.js API_BASE API_KEY COUNT [TYPE]
'use strict';
const [apiBase, apiKey, countText, type = 'customer.created'] = process.argv.slice(2);

async function main() {
  for (let i = 0; i < parseInt(countText, 10); i++) {
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
