// The page entry (`ccpa-optout/page`) in real headless Chromium, through the example site
// (examples/receiver-site) against `ccpa-optout serve --emulator`: the page reads GPC and a CMP,
// posts to /v1/signals with the visitor's subject token, and shows the honoured status once the
// receiver has applied the opt-out to the embedded emulator's profile.
//
// Chromium has no GPC of its own: as in browser.test.mjs an init script sets
// `navigator.globalPrivacyControl`, and for "on" every request carries `Sec-GPC: 1`.
// Screenshots go to $CCPA_TEST_OUTPUT; the README's docs/page-honored.png is a copy of
// page-honored.png (copy it again when the example page changes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { CampaignClient, mintSubjectToken } from 'ccpa-optout';
import { siteHandler } from '../examples/receiver-site/server.mjs';

// A real public GPP string (tests/vectors/signals.json): usca with sale and sharing opted out.
const USCA_OPT_OUT = 'DBABBg~BVWSSSVY.YA';
const HONORED = 'Opt-Out Request Honored';
const APPLIED = `${HONORED}: you are opted out of the sale and sharing of your personal information`;

let receiver; // { url, emulatorUrl, secret, stop }
let site;
let siteUrl;
let handle = (request, response) => response.writeHead(503).end();
let browser;
let acs;
const gpcSeen = []; // the Sec-GPC header of each request for the page itself

/** `ccpa-optout serve --emulator --print-demo-credentials`, its URLs and secret read from stdout. */
async function startReceiver(origin) {
  const bin = process.env.CCPA_OPTOUT_BIN;
  if (!bin) throw new Error('CCPA_OPTOUT_BIN is not set (run the tests through scripts/test-js.sh)');
  const child = spawn(bin, ['serve', '--emulator', '--print-demo-credentials', '--listen', '127.0.0.1:0',
    '--allow-origin', origin], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } });
  const stopOnExit = () => child.kill();
  process.once('exit', stopOnExit);
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const out = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no instructions in 30 s: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('Ctrl-C stops it')) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
  const find = (pattern) => out.match(pattern)?.[1] ?? assert.fail(`no ${pattern} in: ${out}`);
  return {
    url: find(/^listening on (http\S+)$/m),
    emulatorUrl: find(/^embedded ACS emulator at (http\S+) /m),
    secret: find(/^subject-token secret: (\S+)$/m),
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

before(async () => {
  // The site listens first: its origin is what the receiver must allow.
  site = createServer((request, response) => handle(request, response));
  await new Promise((done) => site.listen(0, '127.0.0.1', done));
  siteUrl = `http://127.0.0.1:${site.address().port}`;
  receiver = await startReceiver(siteUrl);
  // The embedded emulator's default credentials (acs-emulator's EmulatorConfig::default()).
  acs = new CampaignClient({ organization: 'acme', apiKey: 'emulator-api-key', accessToken: 'emulator-token', baseUrl: receiver.emulatorUrl });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  site?.close();
  await receiver?.stop();
});

/** A fresh ACS profile, not opted out, as the logged-in visitor of the example site. */
async function aVisitor() {
  const email = `page.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const { PKey: pkey } = await acs.createProfile({ email, ccpaOptOut: false });
  const serve = siteHandler({ receiver: receiver.url, secret: receiver.secret, visitor: email });
  handle = (request, response) => {
    if (new URL(request.url, siteUrl).pathname === '/') gpcSeen.push(request.headers['sec-gpc'] ?? null);
    serve(request, response);
  };
  return { email, pkey };
}

/**
 * Opens the example page with `navigator.globalPrivacyControl` = `gpc` (null: none; true also
 * sends `Sec-GPC: 1`) and `cmp`, a script run before the page's own (e.g. a stub `__gpp`);
 * resolves with the page, the `/v1/signals` request and its answer, and what the console said.
 */
async function open({ gpc, cmp }) {
  const viewport = { width: 720, height: 360 };
  const context = await browser.newContext(gpc === true ? { viewport, extraHTTPHeaders: { 'Sec-GPC': '1' } } : { viewport });
  await context.addInitScript((value) => {
    delete Navigator.prototype.globalPrivacyControl;
    if (value !== null) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => value, configurable: true });
  }, gpc);
  if (cmp) await context.addInitScript(cmp);
  const page = await context.newPage();
  const console = [];
  page.on('console', (message) => console.push(message.text()));
  page.on('pageerror', (error) => console.push(String(error)));
  const posted = page.waitForRequest((request) => request.url().endsWith('/v1/signals') && request.method() === 'POST');
  await page.goto(siteUrl);
  const request = await posted;
  const answer = await (await request.response()).json();
  return { page, context, console, request, answer };
}

/** Waits until the status element is in one of `states`; its state and text. */
async function settled(page, states) {
  await page.waitForFunction((wanted) => wanted.includes(document.querySelector('#opt-out-status').dataset.state), states);
  return { state: await page.getAttribute('#opt-out-status', 'data-state'), text: await page.textContent('#opt-out-status') };
}

/** The receiver's record of `id`, read with the visitor's own subject token (as the page polls). */
async function record(id, email) {
  const token = mintSubjectToken(receiver.secret, email, 60);
  const response = await fetch(`${receiver.url}/v1/opt-outs/${id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return response.json();
}

/** A counter of the receiver's /metrics, e.g. `acknowledged_total{route="/v1/signals"}` (0 before the first). */
async function counter(series) {
  const text = await (await fetch(`${receiver.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`ccpa_optout_receiver_${series} `));
  return Number(line?.split(' ')[1] ?? 0);
}
const acknowledgedSignals = () => counter('acknowledged_total{route="/v1/signals"}');

/** The checks every honoured run ends with: applied by the receiver, opted out in ACS, shown. */
async function assertAppliedAndShown(page, answer, { email, pkey }) {
  assert.equal(answer.honored, true);
  assert.match(answer.id, /^\S+$/);
  assert.deepEqual(await settled(page, ['applied', 'error']), { state: 'applied', text: APPLIED });
  const view = await record(answer.id, email);
  assert.equal(view.status, 'applied');
  assert.deepEqual(view.changes, [{ pkey, previous: false, current: true, changed: true }]);
  assert.equal(await acs.getOptOut(pkey), true);
  assert.equal(await page.getAttribute('#do-not-sell', 'aria-checked'), 'true');
}

async function screenshot(t, page, name) {
  const dir = process.env.CCPA_TEST_OUTPUT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `page-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  t.diagnostic(`screenshot: ${path}`);
}

test('GPC on: the signal is queued with the token, applied to the profile, and the page shows it honoured', async (t) => {
  const visitor = await aVisitor();
  const seen = gpcSeen.length;
  const { page, context, console, request, answer } = await open({ gpc: true });
  try {
    assert.deepEqual(request.postDataJSON(), { gpc: true });
    assert.equal((await request.allHeaders())['sec-gpc'], '1');
    assert.deepEqual(gpcSeen.slice(seen), ['1']);
    assert.deepEqual(answer.decision, { value: true, reasons: [{ kind: 'signal', signal: 'gpc', says: 'opt_out' }] });
    await assertAppliedAndShown(page, answer, visitor);
    await screenshot(t, page, 'honored');
    assert.deepEqual(console, []);
  } finally {
    await context.close();
  }
});

test('GPC off and no CMP: "No opt-out signal received", nothing queued, the profile untouched', async (t) => {
  const { pkey } = await aVisitor();
  const acknowledged = await acknowledgedSignals();
  const { page, context, request, answer } = await open({ gpc: false });
  try {
    assert.deepEqual(request.postDataJSON(), { gpc: false });
    assert.deepEqual(answer, { honored: false, decision: { value: null, reasons: [{ kind: 'signal', signal: 'gpc', says: 'no_signal' }] } });
    assert.deepEqual(await settled(page, ['none', 'error']), { state: 'none', text: 'No opt-out signal received' });
    assert.equal(await page.getAttribute('#do-not-sell', 'aria-checked'), 'false');
    assert.equal(await acknowledgedSignals(), acknowledged);
    assert.equal(await acs.getOptOut(pkey), false);
    await screenshot(t, page, 'no-signal');
  } finally {
    await context.close();
  }
});

test("a CMP's GPP string with a usca sale opt-out (GPC off) is applied and shown honoured", async () => {
  const visitor = await aVisitor();
  // A GPP CMP API v1.1 stub: `ping` answers at once with the string, signal status ready.
  const cmp = `window.__gpp = (command, callback) => {
    if (command === 'ping') callback({ gppVersion: '1.1', cmpStatus: 'loaded', signalStatus: 'ready',
      applicableSections: [8], sectionList: [8], gppString: '${USCA_OPT_OUT}' }, true);
    else callback(null, false);
  };`;
  const { page, context, request, answer } = await open({ gpc: false, cmp });
  try {
    assert.deepEqual(request.postDataJSON(), { gpc: false, gpp: USCA_OPT_OUT });
    assert.deepEqual(answer.decision.reasons.filter((r) => r.says === 'opt_out').map((r) => r.signal), ['gpp_usca', 'gpp_gpc']);
    await assertAppliedAndShown(page, answer, visitor);
  } finally {
    await context.close();
  }
});

test('a CMP that never calls back is left out after the timeout; the other CMP still counts', async () => {
  const visitor = await aVisitor();
  const cmp = `window.__gpp = () => {}; // never answers
    window.__uspapi = (command, version, callback) => callback({ version: 1, uspString: '1YYN' }, true);`;
  const { page, context, request, answer } = await open({ gpc: null, cmp });
  try {
    // The example page (default timeout 500 ms) posts the US Privacy opt-out alone.
    assert.deepEqual(request.postDataJSON(), { usp: '1YYN' });
    assert.deepEqual(answer.decision, { value: true, reasons: [{ kind: 'signal', signal: 'usp', says: 'opt_out' }] });
    await assertAppliedAndShown(page, answer, visitor);
    // In the page itself, with a timeout of 300 ms.
    const { signals, unanswered, elapsed } = await page.evaluate(async () => {
      const { readSignals } = await import('/ccpa-optout/page.js');
      const started = performance.now();
      const read = await readSignals({ timeoutMs: 300 });
      return { ...read, elapsed: performance.now() - started };
    });
    assert.deepEqual(signals, { usp: '1YYN' });
    assert.deepEqual(unanswered, ['gpp']);
    // It waited for the CMP (the timer's own granularity aside) and no longer than the timeout
    // plus a margin for a slow machine.
    assert.ok(elapsed >= 295 && elapsed < 2300, `readSignals took ${elapsed} ms`);
  } finally {
    await context.close();
  }
});

test('GPP CMP API v1.0 (getGPPData) and a v1.1 CMP that becomes ready later are both read', async () => {
  await aVisitor();
  const { page, context } = await open({ gpc: null });
  try {
    const read = await page.evaluate(async (gpp) => {
      const { readSignals } = await import('/ccpa-optout/page.js');
      // v1.0: `ping` has no string, `getGPPData` does.
      window.__gpp = (command, callback) => callback(command === 'getGPPData' ? { gppString: gpp }
        : { gppVersion: '1.0', cmpStatus: 'loaded' }, true);
      const v10 = await readSignals();
      // v1.1, still loading: the string comes with the signalStatus event.
      const removed = [];
      window.__gpp = (command, callback, parameter) => {
        if (command === 'ping') callback({ gppVersion: '1.1', signalStatus: 'not ready', gppString: '' }, true);
        if (command === 'removeEventListener') removed.push(parameter);
        if (command !== 'addEventListener') return;
        callback({ eventName: 'listenerRegistered', listenerId: 7, data: true, pingData: { signalStatus: 'not ready' } }, true);
        setTimeout(() => callback({ eventName: 'signalStatus', listenerId: 7, data: 'ready',
          pingData: { signalStatus: 'ready', gppString: gpp } }, true), 20);
      };
      const v11 = await readSignals();
      return { v10, v11, removed };
    }, USCA_OPT_OUT);
    assert.deepEqual(read.v10, { signals: { gpp: USCA_OPT_OUT }, unanswered: [] });
    assert.deepEqual(read.v11, { signals: { gpp: USCA_OPT_OUT }, unanswered: [] });
    assert.deepEqual(read.removed, [7]);
  } finally {
    await context.close();
  }
});

test("the IAB's own GPP CMP API (@iabgpp/cmpapi 3.2.0), still loading and then ready, is read", async () => {
  await aVisitor();
  const { page, context } = await open({ gpc: null });
  try {
    // The library's ES modules, served from the scratch project on the page's origin.
    const library = dirname(fileURLToPath(import.meta.resolve('@iabgpp/cmpapi')));
    await page.route('**/iab/**', (route) => route.fulfill({
      path: join(library, new URL(route.request().url()).pathname.slice('/iab/'.length)), contentType: 'text/javascript',
    }));
    const read = await page.evaluate(async ({ gpp, receiver }) => {
      const { readSignals, sendSignals } = await import('/ccpa-optout/page.js');
      const { CmpApi, SignalStatus } = await import('/iab/index.js');
      const cmp = new CmpApi(1, 1); // installs window.__gpp, signal status "not ready"
      const reading = readSignals({ timeoutMs: 5000 });
      setTimeout(() => {
        cmp.setGppString(gpp);
        cmp.setApplicableSections([8]);
        cmp.setSignalStatus(SignalStatus.READY);
      }, 50);
      const whileLoading = await reading;
      const once = await readSignals(); // ready now: `ping` alone
      return { whileLoading, once, encoded: cmp.getGppString(), answer: await sendSignals({ receiver, signals: once.signals }) };
    }, { gpp: USCA_OPT_OUT, receiver: receiver.url });
    assert.match(read.encoded, /^DBABBg~/);
    assert.deepEqual(read.whileLoading, { signals: { gpp: read.encoded }, unanswered: [] });
    assert.deepEqual(read.once, read.whileLoading);
    // Without a token: nothing stored, and the receiver says the CMP's usca opt-out is honoured.
    assert.equal(read.answer.honored, true);
    assert.equal(read.answer.id, undefined);
    assert.ok(read.answer.decision.reasons.some((r) => r.signal === 'gpp_usca' && r.says === 'opt_out'));
  } finally {
    await context.close();
  }
});

test('a refused token: the neutral error text on the page, a typed error, the token nowhere', async () => {
  await aVisitor();
  const { page, context, console } = await open({ gpc: true });
  try {
    await settled(page, ['applied', 'error']);
    // A token signed with another secret, shown to the receiver from the same page.
    const forged = mintSubjectToken('another secret of at least thirty-two bytes', 'ana@example.com', 600);
    const outcome = await page.evaluate(async ({ receiver, token }) => {
      const { showOptOutStatus, isCcpaOptOutError } = await import('/ccpa-optout/page.js');
      const element = document.createElement('p');
      document.body.append(element);
      try {
        await showOptOutStatus({ receiver, token, element, texts: { error: 'Not available just now' } });
        return { resolved: true };
      } catch (error) {
        return { typed: isCcpaOptOutError(error), kind: error.kind, status: error.status, field: error.field,
          message: error.message, state: element.dataset.state, text: element.textContent, html: document.documentElement.outerHTML };
      }
    }, { receiver: receiver.url, token: forged });
    assert.equal(outcome.typed, true);
    assert.deepEqual([outcome.kind, outcome.status, outcome.field], ['Auth', 401, 'token']);
    assert.equal(outcome.message, "Auth (401): the subject token's signature does not match");
    assert.deepEqual([outcome.state, outcome.text], ['error', 'Not available just now']);
    for (const text of [outcome.message, outcome.html, ...console]) assert.ok(!text.includes(forged));
  } finally {
    await context.close();
  }
});

test('a page on an origin the receiver does not allow: a Transport error and the neutral text', async () => {
  const { pkey } = await aVisitor();
  const acknowledged = await acknowledgedSignals();
  const refused = await counter('http_requests_total{route="/v1/signals",status="403"}');
  // Same site server, another origin (localhost, not 127.0.0.1): not in --allow-origin.
  const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  try {
    const page = await context.newPage();
    const console = [];
    page.on('console', (message) => console.push(message.text()));
    // site.js logs the error's message once the page shows the error.
    const warned = page.waitForEvent('console', (message) => message.type() === 'warning');
    await page.goto(siteUrl.replace('127.0.0.1', 'localhost'));
    assert.equal((await warned).text(), 'Transport: the receiver cannot be reached (offline, or this origin is not allowed)');
    assert.deepEqual(await settled(page, ['error', 'honored', 'applied', 'none']),
      { state: 'error', text: 'Your opt-out status cannot be shown right now' });
    // The browser's own CORS complaint aside, nothing printed holds a token (a JWT starts "eyJ").
    assert.ok(console.every((text) => !text.includes('eyJ')), console.join('\n'));
    // The receiver refused the preflight from this origin; nothing was stored.
    assert.equal(await counter('http_requests_total{route="/v1/signals",status="403"}'), refused + 1);
    assert.equal(await acknowledgedSignals(), acknowledged);
    assert.equal(await acs.getOptOut(pkey), false);
  } finally {
    await context.close();
  }
});
