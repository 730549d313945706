import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGLISH_LINES, fillerFor, fixedLines } from '../../src/session/fixed-lines.ts';
import { withoutFiller } from '../../src/session/voice/lines.ts';
import { KNOWN_LANGUAGES } from '../../src/util/language.ts';

const persona = (language: string) => ({ persona: { language } as never });

describe('fixed lines: owner line > persona.language table > English', () => {
  it('every known language has every line, and its own words for the reprompt and the limits', () => {
    for (const language of KNOWN_LANGUAGES) {
      const lines = fixedLines(persona(language));
      for (const [name, text] of Object.entries(lines)) assert.ok(text.trim().length > 0, `${language}.${name}`);
      if (language !== 'en') for (const name of ['stillThere', 'wrapUp', 'timeUp', 'overBudget', 'costLimit'] as const) assert.notEqual(lines[name], ENGLISH_LINES[name], `${language}.${name}`);
    }
  });

  it('pl-PL speaks Polish; a region or case does not matter; an unknown language gets English', () => {
    assert.equal(fixedLines(persona('pl-PL')).stillThere, 'Halo, czy nadal mnie słychać?');
    assert.equal(fixedLines(persona('PL')).overBudget, 'Przepraszam, dziś nie mogę już dalej prowadzić tej rozmowy. Proszę spróbować jutro. Do widzenia!');
    assert.deepEqual(fixedLines(persona('ja-JP')), ENGLISH_LINES);
  });

  it("the owner's line wins over the table, the others stay in the language", () => {
    const lines = fixedLines({ ...persona('pl-PL'), lines: { timeUp: 'Niestety musimy kończyć. Do widzenia!' } });
    assert.equal(lines.timeUp, 'Niestety musimy kończyć. Do widzenia!');
    assert.equal(lines.wrapUp, fixedLines(persona('pl')).wrapUp);
  });

  it('fillers follow the language; transfer and press_keys get none', () => {
    const pl = fixedLines(persona('pl-PL'));
    assert.equal(fillerFor('check_availability', pl), 'Chwileczkę, sprawdzam kalendarz. ');
    assert.equal(fillerFor('lookup_order', pl), 'Chwileczkę. ');
    assert.equal(fillerFor('transfer', pl), '');
    assert.equal(fillerFor('press_keys', pl), '');
  });

  it('withoutFiller takes a Polish filler out of what the caller heard, whole or cut at its end', () => {
    const filler = fillerFor('book_call', fixedLines(persona('pl-PL')));
    assert.equal(withoutFiller(`Dobrze. ${filler}Zarezerwowałam wtorek o 10:00.`, filler), 'Dobrze. Zarezerwowałam wtorek o 10:00.');
    assert.equal(withoutFiller('Dobrze. Chwileczkę, już rezer', filler), 'Dobrze.');
    assert.equal(withoutFiller('Dobrze, już.', filler), 'Dobrze, już.');
  });
});
