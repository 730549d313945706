import type { z } from 'zod';
import { DEPRECATED_NAMES } from './aliases.ts';
import { InitAnswers } from './answers.ts';

// Every field an answers file may hold, read from its schema, so the list in AGENTS.md is
// tested against the code and cannot drift from it.

/** Fields of the answers file that agent.yaml does not have: they pick what init writes. */
export const INIT_ONLY_FIELDS = ['template', 'business.name', 'business.description', 'documents'] as const;

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Dotted paths of every leaf field the answers accept (objects are walked; lists, maps and values are leaves), older names included. */
export function answerFieldPaths(schema: z.ZodType = InitAnswers): string[] {
  const out: string[] = [];
  const walk = (s: z.ZodType, path: string[]) => {
    const d = defOf(s);
    if (d.innerType) return walk(d.innerType, path);
    if (d.type === 'pipe' && d.in) return walk(d.in, path);
    if (d.type === 'object' && d.shape) {
      for (const [k, v] of Object.entries(d.shape)) walk(v, [...path, k]);
      return;
    }
    out.push(path.join('.'));
  };
  walk(schema, []);
  return out;
}

/** The answers' fields split into agent.yaml's names (and init's own), and the older names with their replacements. */
export function answerFields(): { current: string[]; deprecated: { old: string; now: string }[] } {
  const deprecated = DEPRECATED_NAMES.map((d) => ({ old: d.old.join('.'), now: d.now.join('.') }));
  const all = answerFieldPaths();
  // An older name that held a whole block (widget) stands for that block's fields.
  const isOld = (p: string) => deprecated.some((d) => p === d.old || p.startsWith(`${d.old}.`));
  return { current: all.filter((p) => !isOld(p)), deprecated };
}
