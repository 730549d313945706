import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delayFor } from '../../src/session/voice/end-of-turn.ts';
import { englishVerdict, TextEndOfTurn } from '../../src/session/voice/text-end-of-turn.ts';

// The text detector's decisions: what the recogniser heard → wait longer, end sooner, or the ordinary delay.
const TABLE: Array<[string, 'done' | 'unfinished' | 'unsure']> = [
  // unfinished: trailing words, hesitations, half-given details
  ['I want to book a call and', 'unfinished'],
  ['so um', 'unfinished'],
  ['I was wondering because', 'unfinished'],
  ['we need it for the', 'unfinished'],
  ['my email is john dot', 'unfinished'],
  ['my email is john dot smith at', 'unfinished'],
  ['my e-mail address is jane', 'unfinished'],
  ['my number is four one five', 'unfinished'],
  ['my phone number is 415 555', 'unfinished'],
  ['the code is seven three nine one', 'unfinished'],
  ['let me think', 'unfinished'],
  ['hold on one second', 'unfinished'],
  ["I'd like to meet on the fifteenth of", 'unfinished'],
  ['uh', 'unfinished'],
  // done: questions, short answers, finished details and times
  ['yes', 'done'],
  ['No thanks.', 'done'],
  ['that works for me', 'done'],
  ['Tuesday at 3 works', 'done'],
  ['how much does the audit cost', 'done'],
  ['What are your opening hours?', 'done'],
  ['can I book a demo', 'done'],
  ['my email is john dot smith at gmail dot com', 'done'],
  ['my email is john.smith@gmail.com', 'done'],
  ['my number is four one five five five five one two three four', 'done'],
  ['next Tuesday in the morning', 'done'],
  ['sure', 'done'],
  // ordinary: a statement that may or may not go on
  ['I run a small bakery', 'unsure'],
  ['we have about twenty people on the team', 'unsure'],
  ['', 'unsure'],
];

describe('text end-of-turn detector', () => {
  for (const [text, want] of TABLE) {
    it(`"${text}" → ${want}`, () => assert.equal(englishVerdict(text), want));
  }

  it('has no opinion in a language it does not know, so the fixed delays apply', () => {
    const d = new TextEndOfTurn();
    assert.equal(d.probability({ text: 'ano, v úterý ve tři', language: 'cs-CZ' }), undefined);
    assert.equal(d.probability({ text: 'yes', language: 'en-GB' }), 0.9);
    assert.equal(d.probability({ text: 'and', language: 'EN' }), 0.1);
  });

  it("reads Parley's other languages by their words: a trailing conjunction waits, a short answer or a question ends", () => {
    const d = new TextEndOfTurn();
    const cases: [string, string, number][] = [
      ['pl-PL', 'chciałbym zapytać o księgowość i', 0.1],
      ['pl-PL', 'mam firmę w Krakowie ale', 0.1],
      ['pl-PL', 'no więc yyy', 0.1],
      ['pl-PL', 'Tak, zgadza się.', 0.9],
      ['pl-PL', 'nie wiem', 0.9],
      ['pl-PL', 'ile kosztuje prowadzenie księgowości', 0.9],
      ['pl-PL', 'prowadzę małą firmę budowlaną', 0.5],
      ['de-DE', 'ich hätte gern einen Termin und', 0.1],
      ['de-DE', 'ja genau', 0.9],
      ['de-DE', 'wie viel kostet das Audit', 0.9],
      ['fr-FR', 'je voudrais un rendez-vous parce que', 0.1],
      ['fr-FR', "d'accord", 0.9],
      ['es-ES', '¿cuánto cuesta la auditoría?', 0.9],
      ['es-ES', 'tengo una pregunta sobre la', 0.1],
      ['it-IT', 'va bene', 0.9],
      ['pt-BR', 'quero marcar uma reunião para', 0.1],
      ['nl-NL', 'ja precies', 0.9],
      ['nl-NL', 'ik wil een afspraak maken maar', 0.1],
    ];
    for (const [language, text, want] of cases) assert.equal(d.probability({ text, language }), want, `${language}: "${text}"`);
  });

  it('is deterministic: the same words give the same answer every time', () => {
    const d = new TextEndOfTurn();
    const once = TABLE.map(([t]) => d.probability({ text: t, language: 'en' }));
    for (let i = 0; i < 3; i++) assert.deepEqual(TABLE.map(([t]) => d.probability({ text: t, language: 'en' })), once);
  });

  it('survives hostile input: long, odd and unicode text', () => {
    const long = 'and '.repeat(50_000);
    assert.equal(englishVerdict(long), 'unfinished');
    assert.equal(englishVerdict('🙂🙂 ???'), 'unsure'); // no words at all
    assert.equal(englishVerdict('is it 🙂 free?'), 'done');
    assert.equal(englishVerdict('\u0000\u200b'), 'unsure');
  });

  it('maps probabilities to delays within the floor and the max', () => {
    const d = { quickEndpointingDelayMs: 150, minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000 };
    assert.equal(delayFor(0.9, d), 150);
    assert.equal(delayFor(0.5, d), 500);
    assert.equal(delayFor(0.1, d), 3000);
    assert.equal(delayFor(undefined, d, 777), 777);
    assert.equal(delayFor(Number.NaN, d), 500);
    // a floor above the min never makes a done turn wait longer than an ordinary one
    assert.equal(delayFor(0.9, { ...d, quickEndpointingDelayMs: 900 }), 500);
  });
});

describe('text end-of-turn detector: a verb waiting for what comes next', () => {
  for (const text of ['I think', 'the problem is that', 'our company is called', 'we use']) {
    it(`"${text}" → unfinished`, () => assert.equal(englishVerdict(text), 'unfinished'));
  }
  it('but a question ending in "think" is done', () => assert.equal(englishVerdict('what do you think'), 'done'));
});
