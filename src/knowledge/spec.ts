import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../agent/load.ts';
import type { KnowledgeSpec } from './ingest.ts';

/** The agent's knowledge sources and what its URL sources may reach; the default `knowledge/` folder may simply not exist. */
export function knowledgeSpec(agent: Agent): KnowledgeSpec {
  const { sources, allowPrivateUrls, maxUrlBytes } = agent.config.knowledge;
  const implicit = sources.length === 1 && sources[0] === 'knowledge/' && !existsSync(join(agent.dir, 'knowledge'));
  return { agent: agent.name, dir: agent.dir, sources: implicit ? [] : sources, urls: { allowPrivate: allowPrivateUrls, maxBytes: maxUrlBytes } };
}
