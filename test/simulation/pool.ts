// Runs many simulated calls on worker threads. A thread whose heartbeat stops is frozen — a task
// or microtask loop, which in the server would stop every call on the node — so the pool ends
// it, reports the seed it was on, and goes on with a fresh thread.
import { Worker } from 'node:worker_threads';
import type { CallResult } from './call.ts';
import type { World } from './world.ts';
import type { FromWorker, ToWorker } from './worker.ts';

/** A seed that broke an invariant, and how. */
export interface Failure {
  seed: number;
  violations: string[];
}

export interface PoolReport {
  calls: number;
  failures: Failure[];
  endReasons: Record<string, number>;
  simulatedHours: number;
  wallMs: number;
  /** The longest real time one simulated step took, ms. */
  longestStepMs: number;
  /** Every call's result, in the order they finished (only with `keepResults`). */
  results: CallResult[];
}

/** Runs `seeds` on `threads` workers; a worker silent for `frozenAfterMs` is a freeze. */
export async function simulateSeeds(calls: (number | World)[], o: { threads?: number; batch?: number; frozenAfterMs?: number; keepResults?: boolean; onProgress?: (done: number) => void } = {}): Promise<PoolReport> {
  const seeds = [...calls];
  const threads = Math.max(1, Math.min(o.threads ?? 2, seeds.length));
  const batch = o.batch ?? 25;
  const frozenAfterMs = o.frozenAfterMs ?? 10_000;
  const started = performance.now();
  const heartbeat = new SharedArrayBuffer(threads * 2 * 4);
  const beat = new Int32Array(heartbeat);
  const report: PoolReport = { calls: 0, failures: [], endReasons: {}, simulatedHours: 0, wallMs: 0, longestStepMs: 0, results: [] };
  let next = 0;

  const take = () => {
    const out = seeds.slice(next, next + batch);
    next += out.length;
    return out;
  };
  const record = (r: CallResult) => {
    report.calls++;
    report.endReasons[r.endReason ?? 'none'] = (report.endReasons[r.endReason ?? 'none'] ?? 0) + 1;
    report.simulatedHours += r.simulatedMs / 3_600_000;
    report.longestStepMs = Math.max(report.longestStepMs, r.longestStepMs);
    if (r.violations.length) report.failures.push({ seed: r.seed, violations: r.violations });
    if (o.keepResults) report.results.push(r);
    o.onProgress?.(report.calls);
  };

  await new Promise<void>((allDone, fail) => {
    let running = 0;
    const start = (slot: number) => {
      running++;
      const w = new Worker(new URL('./worker.ts', import.meta.url), { workerData: { heartbeat, slot } });
      let inFlight: (number | World)[] = [];
      let last = Atomics.load(beat, slot * 2);
      let lastChange = performance.now();
      const watch = setInterval(() => {
        const now = Atomics.load(beat, slot * 2);
        if (now !== last) return void ((last = now), (lastChange = performance.now()));
        if (!inFlight.length || performance.now() - lastChange < frozenAfterMs) return;
        const seed = Atomics.load(beat, slot * 2 + 1);
        report.calls++;
        report.failures.push({ seed, violations: [`frozen: the thread did no work for ${frozenAfterMs / 1000} s (a task or microtask loop; in the server every call on the node would stop)`] });
        // Seeds of the batch after the frozen one go back to be run by the fresh thread.
        const rest = inFlight.slice(inFlight.findIndex((s) => seedOf(s) === seed) + 1);
        seeds.push(...rest);
        inFlight = [];
        clearInterval(watch);
        void w.terminate().then(() => start(slot));
      }, 250);
      w.on('message', (m: FromWorker) => {
        if ('result' in m) {
          inFlight = inFlight.filter((s) => seedOf(s) !== m.result.seed);
          return record(m.result);
        }
        const seedsNow = take();
        if (seedsNow.length) {
          inFlight = seedsNow;
          lastChange = performance.now(); // the watch starts with the work, not with the thread's start-up
          w.postMessage({ seeds: seedsNow } satisfies ToWorker);
          return;
        }
        clearInterval(watch);
        w.postMessage({ stop: true } satisfies ToWorker);
      });
      w.on('error', (e) => {
        clearInterval(watch);
        fail(e);
      });
      w.on('exit', () => {
        if (--running === 0 && next >= seeds.length) allDone();
      });
    };
    for (let i = 0; i < threads; i++) start(i);
  });
  report.wallMs = performance.now() - started;
  report.failures.sort((a, b) => a.seed - b.seed);
  return report;
}

const seedOf = (c: number | World) => (typeof c === 'number' ? c : c.seed);

/** The command that replays one seed in this thread, with its world and the violations. */
export const replayCommand = (seed: number) => `node_modules/.bin/node bench/simulation/run.ts --seed ${seed}`;
