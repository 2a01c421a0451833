// Many opt-outs through the npm package under the hardening fault mix (10 % 503, 5 % 429 with
// Retry-After, 1 % dropped connections, random latency): every request ends applied, no profile
// is left in a wrong state, and the emulator saw one answered PATCH per real change.
// HARDEN_ROWS sets the number of emails (default 300; scripts/harden.sh uses 2,000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignClient } from 'ccpa-optout';
import { startEmulator, clientOptions, count, since } from './emulator.mjs';

const FAULTS = { latency_ms: [0, 4], status: { 503: 0.10, 429: 0.05 }, drop: 0.01 };
const ROWS = Number(process.env.HARDEN_ROWS ?? 300);

/** Every profile's email and opt-out by PKey, read with faults off. */
async function states(emulator) {
  const client = new CampaignClient(clientOptions(emulator));
  const all = new Map();
  for await (const profile of client.listProfiles({ pageSize: 1000 })) {
    all.set(profile.PKey, [profile.email ?? '', profile.ccpaOptOut ?? null]);
  }
  return all;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

test('opt-outs under 503, 429, dropped connections and latency are all applied exactly', async () => {
  const emulator = await startEmulator(['--seed', String(ROWS), '--fault-seed', '11']);
  try {
    const before = await states(emulator);
    const emails = [...new Set([...before.values()].map(([email]) => email))];
    // A tenth of the people ask to opt back in; the rest opt out.
    const wanted = new Map(emails.map((email, index) => [email, index % 10 !== 3]));
    const client = new CampaignClient(clientOptions(emulator, {
      retry: { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 100 },
    }));
    const start = await emulator.stats();
    await emulator.faults(FAULTS);
    const began = Date.now();
    const results = await pool([...wanted], 16, ([email, value]) => client.optOutByEmail(email, value));
    const elapsed = (Date.now() - began) / 1000;
    await emulator.faults({});
    const after = await states(emulator);
    const sent = since(start, await emulator.stats());

    const wrong = [...after].filter(([, [email, value]]) => value !== wanted.get(email));
    const realChanges = [...after].filter(([pkey, [, value]]) => value !== before.get(pkey)[1]).length;
    const reported = results.flat().filter((change) => change.changed).length;
    const patchTotal = count(sent, { method: 'PATCH' });
    const patchOk = count(sent, { method: 'PATCH', status: 200 });
    console.log(`faults js: ${wanted.size} emails (${after.size} profiles) in ${elapsed.toFixed(1)} s; `
      + `changed ${realChanges} wrong ${wrong.length}; PATCH ${patchTotal} = ${patchOk} ok + ${patchTotal - patchOk} failed `
      + `(${count(sent, { method: 'PATCH', status: 0 })} dropped); emulator requests ${sent.total} `
      + `(503: ${count(sent, { status: 503 })}, 429: ${count(sent, { status: 429 })}, dropped: ${count(sent, { status: 0 })})`);
    assert.equal(wrong.length, 0, `${wrong.length} profiles in a wrong state`);
    assert.equal(patchOk, realChanges, 'one answered PATCH per real change');
    assert.equal(reported, realChanges, 'the changes reported are the real changes');
    assert.ok(count(sent, { status: 503 }) && count(sent, { status: 429 }) && count(sent, { status: 0 }), 'faults were injected');
  } finally {
    await emulator.stop();
  }
});
