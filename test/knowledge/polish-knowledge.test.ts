import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UNKNOWN_ANSWERS } from '../../src/agent/language-defaults.ts';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { explainQuestion } from '../../src/cli/knowledge.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { Conversation } from '../../src/session/conversation.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI } from '../../src/testing/index.ts';
import { openTestStore } from '../helpers/store.ts';
import { folderWith } from './fixtures.ts';

// A Polish accounting office's agent (bench/coding-agent/runs/accounting/LOG.md, entries 2, 3,
// 4 and 13), as `parley knowledge explain` shows it: questions without a question mark are read
// as questions, booking talk is the agent's own task, inflected words meet their documents
// without synonyms, and advice questions are turned away with Polish lines.

const AGENT = [
  'name: rachunek',
  'persona: { prompt: Jesteś asystentem biura rachunkowego., firstMessage: Dzień dobry!, language: pl-PL }',
  'guardrails:',
  '  - topic: financial',
  '  - topic: legal',
  '  - topic: porady',
  '    words: [muszę zapłacić, opłaca się]',
  '',
].join('\n');

const DOCS = {
  'knowledge/cennik.md': '# Cennik\nProwadzenie pełnej księgowości kosztuje od 800 zł netto miesięcznie. Kadry i płace: 60 zł za pracownika.\n',
  'knowledge/platnosci.md': '# Płatności\nPłatności przyjmujemy przelewem na konto. Płatność kartą jest możliwa w biurze.\n',
  'knowledge/godziny.md': '# Godziny otwarcia\nBiuro jest czynne w poniedziałki, środy i czwartki od 9 do 15, w piątki od 9 do 12.\n',
  'knowledge/uslugi.md': '# Usługi\nOferujemy usługi księgowe: pełną księgowość, kadry i płace oraz jednorazowe zeznanie podatkowe.\n',
};

describe('parley knowledge explain: a Polish agent', () => {
  let store: Store;
  let agent: Agent;
  let folder: ReturnType<typeof folderWith>;
  const explain = (q: string) => explainQuestion(agent, store, q);

  before(async () => {
    folder = folderWith({ 'agent.yaml': AGENT, ...DOCS });
    agent = await loadAgent(folder.dir);
    store = await openTestStore();
    await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources: agent.config.knowledge.sources });
  });
  after(async () => {
    await store.close();
    folder.dispose();
  });

  it('reads Polish questions without a question mark as questions, and answers the covered ones', async () => {
    const card = await explain('czy przyjmujecie płatność kartą');
    assert.equal(card.verdict, 'answered', card.why);
    assert.match(card.decision.reason, /^covered/);
    assert.equal(card.hits[0]?.source, 'knowledge/platnosci.md');
    const greeted = await explain('dzień dobry czy przyjmujecie płatność kartą');
    assert.equal(greeted.verdict, 'answered', greeted.why);
    assert.equal(greeted.hits[0]?.source, 'knowledge/platnosci.md');
    const price = await explain('ile kosztuje prowadzenie księgowości');
    assert.equal(price.verdict, 'answered', price.why);
    assert.equal(price.hits[0]?.source, 'knowledge/cennik.md');
  });

  it('declines a Polish question the documents do not cover, with or without a question mark', async () => {
    for (const q of ['kto jest waszym prezesem', 'Kto jest waszym prezesem?', 'jak nazywa się wasz prezes']) {
      const x = await explain(q);
      assert.equal(x.verdict, 'declined', `${q}: ${x.why}`);
      assert.match(x.decision.reason, /prezes/);
    }
  });

  it('names what a statement that asks is about as missing, never its asking words ("interesuje mnie", "pytanie", "skąd")', async () => {
    for (const [q, missing] of [['Interesuje mnie audyt finansowy.', ['audyt', 'finansowy']], ['jestem zainteresowany audytem', ['audytem']], ['mam pytanie skąd bierzecie audytorów', ['bierzecie', 'audytorów']]] as const) {
      const x = await explain(q);
      assert.equal(x.verdict, 'declined', `${q}: ${x.why}`);
      assert.deepEqual(x.decision.unknown, missing, q);
      assert.equal(x.decision.reason, `not in the documents: ${missing.join(', ')}`);
    }
    const covered = await explain('interesuje mnie pełna księgowość');
    assert.equal(covered.verdict, 'answered', covered.why);
    assert.deepEqual(covered.decision.unknown, []);
  });

  it('lets booking talk through to the model as the agent’s own task', async () => {
    for (const q of ['Kiedy macie wolny termin?', 'kiedy macie wolny termin', 'A w czwartek?', 'chciałbym się umówić', 'czy jest wolne miejsce w środę', 'czy da się w piątek o dziesiątej']) {
      const x = await explain(q);
      assert.equal(x.verdict, 'answered', `${q}: ${x.why}`);
    }
    assert.equal((await explain('kiedy macie wolny termin')).decision.reason, "the agent's own task");
  });

  it('finds inflected forms without synonyms (czwartek / czwartki, płatności / płatność, usług / usługi)', async () => {
    const thursday = await explain('czy jesteście otwarci w czwartek');
    assert.equal(thursday.hits[0]?.source, 'knowledge/godziny.md');
    const payments = await explain('jakie formy płatności przyjmujecie');
    assert.equal(payments.hits[0]?.source, 'knowledge/platnosci.md');
    const price = await explain('jaka jest cena za kadry');
    assert.equal(price.hits[0]?.source, 'knowledge/cennik.md', 'cena finds the price list through the price concept');
    const services = await explain('jakich usług udzielacie');
    assert.equal(services.verdict, 'answered', services.why);
    assert.equal(services.hits[0]?.source, 'knowledge/uslugi.md');
  });

  it('turns tax and legal advice away with the Polish line, but not a price question', async () => {
    for (const [q, topic] of [
      ['czy muszę zapłacić vat od tej usługi', 'financial'],
      ['czy opłaca się założyć spółkę', 'financial'],
      ['czy mogę odliczyć samochód od podatku', 'financial'],
      ['co mi grozi za spóźnienie z deklaracją', 'legal'],
      ['jakie mam prawa', 'legal'],
    ] as const) {
      const x = await explain(q);
      assert.equal(x.verdict, 'guarded', `${q}: ${x.why}`);
      assert.equal(x.decision.guarded, topic, q);
    }
    assert.match((await explain('czy muszę zapłacić vat')).why, /Nie mogę udzielać porad podatkowych/);
    for (const q of ['ile kosztuje prowadzenie księgowości', 'czy mogę zapłacić kartą', 'ile trzeba zapłacić za kadry']) {
      assert.equal((await explain(q)).decision.guarded, null, q);
    }
  });

  it('matches an owner’s multi-word Polish phrase with diacritics', async () => {
    const x = await explain('muszę zapłacić vat');
    assert.equal(x.decision.guarded, 'porady', x.why);
    assert.match(x.why, /W tej sprawie nie mogę tutaj pomóc/);
  });

  it('in a conversation: declines in Polish, turns advice away in Polish, and lets booking reach the model', async () => {
    const fake = await startFakeOpenAI();
    try {
      const c = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })('fake-model')] });
      await c.start();
      const say = async (text: string) => {
        const asked = fake.requests.length;
        let heard = '';
        for await (const o of c.reply(text)) if (o.type === 'text') heard += o.text;
        return { heard, asked: fake.requests.length > asked };
      };
      assert.deepEqual(await say('kto jest waszym prezesem'), { heard: UNKNOWN_ANSWERS.pl, asked: false });
      const advice = await say('czy muszę zapłacić vat');
      assert.match(advice.heard, /^Nie mogę udzielać porad podatkowych/);
      assert.equal(advice.asked, false);
      assert.equal((await say('A w czwartek?')).asked, true, 'the model gets booking talk');
      await c.end('caller hung up');
    } finally {
      await fake.close();
    }
  });

  it('says the unknown answer in Polish unless the owner wrote one', async () => {
    assert.equal(agent.config.knowledge.unknownAnswer, UNKNOWN_ANSWERS.pl);
    const own = folderWith({ 'agent.yaml': `${AGENT}knowledge: { unknownAnswer: "Tego nie wiem." }\n` });
    try {
      assert.equal((await loadAgent(own.dir)).config.knowledge.unknownAnswer, 'Tego nie wiem.');
    } finally {
      own.dispose();
    }
  });
});
