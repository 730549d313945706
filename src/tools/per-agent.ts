import type { Agent } from '../agent/load.ts';

const kept = new WeakMap<Agent, Map<string, unknown>>();

/**
 * A value that follows from the agent file alone (a tool's input schema), built once per loaded
 * agent rather than on every turn; a reloaded agent is a new object and gets its own.
 */
export function perAgent<T>(agent: Agent, key: string, build: () => T): T {
  let values = kept.get(agent);
  if (!values) kept.set(agent, (values = new Map()));
  if (!values.has(key)) values.set(key, build());
  return values.get(key) as T;
}
