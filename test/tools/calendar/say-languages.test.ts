// Slot wordings in the agent's language (Intl, the agent's locale), and the two-clock read-back
// check accepting them: a Polish agent offers "środa, 23 grudnia, 9:00", not "Wednesday, December 23rd at 9 AM".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { AgentFile } from '../../../src/agent/schema.ts';
import type { Agent } from '../../../src/agent/load.ts';
import { sayTime } from '../../../src/tools/calendar/when.ts';
import type { CalendarProvider, Slot } from '../../../src/tools/calendar/types.ts';
import { saidOnBothClocks } from '../../../src/tools/time-readback.ts';
import { booker } from './tool-harness.ts';

const WARSAW = 'Europe/Warsaw';
/** Monday 2026-12-21, 10:00 in Warsaw. */
const now = Temporal.Instant.from('2026-12-21T09:00:00Z');
const WEDNESDAY_9 = '2026-12-23T08:00:00Z';
const TOMORROW_15 = '2026-12-22T14:00:00Z';

describe('sayTime in the agent’s language', () => {
  it('formats the day and clock with Intl in the agent’s locale', () => {
    const cases: [string, string][] = [
      ['pl-PL', 'środa, 23 grudnia, 9:00'],
      ['de', 'Mittwoch, 23. Dezember, 9:00'],
      ['fr', 'mercredi 23 décembre, 9:00'],
      ['es', 'miércoles, 23 de diciembre, 9:00'],
      ['it', 'mercoledì 23 dicembre, 9:00'],
      ['pt-BR', 'quarta-feira, 23 de dezembro, 9:00'],
      ['nl', 'woensdag 23 december, 9:00'],
    ];
    for (const [language, want] of cases) assert.equal(sayTime(WEDNESDAY_9, { timeZone: WARSAW, now, language }), want, language);
    assert.equal(sayTime(WEDNESDAY_9, { timeZone: WARSAW, now }), 'Wednesday, December 23rd at 9 AM', 'English stays as it was');
    assert.equal(sayTime(WEDNESDAY_9, { timeZone: WARSAW, now, language: 'en-GB' }), 'Wednesday, December 23rd at 9 AM');
  });

  it('says today and tomorrow as the language does, and the year when it is far off', () => {
    assert.equal(sayTime(TOMORROW_15, { timeZone: WARSAW, now, language: 'pl' }), 'jutro, 15:00');
    assert.equal(sayTime('2026-12-21T14:30:00Z', { timeZone: WARSAW, now, language: 'de' }), 'heute, 15:30');
    assert.equal(sayTime('2028-01-05T08:00:00Z', { timeZone: WARSAW, now, language: 'pl' }), 'środa, 5 stycznia 2028, 9:00');
  });

  it('puts the caller’s clock first when it differs, and the two-clock check accepts that wording', () => {
    const said = sayTime(TOMORROW_15, { timeZone: WARSAW, callerZone: 'America/New_York', now, language: 'pl' });
    assert.equal(said, 'jutro, 9:00 (u Pana/Pani), 15:00 (Warsaw)');
    const transcript = [
      { role: 'agent' as const, text: `Czyli ${said}, zgadza się?` },
      { role: 'caller' as const, text: 'Tak.' },
    ];
    assert.equal(saidOnBothClocks(transcript, TOMORROW_15, ['America/New_York', WARSAW]), true);
    assert.equal(saidOnBothClocks([{ role: 'agent', text: 'Czyli jutro, 15:00?' }, { role: 'caller', text: 'Tak.' }], TOMORROW_15, ['America/New_York', WARSAW]), false, 'one clock is not enough');
  });

  it('check_availability and book_call say the slots and the booking in Polish for a Polish agent', async () => {
    const slots: Slot[] = [{ start: WEDNESDAY_9, end: '2026-12-23T08:20:00Z' }];
    const calendar: CalendarProvider = {
      id: 'fake',
      availability: async () => slots,
      book: async (b: { start: string }) => ({ id: 'b1', start: b.start, end: '2026-12-23T08:20:00Z', status: 'confirmed' }),
    } as unknown as CalendarProvider;
    const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Dzień dobry', language: 'pl-PL' }, timeZone: WARSAW, calendar: { provider: 'builtin' } });
    const b = booker({ name: 'pl', config, collect: [] } as unknown as Agent, calendar, new Date(now.epochMilliseconds));
    const found = await b.check({ when: 'w środę rano' });
    assert.equal(found.slots[0].say, 'środa, 23 grudnia, 9:00');
    b.transcript.push({ role: 'agent', text: 'J-a-n, K-o-w-a-l-s-k-i; j-a-n małpa f-i-r-m-a kropka p-l?' }, { role: 'caller', text: 'Tak, zgadza się.' });
    const booked = await b.book({ start: WEDNESDAY_9, name: 'Jan Kowalski', email: 'jan@firma.pl' });
    assert.equal(booked.booked, true, JSON.stringify(booked));
    assert.equal(booked.say, 'środa, 23 grudnia, 9:00');
    assert.match(booked.note, /^Confirm aloud: środa, 23 grudnia, 9:00\./);
  });
});
