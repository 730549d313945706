import { refreshUrlSource, type Embedder, type KnowledgeSpec } from '../knowledge/index.ts';
import type { Store } from '../store/store.ts';
import { errorText } from '../util/error-text.ts';

// A page that changes (a status page) lists `refreshMinutes:` in knowledge.sources; the server
// re-reads it on that interval, without a cron job. Refreshes take turns across the server (one
// fetch at a time), a page whose refresh is still waiting is not queued twice, and a refresh that
// fails keeps the last indexed copy and is logged.

interface RefreshOptions {
  store: Store;
  log: (line: string) => void;
}

/** One agent's scheduled pages. */
interface Schedule {
  spec: KnowledgeSpec;
  embedder?: Embedder;
  timers: NodeJS.Timeout[];
}

/** The refresh schedules of the agents a server runs, keyed by agent folder. */
export class KnowledgeRefresher {
  #o: RefreshOptions;
  #schedules = new Map<string, Schedule>();
  /** Pages waiting for or in their refresh: `agent\0url`. */
  #queued = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  #closed = new AbortController();

  constructor(o: RefreshOptions) {
    this.#o = o;
  }

  /** Replaces the schedule of the agent loaded from `key` with its pages' `refreshMinutes`; without a spec, stops it. */
  schedule(key: string, spec: KnowledgeSpec | undefined, embedder?: Embedder): void {
    for (const t of this.#schedules.get(key)?.timers ?? []) clearInterval(t);
    this.#schedules.delete(key);
    if (!spec || this.#closed.signal.aborted) return;
    const schedule: Schedule = { spec, embedder, timers: [] };
    for (const source of spec.sources) {
      if (typeof source === 'string' || !source.refreshMinutes) continue;
      const timer = setInterval(() => void this.refresh(key, source.url), source.refreshMinutes * 60_000);
      timer.unref(); // a schedule never keeps the process alive
      schedule.timers.push(timer);
    }
    if (schedule.timers.length) this.#schedules.set(key, schedule);
  }

  /**
   * Re-reads one scheduled page after any refresh in flight; resolves once it is done (or at once,
   * `skipped`, when that page is already waiting). Unknown pages and a closed refresher skip too.
   */
  refresh(key: string, url: string): Promise<'updated' | 'unchanged' | 'failed' | 'skipped'> {
    const schedule = this.#schedules.get(key);
    const id = `${schedule?.spec.agent}\0${url}`;
    if (!schedule || this.#queued.has(id) || this.#closed.signal.aborted) return Promise.resolve('skipped');
    this.#queued.add(id);
    const run = this.#queue.then(async () => {
      try {
        // The agent may have been reloaded while this waited: refresh what it lists now.
        const now = this.#schedules.get(key) ?? schedule;
        if (this.#closed.signal.aborted) return 'skipped' as const;
        const r = await refreshUrlSource(this.#o.store, now.spec, url, { embedder: now.embedder, signal: this.#closed.signal });
        if (r.status === 'failed') this.#o.log(`${now.spec.agent}: knowledge: could not refresh ${url}: ${r.error}; keeping the last copy`);
        else if (r.status !== 'unchanged' || r.error) this.#o.log(`${now.spec.agent}: knowledge: refreshed ${url} (${r.status === 'unchanged' ? 'unchanged' : 'changed'})${r.error ? `, but ${r.error}` : ''}`);
        return r.status === 'failed' ? 'failed' : r.status === 'unchanged' ? 'unchanged' : 'updated';
      } catch (e) {
        if (!this.#closed.signal.aborted) this.#o.log(`${schedule.spec.agent}: knowledge: could not refresh ${url}: ${errorText(e)}; keeping the last copy`);
        return this.#closed.signal.aborted ? 'skipped' : 'failed';
      } finally {
        this.#queued.delete(id);
      }
    });
    this.#queue = run.then(() => undefined);
    return run;
  }

  /** Stops every schedule and cancels a refresh in flight. */
  close(): void {
    this.#closed.abort();
    for (const s of this.#schedules.values()) for (const t of s.timers) clearInterval(t);
    this.#schedules.clear();
  }
}
