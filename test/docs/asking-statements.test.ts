import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeQuestion } from '../../src/session/grounding.ts';
import { ASKING_STATEMENTS } from '../../src/session/question-words.ts';
import type { KnownLanguage } from '../../src/util/language.ts';
import { ROOT } from '../helpers/cli.ts';

// docs/knowledge.md lists the statements that count as asking, per language; the list is the code's,
// both ways, so a phrase added to one and not the other fails (accounting LOG 5).

function documented(): Map<string, string[]> {
  const text = readFileSync(join(ROOT, 'docs/knowledge.md'), 'utf8');
  const start = text.indexOf('<!-- asking-statements:start -->');
  const end = text.indexOf('<!-- asking-statements:end -->');
  assert.ok(start > 0 && end > start, 'docs/knowledge.md has the asking-statements block');
  const lists = new Map<string, string[]>();
  for (const m of text.slice(start, end).matchAll(/^- (\w+): (.*)$/gm)) lists.set(m[1]!, [...m[2]!.matchAll(/`([^`]+)`/g)].map((p) => p[1]!));
  return lists;
}

const inCode = (lang: KnownLanguage) => ASKING_STATEMENTS[lang].split(/\s\|\s/).map((p) => p.trim()).filter(Boolean);

describe('the statements that ask, as docs/knowledge.md lists them', () => {
  it('lists exactly the phrases of every shipped language', () => {
    const docs = documented();
    assert.deepEqual([...docs.keys()].sort(), Object.keys(ASKING_STATEMENTS).sort());
    for (const lang of Object.keys(ASKING_STATEMENTS) as KnownLanguage[]) assert.deepEqual(docs.get(lang), inCode(lang), lang);
  });

  it('each listed phrase makes a statement a question in its language', () => {
    for (const [lang, phrases] of documented()) {
      for (const p of phrases) assert.ok(looksLikeQuestion(`no ${p} the audit.`, lang as KnownLanguage), `${lang}: ${p}`);
    }
  });
});
