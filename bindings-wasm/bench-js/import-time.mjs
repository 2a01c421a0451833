// Node import time of the installed package: the median wall time of fresh `node` processes that
// load it, minus the median of bare `node -e ''` processes measured in the same interleaved run.
import { startupTimes, median } from './startup.mjs';

const runs = Number(process.argv[2] ?? 21);
const times = startupTimes({
  bare: { args: ['-e', ''] },
  require: { args: ['-e', "require('ccpa-optout')"] },
  import: { args: ['--input-type=module', '-e', "await import('ccpa-optout')"] },
}, runs);
const bare = median(times.bare);
console.log(`node processes: ${runs} of each, interleaved; medians in ms`);
console.log(`  bare node -e ''      ${bare.toFixed(1)}`);
for (const name of ['require', 'import']) {
  const m = median(times[name]);
  console.log(`  ${name.padEnd(20)} ${m.toFixed(1)}  => import cost ${(m - bare).toFixed(1)} ms`);
}
