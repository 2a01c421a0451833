// The npm package beside Adobe's @adobe/aio-lib-campaign-standard and hand-written fetch, in one
// run: cold require time, then time per get, update and setOptOut against the release emulator
// (on loopback, and with 20 ms of latency per exchange). Used by scripts/bench.sh.
//
// Run from a folder where ccpa-optout is installed, with ACS_EMULATOR_BIN set:
//   node bench/sdk-compare.mjs ADOBE_INSTALL_DIR [--json FILE] [--calls 150] [--rounds 7]
//        [--imports 15] [--latency 20]
// With --json, each figure is appended to FILE as one JSON line (scripts/bench/report.py reads them).
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CampaignClient } from 'ccpa-optout';
import { startEmulator, clientOptions, count, since, API_KEY, TOKEN, ORG } from './emulator.mjs';
import { loadAdobeSdk } from './adobe-sdk.mjs';
import { profileCycle } from './cycle.mjs';
import { interleave } from './interleave.mjs';
import { plainFetchClient } from './plain-fetch.mjs';
import { median, startupTimes } from './startup.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'string' },
    calls: { type: 'string', default: '150' },
    rounds: { type: 'string', default: '7' },
    imports: { type: 'string', default: '15' },
    latency: { type: 'string', default: '20' },
  },
});
const adobeDir = path.resolve(positionals[0] ?? '');
const calls = Number(options.calls);
const rounds = Number(options.rounds);
const ADOBE = 'Adobe aio-lib-campaign-standard';
const FETCH = 'hand-written fetch';
const OURS = 'ccpa-optout';

function record(id, figure, unit, who, samples) {
  const line = { part: 'JavaScript', id, figure, unit, better: 'lower', who, ours: who === OURS, samples };
  if (options.json) appendFileSync(options.json, `${JSON.stringify(line)}\n`);
}

// --- cold start: fresh node processes, interleaved, each minus the bare `node -e ''` beside it.
const ADOBE_PKG = '@adobe/aio-lib-campaign-standard';
const times = startupTimes({
  bare: { args: ['-e', ''] },
  oursRequire: { args: ['-e', "require('ccpa-optout')"] },
  adobeRequire: { args: ['-e', `require('${ADOBE_PKG}')`], cwd: adobeDir },
  oursReady: {
    args: ['-e', "const { CampaignClient } = require('ccpa-optout');"
      + "new CampaignClient({ organization: 'acme', apiKey: 'bench-api-key', accessToken: 'bench-token' })"],
  },
  adobeReady: { args: ['-e', `require('${ADOBE_PKG}').init('acme', 'bench-api-key', 'bench-token')`], cwd: adobeDir },
}, Number(options.imports));
const bare = median(times.bare);
const overBare = (name) => times[name].map((ms) => ms - bare);
console.log(`node processes: ${options.imports} of each, interleaved; median ms over a bare node (${bare.toFixed(1)} ms)`);
for (const [id, figure, ours, adobe] of [
  ['js.require', 'cold require()', 'oursRequire', 'adobeRequire'],
  ['js.ready', 'require + client ready (Adobe: init)', 'oursReady', 'adobeReady'],
]) {
  record(id, figure, 'ms', OURS, overBare(ours));
  record(id, figure, 'ms', ADOBE, overBare(adobe));
  console.log(`  ${figure.padEnd(40)} ours ${median(overBare(ours)).toFixed(1).padStart(7)}   Adobe ${median(overBare(adobe)).toFixed(1).padStart(7)}`);
}

// --- calls against the emulator
const emulator = await startEmulator(['--seed', '200']);
const ours = new CampaignClient(clientOptions(emulator));
const plain = plainFetchClient({ url: emulator.url, org: ORG, apiKey: API_KEY, token: TOKEN });
const { sdk, version, routed } = loadAdobeSdk(adobeDir, emulator.url);
const adobe = await sdk.init(ORG, API_KEY, TOKEN);
console.log(`Adobe SDK ${version}, routed to ${emulator.url}`);

const { reading, flipping } = await profileCycle(ours);

const operations = {
  'js.get': ['getProfile: one GET', {
    [OURS]: reading((pkey) => ours.getProfile(pkey)),
    [FETCH]: reading(plain.getProfile),
    [ADOBE]: reading(async (pkey) => (await adobe.getProfile(pkey)).body),
  }],
  'js.update': ['updateProfile {ccpaOptOut}: one PATCH', {
    [OURS]: flipping((pkey, value) => ours.updateProfile(pkey, { ccpaOptOut: value })),
    [FETCH]: flipping((pkey, value) => plain.updateProfile(pkey, { ccpaOptOut: value })),
    [ADOBE]: flipping((pkey, value) => adobe.updateProfile(pkey, { ccpaOptOut: value })),
  }],
  'js.set': ['setOptOut: GET + PATCH (Adobe: getProfile + updateProfile)', {
    [OURS]: flipping(async (pkey, value) => (await ours.setOptOut(pkey, value)).changed),
    [FETCH]: flipping(plain.setOptOut),
    [ADOBE]: flipping(async (pkey, value) => {
      const profile = (await adobe.getProfile(pkey)).body;
      if (profile.ccpaOptOut === value) return false;
      await adobe.updateProfile(pkey, { ccpaOptOut: value });
      return true;
    }),
  }],
};

function report(id, figure, unit, measured) {
  const scale = unit === 'ms' ? 1e3 : 1;
  const cells = Object.entries(measured).map(([who, { rounds: medians }]) => {
    const samples = medians.map((us) => us / scale);
    record(id, figure, unit, who, samples);
    return `${who} ${median(samples).toFixed(unit === 'ms' ? 2 : 0)}`;
  });
  console.log(`  ${figure} (${unit}, median of the round medians): ${cells.join(', ')}`);
}

console.log(`calls on loopback: ${rounds} rounds x ${calls} calls per contender, interleaved`);
for (const [id, [figure, contenders]] of Object.entries(operations)) {
  const before = await emulator.stats();
  const measured = await interleave(contenders, calls, rounds);
  const sent = since(before, await emulator.stats());
  // Every contender sent the same requests: (warm-up + rounds) x calls each.
  const perContender = (rounds + 1) * calls;
  const gets = count(sent, { method: 'GET', status: 200 });
  const patches = count(sent, { method: 'PATCH', status: 200 });
  const expected = { 'js.get': [3 * perContender, 0], 'js.update': [0, 3 * perContender], 'js.set': [3 * perContender, 3 * perContender] }[id];
  if (gets !== expected[0] || patches !== expected[1] || sent.total !== gets + patches) {
    throw new Error(`${id}: the emulator saw ${JSON.stringify(sent)}, expected ${expected} GETs and PATCHes`);
  }
  report(id, figure, 'µs', measured);
}

const latency = Number(options.latency);
await emulator.faults({ latency_ms: [latency, latency] });
const [, setContenders] = operations['js.set'];
report('js.set_latency', `setOptOut with ${latency} ms latency per exchange`, 'ms', await interleave(setContenders, 15, 3));
if (routed() === 0) throw new Error('no Adobe SDK request went through the hook');
await emulator.stop();
