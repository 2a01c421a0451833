// The shared conformance vectors (tests/vectors/*.json, format in tests/vectors/README.md), run
// through the installed package: requests via prepare*, answers via parse*, and bad input via
// both prepare* and the client, which must refuse it without sending anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ccpa from 'ccpa-optout';
import { withoutNetwork } from './no-fetch.mjs';

const root = process.env.CCPA_REPO_ROOT;
const load = (name) => JSON.parse(readFileSync(`${root}/tests/vectors/${name}`, 'utf8'));
const configOf = (file, testCase) => ({ ...file.config, ...(testCase.config ?? {}) });

/** The vector's operation through the sans-IO functions. */
function prepare(operation, config, input) {
  switch (operation) {
    case 'getProfile': return ccpa.prepareGetProfile(config, input.pkey);
    case 'findByEmail': {
      const { email, ...options } = input;
      return ccpa.prepareFindByEmail(config, email, options);
    }
    case 'listProfiles': return ccpa.prepareListProfiles(config, input);
    case 'followHref': return ccpa.prepareFollowHref(config, input.href);
    case 'createProfile': return ccpa.prepareCreateProfile(config, input.fields);
    case 'setOptOut': return ccpa.prepareSetOptOut(config, input.pkey, input.optOut);
    case 'updateProfile': return ccpa.prepareUpdateProfile(config, input.pkey, input.fields);
    case 'deleteProfile': return ccpa.prepareDeleteProfile(config, input.pkey);
    case 'profileMetadata': return ccpa.prepareProfileMetadata(config);
    case 'tokenRequest': return ccpa.prepareTokenRequest(input);
    default: throw new Error(`unknown operation ${operation}`);
  }
}

/** The vector's operation through a client (construction included); `null` if it has none. */
async function viaClient(operation, config, input) {
  if (operation === 'followHref') return null; // a client follows hrefs itself, on its origin only
  if (operation === 'tokenRequest') {
    const { accessToken: _unused, ...rest } = config;
    return new ccpa.CampaignClient({ ...rest, ...input });
  }
  const client = new ccpa.CampaignClient(config);
  switch (operation) {
    case 'getProfile': return client.getProfile(input.pkey);
    case 'findByEmail': return client.findByEmail(input.email);
    case 'listProfiles': return client.listProfiles(input).next();
    case 'createProfile': return client.createProfile(input.fields);
    case 'setOptOut': return client.setOptOut(input.pkey, input.optOut);
    case 'updateProfile': return client.updateProfile(input.pkey, input.fields);
    case 'deleteProfile': return client.deleteProfile(input.pkey);
    case 'profileMetadata': return client.profileMetadata();
    default: throw new Error(`unknown operation ${operation}`);
  }
}

const sorted = (headers) => headers.map(([n, v]) => `${n}: ${v}`).sort();

test('request vectors: prepare* builds exactly the expected requests', () => {
  const file = load('requests.json');
  assert.ok(file.cases.length >= 40);
  for (const testCase of file.cases) {
    const request = prepare(testCase.operation, configOf(file, testCase), testCase.input);
    const expected = testCase.expected;
    assert.equal(request.method, expected.method, testCase.name);
    assert.equal(request.url, expected.url, testCase.name);
    assert.deepEqual(sorted(request.headers), sorted(expected.headers), testCase.name);
    if (expected.form !== undefined) {
      assert.equal(new TextDecoder().decode(request.body), expected.form, testCase.name);
    } else if (expected.body === null) {
      assert.equal(request.body, null, `${testCase.name}: GET/DELETE carry no body`);
    } else {
      assert.ok(request.body instanceof Uint8Array, testCase.name);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(request.body)), expected.body, testCase.name);
    }
  }
});

test('bad-input vectors: prepare* throws the expected kind and field', () => {
  const file = load('bad_input.json');
  assert.ok(file.cases.length >= 30);
  for (const testCase of file.cases) {
    assert.throws(
      () => prepare(testCase.operation, configOf(file, testCase), testCase.input),
      (error) => {
        assert.ok(ccpa.isCcpaOptOutError(error), `${testCase.name}: ${error}`);
        assert.equal(error.kind, testCase.error.kind, `${testCase.name}: ${error.message}`);
        assert.equal(error.field, testCase.error.field, `${testCase.name}: ${error.message}`);
        return true;
      },
      testCase.name,
    );
  }
});

test('bad-input vectors: the client refuses them and sends nothing', async () => {
  const file = load('bad_input.json');
  let checked = 0;
  for (const testCase of file.cases) {
    const { result, error, attempts } = await withoutNetwork(
      () => viaClient(testCase.operation, configOf(file, testCase), testCase.input),
    );
    if (result === null) continue;
    assert.deepEqual(attempts, [], `${testCase.name}: a request was sent`);
    assert.ok(error, `${testCase.name}: expected an error, got ${result}`);
    assert.ok(error instanceof Error && ccpa.isCcpaOptOutError(error), `${testCase.name}: ${error}`);
    assert.equal(error.kind, testCase.error.kind, `${testCase.name}: ${error.message}`);
    assert.equal(error.field, testCase.error.field, `${testCase.name}: ${error.message}`);
    checked += 1;
  }
  assert.ok(checked >= 50, `only ${checked} cases went through the client`);
});

/** The vector's answer through the parse functions, shaped like the vector's `expected`. */
function parse(testCase) {
  const response = { status: testCase.status, headers: testCase.headers, body: testCase.body };
  const options = { optOutField: testCase.optOutField ?? 'ccpaOptOut' };
  switch (testCase.parse) {
    case 'profile': {
      const profile = ccpa.parseProfile(response, options);
      return { profile, optOut: profile[options.optOutField] ?? null };
    }
    case 'page': return ccpa.parseProfilePage(response, options);
    case 'patchAck': return ccpa.parsePatchAck(response);
    case 'delete': return ccpa.parseDelete(response) ?? null;
    case 'count': return ccpa.parseCount(response);
    case 'metadata': return ccpa.parseProfileMetadata(response, options);
    case 'token': {
      const { expiresIn } = ccpa.parseTokenResponse(response);
      return { expiresIn };
    }
    default: throw new Error(`unknown parser ${testCase.parse}`);
  }
}

test('response vectors: parse* reads every answer and error shape', () => {
  const file = load('responses.json');
  assert.ok(file.cases.length >= 30);
  for (const testCase of file.cases) {
    if (!testCase.error) {
      assert.deepEqual(parse(testCase), testCase.expected, testCase.name);
      continue;
    }
    assert.throws(() => parse(testCase), (error) => {
      assert.ok(ccpa.isCcpaOptOutError(error), `${testCase.name}: ${error}`);
      for (const [key, value] of Object.entries(testCase.error)) {
        assert.deepEqual(error[key], value, `${testCase.name}: ${key} (${error.message})`);
      }
      return true;
    }, testCase.name);
  }
});

test('a response body may be given as text, bytes or an ArrayBuffer', () => {
  const text = '{"PKey": "@a", "ccpaOptOut": true}';
  const bytes = new TextEncoder().encode(text);
  for (const body of [text, bytes, bytes.buffer]) {
    assert.equal(ccpa.parseProfile({ status: 200, headers: [], body }).ccpaOptOut, true);
  }
  const headers = new Headers({ 'retry-after': '4' });
  assert.throws(() => ccpa.parseProfile({ status: 429, headers, body: '' }),
    (error) => error.kind === 'RateLimited' && error.retryAfter === 4);
});
