// Read-backs in the agent's language: symbols and digits said as words in Polish, German, French,
// Spanish, Italian, Portuguese and Dutch count (with English, always); a yes in the caller's words;
// long names with diacritics; and a refusal that says whether the read-back or the yes was missing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectSpec } from '../../src/agent/collect.ts';
import type { Agent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuiltinCalendar, type BuiltinConfig } from '../../src/tools/calendar/builtin.ts';
import { readBackConfirmed, readBackHow, readBackRefusal } from '../../src/tools/collect/read-back.ts';
import { sayPhoneDigits, spokenDigits } from '../../src/tools/collect/phone.ts';
import { checkValue } from '../../src/tools/collect/values.ts';
import { parseSpokenEmail, spellOut } from '../../src/tools/spelling.ts';
import { confirmedAloud, isAffirmative, spelledBackState } from '../../src/tools/confirmation.ts';
import { openStore } from '../../src/store/store.ts';
import { booker } from './calendar/tool-harness.ts';

type Turn = { role: 'agent' | 'caller'; text: string };
const agent = (text: string): Turn => ({ role: 'agent', text });
const caller = (text: string): Turn => ({ role: 'caller', text });
const yes = (readBack: string, answer = 'Tak.'): Turn[] => [agent(readBack), caller(answer)];

describe('symbols and digits said as words, per language', () => {
  it('Polish: "małpa", "kropka", "myślnik", "podkreślenie", "plus" in an email (LOG entry 8)', () => {
    assert.equal(confirmedAloud('grazyna@kwiatex.pl', yes('g-r-a-z-y-n-a małpa k-w-i-a-t-e-x kropka p-l'), 'pl-PL'), true);
    assert.equal(confirmedAloud('anna-maria_k+biuro@poczta.onet.pl', yes('a-n-n-a myślnik m-a-r-i-a podkreślenie k plus b-i-u-r-o małpa p-o-c-z-t-a kropka o-n-e-t kropka p-l'), 'pl'), true);
    assert.equal(confirmedAloud('a-b_c@x.pl', yes('a minus b podłoga c małpka x kropka p-l'), 'pl'), true);
    assert.equal(confirmedAloud('grazyna@kwiatex.pl', yes('g-r-a-z-y-n-a at k-w-i-a-t-e-x dot p-l'), 'pl'), true, 'English words count in a Polish conversation');
  });

  const EMAILS: [string, string, string][] = [
    ['de', 'jan.ott-k_1@web.de', 'j-a-n Punkt o-t-t Bindestrich k Unterstrich eins Klammeraffe w-e-b Punkt d-e'],
    ['de', 'jan@web.de', 'j-a-n ät w-e-b Punkt d-e'],
    ['fr', 'jean.luc-b_2@free.fr', 'j-e-a-n point l-u-c tiret b tiret bas deux arobase f-r-e-e point f-r'],
    ['es', 'ana.gil-r_3@correo.es', 'a-n-a punto g-i-l guion r guion bajo tres arroba c-o-r-r-e-o punto e-s'],
    ['it', 'gio.rossi-4@posta.it', 'g-i-o punto r-o-s-s-i trattino quattro chiocciola p-o-s-t-a punto i-t'],
    ['pt', 'ze.silva-5@mail.pt', 'z-e ponto s-i-l-v-a hífen cinco arroba m-a-i-l ponto p-t'],
    ['pt', 'ze-6@mail.pt', 'z-e traço seis arroba m-a-i-l ponto p-t'],
    ['nl', 'piet.jan-7@ziggo.nl', 'p-i-e-t punt j-a-n streepje zeven apenstaartje z-i-g-g-o punt n-l'],
  ];
  for (const [lang, email, readBack] of EMAILS) {
    it(`${lang}: ${readBack.slice(0, 40)}…`, () => {
      assert.equal(confirmedAloud(email, yes(readBack, 'Yes.'), lang), true);
      assert.equal(confirmedAloud(email, yes(readBack, 'Yes.')), false, 'an English agent does not take these words');
    });
  }

  it('digits said as words in each language count for a digit read-back (a Polish NIP)', () => {
    const nip = collectSpec({ field: 'nip', type: 'text', confirm: 'digits', required: false }, 'Europe/Warsaw');
    assert.equal(readBackConfirmed(nip, '6751234567', yes('NIP: sześć, siedem, pięć, jeden, dwa, trzy, cztery, pięć, sześć, siedem. Zgadza się?', 'Tak, zgadza się.'), 'pl-PL'), true);
    assert.equal(readBackConfirmed(nip, '6751234567', yes('NIP: 6, 7, 5, 1, 2, 3, 4, 5, 6, 7?', 'Tak.'), 'pl-PL'), true);
    assert.equal(readBackConfirmed(nip, '6751234567', yes('NIP: sześć, siedem, pięć, jeden, dwa, trzy, cztery, pięć, sześć, siedem.', 'Tak.')), false, 'English only without the language');
    const said: [string, string][] = [
      ['de', 'null eins zwo drei vier fünf sechs sieben acht neun'],
      ['fr', 'zéro un deux trois quatre cinq six sept huit neuf'],
      ['es', 'cero uno dos tres cuatro cinco seis siete ocho nueve'],
      ['it', 'zero uno due tre quattro cinque sei sette otto nove'],
      ['pt', 'zero um dois três quatro cinco seis sete oito nove'],
      ['nl', 'nul een twee drie vier vijf zes zeven acht negen'],
      ['pl', 'zero jeden dwa trzy cztery pięć sześć siedem osiem dziewięć'],
    ];
    for (const [lang, words] of said) assert.equal(spokenDigits(words, lang), '0123456789', lang);
    assert.equal(spokenDigits('um, one two', 'en'), '12', 'English "um" is no digit');
  });

  it('any digits field is read back like a phone: in groups, in the language’s digit words (accounting LOG entry 5)', () => {
    const nip = collectSpec({ field: 'nip', type: 'text', pattern: '^[0-9]{10}$', confirm: 'digits', required: false }, 'Europe/Warsaw');
    const checked = (raw: string, language?: string) => checkValue(nip, raw, { now: new Date('2026-12-21T09:00:00Z'), timeZone: 'Europe/Warsaw', language });
    const say = 'sześć siedem pięć, jeden dwa trzy, cztery pięć sześć siedem';
    assert.deepEqual(checked('675-123-45-67', 'pl-PL'), { value: '6751234567', say });
    assert.equal(readBackConfirmed(nip, '6751234567', yes(`NIP: ${say}. Zgadza się?`, 'Tak.'), 'pl-PL'), true, 'the wording it gives passes its own gate');
    assert.deepEqual(checked('675 123 45 67', 'cs'), { value: '6751234567', say: '6 7 5, 1 2 3, 4 5 6 7' }, 'numerals in a language without Parley’s own words');
    const unpatterned = collectSpec({ field: 'account', type: 'text', confirm: 'digits', required: false }, 'UTC');
    assert.deepEqual(checkValue(unpatterned, 'PL-48 21', { now: new Date(), timeZone: 'UTC', language: 'de' }), { value: 'PL-48 21', say: 'P L, vier acht, zwei eins' });
    assert.equal(readBackHow(nip, say), `read it back digit by digit, in groups ("${say}"), not as one long number, and wait for a yes`);
  });

  it('a phone number is read back with the language’s digit words when asked', () => {
    assert.equal(sayPhoneDigits('+48123456789', 'pl'), 'plus cztery osiem, jeden dwa, trzy cztery pięć, sześć siedem, osiem dziewięć');
    assert.equal(sayPhoneDigits('+48123456789'), 'plus four eight, one two, three four five, six seven, eight nine');
  });
});

describe('what the agent is told to read back, in its language', () => {
  it('spellOut says symbols in the language’s words; English without one', () => {
    assert.equal(spellOut('grazyna@kwiatex.pl', 'pl-PL'), 'g-r-a-z-y-n-a małpa k-w-i-a-t-e-x kropka p-l');
    assert.equal(spellOut('anna-maria_k@gmail.com', 'pl'), 'a-n-n-a myślnik m-a-r-i-a podkreślenie k małpa gmail kropka com');
    assert.equal(spellOut('jean.luc@free.fr', 'fr'), 'j-e-a-n point l-u-c arobase f-r-e-e point f-r');
    assert.equal(spellOut('grazyna@kwiatex.pl'), 'g-r-a-z-y-n-a at k-w-i-a-t-e-x dot p-l');
    assert.equal(spellOut('Anna-Maria Łęcka', 'pl'), 'A-n-n-a myślnik M-a-r-i-a, Ł-ę-c-k-a');
    assert.equal(parseSpokenEmail('grażyna małpa kwiatex kropka pl', 'pl'), null, 'an address is ASCII');
    assert.equal(parseSpokenEmail('g r a z y n a małpa kwiatex kropka pl', 'pl-PL'), 'grazyna@kwiatex.pl');
    assert.equal(parseSpokenEmail('jan podkreślenie dwa małpa firma kropka com kropka pl', 'pl'), 'jan_2@firma.com.pl');
    assert.equal(parseSpokenEmail('jean point luc arobase free point fr', 'fr'), 'jean.luc@free.fr');
    assert.equal(parseSpokenEmail('jan małpa firma kropka pl'), null, 'English only without the language');
    for (const lang of ['pl', 'de', 'fr', 'es', 'it', 'pt', 'nl']) {
      const email = 'ann.o-k_2+x@mail.co.uk';
      assert.equal(confirmedAloud(email, yes(spellOut(email, lang), 'Yes.'), lang), true, `${lang}: ${spellOut(email, lang)}`);
    }
  });

  it('save_lead’s values: the phone in digit words and a date with Intl, and the date read-back heard in Polish', () => {
    const o = { now: new Date('2026-12-01T10:00:00Z'), timeZone: 'Europe/Warsaw', language: 'pl-PL' };
    assert.deepEqual(checkValue(collectSpec('email', 'Europe/Warsaw'), 'jan@firma.pl', o), { value: 'jan@firma.pl', say: 'j-a-n małpa f-i-r-m-a kropka p-l' });
    assert.deepEqual(checkValue(collectSpec('phone', 'Europe/Warsaw'), '601 234 567', o), { value: '+48601234567', say: 'plus cztery osiem, sześć zero jeden, dwa trzy cztery, pięć sześć siedem' });
    const date = collectSpec({ field: 'visit_date', type: 'date', required: false }, 'Europe/Warsaw');
    assert.deepEqual(checkValue(date, 'w przyszły poniedziałek', o), { value: '2026-12-07', say: 'poniedziałek, 7 grudnia 2026' });
    assert.equal(readBackConfirmed(date, '2026-12-07', yes('Czyli poniedziałek, 7 grudnia, tak?', 'Tak.'), 'pl'), true);
    assert.equal(readBackConfirmed(date, '2026-12-07', yes('Czyli 7 grudnia?', 'Tak.')), false, 'Polish months only for a Polish agent');
  });
});

describe('a yes in the caller’s words', () => {
  it('takes the Polish answers of LOG entry 5 and a few more', () => {
    for (const t of ['Tak, zgadza się.', 'Tak.', 'Okej.', 'Dokładnie.', 'Tak, dokładnie tak.', 'Tak, mhm.', 'Zgadza się.', 'Jasne.', 'OK', 'Ja, stimmt.', "Oui, d'accord.", 'Vale.', 'Va bene.', 'Klopt.']) assert.equal(isAffirmative(t), true, t);
    for (const t of ['Nie, źle.', 'Okej, ale nie — Nowacki.', 'Tak, ale nie tak.']) assert.equal(isAffirmative(t), false, t);
  });
});

describe('long names with diacritics spelled back', () => {
  const NAMES: [string, string][] = [
    ['Jan Brzęczyszczykiewicz', 'J-a-n, B-r-z-ę-c-z-y-s-z-c-z-y-k-i-e-w-i-c-z'],
    ['Grzegorz Źdźbło-Łękawska', 'G-r-z-e-g-o-r-z, Ź-d-ź-b-ł-o myślnik Ł-ę-k-a-w-s-k-a'],
    ['Přemysl Chřibštějovský', 'P-ř-e-m-y-s-l, C-h-ř-i-b-š-t-ě-j-o-v-s-k-ý'],
    ['Jürgen Großschädelmüller', 'J-ü-r-g-e-n, G-r-o-ß-s-c-h-ä-d-e-l-m-ü-l-l-e-r'],
    ['François Désirée-Lefèvre', 'F-r-a-n-ç-o-i-s, D-é-s-i-r-é-e tiret L-e-f-è-v-r-e'],
  ];
  for (const [name, spelled] of NAMES) {
    it(`${name}: composed or decomposed, the read-back counts`, () => {
      const lang = /ř|ě/.test(name) ? 'cs' : /ß|ü/.test(name) ? 'de' : /ç/.test(name) ? 'fr' : 'pl';
      assert.equal(confirmedAloud(name, yes(spelled, 'Yes.'), lang), true);
      assert.equal(confirmedAloud(name.normalize('NFD'), yes(spelled, 'Yes.'), lang), true, 'the value decomposed');
      assert.equal(confirmedAloud(name, yes(spelled.normalize('NFD'), 'Yes.'), lang), true, 'the read-back decomposed');
      assert.equal(confirmedAloud(name, yes(spelled.replace(/ł|ę|ř|ü|é/, 'x'), 'Yes.'), lang), false, 'one letter wrong');
    });
  }
});

describe('the refusal says whether the read-back or the yes is missing (LOG entry 6)', () => {
  it('readBackRefusal: no read-back, a read-back without a yes, no answer yet, confirmed', () => {
    const name = 'Jan Brzęk';
    const spelled = 'J-a-n, B-r-z-ę-k';
    assert.match(readBackRefusal('name', undefined, name, spelled, [agent('Jan Brzęk, tak?'), caller('Tak.')], 'pl')!, /^spell the name back to the caller letter by letter \("J-a-n, B-r-z-ę-k"\)/);
    const noYes = readBackRefusal('name', undefined, name, spelled, yes(`Przeliteruję: ${spelled}.`, 'Hmm, chyba tak, perfect.'), 'pl')!;
    assert.match(noYes, /was read back correctly, but the caller's answer \("Hmm, chyba tak, perfect."\) was not heard as a plain yes; do not read it back again/);
    assert.match(noYes, /"tak", "zgadza się"/);
    assert.match(readBackRefusal('name', undefined, name, spelled, [agent(spelled)], 'pl')!, /has not answered yet/);
    assert.equal(readBackRefusal('name', undefined, name, spelled, yes(spelled), 'pl'), undefined);
    const phone = collectSpec('phone', 'Europe/Warsaw');
    assert.match(readBackRefusal('phone', phone, '+48123456789', '…', yes('plus cztery osiem, jeden dwa trzy, cztery pięć sześć, siedem osiem dziewięć', 'Hmm?'), 'pl')!, /phone was read back correctly, but the caller's answer \("Hmm\?"\)/);
    assert.deepEqual(spelledBackState(name, yes(spelled, 'Nie.')), { state: 'not-yes', answer: 'Nie.' });
  });

  it('book_call for a Polish agent: refuses "Hmm." after a correct read-back with the yes message, and books after "Tak."', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-readback-'));
    const store = await openStore(`file:${join(dir, 'parley.db')}`);
    try {
      const now = new Date('2026-12-21T09:00:00Z');
      const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Dzień dobry', language: 'pl-PL' }, timeZone: 'Europe/Warsaw', calendar: { provider: 'builtin' } });
      const a = { name: 'pl-agent', config, collect: config.collect.map((c) => collectSpec(c, config.timeZone)) } as unknown as Agent;
      const cal = { ...(config.calendar as BuiltinConfig), minNoticeMinutes: 0, hours: { wed: ['09:00-15:00'] } };
      const calendar = new BuiltinCalendar({ config: cal, agent: a.name, store, timeZone: config.timeZone, now: () => now });
      const b = booker(a, calendar, now);
      const found = await b.check({ when: 'w środę rano' });
      const start = found.slots[0].start;
      b.transcript.push(agent('Przeliteruję: J-a-n, B-r-z-ę-c-z-y-s-z-c-z-y-k-i-e-w-i-c-z, e-mail: j-a-n małpa k-w-i-a-t-e-x kropka p-l. Zgadza się?'), caller('Hmm.'));
      const refused = await b.book({ start, name: 'Jan Brzęczyszczykiewicz', email: 'jan@kwiatex.pl' });
      assert.equal(refused.booked, false);
      assert.match(refused.error, /name was read back correctly, but the caller's answer \("Hmm."\) was not heard as a plain yes/);
      b.transcript.push(agent('Czy dobrze zapisałam?'), caller('Tak, zgadza się.'));
      assert.match((await b.book({ start, name: 'Jan Brzęczyszczykiewicz', email: 'jan@kwiatex.pl' })).error, /not heard as a plain yes/, 'the yes must follow the read-back');
      b.transcript.push(agent('J-a-n, B-r-z-ę-c-z-y-s-z-c-z-y-k-i-e-w-i-c-z; j-a-n małpa k-w-i-a-t-e-x kropka p-l?'), caller('Tak, zgadza się.'));
      const booked = await b.book({ start, name: 'Jan Brzęczyszczykiewicz', email: 'jan@kwiatex.pl' });
      assert.equal(booked.booked, true, JSON.stringify(booked));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
