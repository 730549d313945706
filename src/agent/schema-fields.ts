import type { z } from 'zod';

// The field names a zod schema allows at a path, so an unknown key can be answered with
// "did you mean …". Reads zod 4's definitions; wrappers (default, optional, pipe) are looked through.

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  out?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every object schema the value at `path` may be checked against. */
function objectsAt(schema: z.ZodType, path: readonly (string | number)[]): Def[] {
  const d = defOf(schema);
  if (d.innerType) return objectsAt(d.innerType, path);
  if (d.type === 'pipe') return [...(d.in ? objectsAt(d.in, path) : []), ...(d.out ? objectsAt(d.out, path) : [])];
  if (d.type === 'union' && d.options) return d.options.flatMap((o) => objectsAt(o, path));
  if (path.length === 0) return d.type === 'object' ? [d] : [];
  const [head, ...rest] = path;
  if (d.type === 'array' && d.element && typeof head === 'number') return objectsAt(d.element, rest);
  if (d.type === 'object' && d.shape && typeof head === 'string' && d.shape[head]) return objectsAt(d.shape[head], rest);
  return [];
}

/** The keys the schema allows in the object at `path` (empty when it cannot tell). */
export function fieldsAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  return [...new Set(objectsAt(schema, path).flatMap((d) => Object.keys(d.shape ?? {})))];
}
