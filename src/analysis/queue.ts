import type { Kysely } from 'kysely';
import type { AnalysisConfig } from '../agent/schema.ts';
import type { AnalysisModel } from '../llm/analysis-model.ts';
import { Analyses } from '../store/analyses.ts';
import type { AnalysisRecord } from '../store/record-types.ts';
import { Records } from '../store/records.ts';
import type { Tables } from '../store/tables.ts';
import { errorText } from '../util/error-text.ts';
import { timeoutSignal } from '../util/timeout-signal.ts';
import { analyseConversation, ProviderError } from './analyse.ts';

// Post-call analysis runs here, off the call path: a conversation is queued when its session is
// done (or found unanalysed at start, after a crash), a few run at once, and a provider error is
// retried after a growing pause before the analysis is marked failed. Each conversation gets one
// stored analysis: done, failed (with the reason) or skipped (no model).

/** How one agent is analysed: its `analysis` block, and the model for it (resolved when needed). */
export interface AnalysisTarget {
  config: AnalysisConfig;
  model(): AnalysisModel;
}

/** Settings of the queue; only `db` and `target` are required. */
export interface AnalysisQueueOptions {
  db: Kysely<Tables>;
  /** The agent's analysis, or undefined when it declares none (nothing is stored then). */
  target(agent: string): AnalysisTarget | undefined;
  /** Analyses running at once (default 2). */
  concurrency?: number;
  /** Pauses before retrying after a provider error (default 5 s, 30 s, 2 min); past the last, 'failed'. */
  retryDelaysMs?: number[];
  /** Longest one model call may take (default 60 s). */
  timeoutMs?: number;
  /** Called once an analysis is stored (done, failed or skipped); the events outbox hooks in here. */
  onAnalysisCompleted?: (conversationId: string, analysis: AnalysisRecord, agent: string) => void;
  warn?: (line: string) => void;
  now?: () => Date;
}

/** A bounded queue of conversations waiting for their post-call analysis. */
export class AnalysisQueue {
  #o: AnalysisQueueOptions;
  #records: Records;
  #analyses: Analyses;
  #waiting: string[] = [];
  #known = new Set<string>();
  #attempts = new Map<string, number>();
  #failures = new Map<string, number>();
  #timers = new Set<NodeJS.Timeout>();
  #running = 0;
  #closed = new AbortController();
  #idle: (() => void)[] = [];

  constructor(o: AnalysisQueueOptions) {
    this.#o = o;
    this.#records = new Records(o.db);
    this.#analyses = new Analyses(o.db);
  }

  /** Queues a conversation that has ended (again queued while waiting or running: ignored). */
  enqueue(conversationId: string): void {
    if (this.#closed.signal.aborted || this.#known.has(conversationId)) return;
    this.#known.add(conversationId);
    this.#waiting.push(conversationId);
    this.#pump();
  }

  /** Queues the conversations of `agents` that ended since `since` (ISO) without an analysis; how many. */
  async recover(agents: string[], since: string): Promise<number> {
    const ids = await this.#analyses.pending(agents, since);
    for (const id of ids) this.enqueue(id);
    return ids.length;
  }

  /** Resolves when nothing is waiting, running or due for a retry. */
  idle(): Promise<void> {
    if (!this.#known.size) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  /** Stops: running model calls are aborted, waiting and retrying conversations are left for recovery at the next start. */
  close(): void {
    this.#closed.abort(new Error('the analysis queue closed'));
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#waiting = [];
    this.#known.clear();
    this.#settle();
  }

  #pump(): void {
    const limit = this.#o.concurrency ?? 2;
    while (this.#running < limit && this.#waiting.length) {
      const id = this.#waiting.shift()!;
      this.#running++;
      void this.#run(id)
        .catch((e) => {
          this.#forget(id);
          this.#o.warn?.(`analysis of ${id} failed: ${errorText(e)}`);
        })
        .finally(() => {
          this.#running--;
          this.#pump();
          this.#settle();
        });
    }
  }

  async #run(id: string): Promise<void> {
    const signal = this.#closed.signal;
    const record = await this.#records.get(id);
    const target = record?.endedAt ? this.#o.target(record.agent) : undefined;
    if (!record || !target || signal.aborted || (await this.#analyses.get(id))) return this.#forget(id);
    const model = target.model();
    const now = () => this.#o.now?.() ?? new Date();
    let result: AnalysisRecord;
    // A conversation in which the caller never said a word has nothing to analyse (and costs nothing).
    const skip = !record.turns.some((t) => t.role === 'caller') ? 'nothing to analyse: the caller never spoke' : 'skip' in model ? model.skip : undefined;
    if (skip !== undefined || 'skip' in model) {
      result = { status: 'skipped', summary: null, data: null, criteria: [], error: skip ?? 'no model', model: null, attempts: 0, analysedAt: now().toISOString() };
    } else {
      try {
        result = await analyseConversation({ model: model.model, label: model.label, config: target.config, record, now, attemptsBefore: this.#attempts.get(id) ?? 0, signal: AbortSignal.any([signal, timeoutSignal(this.#o.timeoutMs ?? 60_000)]) });
      } catch (e) {
        if (signal.aborted) return;
        const failures = (this.#failures.get(id) ?? 0) + 1;
        this.#failures.set(id, failures);
        this.#attempts.set(id, (this.#attempts.get(id) ?? 0) + 1);
        const delays = this.#o.retryDelaysMs ?? [5_000, 30_000, 120_000];
        const message = e instanceof ProviderError ? e.message : `${model.label}: ${errorText(e)}`;
        if (failures <= delays.length) return this.#retryLater(id, delays[failures - 1]!, message);
        result = { status: 'failed', summary: null, data: null, criteria: [], error: `the model failed ${failures} times: ${message}`, model: model.label, attempts: this.#attempts.get(id)!, analysedAt: now().toISOString() };
      }
    }
    const saved = await this.#analyses.save(id, record.agent, result);
    this.#forget(id);
    if (saved) this.#o.onAnalysisCompleted?.(id, result, record.agent);
  }

  #retryLater(id: string, ms: number, why: string): void {
    this.#o.warn?.(`analysis of ${id}: ${why}; trying again in ${Math.round(ms / 1000)} s`);
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.#waiting.push(id);
      this.#pump();
    }, ms);
    t.unref();
    this.#timers.add(t);
  }

  #forget(id: string): void {
    this.#known.delete(id);
    this.#attempts.delete(id);
    this.#failures.delete(id);
  }

  #settle(): void {
    if (this.#known.size || this.#running) return;
    for (const r of this.#idle.splice(0)) r();
  }
}
