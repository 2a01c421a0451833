// The browser example (examples/browser) in real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core): the page loads the installed package from a static server on one
// localhost port, calls the emulator on another (CORS), shows the visitor's GPC state and the
// decision, and sets the opt-out. Screenshots go to $CCPA_TEST_OUTPUT (target/test-output).
//
// Chromium has no Global Privacy Control of its own, so the test driver gives it one: an init
// script sets `navigator.globalPrivacyControl` and, for "on", every request carries the extra
// header `Sec-GPC: 1`, as a GPC browser sends it (the static server checks it with gpcFromHeaders).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { CampaignClient, gpcFromHeaders } from 'ccpa-optout';
import { startEmulator, clientOptions, API_KEY, TOKEN, ORG } from './emulator.mjs';

const project = resolve(fileURLToPath(import.meta.url), '../..');
const roots = [
  ['/node_modules/ccpa-optout/', join(project, 'node_modules/ccpa-optout')],
  ['/', join(project, 'examples/browser')],
];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const outputDir = process.env.CCPA_TEST_OUTPUT;

let emulator;
let server;
let pageUrl;
let browser;
const gpcSeen = []; // gpcFromHeaders of each request for the page itself

before(async () => {
  emulator = await startEmulator(['--seed', '5']);
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, dir] = roots.find(([p]) => path.startsWith(p));
    const file = normalize(join(dir, path.slice(prefix.length) || 'index.html'));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    if (file.endsWith('index.html')) gpcSeen.push(gpcFromHeaders(req.headers));
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  pageUrl = `http://127.0.0.1:${server.address().port}/index.html`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  await emulator?.stop();
});

async function aProfile(optedOut) {
  const client = new CampaignClient(clientOptions(emulator));
  const profile = await client.createProfile({ email: `page.${Date.now()}@example.com`, ccpaOptOut: optedOut });
  return { client, pkey: profile.PKey };
}

/** Opens the page in a fresh context whose `navigator.globalPrivacyControl` is `gpc`. */
async function open(gpc, pkey) {
  const context = await browser.newContext(gpc === true ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {});
  await context.addInitScript((value) => {
    delete Navigator.prototype.globalPrivacyControl; // no native GPC: "unsupported" stays so
    if (value !== null) {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => value, configurable: true });
    }
  }, gpc);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  const query = new URLSearchParams({ baseUrl: emulator.url, organization: ORG, apiKey: API_KEY, accessToken: TOKEN, subject: pkey });
  await page.goto(`${pageUrl}?${query}`);
  await page.waitForFunction(() => document.querySelector('#gpc').textContent !== 'checking…');
  return { page, context, errors };
}

async function click(page, button) {
  await page.click(button);
  await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('#result').dataset.state));
  return { result: await page.textContent('#result'), error: await page.textContent('#error') };
}

async function screenshot(t, page, name) {
  const path = join(outputDir, `browser-example-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  t.diagnostic(`screenshot: ${path}`);
}

test('no GPC support: the page says so, and "Opt out" sets the opt-out across origins', async (t) => {
  const { client, pkey } = await aProfile(false);
  const { page, context, errors } = await open(null, pkey);
  try {
    assert.equal(await page.textContent('#gpc'), 'not supported by this browser');
    assert.equal(await page.textContent('#decision'), 'no signal: leave the profile as it is');
    const { result, error } = await click(page, '#opt-out');
    assert.equal(error, '');
    assert.equal(result, `${pkey}: opted out (written now)`);
    assert.equal(await client.getOptOut(pkey), true);
    assert.equal((await click(page, '#read')).result, `${pkey}: opted out`);
    await screenshot(t, page, 'unsupported');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('GPC off: no decision, and applying the signals writes nothing', async (t) => {
  const { client, pkey } = await aProfile(false);
  const { page, context } = await open(false, pkey);
  try {
    assert.equal(await page.textContent('#gpc'), 'off');
    assert.equal(await page.textContent('#decision'), 'no signal: leave the profile as it is');
    assert.equal((await click(page, '#apply')).result, 'nothing to apply: no privacy signal');
    assert.equal(await client.getOptOut(pkey), false);
    await screenshot(t, page, 'gpc-off');
  } finally {
    await context.close();
  }
});

test('GPC on: the page decides "opt out" and applies it; the server sees Sec-GPC: 1', async (t) => {
  const { client, pkey } = await aProfile(false);
  const before = gpcSeen.length;
  const { page, context } = await open(true, pkey);
  try {
    assert.equal(await page.textContent('#gpc'), 'on');
    assert.equal(await page.textContent('#decision'), 'opt out (Global Privacy Control)');
    assert.equal((await click(page, '#apply')).result, `${pkey}: opted out (written now)`);
    assert.equal(await client.getOptOut(pkey), true);
    assert.deepEqual(gpcSeen.slice(before), [true]);
    await screenshot(t, page, 'gpc-on');
  } finally {
    await context.close();
  }
});

test('errors show their kind, never the token', async () => {
  const { page, context } = await open(null, '@no-such-profile');
  try {
    const { error } = await click(page, '#read');
    assert.match(error, /^NotFound \(404 /);
    assert.ok(!error.includes(TOKEN) && !error.includes(API_KEY));
  } finally {
    await context.close();
  }
});
