import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { campaignSettings, parseDays, windowOpensAt } from '../../src/server/campaigns/calling-window.ts';
import { parseCsv, readContacts } from '../../src/server/campaigns/contacts-csv.ts';
import { asksNotToBeCalled } from '../../src/server/campaigns/do-not-call-words.ts';
import { readNumber } from '../../src/server/campaigns/phone-zone.ts';
import { outcomeOfStatus } from '../../src/server/outbound-calls.ts';

const WINDOW = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] };

describe('campaign rules: calling windows, zones from numbers, contact lists, do-not-call words', () => {
  it('the window is the callee\'s clock, across weekends and daylight saving', () => {
    // Tuesday 2 March 2027, 15:00 UTC: 10:00 in New York (open), 07:00 in Los Angeles (opens 17:00 UTC).
    const t = Date.parse('2027-03-02T15:00:00Z');
    assert.equal(windowOpensAt(WINDOW, 'America/New_York', t), null);
    assert.equal(windowOpensAt(WINDOW, 'America/Los_Angeles', t), '2027-03-02T17:00:00.000Z');
    // Friday 20:00 in Warsaw: closed (end exclusive) until Monday 09:00.
    assert.equal(windowOpensAt(WINDOW, 'Europe/Warsaw', Date.parse('2027-03-05T19:00:00Z')), '2027-03-08T08:00:00.000Z');
    // The Sunday New York springs forward (14 March 2027): Monday 09:00 EDT is 13:00 UTC.
    assert.equal(windowOpensAt(WINDOW, 'America/New_York', Date.parse('2027-03-14T12:00:00Z')), '2027-03-15T13:00:00.000Z');
    assert.deepEqual(parseDays('fri-mon'), [1, 5, 6, 7]);
    assert.throws(() => campaignSettings({ hours: '9-5' }), /HH:MM-HH:MM/);
    assert.throws(() => campaignSettings({ concurrency: 0 }), /concurrency must be a whole number from 1/);
    assert.deepEqual(campaignSettings({}).window, WINDOW);
  });

  it('a number\'s zone: area code in the US, Canada and Australia; otherwise the country, or its most populous zone', () => {
    assert.equal(readNumber('+13125550123').timeZone, 'America/Chicago');
    assert.equal(readNumber('+16045550123').timeZone, 'America/Vancouver');
    assert.equal(readNumber('+16025550123').timeZone, 'America/Phoenix');
    assert.deepEqual(readNumber('+61892345678').timeZone, 'Australia/Perth');
    assert.deepEqual(readNumber('+61412345678'), { e164: '+61412345678', country: 'AU', timeZone: 'Australia/Sydney', zoneFrom: 'most populous' });
    assert.deepEqual(readNumber('+79161234567').timeZone, 'Europe/Moscow');
    assert.deepEqual(readNumber('+48 601 234 567'), { e164: '+48601234567', country: 'PL', timeZone: 'Europe/Warsaw', zoneFrom: 'country' });
    assert.equal(readNumber('020 7183 8750', 'GB').e164, '+442071838750');
    assert.throws(() => readNumber('+1 212 555'), /not a valid number/);
  });

  it('reads RFC 4180 CSV: quotes, commas and line breaks inside, CRLF, a BOM', () => {
    assert.deepEqual(parseCsv('\uFEFFa,b\r\n"x, ""y""","line\nbreak"\r\n\r\n'), [{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['x, "y"', 'line\nbreak'] }]);
    const r = readContacts('Mobile,First Name,TZ\n+12125550100,Ann,America/Chicago\n+12125550101,Bob,\n');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.contacts.map((c) => [c.phone, c.timeZone, c.variables.first_name]), [['+12125550100', 'America/Chicago', 'Ann'], ['+12125550101', 'America/New_York', 'Bob']]);
    assert.deepEqual(readContacts('name\nAnn\n').problems, ['line 1: no phone column in the header (name); name one of: phone, number, phone_number, mobile, tel, telephone']);
    assert.deepEqual(readContacts('phone,timezone\n+12125550100,Mars/Olympus\n').problems, ['line 2: "Mars/Olympus" is not an IANA time zone (e.g. America/Chicago)']);
  });

  it('hears a request never to be called again, and not ordinary talk about calls', () => {
    for (const s of ["Please don't call me again.", 'Take me off your list.', 'Stop calling me!', 'remove my number from your calling list', 'Put me on your do-not-call list', 'Do not call this number ever again']) assert.ok(asksNotToBeCalled(s), s);
    for (const s of ['Can you call me again tomorrow?', "Don't call me before ten, please.", 'I called you yesterday.']) assert.ok(!asksNotToBeCalled(s), s);
  });

  it('outcome from the final status', () => {
    assert.equal(outcomeOfStatus('busy', null, null), 'busy');
    assert.equal(outcomeOfStatus('completed', null, 'machine_end_beep'), 'voicemail');
    assert.equal(outcomeOfStatus('completed', 'voicemail', 'human'), 'voicemail');
    assert.equal(outcomeOfStatus('completed', null, null), 'human');
    assert.equal(outcomeOfStatus('canceled', null, null), 'no-answer');
  });
});
