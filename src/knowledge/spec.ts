import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../agent/load.ts';

/** The agent's knowledge sources; the default `knowledge/` folder may simply not exist. */
export function knowledgeSpec(agent: Agent): { agent: string; dir: string; sources: string[] } {
  const { sources } = agent.config.knowledge;
  const implicit = sources.length === 1 && sources[0] === 'knowledge/' && !existsSync(join(agent.dir, 'knowledge'));
  return { agent: agent.name, dir: agent.dir, sources: implicit ? [] : sources };
}
