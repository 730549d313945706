import type { AgentFileInput } from '../schema.ts';
import type { CalendarAnswerData, TemplateId } from './answers.ts';

// Answers files once used names of their own (maxMinutes, model, widget…); they now use
// agent.yaml's. The older names are still read — moved to the new place, with a warning that
// names it — so an answers file written for an earlier Parley keeps working.

/** An older answers-file name, still read, and the agent.yaml name that replaced it. */
export interface DeprecatedName {
  old: string[];
  now: string[];
  /** The value in the new name's terms (minutes → seconds, a variable name → ${NAME}). */
  convert?: (value: unknown) => unknown;
}

/** Every older name the answers file still reads. */
export const DEPRECATED_NAMES: readonly DeprecatedName[] = [
  { old: ['language'], now: ['persona', 'language'] },
  { old: ['tone'], now: ['persona', 'tone'] },
  { old: ['firstMessage'], now: ['persona', 'firstMessage'] },
  { old: ['strictKnowledge'], now: ['knowledge', 'strict'] },
  { old: ['widget'], now: ['channels', 'web', 'widget'] },
  { old: ['allowedOrigins'], now: ['channels', 'web', 'allowedOrigins'] },
  { old: ['model'], now: ['brain', 'llm'] },
  { old: ['modelBaseURL'], now: ['brain', 'baseURL'] },
  { old: ['limits', 'maxMinutes'], now: ['limits', 'maxDurationSec'], convert: (m) => Math.round(Number(m) * 60) },
  { old: ['calendar', 'apiKeyEnv'], now: ['calendar', 'apiKey'], convert: (name) => `\${${String(name)}}` },
  { old: ['calendar', 'tokenEnv'], now: ['calendar', 'token'], convert: (name) => `\${${String(name)}}` },
];

/** Validated answers in agent.yaml's names, holding only what the file gave (no defaults filled in). */
export interface Answers {
  template: TemplateId;
  business: { name: string; description: string };
  documents?: string[];
  name?: string;
  persona?: { firstMessage?: string; language?: string; tone?: string };
  voice?: AgentFileInput['voice'];
  listen?: AgentFileInput['listen'];
  brain?: AgentFileInput['brain'];
  knowledge?: Omit<NonNullable<AgentFileInput['knowledge']>, 'sources'>;
  collect?: string[];
  calendar?: Omit<CalendarAnswerData, 'apiKeyEnv' | 'tokenEnv'>;
  timeZone?: string;
  channels?: AgentFileInput['channels'];
  limits?: AgentFileInput['limits'];
  guardrails?: AgentFileInput['guardrails'];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The answers with every older name moved to agent.yaml's: each move is a warning at the old
 * name; an old and a new name both given is a problem (which one was meant cannot be told).
 */
export function renameDeprecated(raw: Obj, report: { warning(path: string[], message: string): void; problem(path: string[], message: string): void }): { answers: Obj; sourcePath(path: (string | number)[]): (string | number)[] } {
  const out = structuredClone(raw);
  const moved: DeprecatedName[] = [];
  for (const d of DEPRECATED_NAMES) {
    const parent = objectAt(out, d.old.slice(0, -1));
    const key = d.old[d.old.length - 1];
    if (!parent || !(key in parent)) continue;
    const now = d.now.join('.');
    if (valueAt(out, d.now) !== undefined) {
      report.problem(d.old, `the older name of ${now}, which is given too; keep only ${now}`);
      continue;
    }
    const value = d.convert ? d.convert(parent[key]) : parent[key];
    delete parent[key];
    setAt(out, d.now, value);
    moved.push(d);
    report.warning(d.old, `deprecated name: write ${now}${d.convert ? `: ${JSON.stringify(value)}` : ''} instead (agent.yaml's own name)`);
  }
  // A later problem with a moved value is shown where the file has it, under its old name.
  const sourcePath = (path: (string | number)[]) => {
    const d = moved.find((m) => m.now.every((k, i) => path[i] === k));
    return d ? [...d.old, ...path.slice(d.now.length)] : path;
  };
  return { answers: out, sourcePath };
}

/** The parsed value, cut down to the keys the source gave: defaults stay out of the written file. */
export function keepGiven(given: unknown, parsed: unknown): unknown {
  if (!isObj(given) || !isObj(parsed)) return parsed;
  return Object.fromEntries(Object.keys(given).filter((k) => k in parsed).map((k) => [k, keepGiven(given[k], parsed[k])]));
}

function objectAt(root: Obj, path: string[]): Obj | undefined {
  let node: unknown = root;
  for (const k of path) node = isObj(node) ? node[k] : undefined;
  return isObj(node) ? node : undefined;
}

function valueAt(root: Obj, path: string[]): unknown {
  return objectAt(root, path.slice(0, -1))?.[path[path.length - 1]];
}

function setAt(root: Obj, path: string[], value: unknown): void {
  let node = root;
  for (const k of path.slice(0, -1)) {
    if (!isObj(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  node[path[path.length - 1]] = value;
}
