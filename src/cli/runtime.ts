import type { LanguageModel } from 'ai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgent, type Agent } from '../agent/load.ts';
import { ingestKnowledge } from '../knowledge/index.ts';
import { detectOllama, modelChoice, ModelConfigError, resolveModel } from '../llm/model.ts';
import { openStore, type Store } from '../store/store.ts';
import { calendarFor, type CalendarProvider } from '../tools/calendar/index.ts';

/** An agent ready to talk: loaded, its knowledge indexed, its models resolved. */
export interface AgentRuntime {
  agent: Agent;
  store: Store;
  models: LanguageModel[];
  /** Which model answers, for the user to see. */
  modelLabel: string;
  /** The agent's calendar, when agent.yaml has a `calendar` block. */
  calendar?: CalendarProvider;
}

/** The agent's model and fallbacks; with no key at all, a running local Ollama is used instead of failing. */
export async function agentModels(agent: Agent, env: NodeJS.ProcessEnv = process.env): Promise<{ models: LanguageModel[]; label: string }> {
  const choice = modelChoice(agent.config.brain, env);
  try {
    const primary = resolveModel(choice, env);
    const fallbacks = env.PARLEY_LLM ? [] : agent.config.brain.fallback.flatMap((spec) => {
      try {
        return [resolveModel({ spec }, env)];
      } catch {
        return []; // a fallback without its key is skipped, not fatal
      }
    });
    return { models: [primary, ...fallbacks], label: choice.spec };
  } catch (e) {
    if (!(e instanceof ModelConfigError) || env.PARLEY_LLM) throw e;
    const local = await detectOllama(AbortSignal.timeout(1500));
    if (!local) throw e;
    return { models: [resolveModel({ spec: `ollama:${local}` }, env)], label: `ollama:${local} (local; ${choice.spec} has no key)` };
  }
}

/** The agent's knowledge sources; the default `knowledge/` folder may simply not exist. */
export function knowledgeSpec(agent: Agent): { agent: string; dir: string; sources: string[] } {
  const { sources } = agent.config.knowledge;
  const implicit = sources.length === 1 && sources[0] === 'knowledge/' && !existsSync(join(agent.dir, 'knowledge'));
  return { agent: agent.name, dir: agent.dir, sources: implicit ? [] : sources };
}

/** Loads an agent folder, opens the store, brings the knowledge index up to date and resolves the models. */
export async function openAgentRuntime(dir: string, o: { log?: (line: string) => void } = {}): Promise<AgentRuntime> {
  const agent = await loadAgent(dir);
  const { models, label } = await agentModels(agent);
  const store = await openStore();
  const report = await ingestKnowledge(store, knowledgeSpec(agent), {});
  if (report.added + report.updated + report.removed > 0) o.log?.(`knowledge: ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.chunks} chunks`);
  for (const f of report.failed) o.log?.(`knowledge: could not read ${f.source}: ${f.message}`);
  return { agent, store, models, modelLabel: label, calendar: calendarFor(agent, { store, env: process.env }) };
}
