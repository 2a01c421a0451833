// Two builds of the npm package in one run: per-call time of getProfile, updateProfile and
// setOptOut against the release emulator, calls interleaved with hand-written fetch (the common
// baseline), and decodeGpp on the benchmark strings, alternating between the builds. Used by
// scripts/bench/js-before-after.sh, which builds and installs the "before" package from a commit.
//
//   node bench/before-after.mjs BEFORE_DIR AFTER_DIR [--calls 150] [--rounds 7]
// Each DIR is a folder where ccpa-optout is installed (its node_modules holds the package).
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator, clientOptions, API_KEY, TOKEN, ORG } from './emulator.mjs';
import { profileCycle } from './cycle.mjs';
import { interleave } from './interleave.mjs';
import { plainFetchClient } from './plain-fetch.mjs';
import { median } from './startup.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { calls: { type: 'string', default: '150' }, rounds: { type: 'string', default: '7' } },
});
if (positionals.length !== 2) throw new Error('usage: before-after.mjs BEFORE_DIR AFTER_DIR');
const load = (dir) => createRequire(path.join(path.resolve(dir), 'package.json'))('ccpa-optout');
const builds = { before: load(positionals[0]), after: load(positionals[1]) };
const calls = Number(options.calls);
const rounds = Number(options.rounds);

const emulator = await startEmulator(['--seed', '200']);
const clients = Object.fromEntries(Object.entries(builds)
  .map(([name, pkg]) => [name, new pkg.CampaignClient(clientOptions(emulator))]));
const plain = plainFetchClient({ url: emulator.url, org: ORG, apiKey: API_KEY, token: TOKEN });

const { reading, flipping } = await profileCycle(clients.after);
const each = (make) => Object.fromEntries(Object.entries(clients).map(([name, c]) => [name, make(c)]));

const operations = {
  'getProfile: one GET': { ...each((c) => reading((pkey) => c.getProfile(pkey))), fetch: reading(plain.getProfile) },
  'updateProfile {ccpaOptOut}: one PATCH': {
    ...each((c) => flipping((pkey, value) => c.updateProfile(pkey, { ccpaOptOut: value }))),
    fetch: flipping((pkey, value) => plain.updateProfile(pkey, { ccpaOptOut: value })),
  },
  'setOptOut: GET + PATCH': {
    ...each((c) => flipping(async (pkey, value) => (await c.setOptOut(pkey, value)).changed)),
    fetch: flipping(plain.setOptOut),
  },
};

const cell = (us, base) => `${us.toFixed(0).padStart(5)} µs (${(us / base).toFixed(2)}× fetch)`;
console.log(`calls on loopback: ${rounds} rounds x ${calls} calls per contender, interleaved; medians of the round medians`);
console.log(`  ${'operation'.padEnd(40)} ${'before'.padEnd(22)} ${'after'.padEnd(22)} fetch`);
for (const [figure, contenders] of Object.entries(operations)) {
  const measured = await interleave(contenders, calls, rounds);
  const [before, after, fetch] = ['before', 'after', 'fetch'].map((who) => median(measured[who].rounds));
  console.log(`  ${figure.padEnd(40)} ${cell(before, fetch).padEnd(22)} ${cell(after, fetch).padEnd(22)} ${fetch.toFixed(0)} µs`);
}
await emulator.stop();

// decodeGpp: decodes per second in alternating half-second slices, after a warm-up of each.
const STRINGS = {
  usnat_v2_gpc: 'DBABLA~CVVVAAAAAABY.YA',
  usca: 'DBABBg~BVWSSSVY.YA',
  uspv1: 'DBABTA~1YNN',
  tcf_uspv1_usnat_usca: 'DBACPbA~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA~1YNN~CVVqAAAAAACA.QA~BVWSSSVY.YA',
};
function perSecond(decode, text, ms) {
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 500; i += 1) if (decode(text).saleOptOut === undefined) throw new Error('no result');
    count += 500;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}
console.log('decodeGpp on Node: decodes/s, 6 alternating slices of 500 ms each');
for (const [name, text] of Object.entries(STRINGS)) {
  const slices = { before: [], after: [] };
  for (const who of ['before', 'after']) perSecond(builds[who].decodeGpp, text, 500);
  for (let i = 0; i < 6; i += 1) {
    for (const who of ['before', 'after']) slices[who].push(perSecond(builds[who].decodeGpp, text, 500));
  }
  const [before, after] = [median(slices.before), median(slices.after)];
  console.log(`  ${name.padEnd(22)} before ${before.toFixed(0).padStart(8)}  after ${after.toFixed(0).padStart(8)}  (${(after / before).toFixed(2)}×)`);
}
