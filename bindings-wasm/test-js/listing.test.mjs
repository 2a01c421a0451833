// listProfiles as an async iterator over 1,000 seeded profiles: lazy, page by page, each once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignClient } from 'ccpa-optout';
import { startEmulator, clientOptions, count, since } from './emulator.mjs';

let emulator;
let client;
before(async () => {
  emulator = await startEmulator(['--seed', '1000']);
  client = new CampaignClient(clientOptions(emulator));
});
after(() => emulator.stop());

const listRequests = (stats) => count(stats, { method: 'GET', route: 'profile', status: 200 });

test('1,000 profiles at 25 a page: each exactly once, 40 pages', async () => {
  const start = await emulator.stats();
  const seen = new Map();
  for await (const profile of client.listProfiles({ pageSize: 25 })) {
    seen.set(profile.PKey, (seen.get(profile.PKey) ?? 0) + 1);
  }
  assert.equal(seen.size, 1000);
  assert.ok([...seen.values()].every((n) => n === 1), 'a profile came twice');
  assert.equal(listRequests(since(start, await emulator.stats())), 40);
});

test('pages are fetched only when needed, and break stops the listing', async () => {
  const start = await emulator.stats();
  const listing = client.listProfiles({ pageSize: 25, order: 'email desc' });
  assert.equal((await emulator.stats()).total, start.total, 'listing before the first next()');
  const emails = [];
  for await (const profile of listing) {
    emails.push(profile.email);
    if (emails.length === 26) break;
  }
  assert.equal(listRequests(since(start, await emulator.stats())), 2);
  assert.deepEqual(emails, [...emails].sort().reverse(), 'not in email desc order');
  assert.deepEqual(await listing.next(), { value: undefined, done: true });
});

test('overlapping next() calls hand out each profile once', async () => {
  const listing = client.listProfiles({ pageSize: 7 });
  const steps = await Promise.all(Array.from({ length: 30 }, () => listing.next()));
  const keys = steps.map((step) => step.value.PKey);
  assert.equal(new Set(keys).size, 30);
});

test('two next() calls at once read two different pages', async () => {
  const inOrder = [];
  for await (const profile of client.listProfiles({ pageSize: 1 })) {
    inOrder.push(profile.PKey);
    if (inOrder.length === 2) break;
  }
  const start = await emulator.stats();
  const listing = client.listProfiles({ pageSize: 1 });
  const [first, second] = await Promise.all([listing.next(), listing.next()]);
  assert.deepEqual([first.value.PKey, second.value.PKey], inOrder);
  assert.equal(listRequests(since(start, await emulator.stats())), 2, 'one request per page');
});

test('bad listing options throw at once', () => {
  assert.throws(() => client.listProfiles({ pageSize: 0 }), (e) => e.kind === 'Validation' && e.field === 'pageSize');
  assert.throws(() => client.listProfiles({ order: 'email sideways' }), (e) => e.field === 'order');
  assert.throws(() => client.listProfiles({ pageSize: 2.5 }), (e) => e.field === 'pageSize');
});
