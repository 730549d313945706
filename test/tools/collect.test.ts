import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSpec } from '../../src/agent/collect.ts';
import { loadAgent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { parsePhone, sayPhoneDigits, spokenDigits } from '../../src/tools/collect/phone.ts';
import { readBackConfirmed } from '../../src/tools/collect/read-back.ts';
import { checkValue } from '../../src/tools/collect/values.ts';
import { zoneCountry } from '../../src/util/zone-countries.ts';

const NOW = { now: new Date('2026-12-02T12:00:00Z'), timeZone: 'Europe/London' }; // a Wednesday

describe('collect field defaults', () => {
  it('gives well-known names their type and read-back, so old agent files keep working', () => {
    assert.deepEqual(collectSpec('email', 'UTC'), { field: 'email', description: "the caller's email address", required: true, type: 'email', confirm: 'spell' });
    assert.equal(collectSpec('name', 'UTC').confirm, 'spell');
    assert.equal(collectSpec('company', 'UTC').type, 'company');
    assert.equal(collectSpec('problem', 'UTC').type, 'text');
    assert.equal(collectSpec('problem', 'UTC').confirm, 'none');
    const phone = collectSpec('phone', 'Europe/London');
    assert.equal(phone.type, 'phone');
    assert.equal(phone.confirm, 'digits');
    assert.equal(phone.country, 'GB', 'the country comes from the time zone');
    assert.equal(collectSpec('phone', 'UTC').country, undefined, 'UTC is no country');
    assert.equal(collectSpec({ field: 'mobile', required: true, country: 'PL' }, 'Europe/London').country, 'PL', 'country: wins over the zone');
    assert.equal(collectSpec({ field: 'when', required: true, type: 'date' }, 'UTC').confirm, 'repeat');
    assert.equal(collectSpec({ field: 'phone', required: true, confirm: 'none' }, 'UTC').confirm, 'none');
  });

  it('loadAgent points at a country the phone library does not know, and at options that repeat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-collect-load-'));
    try {
      writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\ncollect:\n  - { field: phone, country: XX }\n  - { field: visit, type: choice, options: [Video, video] }\n');
      await assert.rejects(loadAgent(dir), (e: Error) => /collect\.0\.country.*"XX" is not a country/s.test(e.message) && /collect\.1\.options.*each option must differ/s.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows the country of zones, including old names', () => {
    assert.equal(zoneCountry('America/Chicago'), 'US');
    assert.equal(zoneCountry('Europe/Warsaw'), 'PL');
    assert.equal(zoneCountry('Europe/Kiev'), 'UA');
    assert.equal(zoneCountry('Etc/UTC'), undefined);
  });

  it('the schema wants options for a choice and only for it, and country only on a phone', () => {
    const file = (collect: unknown) => AgentFile.safeParse({ persona: { prompt: 'p', firstMessage: 'hi' }, collect });
    assert.equal(file([{ field: 'visit', type: 'choice' }]).success, false);
    assert.equal(file([{ field: 'visit', type: 'text', options: ['a'] }]).success, false);
    assert.equal(file([{ field: 'visit', type: 'choice', options: ['in person', 'video'] }]).success, true);
    assert.equal(file([{ field: 'email', country: 'GB' }]).success, false);
    assert.equal(file([{ field: 'phone', country: 'GB', confirm: 'digits' }]).success, true);
    assert.equal(file([{ field: 'phone', confirm: 'shout' }]).success, false);
    assert.equal(file(['name', 'email', { field: 'problem', required: false }]).success, true);
  });
});

describe('phone numbers', () => {
  it('normalises what was said to E.164, a national number read in the business country', () => {
    assert.deepEqual(parsePhone('07911 123456', 'GB'), { value: '+447911123456' });
    assert.deepEqual(parsePhone('oh seven nine one one, one two three, four five six', 'GB'), { value: '+447911123456' });
    assert.deepEqual(parsePhone('seven nine double one, one two three four five six', 'GB'), { value: '+447911123456' }, 'the 0 may be left out');
    assert.deepEqual(parsePhone('+1 (415) 555-2671', 'GB'), { value: '+14155552671' }, 'a country code wins over the business country');
    assert.deepEqual(parsePhone('00 48 601 234 567', 'GB'), { value: '+48601234567' });
    assert.equal(spokenDigits('plus four four, triple seven'), '+44777');
  });

  it('says what is wrong, with the digit count, so the model can ask again', () => {
    const short = parsePhone('0791 123 45', 'GB');
    assert.ok('error' in short);
    assert.match(short.error, /has 9 digits/);
    assert.match(short.error, /ask the caller to say it again/);
    const long = parsePhone('07911 123456 789', 'GB');
    assert.ok('error' in long && /has 14 digits/.test(long.error));
    const none = parsePhone('my number', 'GB');
    assert.ok('error' in none && /no digits/.test(none.error));
    const noCountry = parsePhone('07911 123456', undefined);
    assert.ok('error' in noCountry && /country code/.test(noCountry.error));
  });

  it('reads a number back in the groups people say', () => {
    assert.equal(sayPhoneDigits('+447911123456'), 'plus four four, seven nine one one, one two three, four five six');
    assert.equal(sayPhoneDigits('+14155552671'), 'plus one, four one five, five five five, two six seven one');
    assert.equal(sayPhoneDigits('+48601234567'), 'plus four eight, six zero one, two three four, five six seven');
    // No group of more than four digits is said in one breath.
    for (const n of ['+4930123456', '+33612345678', '+61412345678', '+819012345678']) {
      for (const group of sayPhoneDigits(n).replace(/^plus /, '').split(', ')) assert.ok(group.split(' ').length <= 4, `${n}: ${group}`);
    }
  });
});

describe('checkValue', () => {
  const spec = (field: string, extra: Record<string, unknown> = {}) => collectSpec({ field, required: true, ...extra } as never, 'Europe/London');

  it('keeps a choice only when it is one of the options, written as the file writes it', () => {
    const visit = spec('visit', { type: 'choice', options: ['In person', 'Video call'] });
    assert.deepEqual(checkValue(visit, 'video call', NOW), { value: 'Video call', say: 'Video call' });
    const bad = checkValue(visit, 'carrier pigeon', NOW);
    assert.ok('error' in bad && /In person, Video call/.test(bad.error));
  });

  it('reads a date in the business zone, with the booking tools’ words', () => {
    const day = spec('injury_date', { type: 'date' });
    assert.deepEqual(checkValue(day, '2026-12-09', NOW), { value: '2026-12-09', say: 'Wednesday 9 December 2026' });
    assert.equal((checkValue(day, 'next Tuesday', NOW) as { value: string }).value, '2026-12-08');
    assert.equal((checkValue(day, 'tomorrow', NOW) as { value: string }).value, '2026-12-03');
    assert.equal((checkValue(day, '12 March 1980', NOW) as { value: string }).value, '1980-03-12', 'a past date said in full');
    assert.equal((checkValue(day, 'March 12th, 1980', NOW) as { value: string }).value, '1980-03-12');
    assert.ok('error' in checkValue(day, '2026-02-30', NOW));
    assert.ok('error' in checkValue(day, 'next week', NOW), 'more than one day');
    assert.ok('error' in checkValue(day, 'purple', NOW));
  });

  it('turns a spoken address into an address and refuses a non-address', () => {
    assert.equal((checkValue(spec('email'), 'ada dot l at example dot com', NOW) as { value: string }).value, 'ada.l@example.com');
    assert.ok('error' in checkValue(spec('email'), 'no idea', NOW));
  });

  it('refuses empty and overlong values', () => {
    assert.ok('error' in checkValue(spec('problem'), '   ', NOW));
    assert.ok('error' in checkValue(spec('company'), 'x'.repeat(201), NOW));
  });
});

describe('read-back checks', () => {
  const phone = collectSpec('phone', 'Europe/London');
  const turns = (...t: [string, string][]) => t.map(([role, text]) => ({ role: role as 'agent' | 'caller', text }));

  it('digits: every digit in order, in any grouping, then a yes', () => {
    const said = 'Let me read that back: plus four four, seven nine one one, one two three, four five six. Is that right?';
    assert.equal(readBackConfirmed(phone, '+447911123456', turns(['agent', said], ['caller', 'Yes'])), true);
    assert.equal(readBackConfirmed(phone, '+447911123456', turns(['agent', 'That is oh seven nine double one, one two three, four five six?'], ['caller', 'yep'])), true, 'as dialled at home');
    assert.equal(readBackConfirmed(phone, '+447911123456', turns(['agent', said], ['caller', 'No, it ends in seven'])), false);
    assert.equal(readBackConfirmed(phone, '+447911123456', turns(['agent', said.replace('four five six', 'four five seven')], ['caller', 'yes'])), false, 'a wrong digit');
    assert.equal(readBackConfirmed(phone, '+447911123456', turns(['agent', 'Got your number, thanks!'], ['caller', 'yes'])), false, 'not read back');
  });

  it('repeat: a date by its day and month, then a yes', () => {
    const day = collectSpec({ field: 'injury_date', required: true, type: 'date' }, 'UTC');
    assert.equal(readBackConfirmed(day, '2026-12-09', turns(['agent', 'So that was the 9th of December?'], ['caller', 'correct'])), true);
    assert.equal(readBackConfirmed(day, '2026-12-09', turns(['agent', 'So that was the 19th of December?'], ['caller', 'correct'])), false);
  });

  it('none needs nothing; spell is the name and email rule', () => {
    assert.equal(readBackConfirmed(collectSpec('company', 'UTC'), 'Acme', []), true);
    assert.equal(readBackConfirmed(collectSpec('name', 'UTC'), 'Ada', turns(['agent', 'A-d-a, right?'], ['caller', 'yes'])), true);
    assert.equal(readBackConfirmed(collectSpec('name', 'UTC'), 'Ada', turns(['agent', 'Ada, right?'], ['caller', 'yes'])), false);
  });
});
