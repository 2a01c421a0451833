// Time per setOptOut (GET, then PATCH because the value flips every time) through the package,
// beside plain fetch doing the same GET + PATCH, against the release-built emulator in one run.
// Calls alternate between the two, one each in turn, so that load from anything else on the
// machine and drift (JIT, the emulator's store) hit both alike.
import { CampaignClient } from 'ccpa-optout';
import { startEmulator, clientOptions, API_KEY, TOKEN, ORG } from './emulator.mjs';

const perRound = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 6);
// Then again with this much latency per exchange, as between a client and a real ACS.
const latencyMs = Number(process.argv[4] ?? 20);
const emulator = await startEmulator(['--seed', '10']);
const client = new CampaignClient(clientOptions(emulator));
// Each profile's current value, so that every call flips it and therefore PATCHes.
const current = new Map();
for await (const profile of client.listProfiles()) current.set(profile.PKey, profile.ccpaOptOut);
const pkeys = [...current.keys()];

const headers = {
  authorization: `Bearer ${TOKEN}`, 'x-api-key': API_KEY, 'cache-control': 'no-cache',
  accept: 'application/json',
};
const base = `${emulator.url}/${ORG}/campaign/profileAndServices/profile/`;

/** The same two exchanges, by hand: GET the profile, PATCH ccpaOptOut when it differs. */
async function plainFetch(pkey, optedOut, timeout = () => undefined) {
  const got = await fetch(base + pkey, { headers, signal: timeout() });
  if (!got.ok) throw new Error(`GET ${got.status}`);
  const profile = await got.json();
  if (profile.ccpaOptOut === optedOut) throw new Error('expected a PATCH every time');
  const patched = await fetch(base + pkey, {
    signal: timeout(),
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify({ ccpaOptOut: optedOut }),
  });
  if (!patched.ok) throw new Error(`PATCH ${patched.status}`);
  await patched.json();
}

/** The same, with the per-request timeout the package also sets (what that alone costs). */
const fetchWithTimeout = (pkey, optedOut) => plainFetch(pkey, optedOut, () => AbortSignal.timeout(30_000));

async function viaPackage(pkey, optedOut) {
  const change = await client.setOptOut(pkey, optedOut);
  if (!change.changed) throw new Error('expected a PATCH every time');
}

let samples = { package: [], fetch: [], fetchWithTimeout: [] };
let next = 0;
async function timed(name, operation) {
  const pkey = pkeys[next % pkeys.length];
  next += 1;
  const wanted = !current.get(pkey);
  const start = process.hrtime.bigint();
  await operation(pkey, wanted);
  samples[name].push(Number(process.hrtime.bigint() - start) / 1e3);
  current.set(pkey, wanted);
}

/** A warm-up round (JIT, connection pool, the emulator), then the measured rounds; which of
 * the three goes first rotates from call to call. */
async function measure(calls, measuredRounds) {
  samples = { package: [], fetch: [], fetchWithTimeout: [] };
  for (let r = 0; r <= measuredRounds; r += 1) {
    if (r === 1) Object.values(samples).forEach((list) => { list.length = 0; });
    for (let i = 0; i < calls; i += 1) {
      const order = [['package', viaPackage], ['fetch', plainFetch], ['fetchWithTimeout', fetchWithTimeout]];
      for (let k = 0; k < order.length; k += 1) {
        const [name, operation] = order[(i + k) % order.length];
        await timed(name, operation);
      }
    }
  }
  return samples;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)];

function report(title, measured) {
  const line = (label, list) => `  ${label.padEnd(44)} median ${median(list).toFixed(0).padStart(6)} us  p90 ${p90(list).toFixed(0).padStart(6)} us`;
  const pkg = median(measured.package);
  const raw = median(measured.fetch);
  const withTimeout = median(measured.fetchWithTimeout);
  console.log(title);
  console.log(line('ccpa-optout setOptOut', measured.package));
  console.log(line('plain fetch GET + PATCH', measured.fetch));
  console.log(line('plain fetch GET + PATCH, AbortSignal.timeout', measured.fetchWithTimeout));
  console.log(`  ratio to plain fetch ${(pkg / raw).toFixed(3)} => overhead ${((pkg / raw - 1) * 100).toFixed(1)} % (${(pkg - raw).toFixed(0)} us per call)`);
  console.log(`  ratio to fetch with the same timeout ${(pkg / withTimeout).toFixed(3)} => overhead ${((pkg / withTimeout - 1) * 100).toFixed(1)} %`);
}

report(`setOptOut (GET + PATCH) against the release emulator on loopback: ${rounds} rounds x ${perRound} calls, interleaved`,
  await measure(perRound, rounds));
await emulator.faults({ latency_ms: [latencyMs, latencyMs] });
report(`the same with ${latencyMs} ms of latency per exchange: 2 rounds x 40 calls, interleaved`, await measure(40, 2));
await emulator.stop();
