// Requests to know and to delete through the installed package: the shared Privacy Service
// vectors (tests/vectors/privacy.json, all four sections) through the JavaScript API, and the
// whole life of access and delete jobs against the emulator's Privacy Service over sockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import * as ccpa from 'ccpa-optout';
import { startEmulator, clientOptions, count, since, SECRETS } from './emulator.mjs';
import { withoutNetwork } from './no-fetch.mjs';

const { CampaignClient, isCcpaOptOutError } = ccpa;
const vectors = JSON.parse(readFileSync(`${process.env.CCPA_REPO_ROOT}/tests/vectors/privacy.json`, 'utf8'));

// The vectors' configuration (see their `about`).
const VECTOR_CONFIG = { imsOrg: 'ABC123@AdobeOrg', apiKey: 'vec-api-key', accessToken: 'vec-token' };
const vectorConfig = (testCase) => (testCase.baseUrl ? { ...VECTOR_CONFIG, privacyBaseUrl: testCase.baseUrl } : VECTOR_CONFIG);
const vectorClient = (testCase) => new CampaignClient({ organization: 'acme', ...vectorConfig(testCase) });

/** The emulator's IMS organization unless started with `--ims-org`. */
const IMS_ORG = 'EMULATORORG0000000000000@AdobeOrg';

/** A create vector's users (`repeatUsers: n` stands for n one-email delete users). */
function usersOf(spec) {
  if (spec.repeatUsers === undefined) return spec.users;
  return Array.from({ length: spec.repeatUsers }, (_, i) => ({
    key: `u${i}`, actions: ['delete'], ids: [{ namespace: 'email', value: `u${i}@example.com`, type: 'standard' }],
  }));
}

const createOptions = (spec) => Object.fromEntries(
  ['include', 'regulation'].filter((key) => spec[key] !== undefined).map((key) => [key, spec[key]]),
);

function listFilter(spec) {
  const { page: _page, ...filter } = spec;
  return filter;
}

/** The request vector's call through the sans-IO functions. */
function prepare(testCase) {
  const config = vectorConfig(testCase);
  if (testCase.create) return ccpa.prepareCreatePrivacyJobs(config, usersOf(testCase.create), createOptions(testCase.create));
  if (testCase.get !== undefined) return ccpa.prepareGetPrivacyJob(config, testCase.get);
  if (testCase.download !== undefined) return ccpa.prepareDownloadPrivacyData(config, testCase.download);
  return ccpa.prepareListPrivacyJobs(config, listFilter(testCase.list), testCase.list.page);
}

/** The same call through a client (the listing's page is the client's to choose). */
function viaClient(testCase) {
  const client = vectorClient(testCase);
  if (testCase.create) return client.submitPrivacyJobs(usersOf(testCase.create), createOptions(testCase.create));
  if (testCase.get !== undefined) return client.privacyJob(testCase.get);
  if (testCase.download !== undefined) {
    return client.downloadPrivacyData({ jobId: 'j-1', action: 'access', status: 'complete', downloadUrl: testCase.download });
  }
  return client.listPrivacyJobs(listFilter(testCase.list));
}

function assertError(error, expected, label) {
  assert.ok(error instanceof Error && isCcpaOptOutError(error), `${label}: ${error}`);
  assert.equal(error.kind, expected.kind, `${label}: ${error.message}`);
  for (const key of ['field', 'errorCode']) {
    if (expected[key] !== undefined) assert.equal(error[key], expected[key], `${label}: ${key} (${error.message})`);
  }
}

test('privacy request vectors: prepare* builds each request or refuses it as written', () => {
  assert.ok(vectors.requests.length >= 25);
  let built = 0;
  for (const testCase of vectors.requests) {
    const label = testCase.name;
    if (testCase.error) {
      assert.throws(() => prepare(testCase), (error) => {
        assertError(error, testCase.error, label);
        return true;
      }, label);
      continue;
    }
    const request = prepare(testCase);
    const { expected } = testCase;
    assert.equal(request.method, expected.method, label);
    assert.equal(request.url, expected.url, label);
    const headers = new Map(request.headers);
    for (const [name, value] of Object.entries(expected.headers ?? {})) {
      assert.equal(headers.get(name), value, `${label}: ${name}`);
    }
    if (expected.body === null) {
      assert.equal(request.body, null, `${label}: no body`);
    } else if (expected.body !== undefined) {
      assert.ok(request.body instanceof Uint8Array, label);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(request.body)), expected.body, label);
    }
    built += 1;
  }
  assert.ok(built >= 7, `only ${built} requests built`);
});

test('privacy request vectors: the client refuses the bad ones and sends nothing', async () => {
  const refused = vectors.requests.filter((testCase) => testCase.error);
  assert.ok(refused.length >= 15);
  for (const testCase of refused) {
    const { result, error, attempts } = await withoutNetwork(() => viaClient(testCase));
    assert.deepEqual(attempts, [], `${testCase.name}: a request was sent`);
    assert.equal(result, undefined, `${testCase.name}: resolved`);
    assertError(error, testCase.error, testCase.name);
  }
});

test('privacy response vectors: parse* reads each answer or fails as written', () => {
  assert.ok(vectors.responses.length >= 12);
  const parsers = {
    created: (response) => ccpa.parseCreatedPrivacyJobs(response),
    job: (response) => ccpa.parsePrivacyJob(response, VECTOR_CONFIG),
    page: (response) => ccpa.parsePrivacyJobPage(response, VECTOR_CONFIG),
  };
  for (const testCase of vectors.responses) {
    const parse = parsers[testCase.parse];
    assert.ok(parse, `${testCase.name}: parser ${testCase.parse}`);
    const response = { status: testCase.status, headers: [['content-type', 'application/json']], body: JSON.stringify(testCase.body) };
    if (testCase.error) {
      assert.throws(() => parse(response), (error) => {
        assertError(error, testCase.error, testCase.name);
        return true;
      }, testCase.name);
    } else {
      assert.deepEqual(parse(response), testCase.expected, testCase.name);
    }
  }
});

test('privacy clock vectors: requestClocks gives each deadline and verdict', () => {
  assert.ok(vectors.clocks.length >= 8);
  for (const testCase of vectors.clocks) {
    const options = { today: testCase.today };
    if (testCase.events) options.events = testCase.events;
    if (testCase.holidays) options.holidays = testCase.holidays;
    const { received, ...clocks } = ccpa.requestClocks(testCase.received, options);
    assert.equal(received, testCase.received, testCase.name);
    assert.deepEqual(clocks, testCase.expected, testCase.name);
  }
});

/** Every request `run` sends, each answered as one complete delete job. */
async function recording(run) {
  const realFetch = globalThis.fetch;
  const sent = [];
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ url: request.url, headers: Object.fromEntries(request.headers) });
    const job = { jobId: 'j-1', action: 'delete', status: 'complete' };
    return new Response(JSON.stringify(job), { headers: { 'content-type': 'application/json' } });
  };
  try {
    return { result: await run().catch((error) => error), sent };
  } finally {
    globalThis.fetch = realFetch;
  }
}

test('privacy settings vectors: the IMS organization and gateway, as a client uses them', async () => {
  assert.ok(vectors.settings.length >= 6);
  for (const testCase of vectors.settings) {
    const label = testCase.name;
    let client;
    try {
      client = new CampaignClient(testCase.settings);
    } catch (error) {
      assert.ok(testCase.error, `${label}: refused: ${error}`);
      assertError(error, testCase.error, label);
      continue;
    }
    assert.ok(!testCase.error, `${label}: accepted, expected ${JSON.stringify(testCase.error)}`);
    const { result, sent } = await recording(() => client.privacyJob('j-1'));
    if (testCase.expected === null) {
      assert.deepEqual(sent, [], `${label}: nothing is sent without an IMS organization`);
      assertError(result, { kind: 'Config', field: 'imsOrg' }, label);
      continue;
    }
    assert.equal(sent.length, 1, label);
    assert.equal(sent[0].url, `${testCase.expected.privacyBaseUrl}/data/core/privacy/jobs/j-1`, label);
    assert.equal(sent[0].headers['x-gw-ims-org-id'], testCase.expected.imsOrg, label);
    assert.equal(result.status, 'complete', label);
  }
});

test('JavaScript conversions: argument types and unknown keys are refused before anything is sent', async () => {
  const client = vectorClient({});
  const user = { key: 't', actions: ['access'], ids: [{ namespace: 'email', value: 'a@example.com', type: 'standard' }] };
  const cases = [
    [() => client.submitPrivacyJobs('a@example.com'), 'users'],
    [() => client.submitPrivacyJobs([user], { regulaton: 'ccpa' }), 'options'],
    [() => client.submitPrivacyJobs([{ ...user, action: ['access'] }]), 'users'],
    [() => client.submitPrivacyJobs([{ ...user, actions: 'access' }]), 'action'],
    [() => client.submitPrivacyJobs([{ ...user, ids: undefined }]), 'userIDs'],
    [() => client.submitPrivacyJobs([{ ...user, key: 7 }]), 'key'],
    [() => client.submitPrivacyJobs([{ ...user, ids: [{ namespace: 'email', value: 'a@example.com' }] }]), 'type'],
    [() => client.privacyJob(42), 'jobId'],
    [() => client.listPrivacyJobs({ fromDate: '2025-04-01' }), 'toDate'],
    [() => client.listPrivacyJobs({ toDate: '2025-04-01' }), 'fromDate'],
    [() => client.listPrivacyJobs({ fromDate: '2025-4-1', toDate: '2025-04-02' }), 'fromDate'],
    [() => client.listPrivacyJobs({ pageSize: 2.5 }), 'size'],
    [() => client.listPrivacyJobs({ page: 2 }), 'options'],
    [() => client.waitForPrivacyJob('j-1', { intervalMs: -1 }), 'intervalMs'],
    [() => client.waitForPrivacyJob('j-1', { every: 5 }), 'options'],
    [() => client.downloadPrivacyData('https://platform.adobe.io/data/core/privacy/jobs/j/content'), 'job'],
    [() => client.downloadPrivacyData({ jobId: 'j-1', action: 'delete', status: 'complete' }), 'downloadURL'],
  ];
  for (const [run, field] of cases) {
    const { error, attempts } = await withoutNetwork(run);
    assert.deepEqual(attempts, [], `${run}: a request was sent`);
    assertError(error, { kind: 'Validation', field }, String(run));
  }
  const refused = (run) => {
    try {
      run();
    } catch (error) {
      return [error.kind, error.field];
    }
    return null;
  };
  assert.deepEqual(refused(() => ccpa.requestClocks('2025-02-30')), ['Validation', 'received']);
  assert.deepEqual(refused(() => ccpa.requestClocks('2025-04-04', { holidays: ['tomorrow'] })), ['Validation', 'holidays']);
  assert.deepEqual(refused(() => ccpa.requestClocks('2025-04-04', { events: { answered: '2025-04-05' } })), ['Validation', 'events']);
  assert.deepEqual(refused(() => ccpa.requestClocks('2025-04-04', { events: { answeredOn: 5 } })), ['Validation', 'answeredOn']);
  // The sans-IO configuration: the IMS organization and a token are required, unknown keys refused.
  assert.deepEqual(refused(() => ccpa.prepareGetPrivacyJob({ apiKey: 'k', accessToken: 't' }, 'j')), ['Config', 'imsOrg']);
  assert.deepEqual(refused(() => ccpa.prepareGetPrivacyJob({ ...VECTOR_CONFIG, accessToken: undefined }, 'j')), ['Config', 'accessToken']);
  assert.deepEqual(refused(() => ccpa.prepareGetPrivacyJob({ ...VECTOR_CONFIG, organization: 'acme' }, 'j')), ['Config', 'config']);
  assert.deepEqual(refused(() => ccpa.prepareGetPrivacyJob({ ...VECTOR_CONFIG, privacyBaseUrl: 'http://platform.adobe.io' }, 'j')), ['Config', 'privacyBaseUrl']);
  // The client's options: the privacy settings are known, a misspelt one is not.
  assert.deepEqual(refused(() => new CampaignClient({ organization: 'acme', ...VECTOR_CONFIG, imsorg: 'X' })), ['Config', 'options']);
  // With no `today`, the clocks are judged on the host's date.
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  assert.deepEqual(ccpa.requestClocks(today), ccpa.requestClocks(today, { today }));
  assert.equal(ccpa.requestClocks(today).response, 'open');
});

// ---- Against the emulator ------------------------------------------------------------------

let emulator;
before(async () => {
  emulator = await startEmulator(['--seed', '20']);
});
after(() => emulator.stop());

const privacyClient = (extra = {}) => new CampaignClient(clientOptions(emulator, { imsOrg: IMS_ORG, privacyBaseUrl: emulator.url, ...extra }));

const emailUser = (key, email, actions = ['access', 'delete']) => ({
  key, actions, ids: [{ namespace: 'email', value: email, type: 'standard' }],
});

/** The stored entries of a ZIP, read through its central directory: name → {method, data}. */
function zipEntries(zip) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  assert.ok(end >= 0, 'the ZIP has an end-of-central-directory record');
  const entries = new Map();
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i -= 1) {
    assert.equal(view.getUint32(at, true), 0x02014b50, 'a central directory entry');
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    entries.set(name, { method: view.getUint16(at + 10, true), data: zip.subarray(start, start + view.getUint32(at + 20, true)) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

async function seededEmail(index) {
  let i = 0;
  for await (const profile of new CampaignClient(clientOptions(emulator)).listProfiles({ pageSize: 10 })) {
    if (i === index) return profile.email;
    i += 1;
  }
  throw new Error(`the emulator has no profile ${index}`);
}

test('access and delete run to completion: the archive holds the profile, the deleted one is gone', async () => {
  const client = privacyClient();
  const known = await seededEmail(3);
  assert.equal((await client.findByEmail(known)).length, 1, 'the seeded profile is there before');
  const created = await client.submitPrivacyJobs([emailUser('known', known), emailUser('unknown', 'nobody@example.org')]);
  assert.deepEqual(created.map(({ userKey, action }) => `${userKey} ${action}`),
    ['known access', 'known delete', 'unknown access', 'unknown delete']);
  assert.ok(created.every(({ jobId }) => /^[0-9a-f]{32}$/.test(jobId)), JSON.stringify(created));

  // The emulator moves a job one step per read: every state is seen on the way.
  const first = created[0].jobId;
  const seen = [(await client.privacyJob(first)).status];
  while (!['complete', 'error'].includes(seen.at(-1))) seen.push((await client.privacyJob(first)).status);
  assert.deepEqual(seen, ['submitted', 'processing', 'complete']);

  const jobs = new Map();
  for (const { jobId, userKey, action } of created) {
    const done = await client.waitForPrivacyJob(jobId, { intervalMs: 5, timeoutMs: 10_000 });
    assert.equal(done.status, 'complete', JSON.stringify(done));
    assert.deepEqual([done.jobId, done.userKey, done.action, done.regulation], [jobId, userKey, action, 'ccpa']);
    jobs.set(`${userKey} ${action}`, done);
  }

  // The known consumer's archive: a stored ZIP with a campaign folder holding the profile.
  const access = jobs.get('known access');
  assert.ok(access.downloadUrl.startsWith(`${emulator.url}/data/core/privacy/jobs/`), access.downloadUrl);
  assert.deepEqual(access.productResponses.map((p) => p.code), ['PRVCY-6000-200']);
  const zip = await client.downloadPrivacyData(access);
  assert.ok(zip instanceof Uint8Array);
  assert.deepEqual([...zip.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'PK\\x03\\x04');
  const entry = zipEntries(zip).get('campaign/profiles.json');
  assert.ok(entry, 'campaign/profiles.json is in the archive');
  assert.equal(entry.method, 0, 'stored, not compressed');
  const profiles = JSON.parse(new TextDecoder().decode(entry.data));
  assert.deepEqual(profiles.map((p) => p.email), [known]);

  // The unknown consumer's jobs complete too, the product saying nobody was found.
  assert.deepEqual(jobs.get('unknown access').productResponses.map((p) => p.code), ['PRVCY-6052-200']);
  assert.equal(jobs.get('unknown access').productResponses[0].product, 'Campaign');

  // The delete removed the known profile.
  assert.deepEqual(await client.findByEmail(known), []);

  // A delete job has no archive: refused before anything is sent.
  const remove = jobs.get('known delete');
  assert.equal(remove.downloadUrl, null);
  const { error, attempts } = await withoutNetwork(() => client.downloadPrivacyData(remove));
  assert.deepEqual(attempts, []);
  assertError(error, { kind: 'Validation', field: 'downloadURL' }, 'delete job download');

  // The listing reads every page (three jobs a page) and finds the four jobs.
  const before = await emulator.stats();
  const listed = await client.listPrivacyJobs({ pageSize: 3, regulation: 'ccpa' });
  const ids = new Set(listed.map((job) => job.jobId));
  assert.ok(created.every(({ jobId }) => ids.has(jobId)), `listed: ${[...ids]}`);
  assert.ok(count(since(before, await emulator.stats()), { method: 'GET', route: 'privacyJobs' }) >= 2, 'more than one page read');
  const complete = await client.listPrivacyJobs({ status: 'complete' });
  assert.ok(complete.length >= 4 && complete.every((job) => job.status === 'complete'));
});

test('the sans-IO functions make the same exchange with your own fetch', async () => {
  const config = { imsOrg: IMS_ORG, apiKey: clientOptions(emulator).apiKey, accessToken: clientOptions(emulator).accessToken, privacyBaseUrl: emulator.url };
  const send = async (request) => {
    const answer = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
    return { status: answer.status, headers: [...answer.headers], body: new Uint8Array(await answer.arrayBuffer()) };
  };
  const created = ccpa.parseCreatedPrivacyJobs(await send(ccpa.prepareCreatePrivacyJobs(config, [emailUser('sans-io', 'nobody@example.net', ['access'])])));
  assert.deepEqual(created.map(({ userKey, action }) => [userKey, action]), [['sans-io', 'access']]);
  const { jobId } = created[0];
  let job = ccpa.parsePrivacyJob(await send(ccpa.prepareGetPrivacyJob(config, jobId)), config);
  assert.equal(job.status, 'submitted');
  while (job.status !== 'complete') job = ccpa.parsePrivacyJob(await send(ccpa.prepareGetPrivacyJob(config, jobId)), config);
  const page = ccpa.parsePrivacyJobPage(await send(ccpa.prepareListPrivacyJobs(config, { pageSize: 1000 })), config);
  assert.ok(page.total >= 1 && page.jobs.some((listed) => listed.jobId === jobId));
  const archive = await send(ccpa.prepareDownloadPrivacyData(config, job.downloadUrl));
  assert.equal(archive.status, 200);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(zipEntries(archive.body).get('campaign/profiles.json').data)), []);
});

test('a wrong IMS organization is refused by the service: Auth, 403025, no secret in the error', async () => {
  const client = privacyClient({ imsOrg: 'WRONGORG0000000000000000@AdobeOrg' });
  const error = await client.submitPrivacyJobs([emailUser('t-1', 'ana@example.com')]).then(() => null, (e) => e);
  assertError(error, { kind: 'Auth', errorCode: '403025' }, 'wrong IMS org');
  assert.equal(error.status, 403);
  const texts = [error.message, String(error), String(error.stack), JSON.stringify(error), inspect(error)];
  for (const secret of SECRETS) assert.ok(texts.every((text) => !text.includes(secret)), `${secret} leaked`);
});

test('1,001 users are refused (Validation, users) and nothing reaches the service', async () => {
  const client = privacyClient();
  const users = Array.from({ length: 1001 }, (_, i) => emailUser(`u${i}`, `u${i}@example.com`, ['delete']));
  const before = await emulator.stats();
  const { error, attempts } = await withoutNetwork(() => client.submitPrivacyJobs(users));
  assert.deepEqual(attempts, []);
  assertError(error, { kind: 'Validation', field: 'users' }, '1,001 users');
  assert.match(error.message, /1001/);
  assert.equal(count(since(before, await emulator.stats()), { route: 'privacyJobs' }), 0);
});

test('without imsOrg every privacy operation rejects with Config, field imsOrg, and sends nothing', async () => {
  const client = new CampaignClient(clientOptions(emulator));
  const job = { jobId: 'j-1', action: 'access', status: 'complete', downloadUrl: `${emulator.url}/data/core/privacy/jobs/j-1/content` };
  const operations = [
    () => client.submitPrivacyJobs([emailUser('t-1', 'ana@example.com')]),
    () => client.privacyJob('j-1'),
    () => client.listPrivacyJobs(),
    () => client.waitForPrivacyJob('j-1'),
    () => client.downloadPrivacyData(job),
  ];
  for (const run of operations) {
    const { error, attempts } = await withoutNetwork(run);
    assert.deepEqual(attempts, [], String(run));
    assertError(error, { kind: 'Config', field: 'imsOrg' }, String(run));
    assert.match(error.message, /@AdobeOrg/);
  }
  assert.equal((await client.findByEmail('nobody@example.org')).length, 0, 'the profile API still works');
});
