// A simulation thread: runs the seeds it is handed on its own virtual clock, beating a shared
// heartbeat on every step so the main thread can tell a busy thread from a frozen one.
import { parentPort, workerData } from 'node:worker_threads';
import { Simulator } from './setup.ts';
import type { CallResult } from './call.ts';
import type { World } from './world.ts';

/** Messages between the pool and a simulation thread. */
export type ToWorker = { seeds: (number | World)[] } | { stop: true };
export type FromWorker = { ready: true } | { result: CallResult };

const { heartbeat, slot } = workerData as { heartbeat: SharedArrayBuffer; slot: number };
const beat = new Int32Array(heartbeat);
const sim = await Simulator.create();
parentPort!.on('message', async (m: ToWorker) => {
  if ('stop' in m) {
    await sim.close();
    process.exit(0);
  }
  for (const call of m.seeds) {
    Atomics.store(beat, slot * 2 + 1, typeof call === 'number' ? call : call.seed);
    const result = await sim.run(call, () => Atomics.add(beat, slot * 2, 1));
    Atomics.add(beat, slot * 2, 1);
    parentPort!.postMessage({ result } satisfies FromWorker);
  }
  parentPort!.postMessage({ ready: true } satisfies FromWorker);
});
parentPort!.postMessage({ ready: true } satisfies FromWorker);
