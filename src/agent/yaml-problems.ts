import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { didYouMeanHint } from '../util/did-you-mean.ts';
import type { AgentProblem } from './problems.ts';

// Every YAML file Parley reads (agent.yaml, test scenarios) reports problems the same way:
// `file:line:column field.path: message`, pinned to the value (or key) the problem is about.

/** A line and column, both 1-based. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed YAML file that can say where any field path sits in the source. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  /** YAML syntax errors; when there are any, `doc.toJS()` is not to be trusted. */
  readonly syntaxProblems: AgentProblem[];
  /** Where the field at `path` is (its value, or with `atKey` its key; else the deepest existing ancestor). */
  at(path: (string | number)[], atKey?: boolean): Position;
  /** A problem pinned to the field at `path` (to its key with `atKey`). */
  problem(path: (string | number)[], message: string, atKey?: boolean): AgentProblem;
  /** Zod issues as problems, each pinned to its field (unknown keys to the key itself, with the closest known key when given). */
  issues(issues: readonly z.core.$ZodIssue[], knownKeys?: (path: (string | number)[]) => string[]): AgentProblem[];
}

/** Parses YAML text keeping positions, so later problems can point at the right line and column. */
export function parseYamlSource(source: string, file: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const at = (path: (string | number)[], atKey = false) => pos(locate(doc, path, atKey));
  return {
    file,
    doc,
    syntaxProblems: doc.errors.map((e) => ({ file, ...pos(e.pos[0]), field: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    at,
    problem: (path, message, atKey) => ({ file, ...at(path, atKey), field: path.join('.'), message }),
    issues: (issues, knownKeys) => issues.flatMap((issue) => issueProblems(issue, doc, file, (o) => pos(o), knownKeys)),
  };
}

/** One zod issue as problems at their places in the document. */
export function issueProblems(issue: z.core.$ZodIssue, doc: Document, file: string, at: (offset: number) => Position, knownKeys?: (path: (string | number)[]) => string[]): AgentProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys?.(path) ?? [];
    return issue.keys.map((key) => ({ file, ...at(locate(doc, [...path, key], true)), field: [...path, key].join('.'), message: `unknown field "${key}"${didYouMeanHint(key, known)}` }));
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'required field is missing';
  // a custom issue about a key (an unknown JSON Schema keyword) points at the key, not its value
  const atKey = issue.code === 'custom' && (issue.params as { atKey?: boolean } | undefined)?.atKey === true;
  return [{ file, ...at(locate(doc, path, atKey)), field: path.join('.'), message }];
}

/** Offset of the node at `path`, or of the deepest existing key on the way to it. */
export function locate(doc: Document, path: (string | number)[], atKey = false): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      // Point at the value when there is one, so "must be a URL" lands on the URL.
      const last = seg === path[path.length - 1];
      if (!(atKey && last) && node && (node as Node).range && (isScalar(node) || last)) offset = (node as Node).range![0];
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else return offset;
  }
  return offset;
}
