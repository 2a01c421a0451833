// No credential (API key, access token, client secret) in any error, however it is printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { CampaignClient, isCcpaOptOutError } from 'ccpa-optout';
import { startEmulator, clientOptions, SECRETS, API_KEY, TOKEN, CLIENT_SECRET } from './emulator.mjs';

let emulator;
before(async () => { emulator = await startEmulator(['--seed', '3']); });
after(() => emulator.stop());

function assertNoSecret(error, label) {
  assert.ok(error instanceof Error, `${label}: not an Error`);
  assert.ok(isCcpaOptOutError(error), `${label}: ${error}`);
  assert.equal(error.name, 'CcpaOptOutError');
  const printed = [error.message, String(error), JSON.stringify(error), inspect(error),
    inspect(error, { showHidden: true }), String(error.stack)];
  for (const text of printed) {
    for (const secret of SECRETS) {
      assert.ok(!text.includes(secret), `${label}: ${secret} in ${text}`);
    }
  }
}

async function failure(promiseOrThunk) {
  try {
    await (typeof promiseOrThunk === 'function' ? promiseOrThunk() : promiseOrThunk);
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

test('errors of every kind keep the credentials out', async () => {
  const good = new CampaignClient(clientOptions(emulator, { retry: { maxAttempts: 1 } }));
  const wrongKey = new CampaignClient(clientOptions(emulator, { apiKey: `${API_KEY}-x` }));
  const oauthWrong = new CampaignClient({
    organization: 'acme', apiKey: API_KEY, baseUrl: emulator.url, clientSecret: `${CLIENT_SECRET}-x`,
    scopes: 'campaign', tokenUrl: `${emulator.url}/ims/token/v3`, retry: { maxAttempts: 1 },
  });
  const unreachable = new CampaignClient(clientOptions(emulator, {
    baseUrl: 'http://127.0.0.1:9', retry: { maxAttempts: 1 },
  }));
  const tiny = new CampaignClient(clientOptions(emulator, { maxBodyBytes: 16 }));
  let pkey;
  for await (const profile of good.listProfiles()) { pkey = profile.PKey; break; }
  const cases = {
    Validation: failure(good.setOptOut(pkey, 'true')),
    NotFound: failure(good.getProfile('@doesNotExist')),
    Auth: failure(wrongKey.getProfile(pkey)),
    'Auth (OAuth)': failure(oauthWrong.getProfile(pkey)),
    Transport: failure(unreachable.getProfile(pkey)),
    Decode: failure(tiny.getProfile(pkey)),
    Config: failure(() => new CampaignClient({ ...clientOptions(emulator), accessToken: `${TOKEN}\n` })),
    'Config (second credential)': failure(() => new CampaignClient({ ...clientOptions(emulator), clientSecret: CLIENT_SECRET })),
  };
  const kinds = {};
  for (const [label, pending] of Object.entries(cases)) {
    const error = await pending;
    assertNoSecret(error, label);
    kinds[label] = error.kind;
  }
  assert.deepEqual(kinds, {
    Validation: 'Validation', NotFound: 'NotFound', Auth: 'Auth', 'Auth (OAuth)': 'Auth',
    Transport: 'Transport', Decode: 'Decode', Config: 'Config', 'Config (second credential)': 'Config',
  });
});

test('clients print no credential in any form', () => {
  const clients = [
    new CampaignClient(clientOptions(emulator)),
    new CampaignClient({ organization: 'acme', apiKey: API_KEY, tokenProvider: () => TOKEN }),
    new CampaignClient({ organization: 'acme', apiKey: API_KEY, clientSecret: CLIENT_SECRET, scopes: 'x' }),
  ];
  for (const client of clients) {
    for (const text of [String(client), JSON.stringify(client), inspect(client), `${client}`]) {
      for (const secret of SECRETS) assert.ok(!text.includes(secret), text);
    }
  }
});
