// Time per setOptOut (GET, then PATCH because the value flips every time) through the package,
// beside plain fetch doing the same GET + PATCH, against the release-built emulator in one run,
// calls interleaved (interleave.mjs).
import { CampaignClient } from 'ccpa-optout';
import { startEmulator, clientOptions, API_KEY, TOKEN, ORG } from './emulator.mjs';
import { plainFetchClient } from './plain-fetch.mjs';
import { profileCycle } from './cycle.mjs';
import { interleave, p90 } from './interleave.mjs';
import { median } from './startup.mjs';

const perRound = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 6);
// Then again with this much latency per exchange, as between a client and a real ACS.
const latencyMs = Number(process.argv[4] ?? 20);
const emulator = await startEmulator(['--seed', '10']);
const client = new CampaignClient(clientOptions(emulator));
const plainOptions = { url: emulator.url, org: ORG, apiKey: API_KEY, token: TOKEN };
const plain = plainFetchClient(plainOptions);
const plainWithTimeout = plainFetchClient({ ...plainOptions, timeoutMs: 30_000 });
// Every call flips the next profile's value, so that it always GETs and PATCHes.
const { flipping } = await profileCycle(client);
const contenders = {
  package: flipping(async (pkey, value) => (await client.setOptOut(pkey, value)).changed),
  fetch: flipping(plain.setOptOut),
  fetchWithTimeout: flipping(plainWithTimeout.setOptOut),
};

function report(title, measured) {
  const line = (label, { calls }) => `  ${label.padEnd(44)} median ${median(calls).toFixed(0).padStart(6)} us  p90 ${p90(calls).toFixed(0).padStart(6)} us`;
  const pkg = median(measured.package.calls);
  const raw = median(measured.fetch.calls);
  const withTimeout = median(measured.fetchWithTimeout.calls);
  console.log(title);
  console.log(line('ccpa-optout setOptOut', measured.package));
  console.log(line('plain fetch GET + PATCH', measured.fetch));
  console.log(line('plain fetch GET + PATCH, AbortSignal.timeout', measured.fetchWithTimeout));
  console.log(`  ratio to plain fetch ${(pkg / raw).toFixed(3)} => overhead ${((pkg / raw - 1) * 100).toFixed(1)} % (${(pkg - raw).toFixed(0)} us per call)`);
  console.log(`  ratio to fetch with the same timeout ${(pkg / withTimeout).toFixed(3)} => overhead ${((pkg / withTimeout - 1) * 100).toFixed(1)} %`);
}

report(`setOptOut (GET + PATCH) against the release emulator on loopback: ${rounds} rounds x ${perRound} calls, interleaved`,
  await interleave(contenders, perRound, rounds));
await emulator.faults({ latency_ms: [latencyMs, latencyMs] });
report(`the same with ${latencyMs} ms of latency per exchange: 2 rounds x 40 calls, interleaved`, await interleave(contenders, 40, 2));
await emulator.stop();
