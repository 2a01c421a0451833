// The hostile-input table (tests/vectors/hostile.json) against the npm package over real sockets:
// every case ends in its typed error, sends only the requests it lists, never reaches the decoy
// origin, never forwards an injected header, and leaks no credential. The Rust and Python suites
// run the same table; the format is in tests/vectors/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { CampaignClient, isCcpaOptOutError } from 'ccpa-optout';
import { startHostileServer } from './hostile-server.mjs';

const root = process.env.CCPA_REPO_ROOT;
if (!root) throw new Error('CCPA_REPO_ROOT is not set (run the tests through scripts/test-js.sh)');
const table = JSON.parse(readFileSync(`${root}/tests/vectors/hostile.json`, 'utf8'));

/** A string of the table: plain, or {text, repeat, times, suffix}. */
const text = (value) => (typeof value === 'string' ? value
  : (value.text ?? '') + value.repeat.repeat(value.times) + (value.suffix ?? ''));

function settings(testCase, server) {
  const merged = { ...table.config, ...(testCase.config ?? {}) };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value === 'string') merged[key] = value.replaceAll('{server}', server.base).replaceAll('{decoy}', server.decoy);
  }
  return merged;
}

function makeClient(config) {
  return new CampaignClient({
    organization: config.organization,
    apiKey: config.apiKey,
    accessToken: config.accessToken,
    baseUrl: config.baseUrl,
    api: config.api,
    optOutField: config.optOutField,
    retry: { maxAttempts: config.maxAttempts, baseDelayMs: config.retryBaseDelayMs, maxDelayMs: config.retryBaseDelayMs * 8 },
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
  });
}

async function run(client, testCase) {
  const input = testCase.input;
  switch (testCase.operation) {
    case 'getProfile': return client.getProfile(text(input.pkey));
    case 'getOptOut': return client.getOptOut(text(input.pkey));
    case 'setOptOut': return client.setOptOut(text(input.pkey), input.optOut);
    case 'findByEmail': return client.findByEmail(text(input.email));
    case 'optOutByEmail': return client.optOutByEmail(text(input.email), input.optOut);
    case 'listProfiles': {
      const all = [];
      for await (const profile of client.listProfiles({ pageSize: input.pageSize })) all.push(profile);
      return all;
    }
    case 'updateProfile': return client.updateProfile(text(input.pkey), input.fields);
    case 'createProfile': return client.createProfile(input.fields);
    case 'deleteProfile': return client.deleteProfile(text(input.pkey));
    default: throw new Error(`unknown operation ${testCase.operation}`);
  }
}

function problems(testCase, err, elapsedMs, server) {
  const expected = testCase.error;
  if (testCase.withinMs !== undefined && elapsedMs > testCase.withinMs) {
    return [`took ${elapsedMs} ms, more than ${testCase.withinMs} ms`];
  }
  if (err === undefined) return [`succeeded; expected a ${expected.kind} error`];
  if (!isCcpaOptOutError(err)) return [`threw ${inspect(err)}, not a CcpaOptOutError`];
  const found = [];
  if (err.kind !== expected.kind) found.push(`kind ${err.kind} (${err.message}), expected ${expected.kind}`);
  if ('field' in expected && err.field !== expected.field) found.push(`field ${err.field}, expected ${expected.field}`);
  if ('status' in expected && err.status !== expected.status) found.push(`status ${err.status}, expected ${expected.status}`);
  const sent = server.seen.map((seen) => seen.method);
  if (JSON.stringify(sent) !== JSON.stringify(testCase.sent)) {
    found.push(`sent ${JSON.stringify(sent)}, expected ${JSON.stringify(testCase.sent)}`);
  }
  if (server.decoyHits > 0) found.push(`${server.decoyHits} requests reached the decoy origin`);
  for (const seen of server.seen) {
    if (seen.target.toLowerCase().includes('x-injected') || seen.headers.some(([name]) => name === 'x-injected')) {
      found.push(`an injected header was sent: ${JSON.stringify(seen)}`);
    }
  }
  const renderings = [String(err), inspect(err), JSON.stringify(err), err.message, err.excerpt ?? '', err.errorCode ?? ''];
  for (const shown of renderings) {
    const leaked = table.secrets.find((secret) => shown.includes(secret));
    if (leaked) {
      found.push(`the error shows the secret ${leaked}: ${shown}`);
      break;
    }
  }
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f]/;
  for (const [what, shown] of [['message', err.message], ['error code', err.errorCode ?? '']]) {
    if (control.test(shown) || [...shown].length > 400) {
      found.push(`the ${what} has control characters or is over 400 characters: ${JSON.stringify(shown)}`);
    }
  }
  return found;
}

test('the table is large enough', () => {
  assert.ok(table.cases.length >= 60, `${table.cases.length} cases`);
});

for (const testCase of table.cases) {
  test(testCase.name, async () => {
    const server = await startHostileServer(testCase.server ?? []);
    let err;
    const started = Date.now();
    try {
      let client;
      try {
        client = makeClient(settings(testCase, server));
      } catch (raised) { // a Config error must come before any operation runs
        err = raised;
      }
      if (client) {
        try {
          await run(client, testCase);
        } catch (raised) {
          err = raised;
        } finally {
          client.free?.();
        }
      }
    } finally {
      await server.close();
    }
    const found = problems(testCase, err, Date.now() - started, server);
    assert.deepEqual(found, []);
  });
}
