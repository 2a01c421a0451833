// Privacy signals through the installed package: the shared vectors (tests/vectors/signals.json),
// GPC from real request headers and from `navigator`, and applySignals against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as ccpa from 'ccpa-optout';
import { startEmulator, clientOptions, since, ORG } from './emulator.mjs';
import { withoutNetwork } from './no-fetch.mjs';

const vectors = JSON.parse(readFileSync(`${process.env.CCPA_REPO_ROOT}/tests/vectors/signals.json`, 'utf8'));

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
/** A vector's expected result in JavaScript's casing: object keys camelCase, values as written. */
function camelKeys(value) {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [camel(key), camelKeys(inner)]));
}

/** The vector's function through the package (snake_case names mapped to camelCase). */
function call({ function: name, input }) {
  switch (name) {
    case 'gpc_from_headers': return ccpa.gpcFromHeaders(input.headers);
    case 'gpc_json': return ccpa.parseGpcJson(input.content_type, input.body);
    case 'parse_usp': return ccpa.parseUsp(input.usp);
    case 'decode_gpp': return ccpa.decodeGpp(input.gpp);
    case 'derive_opt_out': return ccpa.deriveOptOut({ gpc: input.gpc, usp: input.usp, gpp: input.gpp });
    case 'opt_out_due_date': return ccpa.optOutDueDate(input.received, input.holidays);
    case 'opt_in_allowed': return {
      allowedFrom: ccpa.optInRequestAllowedFrom(input.opted_out_on),
      mayRequest: ccpa.mayRequestOptIn(input.opted_out_on, input.on),
    };
    case 'date_from_rfc3339': return ccpa.dateFromRfc3339(input.timestamp);
    default: throw new Error(`unknown function ${name}`);
  }
}

test('signal vectors: every function, every case', () => {
  assert.ok(vectors.cases.length >= 280);
  const byFunction = {};
  for (const testCase of vectors.cases) {
    byFunction[testCase.function] = (byFunction[testCase.function] ?? 0) + 1;
    if (testCase.error) {
      assert.throws(() => call(testCase), (error) => {
        assert.ok(ccpa.isCcpaOptOutError(error), `${testCase.name}: ${error}`);
        assert.equal(error.kind, testCase.error.kind, testCase.name);
        assert.equal(error.field, testCase.error.field, `${testCase.name}: ${error.message}`);
        return true;
      }, testCase.name);
    } else {
      assert.deepEqual(call(testCase), camelKeys(testCase.expected), testCase.name);
    }
  }
  assert.equal(Object.keys(byFunction).length, 8, JSON.stringify(byFunction));
});

test('signal results have camelCase keys and keep the contract\'s values', () => {
  const gpp = ccpa.decodeGpp('DBABJg~BVWSSVg.YA');
  assert.deepEqual(Object.keys(gpp), ['sectionIds', 'saleOptOut', 'sharingOptOut',
    'targetedAdvertisingOptOut', 'gpc', 'source', 'sections', 'unreadable']);
  assert.equal(gpp.sections.usco.saleOptOut, 1);
  assert.ok(!JSON.stringify(gpp).includes('_opt_out'), 'a snake_case key is left');
  assert.deepEqual(Object.keys(ccpa.parseUsp('1YNN')), ['version', 'notice', 'optOutSale', 'lspa', 'applies']);
  const conflict = ccpa.deriveOptOut({ gpc: true, usp: '1YNN' }).reasons.at(-1);
  assert.deepEqual(conflict, { kind: 'conflict', optedOut: ['gpc'], notOptedOut: ['usp'] });
  const says = ccpa.deriveOptOut({ usp: '1YNN', gpp: 'DBABJg~BVWSSVg.YA' }).reasons
    .filter((r) => r.kind === 'signal').map((r) => [r.signal, r.says]);
  assert.deepEqual(says, [['usp', 'not_opted_out'], ['gpp_usco', 'opt_out'], ['gpp_gpc', 'opt_out']]);
  assert.deepEqual(ccpa.parseGpcJson('application/json', '{"gpc": true, "lastUpdate": "2024-01-02"}'),
    { gpc: true, lastUpdate: '2024-01-02' });
});

test('gpcFromHeaders reads Node request headers as received over a socket', async () => {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(ccpa.gpcFromHeaders(req.headers));
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  try {
    await fetch(url, { headers: { 'Sec-GPC': '1' } });
    await fetch(url);
    await fetch(url, { headers: { 'Sec-GPC': '0' } });
  } finally {
    server.close();
  }
  assert.deepEqual(seen, [true, null, null]);
  assert.equal(ccpa.gpcFromHeaders(new Headers({ 'sec-gpc': '1' })), true);
  assert.equal(ccpa.gpcFromHeaders(new Map([['Sec-GPC', '0, 1']])), true);
});

test('detectGpc reads navigator.globalPrivacyControl, undefined when absent', () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  const setNavigator = (value) => Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true });
  try {
    setNavigator({});
    assert.equal(ccpa.detectGpc(), undefined);
    setNavigator({ globalPrivacyControl: true });
    assert.equal(ccpa.detectGpc(), true);
    setNavigator({ globalPrivacyControl: false });
    assert.equal(ccpa.detectGpc(), false);
    setNavigator(undefined);
    assert.equal(ccpa.detectGpc(), undefined);
  } finally {
    if (original) Object.defineProperty(globalThis, 'navigator', original);
    else delete globalThis.navigator;
  }
});

test('deriveOptOut refuses signals of the wrong type, never a string it cannot read', () => {
  for (const [signals, field] of [[{ gpc: 1 }, 'gpc'], [{ gpc: 'true' }, 'gpc'], [{ usp: 1 }, 'usp'], [{ gpp: {} }, 'gpp']]) {
    assert.throws(() => ccpa.deriveOptOut(signals), (e) => e.kind === 'Validation' && e.field === field);
  }
  const decision = ccpa.deriveOptOut({ gpc: true, usp: '1Y-N', gpp: 'not-gpp' });
  assert.equal(decision.value, true);
  assert.deepEqual(decision.reasons.map((r) => [r.kind, r.signal]), [['signal', 'gpc'], ['unreadable', 'usp'], ['unreadable', 'gpp']]);
  assert.throws(() => ccpa.parseUsp('1Y-N'), (e) => e.kind === 'Validation' && e.field === 'usp');
  assert.deepEqual(ccpa.deriveOptOut(), { value: null, reasons: [] });
  assert.throws(() => ccpa.optOutDueDate(new Date()), (e) => e.kind === 'Validation' && e.field === 'date');
});

let emulator;
let client;
before(async () => {
  emulator = await startEmulator();
  client = new ccpa.CampaignClient(clientOptions(emulator));
});
after(() => emulator.stop());

test('applySignals: GPC opts a profile out, with the reasons', async () => {
  const profile = await client.createProfile({ email: `gpc.${Date.now()}@example.com`, ccpaOptOut: false });
  const applied = await client.applySignals(profile.PKey, { gpc: true });
  assert.equal(applied.value, true);
  assert.deepEqual(applied.reasons, [{ kind: 'signal', signal: 'gpc', says: 'opt_out' }]);
  assert.deepEqual(applied.changes, [{ pkey: profile.PKey, previous: false, current: true, changed: true }]);
  assert.equal(await client.getOptOut(profile.PKey), true);
});

test('applySignals: a "not opted out" signal never clears a recorded opt-out', async () => {
  const profile = await client.createProfile({ email: `usp.${Date.now()}@example.com`, ccpaOptOut: true });
  const applied = await client.applySignals(profile.PKey, { usp: '1YNN' });
  assert.equal(applied.value, false);
  assert.deepEqual(applied.changes, [{ pkey: profile.PKey, previous: true, current: true, changed: false }]);
  assert.equal(await client.getOptOut(profile.PKey), true);
});

test('applySignals by email reaches every matching profile; GPC wins a conflict', async () => {
  const email = `both.${Date.now()}@example.com`;
  const a = await client.createProfile({ email, ccpaOptOut: false });
  const b = await client.createProfile({ email, ccpaOptOut: true });
  const applied = await client.applySignals(email, { gpc: true, usp: '1YNN' });
  assert.equal(applied.value, true);
  assert.equal(applied.reasons.at(-1).kind, 'conflict');
  const changed = Object.fromEntries(applied.changes.map((c) => [c.pkey, c.changed]));
  assert.deepEqual(changed, { [a.PKey]: true, [b.PKey]: false });
});

test('applySignals without a usable signal sends nothing, an unreadable one included', async () => {
  const profile = await client.createProfile({ email: `none.${Date.now()}@example.com` });
  const start = await emulator.stats();
  const applied = await client.applySignals(profile.PKey, { gpc: false, usp: '1---' });
  assert.equal(applied.value, null);
  assert.deepEqual(applied.changes, []);
  assert.equal(since(start, await emulator.stats()).total, 0);
  const { result, attempts } = await withoutNetwork(() => client.applySignals(profile.PKey, { gpp: 'DBABLA~z' }));
  assert.deepEqual(attempts, []);
  assert.equal(result.value, null);
  assert.deepEqual(result.changes, []);
  assert.deepEqual(result.reasons, [{
    kind: 'unreadable', signal: 'gpp',
    message: 'GPP usnat section core has 6 bits; a v1 core has 60 to 66 and a v2 core at least 70',
  }]);
  const wrongType = await withoutNetwork(() => client.applySignals(profile.PKey, { usp: 1 }));
  assert.deepEqual(wrongType.attempts, []);
  assert.equal(wrongType.error?.kind, 'Validation');
  assert.equal(wrongType.error.field, 'usp');
});

test('applySignals: GPC is applied beside a USP it cannot read, and the reason says why', async () => {
  const profile = await client.createProfile({ email: `broken.${Date.now()}@example.com`, ccpaOptOut: false });
  const applied = await client.applySignals(profile.PKey, { gpc: true, usp: '1Y-N' });
  assert.equal(applied.value, true);
  assert.equal(applied.reasons[1].kind, 'unreadable');
  assert.match(applied.reasons[1].message, /position 3/);
  assert.deepEqual(applied.changes, [{ pkey: profile.PKey, previous: false, current: true, changed: true }]);
  assert.equal(await client.getOptOut(profile.PKey), true);
});

test('applySignals: a Colorado GPP section opts out', async () => {
  const profile = await client.createProfile({ email: `co.${Date.now()}@example.com`, ccpaOptOut: false });
  const applied = await client.applySignals(profile.PKey, { gpp: 'DBABJg~BVWSSVg.YA' });
  assert.equal(applied.value, true);
  assert.equal(applied.reasons[0].signal, 'gpp_usco');
  assert.equal(await client.getOptOut(profile.PKey), true);
});

/** The URLs `run` fetches (the requests still go to the emulator). */
async function fetchedUrls(run) {
  const realFetch = globalThis.fetch;
  const urls = [];
  globalThis.fetch = (input, init) => {
    urls.push(String(input?.url ?? input));
    return realFetch(input, init);
  };
  try {
    await run();
  } catch {
    // The caller checks what was sent; some subjects name no profile.
  } finally {
    globalThis.fetch = realFetch;
  }
  return urls.map((url) => url.slice(`${emulator.url}/${ORG}/campaign/profileAndServices/profile`.length));
}

test('applySignals reads its first argument with the core\'s subject rule', async () => {
  // Text before the last @ and a dot with text on both sides after it: an email (byEmail).
  const email = `nobody.${Date.now()}@example.com`;
  assert.deepEqual(await fetchedUrls(() => client.applySignals(email, { gpc: true })),
    [`/byEmail?email=${encodeURIComponent(email)}&_forcePagination=true`]);
  // No dot after the @ (or a leading @): a PKey, read with one GET of that profile.
  assert.deepEqual(await fetchedUrls(() => client.applySignals('ana@localhost', { gpc: true })), ['/ana@localhost']);
  await assert.rejects(client.applySignals('ana@localhost', { gpc: true }), (e) => e.kind === 'NotFound');
  // Neither a valid PKey nor an email: refused before anything is sent.
  const { error, attempts } = await withoutNetwork(() => client.applySignals('../admin', { gpc: true }));
  assert.deepEqual(attempts, []);
  assert.equal(error?.kind, 'Validation');
});
