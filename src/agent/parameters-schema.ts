import { didYouMeanHint } from '../util/did-you-mean.ts';

// A webhook tool's `parameters` is a JSON Schema the loader otherwise takes as it is. A YAML slip
// inside it ("description: The caller's name, if given" in a flow map makes a key "if given") was
// accepted without a word and cut the description short (support LOG entry 2), so its keys are
// checked against the JSON Schema vocabulary, the way the rest of agent.yaml is strict.

/** JSON Schema keywords a `parameters` schema may use (draft 2020-12 and draft-07, plus OpenAPI's `nullable`). */
export const SCHEMA_KEYWORDS: readonly string[] = [
  // what tool arguments usually need
  'type', 'description', 'title', 'enum', 'const', 'default', 'examples', 'format', 'pattern',
  'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'uniqueItems',
  'anyOf', 'oneOf', 'allOf', 'not', 'nullable',
  // the rest of the vocabulary, passed to the model as written
  '$schema', '$id', '$ref', '$defs', 'definitions', '$comment', '$anchor', 'patternProperties', 'propertyNames',
  'minProperties', 'maxProperties', 'dependentRequired', 'dependentSchemas', 'dependencies', 'prefixItems',
  'contains', 'minContains', 'maxContains', 'unevaluatedProperties', 'unevaluatedItems', 'if', 'then', 'else',
  'deprecated', 'readOnly', 'writeOnly', 'contentEncoding', 'contentMediaType',
];

const KEYWORDS = new Set(SCHEMA_KEYWORDS);
const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
/** Keywords whose value is one schema. */
const ONE_SCHEMA = ['items', 'not', 'additionalProperties', 'propertyNames', 'contains', 'unevaluatedProperties', 'unevaluatedItems', 'if', 'then', 'else'];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/** One thing wrong inside `parameters`: `path` is below `parameters`; `atKey` pins it to the key rather than its value. */
export interface SchemaKeyProblem {
  path: (string | number)[];
  message: string;
  atKey: boolean;
}

/** Keys that are not JSON Schema keywords, and `type`s that are not JSON types, anywhere in a `parameters` schema. */
export function parameterSchemaProblems(schema: unknown): SchemaKeyProblem[] {
  const problems: SchemaKeyProblem[] = [];
  walk(schema, [], problems);
  return problems;
}

function walk(schema: unknown, path: (string | number)[], problems: SchemaKeyProblem[]): void {
  if (typeof schema === 'boolean') return; // `true` / `false` are schemas too
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    problems.push({ path, message: `must be a JSON Schema object, e.g. { type: string, description: … }`, atKey: false });
    return;
  }
  for (const [key, value] of Object.entries(schema)) {
    const at = [...path, key];
    if (!KEYWORDS.has(key)) {
      problems.push({ path: at, message: unknownKeyword(key), atKey: true });
      continue;
    }
    if (key === 'type') typeProblem(value, at, problems);
    else if (ONE_SCHEMA.includes(key)) walk(value, at, problems);
    else if (SCHEMA_LIST.includes(key) && Array.isArray(value)) value.forEach((s, i) => walk(s, [...at, i], problems));
    else if (SCHEMA_MAP.includes(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, s] of Object.entries(value)) walk(s, [...at, name], problems);
    }
  }
}

function typeProblem(value: unknown, at: (string | number)[], problems: SchemaKeyProblem[]): void {
  const types = Array.isArray(value) ? value : [value];
  for (const t of types) {
    if (typeof t === 'string' && TYPES.includes(t)) continue;
    problems.push({ path: at, message: `type ${JSON.stringify(t)} is not a JSON Schema type (${TYPES.join(', ')})${typeof t === 'string' ? didYouMeanHint(t, TYPES) : ''}`, atKey: false });
  }
}

function unknownKeyword(key: string): string {
  const base = `unknown JSON Schema keyword "${key}"${didYouMeanHint(key, SCHEMA_KEYWORDS)}`;
  // no keyword has a space: a key with one is almost always the tail of unquoted text after a comma
  if (/\s/.test(key)) return `${base} — in a { … } map a comma ends the text before it: quote the description ("…, ${key}")`;
  return `${base} (keywords: type, description, enum, properties, required, items, minimum, maximum, minLength, maxLength, pattern, format, default, additionalProperties… — docs/tools.md)`;
}
