// Starts the ACS emulator (`acs-emulator`, built by scripts/test-js.sh) as a subprocess on a free
// port and wraps its admin API. Each test file starts its own, so files never share state.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

// Credentials the emulator accepts; long enough that the client's scrubbing applies, and
// distinctive so that a leak into an error or a printout is easy to find.
export const API_KEY = 'key-Zq8fV3LmA1';
export const TOKEN = 'tok-Jx82mQp1Rr5s';
export const CLIENT_SECRET = 'sec-W9eR4tYu7Io0';
export const SECRETS = [API_KEY, TOKEN, CLIENT_SECRET];
export const ORG = 'acme';

/** Starts `acs-emulator --port 0 ... extraArgs`; resolves once it printed its base URL. */
export async function startEmulator(extraArgs = []) {
  const bin = process.env.ACS_EMULATOR_BIN;
  if (!bin) throw new Error('ACS_EMULATOR_BIN is not set (run the tests through scripts/test-js.sh)');
  const args = ['--port', '0', '--org', ORG, '--api-key', API_KEY, '--token', TOKEN,
    '--client-secret', CLIENT_SECRET, ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stopOnExit = () => child.kill();
  process.once('exit', stopOnExit);
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the emulator printed no URL in 30 s: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, newline).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}: ${stderr}`));
    });
  });
  const admin = async (method, path, body) => {
    const response = await fetch(`${url}/_emulator/${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} /_emulator/${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json().catch(() => null);
  };
  return {
    url,
    /** `{total, requests: [{method, route, status, count}]}` */
    stats: () => admin('GET', 'stats'),
    /** Sets the fault plan (`{}` turns faults off). */
    faults: (plan) => admin('PUT', 'faults', plan),
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/** How many requests in `stats` match `{method, route, status}` (each key optional). */
export function count(stats, { method, route, status } = {}) {
  return stats.requests
    .filter((r) => (method === undefined || r.method === method)
      && (route === undefined || r.route === route)
      && (status === undefined || r.status === status))
    .reduce((sum, r) => sum + r.count, 0);
}

/** The counts that `after` adds to `before`, as a stats object. */
export function since(before, after) {
  const key = (r) => `${r.method} ${r.route} ${r.status}`;
  const old = new Map(before.requests.map((r) => [key(r), r.count]));
  const requests = after.requests
    .map((r) => ({ ...r, count: r.count - (old.get(key(r)) ?? 0) }))
    .filter((r) => r.count > 0);
  return { total: after.total - before.total, requests };
}

/** Client options for this emulator with a fixed token, plus `extra`. */
export function clientOptions(emulator, extra = {}) {
  return { organization: ORG, apiKey: API_KEY, accessToken: TOKEN, baseUrl: emulator.url, ...extra };
}
