import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeQuestion } from '../../src/session/grounding.ts';
import { ASKING_NEGATIONS, ASKING_STATEMENTS } from '../../src/session/question-words.ts';
import type { KnownLanguage } from '../../src/util/language.ts';
import { ROOT } from '../helpers/cli.ts';

// docs/knowledge.md lists the statements that count as asking, per language; the list is the code's,
// both ways, so a phrase added to one and not the other fails (accounting LOG 5).

/** The lines of one `<!-- name:start -->` … `<!-- name:end -->` block, by language. */
function block(name: string): Map<string, string> {
  const text = readFileSync(join(ROOT, 'docs/knowledge.md'), 'utf8');
  const start = text.indexOf(`<!-- ${name}:start -->`);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  assert.ok(start > 0 && end > start, `docs/knowledge.md has the ${name} block`);
  return new Map([...text.slice(start, end).matchAll(/^- (\w+): (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

const quoted = (line: string) => [...line.matchAll(/`([^`]+)`/g)].map((p) => p[1]!);
const documented = (): Map<string, string[]> => new Map([...block('asking-statements')].map(([lang, line]) => [lang, quoted(line)]));
const listOf = (words: string) => words.split(/\s\|\s/).map((p) => p.trim()).filter(Boolean);
const inCode = (lang: KnownLanguage) => listOf(ASKING_STATEMENTS[lang]);

/** A negations line, "before `a`, `b` · after `c` · between `d` · only `e`", as its four lists (a missing one empty). */
function negationsOf(line: string): Record<'before' | 'between' | 'after' | 'only', string[]> {
  const lists = { before: [] as string[], between: [] as string[], after: [] as string[], only: [] as string[] };
  for (const part of line.split(' · ')) {
    const m = /^(before|between|after|only) (.*)$/.exec(part);
    assert.ok(m, `a negations part reads "before|after|between|only \`…\`": ${part}`);
    lists[m[1] as keyof typeof lists] = quoted(m[2]!);
  }
  return lists;
}

describe('the statements that ask, as docs/knowledge.md lists them', () => {
  it('lists exactly the phrases of every shipped language', () => {
    const docs = documented();
    assert.deepEqual([...docs.keys()].sort(), Object.keys(ASKING_STATEMENTS).sort());
    for (const lang of Object.keys(ASKING_STATEMENTS) as KnownLanguage[]) assert.deepEqual(docs.get(lang), inCode(lang), lang);
  });

  it('each listed phrase makes a statement a question in its language', () => {
    for (const [lang, phrases] of documented()) {
      for (const p of phrases) assert.ok(looksLikeQuestion(`ok ${p} the audit.`, lang as KnownLanguage), `${lang}: ${p}`);
    }
  });

  it('lists exactly the negations of every shipped language', () => {
    const docs = block('asking-negations');
    assert.deepEqual([...docs.keys()].sort(), Object.keys(ASKING_NEGATIONS).sort());
    for (const lang of Object.keys(ASKING_NEGATIONS) as KnownLanguage[]) {
      const { before, between, after, only } = ASKING_NEGATIONS[lang];
      assert.deepEqual(negationsOf(docs.get(lang)!), { before: listOf(before), between: listOf(between), after: listOf(after), only: listOf(only) }, lang);
    }
  });

  // After a name rather than a filler: a turn that starts "dont …" asks by how it starts ("don't you…"), whatever follows.
  it('each listed negation, before or after each phrase, makes the statement decline', () => {
    for (const [lang, line] of block('asking-negations')) {
      const { before, between, after } = negationsOf(line);
      for (const p of documented().get(lang)!) {
        for (const n of before) assert.ok(!looksLikeQuestion(`anna ${n} ${p} the audit.`, lang as KnownLanguage), `${lang}: ${n} ${p}`);
        for (const n of after) assert.ok(!looksLikeQuestion(`anna ${p} ${n} the audit.`, lang as KnownLanguage), `${lang}: ${p} ${n}`);
        if (between.length && before.length) assert.ok(!looksLikeQuestion(`anna ${before[0]} ${between.at(-1)} ${p} the audit.`, lang as KnownLanguage), `${lang}: ${before[0]} ${between.at(-1)} ${p}`);
        if (between.length && after.length) assert.ok(!looksLikeQuestion(`anna ${p} ${between.at(-1)} ${after[0]} the audit.`, lang as KnownLanguage), `${lang}: ${p} ${between.at(-1)} ${after[0]}`);
      }
    }
  });

  // "nicht nur", "pas seulement", "não só": a negation that says "not only" leaves the statement asking.
  it('each listed negation followed by an only word leaves the statement asking', () => {
    for (const [lang, line] of block('asking-negations')) {
      const { before, after, only } = negationsOf(line);
      assert.ok(only.length, `${lang} lists its only words`);
      for (const p of documented().get(lang)!) {
        for (const o of only) {
          for (const n of before) assert.ok(looksLikeQuestion(`anna ${n} ${o} ${p} the audit.`, lang as KnownLanguage), `${lang}: ${n} ${o} ${p}`);
          for (const n of after) assert.ok(looksLikeQuestion(`anna ${p} ${n} ${o} the audit.`, lang as KnownLanguage), `${lang}: ${p} ${n} ${o}`);
          if (before.length && after.length) assert.ok(looksLikeQuestion(`anna ${before[0]} ${p} ${after[0]} ${o} the audit.`, lang as KnownLanguage), `${lang}: ${before[0]} ${p} ${after[0]} ${o}`);
        }
      }
    }
  });
});
