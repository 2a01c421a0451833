// Every client operation against the emulator, through the installed package (`import`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignClient, isCcpaOptOutError } from 'ccpa-optout';
import { startEmulator, clientOptions, count, since, API_KEY, TOKEN } from './emulator.mjs';
import { withoutNetwork } from './no-fetch.mjs';

let emulator;
let client;
before(async () => {
  emulator = await startEmulator(['--seed', '20']);
  client = new CampaignClient(clientOptions(emulator));
});
after(() => emulator.stop());

async function firstProfile() {
  for await (const profile of client.listProfiles({ pageSize: 5 })) return profile;
  throw new Error('the emulator has no profiles');
}

test('getProfile returns every field of the profile as a plain object', async () => {
  const listed = await firstProfile();
  const profile = await client.getProfile(listed.PKey);
  assert.equal(Object.getPrototypeOf(profile), Object.prototype);
  assert.equal(profile.PKey, listed.PKey);
  assert.equal(typeof profile.ccpaOptOut, 'boolean');
  for (const field of ['href', 'email', 'firstName', 'lastName', 'created', 'lastModified', 'location']) {
    assert.ok(field in profile, `missing ${field}`);
  }
  assert.equal(await client.getOptOut(listed.PKey), profile.ccpaOptOut);
});

test('setOptOut reads first and writes only when the value differs', async () => {
  const { PKey: pkey, ccpaOptOut: initial } = await firstProfile();
  const start = await emulator.stats();
  const change = await client.setOptOut(pkey, !initial);
  assert.deepEqual(change, { pkey, previous: initial, current: !initial, changed: true });
  const again = await client.setOptOut(pkey, !initial);
  assert.deepEqual(again, { pkey, previous: !initial, current: !initial, changed: false });
  const sent = since(start, await emulator.stats());
  assert.equal(count(sent, { method: 'PATCH', route: 'profile', status: 200 }), 1, JSON.stringify(sent));
  assert.equal(count(sent, { method: 'GET', route: 'profile', status: 200 }), 2);
  assert.equal(await client.getOptOut(pkey), !initial);
  await client.setOptOut(pkey, initial);
});

test('createProfile, updateProfile, findByEmail, optOutByEmail and deleteProfile', async () => {
  const email = `dup.${Date.now()}@example.com`;
  const first = await client.createProfile({ email, firstName: 'Dana', ccpaOptOut: false });
  assert.match(first.PKey, /^@/);
  assert.equal(first.email, email);
  assert.equal(first.ccpaOptOut, false);
  const second = await client.createProfile({ email, firstName: 'Dana' });
  const ack = await client.updateProfile(second.PKey, { lastName: 'Reyes', ccpaOptOut: true });
  assert.equal(ack.PKey, second.PKey);
  assert.equal((await client.getProfile(second.PKey)).lastName, 'Reyes');

  const found = await client.findByEmail(email);
  assert.deepEqual(found.map((p) => p.PKey).sort(), [first.PKey, second.PKey].sort());
  const changes = await client.optOutByEmail(email);
  const byKey = Object.fromEntries(changes.map((c) => [c.pkey, c]));
  assert.deepEqual(byKey[first.PKey], { pkey: first.PKey, previous: false, current: true, changed: true });
  assert.deepEqual(byKey[second.PKey], { pkey: second.PKey, previous: true, current: true, changed: false });
  const back = await client.optOutByEmail(email, false);
  assert.ok(back.every((c) => c.current === false && c.changed));
  assert.deepEqual(await client.optOutByEmail(`nobody.${Date.now()}@example.com`), []);

  assert.equal(await client.deleteProfile(first.PKey), undefined);
  await assert.rejects(client.getProfile(first.PKey), (error) =>
    isCcpaOptOutError(error) && error.kind === 'NotFound' && error.status === 404 && !error.retryable);
  await client.deleteProfile(second.PKey);
});

test('profileMetadata reports the opt-out field as a boolean', async () => {
  const metadata = await client.profileMetadata();
  assert.equal(metadata.fields.ccpaOptOut, 'boolean');
  assert.equal(metadata.optOutFieldOk, true);
  const custom = new CampaignClient(clientOptions(emulator, { optOutField: 'cusOptOutCcpa' }));
  assert.equal((await custom.profileMetadata()).optOutFieldOk, false);
});

test('a refused token is an Auth error carrying the ACS code, not retried', async () => {
  const { PKey: pkey } = await firstProfile();
  const start = await emulator.stats();
  const wrong = new CampaignClient(clientOptions(emulator, { accessToken: 'tok-not-valid-1234' }));
  await assert.rejects(wrong.getOptOut(pkey), (error) =>
    error.kind === 'Auth' && error.status === 401 && error.errorCode === '401013' && !error.retryable);
  const sent = since(start, await emulator.stats());
  assert.equal(count(sent, { status: 401 }), 1);
});

test('a bad API key is 403003 and a tenant outside the credentials 403023, each with its message', async () => {
  const wrongKey = new CampaignClient(clientOptions(emulator, { apiKey: 'key-not-valid-1234' }));
  await assert.rejects(wrongKey.getProfile('@anything'), (error) =>
    error.kind === 'Auth' && error.status === 403 && error.errorCode === '403003'
    && error.message.includes('Api Key is invalid'));
  const otherTenant = new CampaignClient(clientOptions(emulator, { organization: 'acme-mkt-stage' }));
  await assert.rejects(otherTenant.getProfile('@anything'), (error) =>
    error.kind === 'Auth' && error.status === 403 && error.errorCode === '403023'
    && error.message.includes('Profile is not valid'));
});

test('non-boolean opt-outs and bad PKeys reject before anything is sent', async () => {
  const start = await emulator.stats();
  const { PKey: pkey } = await firstProfile();
  const listed = since(start, await emulator.stats()).total;
  for (const value of ['true', 1, null, undefined, 'yes', 0, {}, []]) {
    const { error, attempts } = await withoutNetwork(() => client.setOptOut(pkey, value));
    assert.deepEqual(attempts, [], `${JSON.stringify(value)} was sent`);
    assert.equal(error?.kind, 'Validation', String(value));
    assert.equal(error.field, 'ccpaOptOut');
  }
  for (const bad of ['', '../admin', '@a/b', '@a?x=1', 42, undefined]) {
    const { error, attempts } = await withoutNetwork(() => client.getProfile(bad));
    assert.deepEqual(attempts, []);
    assert.equal(error?.kind, 'Validation', String(bad));
    assert.equal(error.field, 'pkey');
  }
  const { error } = await withoutNetwork(() => client.optOutByEmail('ana@example.com', 'false'));
  assert.equal(error?.kind, 'Validation');
  assert.equal(since(start, await emulator.stats()).total, listed, 'the emulator saw a request');
});

test('redirects are not followed: the credentials would travel with them', async () => {
  const { createServer } = await import('node:http');
  const redirector = createServer((req, res) => {
    res.writeHead(302, { location: `${emulator.url}${req.url}` }).end();
  });
  await new Promise((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  try {
    const start = await emulator.stats();
    const { port } = redirector.address();
    const redirected = new CampaignClient(clientOptions(emulator, {
      baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 },
    }));
    await assert.rejects(redirected.getProfile('@anything'), (error) => isCcpaOptOutError(error));
    assert.equal(since(start, await emulator.stats()).total, 0, 'the redirect was followed');
  } finally {
    redirector.close();
  }
});

test('a replaced fetch that answers with something other than a Response is a Transport error, and the client still works', async () => {
  const stubbed = new CampaignClient(clientOptions(emulator, { retry: { maxAttempts: 1 } }));
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => ({ status: 200, headers: {}, body: '{}' });
  try {
    await assert.rejects(stubbed.getProfile('@anything'), (error) => {
      assert.equal(error.kind, 'Transport');
      assert.match(error.message, /not answer with a Response/);
      return true;
    });
  } finally {
    globalThis.fetch = realFetch;
  }
  // The refusal left the module alive: the same client reads a real profile.
  const { PKey } = await firstProfile();
  assert.equal((await stubbed.getProfile(PKey)).PKey, PKey);
});

test('the client prints where it points and never a credential', async () => {
  const { inspect } = await import('node:util');
  const printed = [String(client), JSON.stringify(client), inspect(client), inspect(client, { showHidden: true, depth: 5 })];
  for (const text of printed) {
    assert.ok(!text.includes(API_KEY) && !text.includes(TOKEN), text);
  }
  assert.match(String(client), /acme/);
  assert.deepEqual(JSON.parse(JSON.stringify(client)), {
    organization: 'acme', baseUrl: emulator.url, api: 'profileAndServices', optOutField: 'ccpaOptOut',
  });
});

test('host names must be ASCII: an internationalised (non-ASCII) host is a Config error', async () => {
  // The package leaves out the Unicode tables of internationalised domain names (they would
  // double the .wasm): give such a host in its ASCII (punycode) form instead.
  const options = { organization: 'acme', apiKey: API_KEY, accessToken: TOKEN };
  for (const baseUrl of ['https://bücher.example', 'https://例え.テスト', 'https://ＭＣ.adobe.io']) {
    assert.throws(() => new CampaignClient({ ...options, baseUrl }),
      (e) => isCcpaOptOutError(e) && e.kind === 'Config' && e.field === 'baseUrl', baseUrl);
  }
  assert.throws(() => new CampaignClient({ organization: 'acme', apiKey: API_KEY, clientSecret: 's', scopes: 'x',
    tokenUrl: 'https://ïms.example/ims/token/v3' }), (e) => e.kind === 'Config' && e.field === 'tokenUrl');
  const ascii = new CampaignClient({ ...options, baseUrl: 'https://xn--bcher-kva.example' });
  assert.equal(ascii.toJSON().baseUrl, 'https://xn--bcher-kva.example');
  // Upper-case ASCII is still folded as before.
  assert.equal(new CampaignClient({ ...options, baseUrl: 'https://MC.Adobe.IO' }).toJSON().baseUrl, 'https://mc.adobe.io');
});
