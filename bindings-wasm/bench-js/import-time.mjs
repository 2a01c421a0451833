// Node import time of the installed package: the median wall time of fresh `node` processes that
// load it, minus the median of bare `node -e ''` processes measured in the same interleaved run.
import { spawnSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 21);
const variants = {
  bare: ['-e', ''],
  require: ['-e', "require('ccpa-optout')"],
  import: ['--input-type=module', '-e', "await import('ccpa-optout')"],
};
const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let i = 0; i < runs; i += 1) {
  for (const [name, args] of Object.entries(variants)) {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`${name} failed`);
    times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bare = median(times.bare);
console.log(`node processes: ${runs} of each, interleaved; medians in ms`);
console.log(`  bare node -e ''      ${bare.toFixed(1)}`);
for (const name of ['require', 'import']) {
  const m = median(times[name]);
  console.log(`  ${name.padEnd(20)} ${m.toFixed(1)}  => import cost ${(m - bare).toFixed(1)} ms`);
}
