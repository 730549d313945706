import type { LanguageModel } from 'ai';
import { withDailyBudget } from '../agent/budget.ts';
import { loadAgent, type Agent } from '../agent/load.ts';
import { ingestKnowledge } from '../knowledge/index.ts';
import { knowledgeSpec } from '../knowledge/spec.ts';
import { agentEmbedder, agentModels } from '../llm/agent-models.ts';
import type { TextEmbedder } from '../llm/embedder.ts';
import { openStore, type Store } from '../store/store.ts';
import { calendarFor, type CalendarProvider } from '../tools/calendar/index.ts';
import { progressBar } from './progress-bar.ts';

export { agentModels, knowledgeSpec };

/** An agent ready to talk: loaded, its knowledge indexed, its models resolved. */
export interface AgentRuntime {
  agent: Agent;
  store: Store;
  models: LanguageModel[];
  /** `knowledge.embeddings`, when configured and its key is set. */
  embedder?: TextEmbedder;
  /** Which model answers, for the user to see. */
  modelLabel: string;
  /** The agent's calendar, when agent.yaml has a `calendar` block. */
  calendar?: CalendarProvider;
}

/** Loads an agent folder, opens the store, brings the knowledge index up to date and resolves the models. */
export async function openAgentRuntime(dir: string, o: { log?: (line: string) => void } = {}): Promise<AgentRuntime> {
  const agent = withDailyBudget(await loadAgent(dir));
  const bar = progressBar('local model');
  const { models, label } = await agentModels(agent, process.env, { log: o.log, onProgress: bar.update }).finally(bar.done);
  const store = await openStore();
  const { embedder, warning } = agentEmbedder(agent);
  if (warning) o.log?.(warning);
  const report = await ingestKnowledge(store, knowledgeSpec(agent), { embedder });
  if (report.embeddings && 'error' in report.embeddings) o.log?.(`knowledge: could not embed chunks (${report.embeddings.error}); searching by words where vectors are missing`);
  if (report.added + report.updated + report.removed > 0) o.log?.(`knowledge: ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.chunks} chunks`);
  for (const f of report.failed) o.log?.(`knowledge: could not read ${f.source}: ${f.message}`);
  return { agent, store, models, embedder, modelLabel: label, calendar: calendarFor(agent, { store, env: process.env }) };
}
