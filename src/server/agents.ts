import type { LanguageModel } from 'ai';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAgent, type Agent } from '../agent/load.ts';
import { knowledgeSpec } from '../knowledge/spec.ts';
import { agentModels } from '../llm/agent-models.ts';
import { ingestKnowledge } from '../knowledge/index.ts';
import type { Store } from '../store/store.ts';
import { calendarFor, type CalendarProvider } from '../tools/calendar/index.ts';

/** An agent the server can open sessions with. */
export interface LoadedAgent {
  agent: Agent;
  models: LanguageModel[];
  modelLabel: string;
  calendar?: CalendarProvider;
}

/**
 * Every agent under `dir`: the folder itself when it holds agent.yaml, else each subfolder that
 * does. An agent that fails to load (bad YAML, missing model key) is reported and skipped.
 */
export async function loadAgents(dir: string, o: { store: Store; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<Map<string, LoadedAgent>> {
  const isAgent = (d: string) => existsSync(join(d, 'agent.yaml')) || existsSync(join(d, 'agent.yml'));
  const dirs = isAgent(dir)
    ? [dir]
    : (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && isAgent(join(dir, e.name))).map((e) => join(dir, e.name)).sort();
  const agents = new Map<string, LoadedAgent>();
  for (const d of dirs) {
    try {
      const agent = await loadAgent(d);
      if (agents.has(agent.name)) throw new Error(`an agent named "${agent.name}" is already loaded`);
      const { models, label } = await agentModels(agent, o.env);
      const report = await ingestKnowledge(o.store, knowledgeSpec(agent), {});
      for (const f of report.failed) o.log(`${agent.name}: knowledge: could not read ${f.source}: ${f.message}`);
      agents.set(agent.name, { agent, models, modelLabel: label, calendar: calendarFor(agent, { store: o.store, env: o.env }) });
      o.log(`agent ${agent.name} loaded from ${d} (model ${label})`);
    } catch (e) {
      o.log(`skipping ${d}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return agents;
}
