import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { looksLikeQuestion } from '../../src/session/grounding.ts';
import type { Store } from '../../src/store/store.ts';
import type { KnownLanguage } from '../../src/util/language.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { folderWith } from '../knowledge/fixtures.ts';
import { openTestStore } from '../helpers/store.ts';

// "I'm interested in X" asks for information, so a strict agent declines it in code when no
// document covers X, as docs/knowledge.md says ("Statements that ask"); another statement goes to
// the model (accounting LOG 5).

const agentFolder = (language: string, unknownAnswer: string, doc: string) =>
  folderWith({
    'agent.yaml': `name: office-${language.toLowerCase()}\npersona: { prompt: "Answer from the documents.", firstMessage: "Hello", language: ${language} }\nknowledge: { sources: [knowledge/], strict: true, unknownAnswer: "${unknownAnswer}" }\n`,
    'knowledge/services.md': doc,
  });

describe('statements that ask are declined in code when the documents do not cover them', () => {
  let store: Store;
  let fake: FakeOpenAI;
  const folders: ReturnType<typeof folderWith>[] = [];
  const agents: Record<'pl' | 'en', Agent> = {} as never;
  const model = () => createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })('fake-model');
  const say = async (agent: Agent, text: string) => {
    const c = new Conversation({ agent, store, models: [model()] });
    await c.start();
    const asked = fake.requests.length;
    let heard = '';
    for await (const o of c.reply(text) as AsyncIterable<AgentOutput>) if (o.type === 'text') heard += o.text;
    await c.end('caller hung up');
    return { heard, modelAsked: fake.requests.length > asked };
  };

  before(async () => {
    store = await openTestStore();
    fake = await startFakeOpenAI();
    const pl = agentFolder('pl-PL', 'Niestety nie mam tej informacji w naszych materiałach.', '# Usługi\nProwadzimy pełną księgowość, kadry i płace oraz rozliczenia PIT.\n');
    const en = agentFolder('en', 'I do not have that in our information.', '# Services\nWe offer full bookkeeping, payroll and tax returns for small businesses.\n');
    folders.push(pl, en);
    for (const [key, f] of [['pl', pl], ['en', en]] as const) {
      agents[key] = await loadAgent(f.dir);
      await ingestKnowledge(store, { agent: agents[key].name, dir: agents[key].dir, sources: agents[key].config.knowledge.sources });
    }
  });
  after(async () => {
    await fake.close();
    await store.close();
    for (const f of folders) f.dispose();
  });

  it('"Interesuje mnie audyt finansowy." and "I\'m interested in a financial audit." say the unknown-answer line; the model is not asked', async () => {
    for (const [key, text] of [['pl', 'Interesuje mnie audyt finansowy.'], ['en', "I'm interested in a financial audit."]] as const) {
      const { heard, modelAsked } = await say(agents[key], text);
      assert.equal(heard, agents[key].config.knowledge.unknownAnswer, text);
      assert.equal(modelAsked, false, `${text}: the model was not asked`);
    }
  });

  it('the same statement about a service the documents cover, and a statement that does not ask, go to the model', async () => {
    for (const [key, text] of [['pl', 'Interesuje mnie pełna księgowość.'], ['en', "I'm interested in payroll."], ['pl', 'Mam sklep internetowy i szukam biura.'], ['en', 'We run a small bakery.']] as const) {
      const { modelAsked } = await say(agents[key], text);
      assert.equal(modelAsked, true, text);
    }
  });

  it('a negated statement declines rather than asks: "I\'m not interested in a financial audit." goes to the model', async () => {
    for (const [key, text] of [['pl', 'Nie interesuje mnie audyt finansowy.'], ['en', "I'm not interested in a financial audit."]] as const) {
      const { modelAsked } = await say(agents[key], text);
      assert.equal(modelAsked, true, text);
    }
  });

  // Per language: the statement asks; negated (before or after, as the language says it) it declines;
  // a "no" that answers, before a comma, negates nothing.
  const readings: [KnownLanguage, asks: string[], declines: string[]][] = [
    ['en', ["I'm interested in solar panels", "we're interested in that", 'not solar but we are interested in batteries'], ["I'm not interested in solar panels", "we're not interested in that", "I'm not really interested in solar panels", "I'm no longer interested in a heat pump", "I don't want to know"]],
    ['pl', ['Interesuje mnie fotowoltaika.', 'Nie, interesuje mnie fotowoltaika.', 'Jestem zainteresowany pompą ciepła.'], ['Nie interesuje mnie fotowoltaika.', 'Nie jestem zainteresowany pompą ciepła.', 'Nie jesteśmy zainteresowani, dziękujemy.', 'nie chcę wiedzieć']],
    ['de', ['Ich interessiere mich für Solaranlagen.', 'Das interessiert mich sehr.'], ['Ich interessiere mich nicht für Solaranlagen.', 'Das interessiert mich gar nicht.', 'Das interessiert mich überhaupt nicht, danke.']],
    ['fr', ["Les panneaux solaires m'intéressent.", "Ça m'intéresse beaucoup."], ["Ça ne m'intéresse pas.", "Ça m'intéresse pas.", "Les panneaux solaires ne m'intéressent pas."]],
    ['es', ['Me interesan los paneles solares.', 'No, me interesa el precio de los paneles.', 'Estoy interesado en una bomba de calor.'], ['No me interesan los paneles solares.', 'No estoy interesado, gracias.', 'Ya no me interesa.']],
    ['it', ['Mi interessano i pannelli solari.', 'Sono interessato a una pompa di calore.'], ['Non mi interessano i pannelli solari.', 'Non sono interessato, grazie.']],
    ['pt', ['Tenho interesse em painéis solares.', 'Não, me interessa o preço dos painéis.', 'Estou interessado numa bomba de calor.'], ['Não tenho interesse em painéis solares.', 'Não estou interessado, obrigado.', 'Me interessa não.']],
    ['nl', ['Ik heb interesse in zonnepanelen.', 'Ik ben geïnteresseerd in een warmtepomp.'], ['Ik heb geen interesse in zonnepanelen.', 'Ik ben niet geïnteresseerd in een warmtepomp.', 'Ik ben niet echt geïnteresseerd in zonnepanelen.']],
  ];
  for (const [lang, asks, declines] of readings) {
    it(`${lang}: a statement that asks is a question; negated, it is not`, () => {
      for (const t of asks) assert.ok(looksLikeQuestion(t, lang), `asks: ${t}`);
      for (const t of declines) assert.ok(!looksLikeQuestion(t, lang), `declines: ${t}`);
    });
  }

  // "Not only X" asks about X and more; a negation without the "only", or with the "only" in another clause, still declines.
  const notOnly: [KnownLanguage, asks: string[], declines: string[]][] = [
    ['de', ['Mich interessiert nicht nur der Preis, sondern auch die Dauer.', 'Ich interessiere mich nicht nur für den Preis, sondern auch für die Dauer.', 'Das interessiert mich nicht bloß wegen des Preises.'], ['Mich interessiert das nicht.', 'Ich interessiere mich nicht für Solaranlagen.', 'Das interessiert mich nicht, nur der Preis.']],
    ['en', ["I'm not only interested in the price but also the duration.", "I'm not just interested in the price."], ["I'm not interested in the price.", "I'm not really interested in the price, just the duration."]],
    ['fr', ["Ça ne m'intéresse pas seulement pour le prix.", "Ça m'intéresse pas seulement pour le prix.", "Non seulement le prix m'intéresse, mais aussi la durée."], ["Ça ne m'intéresse pas, seulement le prix."]],
    ['pt', ['Me interessa não só o preço, mas também a duração.', 'Tenho interesse não apenas no preço.'], ['Me interessa não.']],
    ['es', ['No solo me interesa el precio, sino también la duración.', 'No sólo me interesa el precio.'], ['No me interesa el precio.']],
  ];
  for (const [lang, asks, declines] of notOnly) {
    it(`${lang}: "not only" does not negate a statement that asks`, () => {
      for (const t of asks) assert.ok(looksLikeQuestion(t, lang), `asks: ${t}`);
      for (const t of declines) assert.ok(!looksLikeQuestion(t, lang), `declines: ${t}`);
    });
  }

  it('"Mich interessiert nicht nur der Preis" with the price not in the documents says the unknown-answer line; "not only" too', async () => {
    const de = agentFolder('de-DE', 'Dazu habe ich leider keine Informationen.', '# Leistungen\nWir bieten Buchhaltung, Lohnabrechnung und Steuererklärungen an.\n');
    folders.push(de);
    const agent = await loadAgent(de.dir);
    await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources: agent.config.knowledge.sources });
    for (const [a, text] of [[agent, 'Mich interessiert nicht nur die Finanzprüfung, sondern auch die Dauer.'], [agents.en, "I'm not only interested in a financial audit."]] as const) {
      const { heard, modelAsked } = await say(a, text);
      assert.equal(heard, a.config.knowledge.unknownAnswer, text);
      assert.equal(modelAsked, false, `${text}: the model was not asked`);
    }
  });

  it('reads the statements as questions, and other statements not', () => {
    assert.ok(looksLikeQuestion('Interesuje mnie audyt finansowy.', 'pl'));
    assert.ok(looksLikeQuestion("I'm interested in a financial audit."));
    assert.ok(looksLikeQuestion('Proszę powiedzieć, czym się zajmujecie.', 'pl'), 'after a word that is also filler');
    assert.ok(!looksLikeQuestion('Mam sklep internetowy i szukam biura.', 'pl'));
    assert.ok(!looksLikeQuestion('We run a small bakery.'));
  });
});

describe('a yes or a no with a few words after it answers, in every language', () => {
  const cases: [KnownLanguage, string[], string[]][] = [
    ['fr', ["Oui, c'est ça.", "Oui, c'est exact.", 'Non, c’est bon.'], ["Oui, c'est combien le prix de l'audit ?", "Oui, c'est ouvert le samedi matin"]],
    ['pt', ['Sim, está certo.', 'Sim, é isso.', 'Não, está bem.'], ['Sim, está aberto no sábado de manhã', 'Sim, quanto custa?']],
    ['es', ['Sí, está bien.', 'Sí, es correcto.', 'No, está bien así.'], ['Sí, está abierto el sábado por la mañana']],
    ['pl', ['Tak, jest dobrze.', 'Nie, jest w porządku.'], ['Tak, jest możliwość płatności kartą w sobotę']],
    ['en', ['Yes, that is right.', 'Yeah, is fine.'], ['Yes, is it open on Saturday morning', 'Yes, how much is it?']],
  ];
  for (const [lang, answers, questions] of cases) {
    it(lang, () => {
      for (const t of answers) assert.ok(!looksLikeQuestion(t, lang), `answers: ${t}`);
      for (const t of questions) assert.ok(looksLikeQuestion(t, lang), `asks: ${t}`);
    });
  }
});
