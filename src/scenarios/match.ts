// How scenario expectations match what happened. One rule everywhere: a string written
// `/regex/flags` is a regular expression; any other string matches as a case-insensitive
// substring (whitespace and curly quotes normalised). Objects match partially: only the keys
// written in the scenario are checked. A list matches by containment, except `[]`, which means
// "nothing": a containment test would let an empty expectation pass any list.

const REGEX = /^\/(.+)\/([dgimsuvy]*)$/s;

/** A compiled text pattern. */
export interface TextPattern {
  /** As written in the scenario. */
  readonly source: string;
  /** The part of `text` that matches, or undefined. */
  find(text: string): string | undefined;
}

const normalise = (s: string): string => s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').toLowerCase();

/** Why a pattern cannot be used (an invalid regular expression), or undefined when it is fine. */
export function patternProblem(source: string): string | undefined {
  const m = REGEX.exec(source);
  if (!m) return undefined;
  try {
    new RegExp(m[1], m[2]);
    return undefined;
  } catch (e) {
    return `invalid regular expression ${source}: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`;
  }
}

/** Compiles `/regex/flags` or plain text into a pattern. */
export function textPattern(source: string): TextPattern {
  const m = REGEX.exec(source);
  if (m) {
    // g and y make a RegExp stateful between calls; a pattern must give the same answer twice.
    const re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
    return { source, find: (text) => re.exec(text)?.[0] };
  }
  const needle = normalise(source);
  return {
    source,
    find: (text) => {
      const hay = normalise(text);
      const i = hay.indexOf(needle);
      return i < 0 ? undefined : hay.slice(i, i + needle.length);
    },
  };
}

/** A string that, written in a scenario, matches exactly this text (escaped when it would read as a regex). */
export function literalPattern(text: string): string {
  return REGEX.test(text) ? `/${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/` : text;
}

/** Short, single-line rendering of a value for messages. */
export function show(value: unknown, max = 120): string {
  const text = value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Whether `actual` matches `expected` (strings as patterns, objects partially, arrays by
 * containment, `[]` only an empty list). Returns why not — `email: expected /@acme\./, got "jane@other.io"` — or undefined.
 */
export function mismatch(expected: unknown, actual: unknown, path: string[] = []): string | undefined {
  const at = path.length ? `${path.join('.')}: ` : '';
  if (typeof expected === 'string') {
    if (actual === undefined || actual === null) return `${at}expected ${shownPattern(expected)}, got nothing`;
    const text = typeof actual === 'string' ? actual : typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
    return textPattern(expected).find(text) === undefined ? `${at}expected ${shownPattern(expected)}, got ${show(actual)}` : undefined;
  }
  if (expected === null || typeof expected !== 'object') {
    const same = actual === expected || (typeof actual === 'string' && actual === String(expected));
    return same ? undefined : `${at}expected ${show(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}expected a list, got ${show(actual)}`;
    if (!expected.length) return actual.length ? `${at}expected an empty list, got ${show(actual)}` : undefined;
    for (const [i, item] of expected.entries()) {
      if (!actual.some((a) => mismatch(item, a) === undefined)) return `${at}no item matches ${show(item)} (item ${i + 1}); got ${show(actual)}`;
    }
    return undefined;
  }
  if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return `${at}expected an object, got ${show(actual)}`;
  const record = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected)) {
    // Header names are case-insensitive; so, for convenience, are all keys when the exact one is absent.
    const found = key in record ? key : Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
    const problem = mismatch(value, found === undefined ? undefined : record[found], [...path, key]);
    if (problem) return problem;
  }
  return undefined;
}

/** A pattern as shown in messages: regexes as written, text quoted. */
export function shownPattern(source: string): string {
  return REGEX.test(source) ? source : JSON.stringify(source);
}
