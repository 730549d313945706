// What every simulation thread shares: the virtual clock, one store with the example's documents,
// and the example agent. Made once per thread; the store is renewed every few thousand calls.
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { installVirtualTime, simulateCall, type CallResult, type VirtualClock } from './call.ts';
import type { World } from './world.ts';

const CALLS_PER_STORE = 2000;

/** Runs simulated calls one after another in this thread. */
export class Simulator {
  #clock: VirtualClock;
  #agent: Agent;
  #store: Store | undefined;
  #calls = 0;

  private constructor(clock: VirtualClock, agent: Agent) {
    this.#clock = clock;
    this.#agent = agent;
  }

  static async create(): Promise<Simulator> {
    const agent = await loadAgent(EXAMPLE);
    const sim = new Simulator(installVirtualTime(), agent);
    await sim.#renewStore(); // before the first call, so a call's time is its own
    return sim;
  }

  async #renewStore(): Promise<void> {
    await this.#store?.close();
    this.#store = await openStore('file::memory:');
    await ingestKnowledge(this.#store, { agent: this.#agent.name, dir: this.#agent.dir, sources: this.#agent.config.knowledge.sources });
  }

  async run(seed: number | World, onStep?: () => void): Promise<CallResult> {
    if (++this.#calls % CALLS_PER_STORE === 0) await this.#renewStore();
    return simulateCall(seed, { clock: this.#clock, store: this.#store!, agent: this.#agent, onStep });
  }

  async close(): Promise<void> {
    await this.#store?.close();
    this.#clock.uninstall();
  }
}
