// The shared settings vectors (tests/vectors/settings.json, format in tests/vectors/README.md)
// through `new CampaignClient(options)`, and `CampaignClient.fromEnv(env, options)` for the cases
// with an environment. A built client shows what JavaScript can observe: `toJSON()`, and the
// requests of one `findByEmail` answered by a recording `fetch` (credentials, the API key sent,
// OAuth's form, `_forcePagination`). Timeout, body limit and retry settings have no observable
// form short of waiting for them, so accepted cases leave them to the core's own runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { CampaignClient, isCcpaOptOutError } from 'ccpa-optout';

const file = JSON.parse(readFileSync(`${process.env.CCPA_REPO_ROOT}/tests/vectors/settings.json`, 'utf8'));
const PROVIDED_TOKEN = 'from-provider';
const IMS_TOKEN = 'from-ims';

/** The vector's settings as JavaScript options: seconds become milliseconds, `tokenProvider: true` a function. */
function jsOptions({ timeout, retry, tokenProvider, ...options }) {
  const ms = (seconds) => Math.round(seconds * 1000);
  if (timeout !== undefined) options.timeoutMs = ms(timeout);
  if (retry) {
    options.retry = Object.fromEntries(Object.entries(retry)
      .map(([key, value]) => (key === 'maxAttempts' ? [key, value] : [`${key}Ms`, ms(value)])));
  }
  if (tokenProvider) options.tokenProvider = () => PROVIDED_TOKEN;
  return options;
}

/** The vector's field under its JavaScript name. */
const jsField = (field) => (field === 'timeout' ? 'timeoutMs' : field);

const build = (testCase) => {
  const options = jsOptions(testCase.settings);
  return testCase.env ? CampaignClient.fromEnv(testCase.env, options) : new CampaignClient(options);
};

/** Every request `run` sends, answered as IMS (a token) or ACS (an empty byEmail page) would. */
async function recording(run) {
  const realFetch = globalThis.fetch;
  const sent = [];
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = await request.text();
    sent.push({ url: request.url, headers: Object.fromEntries(request.headers), body });
    const answer = body.includes('grant_type=client_credentials')
      ? { access_token: IMS_TOKEN, token_type: 'bearer', expires_in: 86399 }
      : { content: [] };
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
  };
  try {
    await run();
  } finally {
    globalThis.fetch = realFetch;
  }
  return sent;
}

/** What the vector's `expected` compares, as far as JavaScript can see it. */
async function observed(client, testCase) {
  const given = (key, variable) => testCase.settings[key] ?? testCase.env?.[variable];
  const sources = { apiKey: given('apiKey', 'CAMPAIGN_STANDARD_API_KEY'), clientId: given('clientId', 'CAMPAIGN_STANDARD_CLIENT_ID') };
  const from = (value) => Object.keys(sources).find((key) => sources[key] === value) ?? null;
  const sent = await recording(() => client.findByEmail('ana@example.com'));
  const lookup = sent.at(-1);
  const shown = {
    ...client.toJSON(),
    apiKeyFrom: from(lookup.headers['x-api-key']),
    forcePagination: new URL(lookup.url).searchParams.get('_forcePagination') === 'true',
  };
  const bearer = lookup.headers.authorization;
  if (sent.length === 2) {
    const form = new URLSearchParams(sent[0].body);
    assert.equal(bearer, `Bearer ${IMS_TOKEN}`);
    Object.assign(shown, {
      credentials: 'oauth', clientIdFrom: from(form.get('client_id')), scopes: form.get('scope'), tokenUrl: sent[0].url,
    });
  } else {
    shown.credentials = bearer === `Bearer ${PROVIDED_TOKEN}` ? 'provider' : 'accessToken';
  }
  return shown;
}

const UNOBSERVABLE = new Set(['timeout', 'maxBodyBytes', 'retry']);

function assertNoSecret(texts, label) {
  for (const text of texts) {
    for (const secret of file.secrets) assert.ok(!text.includes(secret), `${label}: ${secret} in ${text}`);
  }
}

test('settings vectors: every case accepted or refused as written', async () => {
  assert.ok(file.cases.length >= 30);
  let accepted = 0;
  for (const testCase of file.cases) {
    const label = testCase.name;
    let client;
    try {
      client = build(testCase);
    } catch (error) {
      assert.ok(testCase.error, `${label}: refused: ${error}`);
      assert.ok(error instanceof Error && isCcpaOptOutError(error), `${label}: ${error}`);
      assert.equal(error.kind, testCase.error.kind, `${label}: ${error.message}`);
      assert.equal(error.field, jsField(testCase.error.field), `${label}: ${error.message}`);
      assertNoSecret([error.message, String(error), String(error.stack), JSON.stringify(error), inspect(error)], label);
      continue;
    }
    assert.ok(!testCase.error, `${label}: accepted, expected ${JSON.stringify(testCase.error)}`);
    assertNoSecret([String(client), JSON.stringify(client), inspect(client)], label);
    const shown = await observed(client, testCase);
    for (const [key, value] of Object.entries(testCase.expected)) {
      if (!UNOBSERVABLE.has(key)) assert.deepEqual(shown[key], value, `${label}: ${key}`);
    }
    accepted += 1;
  }
  assert.ok(accepted >= 10, `only ${accepted} accepted cases`);
});

test('fromEnv reads process.env by default, and the options win over it', () => {
  const names = ['CAMPAIGN_STANDARD_TENANT_ID', 'CAMPAIGN_STANDARD_API_KEY', 'CAMPAIGN_STANDARD_ACCESS_TOKEN'];
  const saved = names.map((name) => process.env[name]);
  Object.assign(process.env, { CAMPAIGN_STANDARD_TENANT_ID: 'from-env', CAMPAIGN_STANDARD_API_KEY: 'k', CAMPAIGN_STANDARD_ACCESS_TOKEN: 't' });
  try {
    assert.equal(CampaignClient.fromEnv().toJSON().organization, 'from-env');
    assert.equal(CampaignClient.fromEnv(null, { organization: 'explicit' }).toJSON().organization, 'explicit');
  } finally {
    names.forEach((name, i) => (saved[i] === undefined ? delete process.env[name] : (process.env[name] = saved[i])));
  }
  assert.throws(() => CampaignClient.fromEnv({}), (e) => e.kind === 'Config' && e.field === 'organization');
  assert.throws(() => CampaignClient.fromEnv('acme'), (e) => e.kind === 'Config' && e.field === 'env');
  assert.throws(() => CampaignClient.fromEnv({ CAMPAIGN_STANDARD_API_KEY: 5 }), (e) => e.field === 'apiKey');
  assert.throws(() => CampaignClient.fromEnv({}, { organizaton: 'acme' }), (e) => e.kind === 'Config' && /organizaton/.test(e.message));
});

test('JavaScript conversions: types, milliseconds and unknown keys', () => {
  const base = { organization: 'acme', apiKey: 'k', accessToken: 't' };
  const field = (options) => {
    try {
      new CampaignClient({ ...base, ...options });
    } catch (error) {
      return [error.kind, error.field];
    }
    return null;
  };
  assert.equal(field({ timeoutMs: 2_147_483_647, retry: { maxAttempts: 1000, maxRetryAfterMs: 0 } }), null);
  assert.deepEqual(field({ timeoutMs: 1.5 }), ['Config', 'timeoutMs']);
  assert.deepEqual(field({ timeoutMs: '30000' }), ['Config', 'timeoutMs']);
  assert.deepEqual(field({ retry: { baseDelayMs: Number.NaN } }), ['Config', 'retry']);
  assert.deepEqual(field({ retry: { attempts: 3 } }), ['Config', 'retry']);
  assert.deepEqual(field({ maxBodyBytes: -1 }), ['Config', 'maxBodyBytes']);
  assert.deepEqual(field({ forcePagination: 'no' }), ['Config', 'forcePagination']);
  assert.deepEqual(field({ tokenProvider: 'abc', accessToken: undefined }), ['Config', 'tokenProvider']);
  assert.deepEqual(field({ scopes: '' }), ['Config', 'clientSecret'], 'an empty OAuth setting still needs the secret');
  const oauth = { accessToken: undefined, clientSecret: 's', scopes: 'campaign' };
  assert.deepEqual(field({ ...oauth, clientId: 'bad id' }), ['Config', 'clientId']);
  assert.deepEqual(field({ ...oauth, apiKey: undefined, clientId: '' }), ['Config', 'clientId']);
  assert.deepEqual(field({ ...oauth, apiKey: 'bad key', clientId: 'bad id' }), ['Config', 'apiKey']);
});
