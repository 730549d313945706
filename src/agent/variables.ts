import type { Agent } from './load.ts';

// Per-contact variables in an agent's first message and persona: `{{name}}`, or with a fallback
// for callers who have none, `{{name|there}}` ("Hi {{name|there}}" → "Hi Ada" / "Hi there").
// Names are letters, digits and _ (CSV headers are lower-cased, other characters become _).

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*(?:\|([^}]*))?\}\}/gi;

/** `text` with each placeholder replaced by its variable, else its fallback, else nothing. */
export function fillVariables(text: string, vars: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
    const v = vars[name.toLowerCase()];
    return v !== undefined && v !== '' ? v : (fallback ?? '').trim();
  });
}

/** The variable names `text` uses, and whether each has a fallback. */
export function variablesUsed(text: string): { name: string; fallback: boolean }[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!.toLowerCase(), fallback: m[2] !== undefined }));
}

/** The agent as one conversation sees it: its persona prompt and first message with the variables filled in. */
export function withVariables(agent: Agent, vars: Record<string, string>): Agent {
  const { persona } = agent.config;
  if (!agent.prompt.includes('{{') && !persona.firstMessage.includes('{{')) return agent;
  return { ...agent, prompt: fillVariables(agent.prompt, vars), config: { ...agent.config, persona: { ...persona, firstMessage: fillVariables(persona.firstMessage, vars) } } };
}
