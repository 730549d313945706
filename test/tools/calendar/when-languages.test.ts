// A caller's time words in the agent's language (persona.language), read by the same resolver as
// English: Polish first (accounting LOG entry 9), then German, French, Spanish, Italian,
// Portuguese and Dutch; English words are always understood too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { resolveWhen, type WhenRange } from '../../../src/tools/calendar/when.ts';

const WARSAW = 'Europe/Warsaw';
/** Monday 2026-12-21, 10:00 in Warsaw. */
const NOW = Temporal.Instant.from('2026-12-21T09:00:00Z');

function resolve(phrase: string, language: string): WhenRange {
  const r = resolveWhen(phrase, { now: NOW, timeZone: WARSAW, language });
  if ('error' in r) assert.fail(`${language} "${phrase}" → ${r.error}`);
  return r;
}
/** What was understood, without the zone: "Wednesday 2026-12-23 08:00–12:00". */
const understood = (phrase: string, language: string): string => resolve(phrase, language).description.replace(/ Europe\/Warsaw.*$/, '');

const CASES: Record<string, [string, string][]> = {
  'pl-PL': [
    ['w środę rano', 'Wednesday 2026-12-23 08:00–12:00'],
    ['jutro o 15', 'Tuesday 2026-12-22 15:00'],
    ['w czwartek po południu', 'Thursday 2026-12-24 12:00–17:00'],
    ['w przyszły poniedziałek', 'Monday 2026-12-28 00:00–24:00'],
    ['pojutrze o dziesiątej', 'Wednesday 2026-12-23 10:00'],
    ['jutro o 15:30', 'Tuesday 2026-12-22 15:30'],
    ['Środa, o dziewiątej', 'Wednesday 2026-12-23 09:00'],
    ['w czwartek wieczorem', 'Thursday 2026-12-24 17:00–21:00'],
    ['w piątek wpół do dziesiątej', 'Friday 2026-12-25 09:30'],
    ['w środę między 10 a 12', 'Wednesday 2026-12-23 10:00–12:00'],
    ['w czwartek od 10 do 12', 'Thursday 2026-12-24 10:00–12:00'],
    ['we wtorek po 14', 'Tuesday 2026-12-22 14:00–24:00'],
    ['dziś wieczorem', 'Monday 2026-12-21 17:00–21:00'],
    ['w przyszłym tygodniu', 'Monday 2026-12-28 00:00 to Monday 2027-01-04 00:00'],
    ['Wednesday at 9', 'Wednesday 2026-12-23 09:00'],
  ],
  de: [
    ['am Mittwoch um 10', 'Wednesday 2026-12-23 10:00'],
    ['morgen Nachmittag', 'Tuesday 2026-12-22 12:00–17:00'],
    ['morgen früh', 'Tuesday 2026-12-22 08:00–12:00'],
    ['Mittwochvormittag', 'Wednesday 2026-12-23 08:00–12:00'],
    ['nächsten Dienstag um 14 Uhr', 'Tuesday 2026-12-29 14:00'],
    ['Donnerstag um halb drei', 'Thursday 2026-12-24 14:30'],
    ['übermorgen um 9', 'Wednesday 2026-12-23 09:00'],
    ['tomorrow at 10 am', 'Tuesday 2026-12-22 10:00'],
  ],
  fr: [
    ['mercredi matin', 'Wednesday 2026-12-23 08:00–12:00'],
    ['demain à 15h', 'Tuesday 2026-12-22 15:00'],
    ['mardi prochain à 10h30', 'Tuesday 2026-12-29 10:30'],
    ["jeudi après-midi", 'Thursday 2026-12-24 12:00–17:00'],
    ['demain entre 14h et 16h', 'Tuesday 2026-12-22 14:00–16:00'],
    ['après-demain à dix heures', 'Wednesday 2026-12-23 10:00'],
  ],
  es: [
    ['el miércoles por la mañana', 'Wednesday 2026-12-23 08:00–12:00'],
    ['mañana a las 3', 'Tuesday 2026-12-22 15:00'],
    ['el martes que viene a las diez', 'Tuesday 2026-12-29 10:00'],
    ['el jueves por la tarde', 'Thursday 2026-12-24 12:00–17:00'],
    ['pasado mañana a las 11 y media', 'Wednesday 2026-12-23 11:30'],
  ],
  it: [
    ['mercoledì mattina', 'Wednesday 2026-12-23 08:00–12:00'],
    ['domani alle 15', 'Tuesday 2026-12-22 15:00'],
    ['giovedì pomeriggio', 'Thursday 2026-12-24 12:00–17:00'],
    ['lunedì prossimo alle dieci', 'Monday 2026-12-28 10:00'],
    ['oggi sera', 'Monday 2026-12-21 17:00–21:00'],
  ],
  'pt-BR': [
    ['quarta de manhã', 'Wednesday 2026-12-23 08:00–12:00'],
    ['amanhã às 15h', 'Tuesday 2026-12-22 15:00'],
    ['quinta-feira à tarde', 'Thursday 2026-12-24 12:00–17:00'],
    ['segunda que vem às 10', 'Monday 2026-12-28 10:00'],
    ['hoje à noite', 'Monday 2026-12-21 17:00–21:00'],
  ],
  nl: [
    ['woensdagochtend', 'Wednesday 2026-12-23 08:00–12:00'],
    ['morgen om 10 uur', 'Tuesday 2026-12-22 10:00'],
    ["donderdag 's middags", 'Thursday 2026-12-24 12:00–17:00'],
    ['volgende maandag om half drie', 'Monday 2026-12-28 14:30'],
    ['vanavond', 'Monday 2026-12-21 17:00–21:00'],
  ],
};

describe('time words in the agent’s language', () => {
  for (const [language, cases] of Object.entries(CASES)) {
    it(`${language}: ${cases.map(([p]) => `"${p}"`).join(', ')}`, () => {
      for (const [phrase, want] of cases) assert.equal(understood(phrase, language), want, `${language} "${phrase}"`);
    });
  }

  it('Polish weekdays in every form a caller uses them', () => {
    const forms: [string, string][] = [
      ['poniedziałek poniedziałku', 'Monday 2026-12-21'],
      ['wtorek wtorku', 'Tuesday 2026-12-22'],
      ['środa środę środy środzie', 'Wednesday 2026-12-23'],
      ['czwartek czwartku', 'Thursday 2026-12-24'],
      ['piątek piątku', 'Friday 2026-12-25'],
      ['sobota sobotę soboty sobocie', 'Saturday 2026-12-26'],
      ['niedziela niedzielę niedzieli', 'Sunday 2026-12-27'],
    ];
    for (const [words, day] of forms) for (const w of words.split(' ')) assert.equal(understood(`${w} wieczorem`, 'pl').slice(0, day.length), day, w);
  });

  it('dates with month names, as callers say them (accounting LOG entry 4)', () => {
    const dates: [string, string, string][] = [
      ['pl', 'A w piątek ósmego stycznia?', 'Friday 2027-01-08 00:00–24:00'],
      ['pl', '8 stycznia', 'Friday 2027-01-08 00:00–24:00'],
      ['pl', '8. stycznia o 10', 'Friday 2027-01-08 10:00'],
      ['pl', 'dwudziestego ósmego lutego', 'Sunday 2027-02-28 00:00–24:00'],
      ['pl', 'styczeń 12', 'Tuesday 2027-01-12 00:00–24:00'],
      ['pl', 'ósmego o dziesiątej', 'Friday 2027-01-08 10:00'],
      ['de', 'am 8. Januar um 10 Uhr', 'Friday 2027-01-08 10:00'],
      ['de', '8. März', 'Monday 2027-03-08 00:00–24:00'],
      ['fr', 'le 8 janvier à 15h', 'Friday 2027-01-08 15:00'],
      ['fr', 'le premier février', 'Monday 2027-02-01 00:00–24:00'],
      ['es', 'el 8 de enero a las 3', 'Friday 2027-01-08 15:00'],
      ['es', 'el primero de marzo', 'Monday 2027-03-01 00:00–24:00'],
      ['it', "l'8 gennaio alle 15", 'Friday 2027-01-08 15:00'],
      ['it', 'il primo febbraio', 'Monday 2027-02-01 00:00–24:00'],
      ['pt', 'dia 8 de janeiro às 15h', 'Friday 2027-01-08 15:00'],
      ['pt', '1º de março', 'Monday 2027-03-01 00:00–24:00'],
      ['nl', 'op 8 januari om 10 uur', 'Friday 2027-01-08 10:00'],
      ['nl', '8 mei', 'Saturday 2027-05-08 00:00–24:00'],
    ];
    for (const [language, phrase, want] of dates) assert.equal(understood(phrase, language), want, `${language} "${phrase}"`);
  });

  it('Polish months in nominative and genitive', () => {
    const names = 'styczeń stycznia|luty lutego|marzec marca|kwiecień kwietnia|maj maja|czerwiec czerwca|lipiec lipca|sierpień sierpnia|wrzesień września|październik października|listopad listopada|grudzień grudnia'.split('|');
    names.forEach((pair, i) => {
      for (const name of pair.split(' ')) assert.match(understood(`15 ${name}`, 'pl'), new RegExp(`^\\w+ 202[67]-${String(i + 1).padStart(2, '0')}-15 `), name);
    });
  });

  it('reads another language’s words only for an agent in that language; English always', () => {
    assert.ok('error' in resolveWhen('w środę rano', { now: NOW, timeZone: WARSAW }), 'an English agent does not read Polish');
    assert.ok('error' in resolveWhen('w środę rano', { now: NOW, timeZone: WARSAW, language: 'de' }));
    assert.equal(understood('Thursday afternoon', 'es'), 'Thursday 2026-12-24 12:00–17:00');
    assert.equal(understood('11 am', 'de'), 'Monday 2026-12-21 11:00', 'the German "am" before a weekday is "on"; after a number it is English');
  });

  it('asks, in the usual way, about words it does not know', () => {
    const r = resolveWhen('w środę koło kolacji', { now: NOW, timeZone: WARSAW, language: 'pl' });
    assert.ok('error' in r);
    assert.match(r.error, /Could not understand "kolacji" in "w środę koło kolacji"/);
  });
});
