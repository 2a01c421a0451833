// The package through `require`, as a CommonJS user loads it, against the emulator.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const ccpa = require('ccpa-optout');

let emulator;
before(async () => {
  const { startEmulator } = await import('./emulator.mjs');
  emulator = await startEmulator(['--seed', '3']);
});
after(() => emulator.stop());

test('require gives the same API, and it sets an opt-out', async () => {
  const { clientOptions } = await import('./emulator.mjs');
  const client = new ccpa.CampaignClient(clientOptions(emulator));
  const profiles = [];
  for await (const profile of client.listProfiles()) profiles.push(profile);
  assert.equal(profiles.length, 3);
  const change = await client.setOptOut(profiles[0].PKey, true);
  assert.equal(change.current, true);
  assert.equal(await client.getOptOut(profiles[0].PKey), true);
  await assert.rejects(client.setOptOut(profiles[0].PKey, 'true'), (e) => ccpa.isCcpaOptOutError(e));
});

test('import and require share one module instance', async () => {
  const esm = await import('ccpa-optout');
  assert.equal(esm.CampaignClient, ccpa.CampaignClient);
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), Object.keys(ccpa).sort());
});
