import type { z } from 'zod';

// Every field of a zod schema with the defaults it may take, by dotted path ("limits.maxTurnChars",
// "tools.timeoutMs" — list elements and union options share their parent's path). Reads zod 4's
// definitions, like src/agent/schema-fields.ts.

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  defaultValue?: unknown;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** A field: its path and the JSON of each default it has (none: required or optional without one). */
export interface SchemaField {
  path: string;
  defaults: Set<string>;
}

/** Every field of the schema, by path. */
export function schemaFields(schema: z.ZodType): Map<string, SchemaField> {
  const out = new Map<string, SchemaField>();
  const field = (path: string) => {
    let f = out.get(path);
    if (!f) out.set(path, (f = { path, defaults: new Set() }));
    return f;
  };
  const walk = (s: z.ZodType, path: string, depth: number) => {
    if (depth > 30) return;
    const d = defOf(s);
    if (d.type === 'default' && path) field(path).defaults.add(JSON.stringify(d.defaultValue));
    if (d.innerType) return walk(d.innerType, path, depth + 1);
    if (d.type === 'pipe') {
      if (d.out) walk(d.out, path, depth + 1);
      return;
    }
    if (d.type === 'union' && d.options) return d.options.forEach((o) => walk(o, path, depth + 1));
    if (d.type === 'array' && d.element) return walk(d.element, path, depth + 1);
    if (d.type === 'object' && d.shape) {
      for (const [key, child] of Object.entries(d.shape)) {
        const p = path ? `${path}.${key}` : key;
        field(p);
        walk(child, p, depth + 1);
      }
    }
  };
  walk(schema, '', 0);
  return out;
}
