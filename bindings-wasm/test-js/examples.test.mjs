// The Node example (examples/node/set-opt-out.mjs) run as a user runs it, against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { CampaignClient } from 'ccpa-optout';
import { startEmulator, clientOptions, API_KEY, TOKEN, ORG } from './emulator.mjs';

const run = promisify(execFile);
const script = resolve(fileURLToPath(import.meta.url), '../../examples/node/set-opt-out.mjs');

let emulator;
before(async () => { emulator = await startEmulator(); });
after(() => emulator.stop());

const env = () => ({
  ...process.env, ACS_BASE_URL: emulator.url, CAMPAIGN_STANDARD_TENANT_ID: ORG,
  CAMPAIGN_STANDARD_API_KEY: API_KEY, CAMPAIGN_STANDARD_ACCESS_TOKEN: TOKEN,
});

test('set-opt-out.mjs opts out by email and by PKey, and reports errors by kind', async () => {
  const client = new CampaignClient(clientOptions(emulator));
  const email = `example.${Date.now()}@example.com`;
  const { PKey: pkey } = await client.createProfile({ email, ccpaOptOut: false });

  const byEmail = await run('node', [script, email], { env: env() });
  assert.equal(byEmail.stdout, `${pkey}: false -> true (written)\n`);
  assert.equal(await client.getOptOut(pkey), true);

  const byPkey = await run('node', [script, pkey, 'false'], { env: env() });
  assert.equal(byPkey.stdout, `${pkey}: true -> false (written)\n`);

  const failed = await run('node', [script, '@missing'], { env: env() }).catch((error) => error);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^NotFound \(404 /);
  assert.ok(!failed.stderr.includes(TOKEN));
});

test("the README's quick start runs as written", async () => {
  const { readFile, writeFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  const readme = await readFile(
    createRequire(import.meta.url).resolve('ccpa-optout/package.json').replace(/package\.json$/, 'README.md'), 'utf8');
  const quickStart = readme.split('## Quick start')[1].match(/```js\n([\s\S]*?)```/)[1];
  const file = resolve(fileURLToPath(import.meta.url), '../quickstart.mjs');
  await writeFile(file, quickStart);
  const client = new CampaignClient(clientOptions(emulator));
  const email = `quick.${Date.now()}@example.com`;
  const { PKey: pkey } = await client.createProfile({ email, ccpaOptOut: false });
  const { stdout } = await run('node', [file, email], { env: env() });
  assert.equal(stdout, `${pkey}: false -> true\n`);
  assert.equal(await client.getOptOut(pkey), true);
});
