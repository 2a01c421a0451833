// Wall time of fresh `node` processes, several variants interleaved so that load from anything
// else on the machine hits them alike. Used by import-time.mjs and sdk-compare.mjs.
import { spawnSync } from 'node:child_process';

/**
 * Runs every variant `runs` times, one of each in turn; returns `{name: [ms, ...]}`.
 * A variant is `{args, cwd}`: the arguments after `node` and the folder to run in.
 */
export function startupTimes(variants, runs) {
  const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let i = 0; i < runs; i += 1) {
    for (const [name, { args, cwd }] of Object.entries(variants)) {
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, args, { stdio: 'inherit', cwd });
      if (child.status !== 0) throw new Error(`${name} failed`);
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times;
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
