// Retries under injected 429/503/dropped connections, timeouts, the body cap and token refresh,
// checked against the emulator's own request counters (/_emulator/stats).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignClient } from 'ccpa-optout';
import {
  startEmulator, clientOptions, count, since, API_KEY, TOKEN, ORG, CLIENT_SECRET,
} from './emulator.mjs';

let emulator;
let pkeys;
before(async () => {
  emulator = await startEmulator(['--seed', '12', '--fault-seed', '7']);
  const client = new CampaignClient(clientOptions(emulator));
  pkeys = [];
  for await (const profile of client.listProfiles()) pkeys.push(profile.PKey);
});
after(() => emulator.stop());
afterEach(() => emulator.faults({}));

const quick = { baseDelayMs: 5, maxDelayMs: 40 };

test('503s are retried until the call succeeds', async () => {
  const client = new CampaignClient(clientOptions(emulator, { retry: { ...quick, maxAttempts: 12 } }));
  await emulator.faults({ status: { 503: 0.5 } });
  const start = await emulator.stats();
  const values = await Promise.all(pkeys.map((pkey) => client.setOptOut(pkey, true)));
  const sent = since(start, await emulator.stats());
  assert.ok(values.every((change) => change.current === true));
  assert.ok(count(sent, { status: 503 }) > 0, `no 503 was injected: ${JSON.stringify(sent)}`);
  const successes = count(sent, { method: 'GET', route: 'profile', status: 200 });
  assert.equal(successes, pkeys.length, 'one successful GET per profile');
  await emulator.faults({});
  for (const pkey of pkeys) assert.equal(await client.getOptOut(pkey), true);
});

test('a server that keeps failing gives a retryable Server error after maxAttempts', async () => {
  const client = new CampaignClient(clientOptions(emulator, { retry: { ...quick, maxAttempts: 3 } }));
  await emulator.faults({ status: { 503: 1 } });
  const start = await emulator.stats();
  await assert.rejects(client.getProfile(pkeys[0]), (error) =>
    error.kind === 'Server' && error.status === 503 && error.retryable === true);
  assert.equal(count(since(start, await emulator.stats()), { status: 503 }), 3);
});

test('429s are retried after Retry-After, and reported with it when attempts run out', async () => {
  await emulator.faults({ rate_limit: { per_second: 2, retry_after: 1 } });
  const patient = new CampaignClient(clientOptions(emulator, { retry: { ...quick, maxAttempts: 6 } }));
  const start = await emulator.stats();
  const began = Date.now();
  const values = await Promise.all(pkeys.slice(0, 6).map((pkey) => patient.getOptOut(pkey)));
  const sent = since(start, await emulator.stats());
  assert.equal(values.length, 6);
  assert.ok(count(sent, { status: 429 }) > 0, JSON.stringify(sent));
  assert.equal(count(sent, { status: 200 }), 6);
  assert.ok(Date.now() - began >= 900, 'the retries did not wait for Retry-After');

  const hasty = new CampaignClient(clientOptions(emulator, { retry: { maxAttempts: 1 } }));
  const results = await Promise.allSettled(pkeys.slice(0, 6).map((pkey) => hasty.getOptOut(pkey)));
  const limited = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  assert.ok(limited.length > 0);
  for (const error of limited) {
    assert.equal(error.kind, 'RateLimited');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfter, 1);
    assert.equal(error.retryable, true);
  }
});

test('dropped connections are Transport errors, retried like any idempotent call', async () => {
  const client = new CampaignClient(clientOptions(emulator, { retry: { ...quick, maxAttempts: 2 } }));
  await emulator.faults({ drop: 1 });
  const start = await emulator.stats();
  await assert.rejects(client.getProfile(pkeys[0]), (error) =>
    error.kind === 'Transport' && error.retryable === true && error.status === null);
  assert.equal(count(since(start, await emulator.stats()), { status: 0 }), 2);
});

test('a slow answer is abandoned after timeoutMs', async () => {
  const client = new CampaignClient(clientOptions(emulator, { timeoutMs: 200, retry: { maxAttempts: 1 } }));
  await emulator.faults({ latency_ms: [1500, 1500] });
  const began = Date.now();
  await assert.rejects(client.getProfile(pkeys[0]), (error) =>
    error.kind === 'Transport' && /timed out/.test(error.message));
  const took = Date.now() - began;
  assert.ok(took < 1200, `took ${took} ms`);
});

test('a body over maxBodyBytes is refused as Decode', async () => {
  const client = new CampaignClient(clientOptions(emulator, { maxBodyBytes: 100 }));
  await assert.rejects(client.getProfile(pkeys[0]), (error) =>
    error.kind === 'Decode' && /100-byte limit/.test(error.message));
  const roomy = new CampaignClient(clientOptions(emulator, { maxBodyBytes: 1 << 20 }));
  assert.equal((await roomy.getProfile(pkeys[0])).PKey, pkeys[0]);
});

test('a tokenProvider is asked again (refresh: true) after a 401', async () => {
  const asked = [];
  const client = new CampaignClient({
    organization: ORG, apiKey: API_KEY, baseUrl: emulator.url,
    tokenProvider: async ({ refresh }) => {
      asked.push(refresh);
      return refresh ? TOKEN : 'tok-expired-000000';
    },
  });
  const start = await emulator.stats();
  assert.equal(typeof (await client.getOptOut(pkeys[0])), 'boolean');
  assert.deepEqual(asked, [false, true]);
  const sent = since(start, await emulator.stats());
  assert.equal(count(sent, { status: 401 }), 1);
  assert.equal(count(sent, { status: 200 }), 1);
});

test('a tokenProvider that keeps failing gives a Config error naming it', async () => {
  const client = new CampaignClient({
    organization: ORG, apiKey: API_KEY, baseUrl: emulator.url,
    tokenProvider: () => { throw new Error('vault unreachable'); },
  });
  await assert.rejects(client.getOptOut(pkeys[0]), (error) =>
    error.kind === 'Config' && error.field === 'tokenProvider' && /vault unreachable/.test(error.message));
});

test('OAuth tokens are fetched, cached, and fetched again when they expire', async () => {
  const shortLived = await startEmulator(['--seed', '2', '--token-expires-in', '1']);
  try {
    const client = new CampaignClient({
      organization: ORG, apiKey: API_KEY, baseUrl: shortLived.url,
      clientSecret: CLIENT_SECRET, scopes: 'openid,campaign_sdk',
      tokenUrl: `${shortLived.url}/ims/token/v3`,
    });
    let pkey;
    for await (const profile of client.listProfiles()) { pkey = profile.PKey; break; }
    await client.getOptOut(pkey);
    let sent = await shortLived.stats();
    assert.equal(count(sent, { method: 'POST', route: 'token', status: 200 }), 1, 'the token was not cached');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await client.getOptOut(pkey);
    sent = await shortLived.stats();
    assert.equal(count(sent, { method: 'POST', route: 'token', status: 200 }), 2);
    assert.equal(count(sent, { status: 401 }), 0, 'an expired token was sent');
  } finally {
    await shortLived.stop();
  }
});
