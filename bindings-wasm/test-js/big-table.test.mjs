// Big tenants: above ACS's big-table threshold `next` only comes with _forcePagination=true,
// which byEmail lookups and listings send by default (emulator threshold 10, 30 profiles).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignClient } from 'ccpa-optout';
import { startEmulator, clientOptions } from './emulator.mjs';

const EMAIL = 'shared.household@example.com';
let emulator;
let client;
before(async () => {
  emulator = await startEmulator(['--big-table-threshold', '10']);
  client = new CampaignClient(clientOptions(emulator));
  for (let i = 0; i < 30; i += 1) {
    await client.createProfile({ email: EMAIL, firstName: `Member${i}`, ccpaOptOut: false });
  }
});
after(() => emulator.stop());

test('optOutByEmail changes all 30 matches, past the first page of 25', async () => {
  const changes = await client.optOutByEmail(EMAIL);
  assert.equal(changes.length, 30);
  assert.ok(changes.every((change) => change.changed && change.current === true));
  assert.equal(new Set(changes.map((change) => change.pkey)).size, 30);
  const found = await client.findByEmail(EMAIL);
  assert.equal(found.length, 30);
  assert.ok(found.every((profile) => profile.ccpaOptOut === true));
});

test('listProfiles yields every profile; with forcePagination: false ACS stops after a page', async () => {
  const all = [];
  for await (const profile of client.listProfiles()) all.push(profile.PKey);
  assert.equal(all.length, 30);
  assert.equal(new Set(all).size, 30);

  const unforced = [];
  for await (const profile of client.listProfiles({ forcePagination: false })) unforced.push(profile);
  assert.equal(unforced.length, 25, 'the emulator drops next on a big table, as ACS does');
});
