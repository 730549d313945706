// The session simulator at scale: many seeded calls through the real VoiceSession and
// Conversation on virtual clocks, every invariant checked on each (test/simulation/).
//   node_modules/.bin/node bench/simulation/run.ts [--calls 100000] [--from 1] [--threads 2]
//   node_modules/.bin/node bench/simulation/run.ts --seed 15      # replay one seed, print its world
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { simulateSeeds, replayCommand } from '../../test/simulation/pool.ts';
import { Simulator } from '../../test/simulation/setup.ts';
import { worldOf } from '../../test/simulation/world.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '100000' }, from: { type: 'string', default: '1' }, threads: { type: 'string' }, seed: { type: 'string' } } });

if (values.seed) {
  const seed = Number(values.seed);
  console.log(JSON.stringify(worldOf(seed), (_k, v) => (v === Infinity ? 'Infinity' : v), 1));
  const sim = await Simulator.create();
  const r = await sim.run(seed);
  await sim.close();
  console.log(r);
  process.exit(r.violations.length ? 1 : 0);
}

const calls = Number(values.calls);
const from = Number(values.from);
const threads = Number(values.threads ?? Math.max(1, cpus().length));
const seeds = Array.from({ length: calls }, (_, i) => from + i);
let shown = 0;
const report = await simulateSeeds(seeds, {
  threads,
  onProgress: (n) => {
    if (n - shown >= calls / 20) {
      shown = n;
      process.stderr.write(`  ${n} calls\n`);
    }
  },
});
console.log(`simulated ${report.calls} calls (seeds ${from}–${from + calls - 1}) on ${threads} threads in ${(report.wallMs / 1000).toFixed(1)} s wall time`);
console.log(`  ${report.simulatedHours.toFixed(1)} simulated hours; ${Math.round(report.calls / (report.wallMs / 1000))} calls/s; longest single step ${report.longestStepMs.toFixed(1)} ms`);
console.log(`  ended by: ${Object.entries(report.endReasons).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ')}`);
console.log(`  invariant violations: ${report.failures.length}`);
for (const f of report.failures.slice(0, 20)) console.log(`  seed ${f.seed}: ${f.violations.join('; ')}\n    replay: ${replayCommand(f.seed)}`);
process.exit(report.failures.length ? 1 : 0);
