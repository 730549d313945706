import type { LanguageModel } from 'ai';
import { withDailyBudget } from '../agent/budget.ts';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { loadAgent, type Agent } from '../agent/load.ts';
import { ingestKnowledge } from '../knowledge/index.ts';
import { knowledgeSpec } from '../knowledge/spec.ts';
import { agentEmbedder, agentModels } from '../llm/agent-models.ts';
import type { TextEmbedder } from '../llm/embedder.ts';
import type { Store } from '../store/store.ts';
import { calendarFor, type CalendarProvider } from '../tools/calendar/index.ts';
import { errorText } from '../util/error-text.ts';
import { KnowledgeRefresher } from './knowledge-refresh.ts';

/** An agent the server can open sessions with. */
export interface LoadedAgent {
  agent: Agent;
  models: LanguageModel[];
  /** `knowledge.embeddings`, when configured and its key is set. */
  embedder?: TextEmbedder;
  modelLabel: string;
  calendar?: CalendarProvider;
  /** The folder it was loaded from. */
  dir: string;
  loadedAt: Date;
}

/** What a reload did: loaded (or reloaded), kept the last good version, or removed the agent. */
export interface AgentChange {
  dir: string;
  outcome: 'loaded' | 'failed' | 'removed';
  name?: string;
  message?: string;
}

/** An agent folder that did not load (or whose last edit did not), and why. */
export interface AgentProblem {
  dir: string;
  message: string;
  /** Still serving the last version that loaded. */
  serving?: string;
}

interface RegistryOptions {
  store: Store;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

const isAgentDir = (d: string) => existsSync(join(d, 'agent.yaml')) || existsSync(join(d, 'agent.yml'));

/**
 * The agents a server runs: every agent folder under one folder (or that folder itself). A folder
 * that fails to load is reported and skipped; when an edit breaks an agent that was loaded, the
 * last good version keeps serving. Sessions take the LoadedAgent they start with and keep it.
 */
export class AgentRegistry {
  readonly root: string;
  #o: RegistryOptions;
  #byDir = new Map<string, LoadedAgent>();
  #problems = new Map<string, AgentProblem>();
  #watcher: FSWatcher | undefined;
  #pending = new Map<string, NodeJS.Timeout>();
  #reloading: Promise<void> = Promise.resolve();
  #listeners = new Set<(change: AgentChange) => void>();
  /** Re-reads the pages agents list with `refreshMinutes`. */
  readonly refresher: KnowledgeRefresher;

  private constructor(root: string, o: RegistryOptions) {
    this.root = resolve(root);
    this.#o = o;
    this.refresher = new KnowledgeRefresher({ store: o.store, log: o.log });
  }

  static async open(root: string, o: RegistryOptions): Promise<AgentRegistry> {
    const r = new AgentRegistry(root, o);
    for (const d of await r.#agentDirs()) await r.reload(d);
    return r;
  }

  get(name: string): LoadedAgent | undefined {
    for (const a of this.#byDir.values()) if (a.agent.name === name) return a;
    return undefined;
  }

  names(): string[] {
    return this.list().map((a) => a.agent.name);
  }

  list(): LoadedAgent[] {
    return [...this.#byDir.values()].sort((a, b) => a.agent.name.localeCompare(b.agent.name));
  }

  problems(): AgentProblem[] {
    return [...this.#problems.values()];
  }

  /** (Re)loads one agent folder; on failure the previous version, if any, stays. */
  async reload(dir: string): Promise<LoadedAgent | undefined> {
    const d = resolve(dir);
    const previous = this.#byDir.get(d);
    if (!isAgentDir(d)) {
      if (previous) this.#o.log(`agent ${previous.agent.name} removed (${d} has no agent.yaml)`);
      this.#byDir.delete(d);
      this.#problems.delete(d);
      this.refresher.schedule(d, undefined);
      this.#emit({ dir: d, outcome: 'removed', name: previous?.agent.name });
      return undefined;
    }
    try {
      const agent = withDailyBudget(await loadAgent(d), this.#o.env);
      const clash = this.get(agent.name);
      if (clash && clash.dir !== d) throw new Error(`an agent named "${agent.name}" is already loaded from ${clash.dir}`);
      const { models, label } = await agentModels(agent, this.#o.env, { log: (line) => this.#o.log(`${agent.name}: ${line}`), onProgress: downloadLog((line) => this.#o.log(`${agent.name}: ${line}`)) });
      const { embedder, warning } = agentEmbedder(agent, this.#o.env);
      if (warning) this.#o.log(`${agent.name}: ${warning}`);
      const spec = knowledgeSpec(agent);
      const report = await ingestKnowledge(this.#o.store, spec, { embedder });
      for (const f of report.failed) this.#o.log(`${agent.name}: knowledge: could not read ${f.source}: ${f.message}`);
      if (report.embeddings && 'error' in report.embeddings) this.#o.log(`${agent.name}: knowledge: could not embed chunks (${report.embeddings.error}); searching by words where vectors are missing`);
      const loaded: LoadedAgent = { agent, models, embedder, modelLabel: label, calendar: calendarFor(agent, { store: this.#o.store, env: this.#o.env }), dir: d, loadedAt: new Date() };
      this.#byDir.set(d, loaded);
      this.#problems.delete(d);
      this.refresher.schedule(d, spec, embedder);
      this.#o.log(`agent ${agent.name} ${previous ? 'reloaded' : 'loaded'} from ${d} (model ${label}, version ${agent.version})`);
      this.#emit({ dir: d, outcome: 'loaded', name: agent.name });
      return loaded;
    } catch (e) {
      const message = errorText(e);
      this.#problems.set(d, { dir: d, message, serving: previous?.agent.version });
      this.#o.log(previous ? `${d}: the edit did not load, still serving version ${previous.agent.version}: ${message}` : `skipping ${d}: ${message}`);
      this.#emit({ dir: d, outcome: 'failed', name: previous?.agent.name, message });
      return previous;
    }
  }

  /** Reloads an agent when a file in its folder changes (debounced), and picks up new agent folders. */
  watch(): void {
    if (this.#watcher) return;
    this.#watcher = watch(this.root, { recursive: true }, (_, file) => {
      if (!file) return;
      const parts = String(file).split(sep);
      // Stores, recordings and editor droppings are not agent files.
      if (parts.some((p) => p.startsWith('.') || p === 'node_modules' || p.endsWith('~'))) return;
      const dir = isAgentDir(this.root) ? this.root : join(this.root, parts[0]!);
      if (dir !== this.root && parts.length === 1 && !isAgentDir(dir) && !this.#byDir.has(dir)) return;
      clearTimeout(this.#pending.get(dir));
      this.#pending.set(
        dir,
        setTimeout(() => {
          this.#pending.delete(dir);
          this.#reloading = this.#reloading.then(() => this.reload(dir)).then(() => undefined, () => undefined);
        }, 150),
      );
    });
  }

  /** Calls `listener` after every reload; returns a function that stops it. */
  onChange(listener: (change: AgentChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change: AgentChange): void {
    for (const l of this.#listeners) l(change);
  }

  close(): void {
    this.refresher.close();
    this.#watcher?.close();
    for (const t of this.#pending.values()) clearTimeout(t);
    this.#pending.clear();
  }

  async #agentDirs(): Promise<string[]> {
    if (isAgentDir(this.root)) return [this.root];
    const entries = await readdir(this.root, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && isAgentDir(join(this.root, e.name))).map((e) => join(this.root, e.name)).sort();
  }

  /** The folder as shown to people: relative to the root. */
  label(dir: string): string {
    return relative(this.root, dir) || '.';
  }
}

/** A first download's progress as a log line every 10%. */
function downloadLog(log: (line: string) => void): (p: { received: number; total: number | undefined; bytesPerSecond: number }) => void {
  let last = -1;
  return (p) => {
    const tenth = p.total ? Math.floor((p.received / p.total) * 10) : Math.floor(p.received / 100e6);
    if (tenth <= last) return;
    last = tenth;
    log(`downloading the local model: ${p.total ? `${tenth * 10}% of ${(p.total / 1e6).toFixed(0)} MB` : `${(p.received / 1e6).toFixed(0)} MB`} at ${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s`);
  };
}
