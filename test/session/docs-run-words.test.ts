import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GuardrailInput } from '../../src/agent/schema.ts';
import { isOwnTask } from '../../src/session/grounding.ts';
import { guardedTopicOf, guardedTopics } from '../../src/session/guardrails.ts';
import type { KnownLanguage } from '../../src/util/language.ts';

// What the docs-only runs found (docs-run-out/solar and accounting LOG.md): asking for a person by
// role, comparisons with words between, and personal tax questions, in every shipped language.

describe('asking for a person by role is the agent’s own task (solar LOG 2)', () => {
  const forAPerson: [KnownLanguage, string][] = [
    ['en', 'Can I speak to a salesperson please?'],
    ['en', 'could I talk to a sales rep'],
    ['en', 'can I speak with a sales representative'],
    ['en', 'I want to speak to someone from accounts'],
    ['en', 'can I talk to a specialist'],
    ['en', 'can I speak to the technician'],
    ['en', 'can I talk to an engineer'],
    ['en', 'could I speak to one of your installers'],
    ['en', 'I would like to speak to a consultant'],
    ['en', 'can I talk to an advisor'],
    ['en', 'can I speak to an accountant'],
    ['en', 'can I talk to the doctor'],
    ['en', 'can I chat with a lawyer'],
    ['en', 'can I speak to the receptionist'],
    ['en', 'can I talk to a member of staff'],
    ['en', 'can I speak to a member of the team'],
    ['en', 'can I speak to a human being'],
    ['en', 'can I talk to your colleague'],
    ['en', 'can I speak to the person in charge'],
    ['en', 'can I get someone to call me'],
    ['en', 'can I have someone call me back'],
    ['en', 'is there someone I can talk to'],
    ['en', 'is there anyone I could speak to'],
    ['en', 'who can I speak to about this'],
    ['pl', 'czy mogę rozmawiać z handlowcem'],
    ['pl', 'chcę mówić z doradcą'],
    ['pl', 'proszę o kontakt z konsultantem'],
    ['pl', 'czy mogę mówić z księgową'],
    ['pl', 'chciałbym pomówić z właścicielką'],
    ['pl', 'czy mogę rozmawiać z kimś z biura'],
    ['pl', 'poproszę księgową'],
    ['pl', 'niech ktoś do mnie oddzwoni'],
    ['de', 'kann ich einen Berater sprechen'],
    ['de', 'könnte ich jemanden vom Vertrieb sprechen'],
    ['de', 'kann ich Ihren Steuerberater erreichen'],
    ['fr', 'puis-je parler à un commercial'],
    ['fr', 'je voudrais parler avec le comptable'],
    ['fr', 'est-ce que je peux parler à votre technicien'],
    ['es', '¿puedo hablar con un vendedor?'],
    ['es', 'quiero hablar con la contable'],
    ['es', '¿puede llamarme alguien?'],
    ['it', 'posso parlare con un commerciale'],
    ['it', 'vorrei parlare con il commercialista'],
    ['pt', 'posso falar com um vendedor'],
    ['pt', 'queria falar com o contabilista'],
    ['nl', 'kan ik een verkoper spreken'],
    ['nl', 'kan ik met de boekhouder praten'],
    ['nl', 'kan ik de eigenaar spreken'],
  ];
  for (const [lang, q] of forAPerson) it(`${lang}: "${q}" goes to the model`, () => assert.ok(isOwnTask(q, lang)));

  it('a question about a role, without asking to speak to one, is still a question on the documents', () => {
    const facts: [KnownLanguage, string][] = [
      ['en', 'what does a salesperson earn'],
      ['en', 'how many engineers do you have'],
      ['en', 'are your installers certified'],
      ['en', 'does your founder talk about football'],
      ['pl', 'ile zarabia handlowiec'],
      ['pl', 'czy wasi księgowi mają certyfikaty'],
      ['de', 'wie viele Berater haben Sie'],
      ['fr', 'combien gagne un commercial'],
      ['es', 'cuántos vendedores tienen'],
      ['nl', 'hoeveel verkopers hebben jullie'],
    ];
    for (const [lang, q] of facts) assert.ok(!isOwnTask(q, lang), `${lang}: ${q}`);
  });
});

describe('comparisons with words between and personal tax questions ask for advice (accounting LOG 4, solar LOG 3)', () => {
  const config: GuardrailInput[] = [{ topic: 'financial' }, { topic: 'legal' }, { topic: 'medical' }];
  const topicOf = (lang: KnownLanguage, text: string) => guardedTopicOf(text, guardedTopics(config, lang))?.topic;

  it('"is X better than Y" in natural word order, and "what is better: X or Y", in every shipped language', () => {
    const asked: [KnownLanguage, string][] = [
      ['pl', 'czy lepsza jest spółka z o.o. niż jednoosobowa działalność'],
      ['pl', 'czy dla mnie lepszy będzie podatek liniowy'],
      ['pl', 'co jest lepsze: spółka czy jednoosobowa działalność'],
      ['pl', 'co jest korzystniejsze, ryczałt czy skala podatkowa'],
      ['pl', 'która forma opodatkowania będzie dla mnie lepsza'],
      ['pl', 'który będzie lepszy podatek liniowy czy skala'],
      ['en', 'Is a limited company better for me than being a sole trader for tax?'],
      ['en', 'what is better for tax, a limited company or sole trader'],
      ['en', 'which structure would be better for my taxes'],
      ['de', 'Ist eine GmbH für mich besser als ein Einzelunternehmen?'],
      ['de', 'Was ist für mich besser, GmbH oder Einzelunternehmen?'],
      ['de', 'Welche Rechtsform ist steuerlich für mich besser, eine GmbH?'],
      ['fr', 'Est-ce que la société est mieux que la micro-entreprise pour les impôts ?'],
      ['fr', 'Est-ce que la société est mieux pour moi que la micro pour les impôts ?'],
      ['fr', 'Qu’est-ce qui est mieux pour les impôts, la société ou la micro ?'],
      ['es', '¿Qué es mejor, una sociedad o ser autónomo para los impuestos?'],
      ['es', '¿Es una sociedad mejor para mí que ser autónomo por los impuestos?'],
      ['es', '¿Cuál me conviene más para los impuestos, sociedad o autónomo?'],
      ['it', 'Cosa è meglio per le tasse, una società o la partita iva?'],
      ['it', 'Una società è per me migliore della partita iva per le tasse?'],
      ['pt', 'O que é melhor para os impostos, empresa ou independente?'],
      ['pt', 'Uma empresa é para mim melhor do que ser independente nos impostos?'],
      ['nl', 'Wat is beter voor de belasting, een bv of een eenmanszaak?'],
      ['nl', 'Is een bv voor mij beter dan een eenmanszaak voor de belasting?'],
    ];
    for (const [lang, q] of asked) assert.equal(topicOf(lang, q), 'financial', `${lang}: ${q}`);
  });

  it('"can I deduct", "do I qualify", "am I eligible", "can I claim / write off" ask for advice; the tax credit’s facts do not', () => {
    const asked: [KnownLanguage, string][] = [
      ['en', 'Can I deduct the panels on my taxes?'],
      ['en', 'Do I qualify for the tax credit?'],
      ['en', 'Am I eligible for the federal tax credit?'],
      ['en', 'Am I eligible for the federal credit?'],
      ['en', 'can I claim the battery on my taxes'],
      ['en', 'can I write off the panels against tax'],
      ['pl', 'czy kwalifikuję się do ulgi termomodernizacyjnej'],
      ['pl', 'czy przysługuje mi ulga'],
      ['de', 'kann ich die Anlage steuerlich absetzen'],
      ['fr', 'est-ce que je peux déduire les panneaux des impôts'],
      ['es', '¿puedo deducir los paneles de los impuestos?'],
      ['it', 'posso detrarre i pannelli dalle tasse'],
      ['pt', 'posso deduzir os painéis nos impostos'],
      ['nl', 'kan ik de panelen van de belasting aftrekken'],
      ['nl', 'kom ik in aanmerking voor minder belasting'],
    ];
    for (const [lang, q] of asked) assert.equal(topicOf(lang, q), 'financial', `${lang}: ${q}`);
  });

  it('facts, prices and payments still go on to retrieval and the model', () => {
    const facts: [KnownLanguage, string][] = [
      ['en', 'How much is the tax credit?'],
      ['en', 'What is the federal tax credit?'],
      ['en', 'Do you offer loans?'],
      ['en', 'can I pay by credit card'],
      ['en', 'do you qualify homeowners for loans'],
      ['en', 'Do you do tax returns for sole traders?'],
      ['pl', 'Ile kosztuje pełna księgowość?'],
      ['pl', 'ile kosztuje zeznanie podatkowe'],
      ['pl', 'Czy jest lepsza godzina niż dziesiąta?'],
      ['pl', 'czy rozliczacie spółki z o.o.'],
      ['pl', 'czy macie lepszą ofertę dla spółek'],
      ['de', 'Was kostet eine Steuererklärung?'],
      ['fr', 'Combien coûte une déclaration d’impôts ?'],
      ['es', '¿Cuánto cuesta la declaración de impuestos?'],
      ['nl', 'Wat kost een belastingaangifte?'],
    ];
    for (const [lang, q] of facts) assert.equal(topicOf(lang, q), undefined, `${lang}: ${q}`);
  });
});
