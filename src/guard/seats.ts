// An agent's seats: how many conversations it is in right now, counted across every node that
// shares them. `take` is the one atomic step (count and claim together), so two nodes admitting
// callers at the same moment cannot both take the last seat.

/** Conversation seats per agent: in this process, or shared by all nodes (Redis). */
export interface AgentSeats {
  /** Seats taken now for `agent`, on every node. */
  count(agent: string, signal?: AbortSignal): Promise<number>;
  /** Claims seat `id` for `agent` if fewer than `max` are taken; false when full. */
  take(agent: string, id: string, max: number, signal?: AbortSignal): Promise<boolean>;
  /** Gives seat `id` back. Never throws: a seat that cannot be returned expires on its own (Redis). */
  release(agent: string, id: string): Promise<void>;
  /** Stops background work (lease renewal). */
  close(): void;
}

/** Seats counted in this process: right for one node. */
export class MemorySeats implements AgentSeats {
  #taken = new Map<string, Set<string>>();

  async count(agent: string): Promise<number> {
    return this.#taken.get(agent)?.size ?? 0;
  }

  async take(agent: string, id: string, max: number): Promise<boolean> {
    const seats = this.#taken.get(agent) ?? new Set<string>();
    if (seats.size >= max) return false;
    seats.add(id);
    this.#taken.set(agent, seats);
    return true;
  }

  async release(agent: string, id: string): Promise<void> {
    const seats = this.#taken.get(agent);
    seats?.delete(id);
    if (seats?.size === 0) this.#taken.delete(agent);
  }

  close(): void {}
}
