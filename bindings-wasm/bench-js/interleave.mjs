// Times async operations of several contenders one call each in turn, so that load from anything
// else on the machine, JIT warm-up and drift in the server hit them alike.
import { median } from './startup.mjs';

/**
 * `contenders` maps a name to an async function doing one call. One warm-up round (JIT,
 * connection pools, the server), then `rounds` rounds of `calls` calls each; who goes first
 * rotates from call to call. Returns `{name: {calls: [µs, ...], rounds: [median µs of each round]}}`.
 */
export async function interleave(contenders, calls, rounds) {
  const names = Object.keys(contenders);
  const result = Object.fromEntries(names.map((name) => [name, { calls: [], rounds: [] }]));
  for (let r = 0; r <= rounds; r += 1) {
    const round = Object.fromEntries(names.map((name) => [name, []]));
    for (let i = 0; i < calls; i += 1) {
      for (let k = 0; k < names.length; k += 1) {
        const name = names[(i + k) % names.length];
        const start = process.hrtime.bigint();
        await contenders[name]();
        round[name].push(Number(process.hrtime.bigint() - start) / 1e3);
      }
    }
    if (r === 0) continue;
    for (const name of names) {
      result[name].calls.push(...round[name]);
      result[name].rounds.push(median(round[name]));
    }
  }
  return result;
}

export const p90 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)];
