import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ASKING_STATEMENTS, readCallerQuery, vocabulary } from '../../src/knowledge/index.ts';
import type { KnownLanguage } from '../../src/util/language.ts';

// What a turn asks about leaves out the words that only make it a question: the statements that
// ask (ASKING_STATEMENTS) and each language's question words. Otherwise "interested" or
// "interesuje" counts as a word the documents lack, in retrieval's coverage and in what
// `parley knowledge explain` lists as missing.

const asked = (text: string, language: KnownLanguage) => readCallerQuery(text, vocabulary([], language)).slots.map((s) => s.text);

describe('readCallerQuery: the words that make a turn a question ask about nothing', () => {
  for (const language of Object.keys(ASKING_STATEMENTS) as KnownLanguage[]) {
    it(`${language}: every statement that asks leaves only what it names`, () => {
      for (const phrase of ASKING_STATEMENTS[language].split(/\s\|\s/).map((p) => p.trim())) {
        assert.deepEqual(asked(`${phrase} photovoltaics`, language), ['photovoltaics'], phrase);
      }
    });
  }

  it('drops question words of every language, and keeps the verbs that documents use too', () => {
    const cases: [KnownLanguage, string, string[]][] = [
      ['pl', 'skąd bierzecie panele', ['bierzecie', 'panele']],
      ['pl', 'jakimi panelami pracujecie', ['panelami', 'pracujecie']],
      ['de', 'wieso braucht man eine wärmepumpe', ['wärmepumpe']],
      ['fr', 'quest ce que vous proposez en panneaux', ['panneaux']],
      ['es', 'cuáles paneles ofrecen', ['paneles']],
      ['it', 'che pannelli offrite', ['pannelli']],
      ['pt', 'quais painéis oferecem', ['painéis']],
      ['nl', 'welk paneel bieden jullie', ['paneel']],
      ['de', 'akzeptieren sie kartenzahlung', ['akzeptieren', 'kartenzahlung']],
    ];
    for (const [language, text, slots] of cases) assert.deepEqual(asked(text, language), slots, `${language}: ${text}`);
  });
});
