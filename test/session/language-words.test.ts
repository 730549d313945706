import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentFile, type GuardrailInput } from '../../src/agent/schema.ts';
import { languageWarnings } from '../../src/cli/agent-checks.ts';
import { stemOf } from '../../src/knowledge/index.ts';
import { isOwnTask, looksLikeQuestion } from '../../src/session/grounding.ts';
import { guardedTopicOf, guardedTopics } from '../../src/session/guardrails.ts';
import type { KnownLanguage } from '../../src/util/language.ts';

// Questions, own tasks, stems and advice in the languages Parley knows besides English, as a
// recogniser writes them (lower case, no punctuation).

describe('looksLikeQuestion and isOwnTask per language', () => {
  const questions: [KnownLanguage, string][] = [
    ['pl', 'czy przyjmujecie płatność kartą'],
    ['pl', 'no dobra a gdzie jest wasze biuro'],
    ['pl', 'jak długo trwa założenie firmy'],
    ['de', 'wie viel kostet die buchhaltung'],
    ['de', 'ähm gibt es parkplätze'],
    ['de', 'kann ich mit karte zahlen'],
    ['fr', 'est ce que vous acceptez la carte'],
    ['fr', 'combien coûte un bilan'],
    ['fr', 'euh quest ce que vous proposez'],
    ['es', 'cuánto cuesta la contabilidad'],
    ['es', 'hay aparcamiento'],
    ['es', 'puedo pagar con tarjeta'],
    ['it', 'quanto costa la contabilità'],
    ['pt', 'quanto custa a contabilidade'],
    ['nl', 'hoeveel kost de boekhouding'],
  ];
  for (const [lang, q] of questions) it(`${lang}: "${q}" is a question`, () => assert.ok(looksLikeQuestion(q, lang)));

  it('does not read statements as questions', () => {
    assert.ok(!looksLikeQuestion('dzień dobry', 'pl'));
    assert.ok(!looksLikeQuestion('dziękuję bardzo', 'pl'));
    assert.ok(!looksLikeQuestion('mein name ist anna', 'de'));
    assert.ok(!looksLikeQuestion('me llamo ana', 'es'));
  });

  it('reads a question mark (and Spanish ¿) in any language', () => {
    assert.ok(looksLikeQuestion('A w czwartek?', 'pl'));
    assert.ok(looksLikeQuestion('¿Y el jueves', 'es'));
  });

  it('keeps English as it was, and English words only for English agents', () => {
    assert.ok(looksLikeQuestion('um do you take cards'));
    assert.ok(!looksLikeQuestion('thanks that is all'));
    assert.ok(!looksLikeQuestion('do widzenia', 'pl'), 'Polish "do" is not English "do"');
  });

  const ownTasks: [KnownLanguage, string][] = [
    ['pl', 'kiedy macie wolny termin'],
    ['pl', 'a w czwartek'],
    ['pl', 'a może w czwartki'],
    ['pl', 'do czwartku'],
    ['pl', 'chciałbym się umówić'],
    ['pl', 'czy jest wolne miejsce w środę'],
    ['pl', 'pasuje mi w środzie'],
    ['pl', 'nazywam się jan kowalski'],
    ['pl', 'mój email to jan kropka kowalski'],
    ['de', 'haben sie am donnerstag einen termin frei'],
    ['de', 'geht es morgen um 10 uhr'],
    ['fr', 'vous avez un créneau jeudi'],
    ['fr', 'je voudrais prendre rendez vous'],
    ['es', 'hay citas el jueves'],
    ['es', 'quisiera reservar una llamada'],
    ['it', 'avete disponibilità giovedì'],
    ['pt', 'posso marcar uma reunião na quinta feira'],
    ['nl', 'kan ik donderdag een afspraak maken'],
  ];
  for (const [lang, q] of ownTasks) it(`${lang}: "${q}" is the agent's own task`, () => assert.ok(isOwnTask(q, lang)));

  it('does not take a question on the documents for an own task', () => {
    assert.ok(!isOwnTask('kto jest waszym prezesem', 'pl'));
    assert.ok(!isOwnTask('ile kosztuje prowadzenie księgowości', 'pl'));
    assert.ok(!isOwnTask('wie viel kostet die buchhaltung', 'de'));
    assert.ok(!isOwnTask('cuánto cuesta la contabilidad', 'es'));
  });
});

describe('asking for a person and naming a date are the agent’s own task (solar LOG 1, accounting LOG 3)', () => {
  const forAPerson: [KnownLanguage, string][] = [
    ['en', 'can i speak to someone from sales'],
    ['en', 'could i talk to a real person'],
    ['en', 'can i speak with the manager'],
    ['en', 'please put me through'],
    ['en', 'transfer me to support'],
    ['en', 'i want a representative'],
    ['en', 'operator'],
    ['pl', 'czy mogę porozmawiać z kimś z działu sprzedaży'],
    ['pl', 'proszę mnie połączyć z konsultantem'],
    ['pl', 'chcę rozmawiać z człowiekiem'],
    ['pl', 'czy mogę porozmawiać z szefem'],
    ['de', 'kann ich mit jemandem sprechen'],
    ['de', 'verbinden sie mich bitte mit dem vertrieb'],
    ['de', 'kann ich mit dem chef reden'],
    ['fr', 'je voudrais parler à quelqu’un'],
    ['fr', 'vous pouvez me passer le responsable'],
    ['es', 'puedo hablar con alguien'],
    ['es', 'quiero hablar con una persona'],
    ['it', 'posso parlare con qualcuno'],
    ['pt', 'posso falar com alguém'],
    ['nl', 'kan ik met iemand spreken'],
    ['nl', 'kunt u mij doorverbinden'],
  ];
  for (const [lang, q] of forAPerson) it(`${lang}: "${q}" goes to the model`, () => assert.ok(isOwnTask(q, lang)));

  const dates: [KnownLanguage, string][] = [
    ['pl', 'A 24 grudnia?'],
    ['pl', 'a 3 lutego'],
    ['pl', 'może ósmego stycznia'],
    ['pl', 'czy coś w styczniu'],
    ['pl', 'a w maju'],
    ['pl', 'październik mi pasuje'],
    ['en', 'what about the 24th'],
    ['en', 'how about december 3'],
    ['en', 'is the 3rd of may free'],
    ['de', 'am 24. Dezember?'],
    ['de', 'geht es im märz'],
    ['fr', 'et le 24 décembre'],
    ['es', 'y el 3 de febrero'],
    ['it', 'e il 24 dicembre'],
    ['pt', 'e dia 24 de dezembro'],
    ['nl', 'en 24 december'],
  ];
  for (const [lang, q] of dates) it(`${lang}: "${q}" goes to the model`, () => assert.ok(isOwnTask(q, lang)));

  it('a real off-topic question is still not an own task', () => {
    assert.ok(!isOwnTask('kto jest waszym prezesem', 'pl'));
    assert.ok(!isOwnTask('which football club does your founder support'));
    assert.ok(!isOwnTask('may i ask who founded the company'), '"may" the verb is no month');
    assert.ok(!isOwnTask('what is on the 3rd floor'));
    assert.ok(!isOwnTask('does your founder talk about football'));
    assert.ok(!isOwnTask('wer ist ihr geschäftsführer', 'de'));
    assert.ok(!isOwnTask('quién es el fundador', 'es'));
    assert.ok(!isOwnTask('czy robicie połączenie spółek', 'pl'), 'a merger is no transfer');
  });
});

describe('light stemmers', () => {
  const same = (lang: KnownLanguage, words: string) => {
    const stems = new Set(words.split(' ').map((w) => stemOf(w, lang)));
    assert.equal(stems.size, 1, `${lang}: ${words} → ${[...stems].join(', ')}`);
  };
  it('Polish: cases and numbers meet', () => {
    same('pl', 'czwartek czwartki czwartku czwartkiem');
    same('pl', 'płatność płatności płatnością');
    same('pl', 'usługa usługi usług usługami usługę');
    same('pl', 'środa środę środy środzie');
    same('pl', 'sobota soboty sobocie');
    same('pl', 'termin terminy terminu terminie');
    same('pl', 'przyjmujecie przyjmujemy przyjmować');
    same('pl', 'podatek podatku podatki podatkiem');
    same('pl', 'ryczałt ryczałtu ryczałcie ryczałtem');
    same('pl', 'karta karty karcie');
    same('pl', 'klient klienta kliencie');
  });
  it('German, Spanish, French, Italian, Portuguese, Dutch: plurals and cases meet', () => {
    same('de', 'termin termine terminen');
    same('de', 'zahlung zahlungen');
    same('de', 'donnerstag donnerstags');
    same('es', 'pago pagos');
    same('es', 'tarjeta tarjetas');
    same('fr', 'paiement paiements');
    same('fr', 'carte cartes');
    same('it', 'fattura fatture');
    same('pt', 'fatura faturas');
    same('nl', 'afspraak afspraken');
    same('nl', 'prijs prijzen');
  });
  it('English keeps Porter', () => {
    assert.equal(stemOf('pricing'), 'price');
    assert.equal(stemOf('pricing', 'en'), 'price');
  });
});

describe('guarded topics per language', () => {
  const topicOf = (lang: KnownLanguage, text: string, config: GuardrailInput[] = [{ topic: 'financial' }, { topic: 'legal' }, { topic: 'medical' }]) =>
    guardedTopicOf(text, guardedTopics(config, lang))?.topic;

  it('an owner’s multi-word phrase with diacritics matches, in any agent language (LOG entry 4)', () => {
    const own = [{ topic: 'porady', words: ['muszę zapłacić', 'opłaca się'] }];
    for (const lang of ['en', 'pl'] as const) {
      assert.equal(topicOf(lang, 'muszę zapłacić vat', own), 'porady', lang);
      assert.equal(topicOf(lang, 'czy opłaca się założyć spółkę', own), 'porady', lang);
    }
    assert.equal(topicOf('pl', 'czy opłacało się to', own), 'porady', 'an inflected phrase, stemmed');
    assert.equal(topicOf('en', 'how do i pay less', [{ topic: 'x', words: ['pay less'] }]), 'x');
  });

  it('Polish advice is caught by financial and legal; a price question is not', () => {
    assert.equal(topicOf('pl', 'czy muszę zapłacić vat'), 'financial');
    assert.equal(topicOf('pl', 'czy opłaca się założyć spółkę'), 'financial');
    assert.equal(topicOf('pl', 'czy mogę odliczyć samochód od podatku'), 'financial');
    assert.equal(topicOf('pl', 'czy powinienem przejść na ryczałt'), 'financial');
    assert.equal(topicOf('pl', 'co mi grozi'), 'legal');
    assert.equal(topicOf('pl', 'jakie mam prawa'), 'legal');
    assert.equal(topicOf('pl', 'ile kosztuje prowadzenie księgowości'), undefined);
    assert.equal(topicOf('pl', 'czy mogę się umówić w sprawie spółki'), undefined);
  });

  it('Polish tax advice without a modal verb is caught; prices and payments are not (accounting LOG entry 6)', () => {
    for (const q of ['czy mam płacić vat od usług z zagranicy', 'jaki podatek wybrać liniowy czy skala', 'czy mogę wrzucić laptopa w koszty', 'jak zapłacić mniej podatku w tym roku', 'ryczałt czy liniówka', 'czy laptopa można zaliczyć do kosztów']) {
      assert.equal(topicOf('pl', q), 'financial', q);
    }
    for (const q of ['ile kosztuje prowadzenie księgowości', 'czy mogę zapłacić kartą', 'jakie są koszty prowadzenia księgowości', 'ile kosztuje zeznanie podatkowe', 'czy dojazd jest wliczony w koszty', 'jak zapłacić za fakturę', 'czy mam przynieść dokumenty']) {
      assert.equal(topicOf('pl', q), undefined, q);
    }
  });

  it('an owner’s word and a built-in word meet their inflected forms through the agent’s stemmer (run-4 accounting LOG entry 2)', () => {
    const own: GuardrailInput[] = [{ topic: 'formy opodatkowania', words: ['ryczałt', 'podatek'] }];
    for (const q of ['czy mogę rozliczać się na ryczałcie', 'ile wynosi stawka ryczałtu', 'co z podatkiem', 'ile to podatku']) assert.equal(topicOf('pl', q, own), 'formy opodatkowania', q);
    assert.equal(topicOf('pl', 'czy prowadzicie firmy na ryczałcie', own), 'formy opodatkowania', 'an own topic without asking: advice matches every mention');
    // The built-in words: "ryczałcie" and "podatku" are inflections of its "ryczałt" and "podatek".
    assert.equal(topicOf('pl', 'czy na ryczałcie opłaca mi się zatrudnić pracownika'), 'financial');
    assert.equal(topicOf('pl', 'czy na ryczałcie powinienem doliczać vat'), 'financial');
    assert.equal(topicOf('pl', 'czy prowadzicie firmy na ryczałcie'), undefined, 'a built-in topic still needs a way of asking for advice');
  });

  it('the run-4 accounting questions are turned away with the built-in financial topic and owner words; price questions still go to the model', () => {
    const config: GuardrailInput[] = [{ topic: 'financial', words: ['ryczałt', 'podatek', 'jpk'] }];
    for (const q of ['Jak wypełnić PIT, żeby nie płacić tyle?', 'Jak wypełnić zeznanie podatkowe PIT, żeby nie płacić tyle?', 'Czy pełna księgowość jest lepsza niż ryczałt?', 'Czy pełna księgowość jest dla mnie lepsza niż ryczałt?', 'Czy opłaca mi się przejść na ryczałt?', 'Czy to się opłaca na ryczałcie?', 'Czy mam przejść na ryczałt?', 'Który podatek jest dla mnie korzystniejszy?']) {
      assert.equal(topicOf('pl', q, config), 'financial', q);
    }
    for (const q of ['Ile kosztuje jednorazowe zeznanie podatkowe?', 'Czy rozliczacie firmy na ryczałcie?', 'Do kiedy trzeba złożyć PIT?', 'Ile kosztuje księgowość na ryczałcie?', 'Czy mogę zapłacić kartą za zeznanie podatkowe?', 'Czy jest lepsza godzina niż dziesiąta?']) {
      assert.equal(topicOf('pl', q, config), undefined, q);
    }
  });

  it('"so that I pay less", "is X better than Y", "should I", "does it pay off" ask for advice in every shipped language', () => {
    const asked: [KnownLanguage, string][] = [
      ['en', 'How do I fill in my tax return so that I pay less?'],
      ['en', 'Is a limited company better than sole trader for tax?'],
      ['en', 'Should I invest in shares?'],
      ['en', 'Does it pay off to put my savings in a pension?'],
      ['pl', 'Czy warto inwestować w obligacje?'],
      ['de', 'Wie fülle ich die Steuererklärung aus, damit ich weniger zahle?'],
      ['de', 'Ist eine GmbH besser als ein Einzelunternehmen bei den Steuern?'],
      ['de', 'Sollte ich in Aktien investieren?'],
      ['de', 'Rentiert sich die Investition für die Steuer?'],
      ['fr', 'Comment remplir ma déclaration pour payer moins d’impôts ?'],
      ['fr', 'La société est-elle plus avantageuse que la micro pour les impôts ?'],
      ['fr', 'Est-ce que je devrais investir en bourse ?'],
      ['fr', 'Ça vaut le coup d’investir en bourse ?'],
      ['es', '¿Cómo hago la declaración para pagar menos impuestos?'],
      ['es', '¿Es mejor una sociedad que ser autónomo por los impuestos?'],
      ['es', '¿Debería invertir en acciones?'],
      ['es', '¿Merece la pena invertir en bolsa?'],
      ['it', 'Come compilo la dichiarazione per pagare meno tasse?'],
      ['it', 'È meglio una società o la partita iva per le tasse?'],
      ['it', 'Dovrei investire in azioni?'],
      ['it', 'Ne vale la pena investire in borsa?'],
      ['pt', 'Como preencho o IRS para pagar menos impostos?'],
      ['pt', 'É melhor abrir empresa do que pagar impostos como independente?'],
      ['pt', 'Devo investir em ações?'],
      ['pt', 'Vale a pena investir na bolsa?'],
      ['nl', 'Hoe vul ik de aangifte in zodat ik minder belasting betaal?'],
      ['nl', 'Is een bv beter dan een eenmanszaak voor de belasting?'],
      ['nl', 'Moet ik in aandelen beleggen?'],
      ['nl', 'Loont het om te beleggen in aandelen?'],
    ];
    for (const [lang, q] of asked) assert.equal(topicOf(lang, q), 'financial', `${lang}: ${q}`);
    const facts: [KnownLanguage, string][] = [
      ['en', 'How much is a tax return?'],
      ['en', 'Do you do tax returns for sole traders?'],
      ['de', 'Was kostet eine Steuererklärung?'],
      ['de', 'Machen Sie auch Steuererklärungen für Freiberufler?'],
      ['fr', 'Combien coûte une déclaration d’impôts ?'],
      ['es', '¿Cuánto cuesta la declaración de impuestos?'],
      ['it', 'Quanto costa la dichiarazione delle tasse?'],
      ['pt', 'Quanto custa a declaração de impostos?'],
      ['nl', 'Wat kost een belastingaangifte?'],
    ];
    for (const [lang, q] of facts) assert.equal(topicOf(lang, q), undefined, `${lang}: ${q}`);
  });

  it('paying less tax and expensing a purchase are caught in the other languages', () => {
    const asked: [KnownLanguage, string][] = [
      ['de', 'wie kann ich weniger steuern zahlen'],
      ['de', 'kann ich den laptop als betriebsausgabe absetzen'],
      ['fr', 'comment payer moins dimpôts'],
      ['fr', 'je peux passer mon ordinateur en frais'],
      ['es', 'cómo pagar menos impuestos'],
      ['es', 'puedo meter el portátil como gasto'],
      ['it', 'come pagare meno tasse'],
      ['pt', 'como pagar menos impostos'],
      ['nl', 'hoe kan ik minder belasting betalen'],
    ];
    for (const [lang, q] of asked) assert.equal(topicOf(lang, q), 'financial', `${lang}: ${q}`);
    assert.equal(topicOf('de', 'kann ich mit karte zahlen'), undefined);
    assert.equal(topicOf('es', 'puedo pagar con tarjeta'), undefined);
  });

  it('German, Spanish, French advice is caught; price questions are not', () => {
    assert.equal(topicOf('de', 'muss ich mehrwertsteuer zahlen'), 'financial');
    assert.equal(topicOf('de', 'soll ich eine gmbh gründen'), 'financial');
    assert.equal(topicOf('de', 'was droht mir'), 'legal');
    assert.equal(topicOf('de', 'was kostet die buchhaltung'), undefined);
    assert.equal(topicOf('es', 'tengo que pagar iva'), 'financial');
    assert.equal(topicOf('es', 'cuáles son mis derechos'), 'legal');
    assert.equal(topicOf('es', 'cuánto cuesta la contabilidad'), undefined);
    assert.equal(topicOf('fr', 'est ce que je dois payer la tva'), 'financial');
    assert.equal(topicOf('fr', 'quels sont mes droits'), 'legal');
    assert.equal(topicOf('fr', 'combien coûte la comptabilité'), undefined);
  });

  it('English advice still counts for a non-English agent', () => {
    assert.equal(topicOf('pl', 'should i pay tax on this'), 'financial');
  });

  it('says the built-in and own topics’ lines in the agent’s language, unless the owner set one', () => {
    const [fin, own, set] = guardedTopics([{ topic: 'financial' }, { topic: 'porady', words: ['vat'] }, { topic: 'legal', say: 'Mój tekst.' }], 'pl');
    assert.match(fin!.say, /^Nie mogę udzielać porad podatkowych/);
    assert.match(own!.say, /^W tej sprawie nie mogę tutaj pomóc/);
    assert.equal(set!.say, 'Mój tekst.');
    assert.match(guardedTopics([{ topic: 'medical' }], 'de')[0]!.say, /keine medizinische Beratung/);
    assert.match(guardedTopics([{ topic: 'medical' }], 'en')[0]!.say, /^I'm not able to give medical advice/);
  });
});

describe('parley check on persona.language', () => {
  const config = (language: string) => AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'hi', language }, listen: { stt: 'deepgram:nova-3' } });
  it('warns when Parley has no words of its own for the language, not for a known one', () => {
    assert.match(languageWarnings(config('cs-CZ')).join('\n'), /^persona\.language: Parley has no words of its own for "cs-CZ"/m);
    assert.deepEqual(languageWarnings(config('pl-PL')), []);
    assert.deepEqual(languageWarnings(config('de')), []);
  });
});
