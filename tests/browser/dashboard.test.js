// Issue 14: the dashboard, end to end in Debian's chromium (playwright-core)
// against a real `hookline serve` and a real receiver. Every page: no console
// error, no script run from data, no CSP violation, no serious or critical axe
// violation, a screenshot under the build folder (1280×800 and 390 wide).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const { TEST_KEY, LIVE_KEY, startHookline, startReceiver, api, launchBrowser } = require('./support');

const binary = process.argv[2] || process.env.HOOKLINE_BIN;
const shots = path.join(process.env.HOOKLINE_BUILD_DIR || path.join(__dirname, '../../build'), 'dashboard-screenshots');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const XSS = '<img src=x onerror=alert(1)>';

// Whatever a page does wrong: console errors, uncaught exceptions, dialogs
// (alert(1) from data would open one), CSP violations.
function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return problems;
}

function nav(page, name) {
  return page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true });
}

async function checkPage(page, problems, name) {
  await page.waitForLoadState('networkidle');
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${name}`);
  fs.mkdirSync(shots, { recursive: true });
  const width = page.viewportSize().width;
  await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  assert.deepEqual(problems, [], `problems on ${name}`);
  // The key is never in a URL or the page's HTML.
  assert.ok(!page.url().includes('sk_'), page.url());
  assert.ok(!(await page.content()).includes(TEST_KEY), `key in the HTML of ${name}`);
}

// The rows of the endpoints list's own table (by its caption): right after a
// route change the page before's table can still be the first on the page.
function endpointRows(page) {
  return page.locator('table', { has: page.locator('caption', { hasText: 'Webhook endpoints' }) })
    .locator('tbody tr');
}

test('the dashboard, end to end', { timeout: 240_000 }, async (t) => {
  assert.ok(binary && fs.existsSync(binary), `the hookline binary is needed (got ${binary})`);
  const server = await startHookline(binary);
  const receiver = await startReceiver();
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await receiver.close(); await server.stop(); });
  const call = api(server.baseUrl, TEST_KEY);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = watch(page);
  page.setDefaultTimeout(20_000);

  // Sign in, by keyboard: the key field is the first stop.
  await page.goto(server.baseUrl + '/');
  await page.getByRole('heading', { name: 'Sign in to hookline' }).waitFor();
  await checkPage(page, problems, 'signin');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'key');
  await page.keyboard.type(TEST_KEY);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByTestId('events-total').waitFor();
  await checkPage(page, problems, 'overview');
  // Each chart fills its card's width (once the charts have been sized to their
  // cards, which a loaded machine may take a moment to do).
  await page.waitForFunction(() => [...document.querySelectorAll('figure.chart')].every((f) => {
    const canvas = f.querySelector('canvas');
    return canvas && canvas.getBoundingClientRect().width >= f.getBoundingClientRect().width * 0.95;
  }), null, { timeout: 20_000 }).catch(() => {});
  for (const figure of await page.locator('figure.chart').all()) {
    const [chart, card] = await figure.evaluate((f) => [f.querySelector('canvas').getBoundingClientRect().width, f.getBoundingClientRect().width]);
    assert.ok(chart >= card * 0.95, `a chart ${chart}px wide in a card ${card}px wide`);
  }

  // Create an endpoint from the form, with every event type, and markup in its description.
  await nav(page, 'Webhook endpoints').click();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('Endpoint URL').fill(`${receiver.url}/hook`);
  await page.getByLabel('Description').fill(`desc ${XSS}`);
  await page.getByRole('radio', { name: /Connect/ }).check();
  await page.getByLabel('Find event types').fill('payment_intent.succ');
  await page.getByRole('checkbox', { name: 'payment_intent.succeeded' }).check();
  await page.getByRole('checkbox', { name: /Every event type/ }).check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByRole('heading', { name: `${receiver.url}/hook` }).waitFor();
  const endpointId = page.url().match(/endpoints\/(we_\w+)/)[1];
  const endpoint = await call('GET', `/v1/webhook_endpoints/${endpointId}`);
  assert.deepEqual(endpoint.enabled_events, ['*']);
  assert.equal(endpoint.application !== null, true, 'a Connect endpoint');
  assert.equal(endpoint.description, `desc ${XSS}`);
  await page.getByText(`desc ${XSS}`).waitFor();  // shown as text
  await checkPage(page, problems, 'endpoint');

  // Events arrive live on the events page; the receiver fails them (500 with markup).
  const standard = await call('POST', '/v1/accounts', { form: { type: 'standard', email: 'std@example.com' } });
  const express = await call('POST', '/v1/accounts', { form: { type: 'express' } });
  receiver.status = 500;
  receiver.body = `<b>down</b> ${XSS}`;
  await nav(page, 'Events').click();
  await page.getByText('No events match.').waitFor();
  const own = await call('POST', '/v1/events', { json: {
    type: 'customer.created', data: { object: { id: 'cus_p', object: 'customer', metadata: { note: XSS } } } } });
  const ownIntent = await call('POST', '/v1/events', { json: {
    type: 'payment_intent.created', data: { object: { id: 'pi_p', object: 'payment_intent', amount: 5 } } } });
  await page.locator(`[data-event="${own.id}"]`).waitFor();
  await page.locator(`[data-event="${ownIntent.id}"]`).waitFor();
  await checkPage(page, problems, 'events');
  const paid = await call('POST', '/v1/events', { account: standard.id, json: {
    type: 'payment_intent.succeeded',
    data: { object: { id: 'pi_1', object: 'payment_intent', amount: 2000, metadata: { note: XSS } } } } });
  const created = await call('POST', '/v1/events', { account: express.id, json: {
    type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer', name: XSS } } } });

  // Filter by type (wildcard) and by connected account.
  await page.getByLabel('Type').fill('payment_intent.*');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator(`[data-event="${own.id}"]`).waitFor({ state: 'detached' });
  await page.locator(`[data-event="${ownIntent.id}"]`).waitFor();
  // Clear, then at once a connected account: the platform's list, answered
  // late here, must not replace the account's list that was asked for after it.
  const platformList = (request) => request.url().includes('/v1/events?') && !request.headers()['stripe-account'];
  await page.route('**/v1/events?*', async (route) => {
    if (platformList(route.request())) await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  const lateAnswer = page.waitForResponse((response) => platformList(response.request()));
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Connected account').fill(express.id);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator(`[data-event="${created.id}"]`).waitFor();
  await lateAnswer;
  await page.waitForTimeout(300);  // time for the late answer to be (wrongly) shown
  await page.unroute('**/v1/events?*');
  assert.equal(await page.getByLabel('Connected account').inputValue(), express.id);
  await page.locator(`[data-event="${created.id}"]`).waitFor();
  assert.equal(await page.locator(`[data-event="${own.id}"]`).count(), 0, 'the late platform list replaced the filtered one');
  await page.getByLabel('Connected account').fill(standard.id);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator(`[data-event="${paid.id}"]`).waitFor();
  await page.locator(`[data-event="${created.id}"]`).waitFor({ state: 'detached' });
  await checkPage(page, problems, 'events-filtered');

  // The failed attempt, with its status and the response body as text.
  await page.locator(`[data-event="${paid.id}"] a`).click();
  await page.getByRole('heading', { name: 'payment_intent.succeeded' }).waitFor();
  const attempts = page.locator('table.attempts tbody tr');
  await attempts.first().waitFor();
  await page.getByText('failed').first().waitFor();
  assert.equal(await attempts.first().locator('td').nth(2).innerText(), '500');
  await page.getByText(`<b>down</b> ${XSS}`).first().waitFor();
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'markup from data rendered as HTML');
  assert.equal(await page.locator('main b').count(), 0, 'markup from data rendered as HTML');
  assert.match(await page.locator('pre.json').innerText(), /"note": "<img src=x onerror=alert\(1\)>"/);
  await checkPage(page, problems, 'event');

  // Fixed receiver, Resend: the new attempt appears, green.
  receiver.status = 200;
  receiver.body = 'ok';
  await page.getByLabel('Endpoint').selectOption(endpointId);
  await page.getByRole('button', { name: 'Resend' }).click();
  await page.getByRole('status').filter({ hasText: 'Resent' }).waitFor();
  await page.locator('table.attempts tbody tr').nth(1).waitFor();
  await page.locator('.badge.ok', { hasText: 'succeeded' }).first().waitFor();
  assert.equal(JSON.parse(receiver.received.at(-1)).id, paid.id, 'the resend reached the receiver');
  assert.equal(await page.locator('table.attempts tbody tr').first().locator('td').nth(2).innerText(), '200');

  // The endpoint page shows both attempts, filterable; disable, enable, reveal, roll.
  await page.goto(`${server.baseUrl}/#/endpoints/${endpointId}`);
  await page.locator('table.attempts tbody tr').nth(1).waitFor();
  // Two events failed here (500), one was resent with success.
  await page.locator('table.attempts tbody tr').nth(2).waitFor();
  await page.locator('select[name=attempt_status]').selectOption('succeeded');
  await page.locator('table.attempts tbody tr').nth(1).waitFor({ state: 'detached' });
  assert.equal(await page.locator('table.attempts tbody tr').first().locator('td').nth(3).innerText(), '200');
  await page.locator('select[name=attempt_status]').selectOption('failed');
  await page.locator('table.attempts tbody tr').nth(1).waitFor();
  for (const row of await page.locator('table.attempts tbody tr').all()) {
    assert.equal(await row.locator('td').nth(3).innerText(), '500');
  }
  await page.locator('select[name=attempt_status]').selectOption('all');
  // Filtered by event type (the server's filter): a wildcard, an exact type, none.
  const rowEvents = () => page.locator('table.attempts tbody tr td[data-label=Event]').allInnerTexts();
  const expectRows = async (expected) => {  // polls: the list reloads after each Filter
    for (const deadline = Date.now() + 20_000; ;) {
      const got = await rowEvents();
      if (JSON.stringify(got) === JSON.stringify(expected) || Date.now() > deadline) return assert.deepEqual(got, expected);
      await page.waitForTimeout(100);
    }
  };
  await page.getByLabel('Event type').fill('customer.*');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expectRows([created.id]);
  await page.getByLabel('Event type').fill('payment_intent.succeeded');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expectRows([paid.id, paid.id]);
  await page.getByLabel('Event type').fill('invoice.paid');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('No attempts yet.').waitFor();
  await page.getByLabel('Event type').fill('');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator('table.attempts tbody tr').nth(2).waitFor();
  await page.getByRole('button', { name: 'Disable' }).click();
  await page.locator('.facts .badge', { hasText: 'disabled' }).waitFor();
  assert.equal((await call('GET', `/v1/webhook_endpoints/${endpointId}`)).status, 'disabled');
  await page.getByRole('button', { name: 'Enable' }).click();
  await page.locator('.facts .badge', { hasText: 'enabled' }).waitFor();
  assert.equal((await call('GET', `/v1/webhook_endpoints/${endpointId}`)).status, 'enabled');
  await page.getByRole('button', { name: 'Reveal' }).click();
  const before = await page.getByTestId('secret').innerText();
  assert.match(before, /^whsec_/);
  assert.match(server.log(), new RegExp(`signing secret of ${endpointId} was revealed`));
  assert.ok(!server.log().includes(before), 'the secret itself is never logged');
  await page.getByLabel('Old secret expires in (seconds)').selectOption('3600');
  await page.getByRole('button', { name: 'Roll secret' }).click();
  await page.getByRole('button', { name: 'Yes, roll secret' }).click();
  await page.getByRole('status').filter({ hasText: 'Secret rolled' }).waitFor();
  const after = await page.getByTestId('secret').innerText();
  assert.notEqual(after, before);
  assert.equal((await call('GET', `/v1/webhook_endpoints/${endpointId}/secret`)).secret, after);
  await checkPage(page, problems, 'endpoint-after');

  await nav(page, 'Webhook endpoints').click();
  // The endpoints' own table (by its caption): right after the click the
  // endpoint page's attempts table can still be the first table on the page.
  await endpointRows(page).first().waitFor();
  assert.match(await endpointRows(page).first().innerText(), /33\.3 %/);
  await checkPage(page, problems, 'endpoints');

  // Connected accounts: an account's events; deauthorize the Standard one.
  await nav(page, 'Connected accounts').click();
  await page.getByRole('link', { name: standard.id }).waitFor();
  await checkPage(page, problems, 'accounts');
  await page.getByRole('link', { name: standard.id }).click();
  await page.locator(`[data-event="${paid.id}"]`).waitFor();
  await checkPage(page, problems, 'account');
  await page.getByRole('button', { name: 'Deauthorize' }).click();
  await page.getByRole('button', { name: 'Yes, deauthorize' }).click();
  await page.getByRole('heading', { name: 'Connected accounts' }).waitFor();
  await assert.rejects(call('GET', `/v1/accounts/${standard.id}`, {}));

  // The overview counts what happened.
  await nav(page, 'Overview').click();
  await page.getByTestId('attempts-total').filter({ hasText: /^[1-9]/ }).waitFor();
  await checkPage(page, problems, 'overview-after');

  // Live mode is clearly marked; it needs the live key.
  await page.getByRole('button', { name: 'Live data' }).click();
  await page.getByLabel('Secret key').fill(LIVE_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('You are viewing live data').waitFor();
  await checkPage(page, problems, 'overview-live');
  await page.getByRole('button', { name: 'Test data' }).click();
  await page.getByText('You are viewing live data').waitFor({ state: 'detached' });

  // Dark mode follows the system.
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(dark, light);
  await checkPage(page, problems, 'overview-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // A phone-wide screen: the main pages still work.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [route, name, ready] of [
    ['overview', 'overview', () => page.getByTestId('events-total').waitFor()],
    ['endpoints', 'endpoints', () => endpointRows(page).first().waitFor()],
    [`endpoints/${endpointId}`, 'endpoint', () => page.locator('table.attempts tbody tr').first().waitFor()],
    ['events', 'events', () => page.locator(`[data-event="${own.id}"]`).waitFor()],
    [`events/${created.id}?account=${express.id}`, 'event', () => page.locator('pre.json').waitFor()],
    ['accounts', 'accounts', () => page.getByRole('link', { name: express.id }).waitFor()],
  ]) {
    await page.goto(`${server.baseUrl}/#/${route}`);
    await ready();
    await checkPage(page, problems, `${name}-phone`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name} is ${overflow}px wider than the phone screen`);
    // An endpoint's URL wraps in lines of several characters, not one a line.
    if (name === 'endpoints') {
      const box = await endpointRows(page).first().locator('a.url').boundingBox();
      assert.ok(box && box.width >= 100, `the URL column is ${JSON.stringify(box)} on a phone`);
    }
    // Every column of an attempts table is on the screen, none cut off.
    for (const cell of await page.locator('table.attempts td').all()) {
      const box = await cell.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 391, `${name}: a ${await cell.getAttribute('data-label')} cell at ${JSON.stringify(box)}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkPage(page, problems, 'accounts-phone-dark');
  await page.goto(`${server.baseUrl}/#/events/${created.id}?account=${express.id}`);
  await page.locator('table.attempts td[data-label=Error]').first().waitFor();
  await checkPage(page, problems, 'event-phone-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Delete asks first.
  const doomed = await call('POST', '/v1/webhook_endpoints', { form: { url: 'https://example.com/doomed', 'enabled_events[]': '*' } });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server.baseUrl}/#/endpoints/${doomed.id}`);
  await page.getByTestId('failing-since').filter({ hasText: 'not failing' }).waitFor();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await page.getByRole('heading', { name: 'Webhook endpoints' }).waitFor();
  await assert.rejects(call('GET', `/v1/webhook_endpoints/${doomed.id}`));
  assert.equal((await call('GET', `/v1/webhook_endpoints/${endpointId}`)).status, 'enabled');

  // Sign out forgets the key.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to hookline' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in to hookline' }).waitFor();
  assert.deepEqual(problems, []);
  assert.equal(receiver.received.length >= 3, true);
});
