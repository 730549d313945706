import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AgentFile } from '../../src/agent/schema.ts';
import { cancelSignature } from '../../src/events/booking-links.ts';
import { emailWords } from '../../src/events/email-words.ts';
import { bookingEmail, leadEmail, whenText, type BookingData } from '../../src/events/emails.ts';
import { buildServer } from '../../src/server/app.ts';
import { BuiltinCalendar, type BuiltinConfig } from '../../src/tools/calendar/index.ts';
import { KNOWN_LANGUAGES } from '../../src/util/language.ts';
import { tempDir } from '../helpers/cli.ts';
import { startSmtpServer } from '../helpers/smtp.ts';
import { serverFixture } from '../server/helpers.ts';

// The booking emails, the lead notice and the cancel page follow persona.language: a Polish
// accounting firm's callers get Polish invitations with Polish dates, and so does its owner.

const LINK_SECRET = 'link-secret-for-tests-0123456789';
const OWNER = 'biuro@rachunekplus.example';
const NOW = Date.parse('2027-01-11T08:00:00Z'); // a Monday, 09:00 in Warsaw

const config = (language: string) =>
  AgentFile.parse({ description: 'Rachunek Plus', persona: { prompt: 'p', firstMessage: 'Dzień dobry.', language }, timeZone: 'Europe/Warsaw', calendar: { provider: 'builtin', ownerEmail: OWNER } });

const data = (sequence = 0): BookingData => ({
  booking: { id: 'b1', start: '2027-01-12T08:00:00Z', end: '2027-01-12T08:20:00Z', timeZone: 'Europe/Warsaw', attendee: { name: 'Jan Kowalski', email: 'jan@example.pl', company: 'Kowalski sp. z o.o.' } },
  sequence,
});

const compose = (kind: 'invitation' | 'owner-booking', language: string, sequence = 0) => {
  const out = bookingEmail(kind, data(sequence), { config: config(language), agent: 'biuro', env: { PARLEY_LINK_SECRET: LINK_SECRET, PARLEY_PUBLIC_URL: 'https://voice.example' }, from: OWNER, now: new Date(NOW) });
  assert.ok(!('error' in out), JSON.stringify(out));
  return out;
};

describe('emails in the agent\'s language', () => {
  it('dates are written with Intl in the language: Polish, German; English stays day-month-year', () => {
    assert.match(whenText('2027-01-12T08:00:00Z', 'Europe/Warsaw', 'pl-PL'), /^wtorek, 12 stycznia 2027.* 09:00 \(Europe\/Warsaw\)$/);
    assert.match(whenText('2027-01-12T08:00:00Z', 'Europe/Warsaw', 'de'), /^Dienstag, 12\. Januar 2027.* 09:00 \(Europe\/Warsaw\)$/);
    assert.equal(whenText('2027-01-12T08:00:00Z', 'Europe/Warsaw', 'ja-JP'), whenText('2027-01-12T08:00:00Z', 'Europe/Warsaw'));
  });

  it('pl-PL: the invitation, its cancellation and the owner\'s notices are Polish', () => {
    const invite = compose('invitation', 'pl-PL');
    assert.match(invite.subject, /^Potwierdzenie rozmowy: Rachunek Plus, wtorek, 12 stycznia 2027/);
    assert.match(invite.text, /^Dzień dobry,\n\nPotwierdzamy termin rozmowy \(Rachunek Plus\): wtorek, 12 stycznia 2027.*09:00 \(Europe\/Warsaw\)\.\n\n+Jeśli termin nie pasuje, można go odwołać tutaj: https:\/\/voice\.example\//);
    assert.match(invite.icalEvent!.content, /SUMMARY:Rozmowa: Rachunek Plus/);
    const notice = compose('owner-booking', 'pl-PL');
    assert.match(notice.subject, /^Nowa rezerwacja: Jan Kowalski, wtorek/);
    assert.match(notice.text, /\nE-mail: jan@example\.pl\nFirma: Kowalski sp\. z o\.o\./);
    assert.match(compose('invitation', 'pl-PL', 1).subject, /^Rozmowa odwołana: Rachunek Plus, wtorek/);
    assert.match(compose('owner-booking', 'pl-PL', 1).subject, /^Rezerwacja odwołana: Jan Kowalski/);
    assert.match((leadEmail({ lead: { name: 'Anna Nowak' } }, config('pl-PL'), 'biuro') as { subject: string }).subject, /^Nowy kontakt \(Rachunek Plus\): Anna Nowak$/);
  });

  it('pl: a date is never put after a case-governing preposition ("na środa"); it follows a colon or a bracket', () => {
    const wednesday: BookingData = { booking: { ...data().booking, start: '2026-12-09T09:00:00Z', end: '2026-12-09T09:20:00Z' }, sequence: 0 };
    const notice = bookingEmail('owner-booking', wednesday, { config: config('pl-PL'), agent: 'biuro', env: { PARLEY_LINK_SECRET: LINK_SECRET, PARLEY_PUBLIC_URL: 'https://voice.example' }, from: OWNER, now: new Date(NOW) });
    assert.ok(!('error' in notice));
    assert.match(notice.text, /^Nowa rezerwacja rozmowy \(Jan Kowalski\): środa, 9 grudnia 2026.*10:00 \(Europe\/Warsaw\)\./);
    assert.doesNotMatch(notice.text, /na środa/);
    for (const [key, line] of Object.entries(emailWords('pl'))) assert.doesNotMatch(line, /\b(na|w|we|o|od|do) \{when\}/, key);
  });

  it('the lead notice labels built-in fields in the language, owner fields by their description (never the patternHint meant for the model) or name', () => {
    const cfg = AgentFile.parse({
      description: 'Rachunek Plus',
      persona: { prompt: 'p', firstMessage: 'Dzień dobry.', language: 'pl-PL' },
      timeZone: 'Europe/Warsaw',
      collect: ['name', 'email', { field: 'mobile', type: 'phone' }, 'company', { field: 'nip', description: 'NIP firmy', pattern: '^[0-9]{10}$', patternHint: '10 cyfr' }, 'service'],
    });
    const lead = { name: 'Grażyna Kwiatkowska', email: 'grazyna@kwiatex.pl', mobile: '+48601234567', company: 'Kwiatex', nip: '6751234567', service: 'pełna księgowość', problem: 'VAT' };
    const text = (leadEmail({ lead }, cfg, 'biuro') as { text: string }).text;
    assert.equal(
      text,
      'Imię i nazwisko: Grażyna Kwiatkowska\nE-mail: grazyna@kwiatex.pl\nTelefon: +48601234567\nFirma: Kwiatex\nNIP firmy: 6751234567\nservice: pełna księgowość\nproblem: VAT\n',
    );
    const en = (leadEmail({ lead: { name: 'Jane', phone: '+447911123456' } }, config('en-GB'), 'acme') as { text: string }).text;
    assert.equal(en, 'Name: Jane\nPhone: +447911123456\n', 'a built-in field the collect list leaves out is still labelled');
  });

  it('the owner\'s booking notice lists every collected field with the lead e-mail\'s labels, in the language', () => {
    const cfg = AgentFile.parse({
      description: 'Rachunek Plus',
      persona: { prompt: 'p', firstMessage: 'Dzień dobry.', language: 'pl-PL' },
      timeZone: 'Europe/Warsaw',
      calendar: { provider: 'builtin', ownerEmail: OWNER },
      collect: ['name', 'email', 'company', { field: 'nip', description: 'NIP firmy', pattern: '^[0-9]{10}$', patternHint: '10 cyfr' }, 'service'],
    });
    const fields = [
      { field: 'name', type: 'name', value: 'Jan Kowalski' },
      { field: 'email', type: 'email', value: 'jan@example.pl' },
      { field: 'company', type: 'company', value: 'Kowalski sp. z o.o.' },
      { field: 'nip', type: 'text', value: '6751234567' },
      { field: 'service', type: 'text', value: 'pełna księgowość' },
    ];
    const withFields: BookingData = { booking: { ...data().booking, attendee: { ...data().booking.attendee, fields } } };
    const notice = bookingEmail('owner-booking', withFields, { config: cfg, agent: 'biuro', env: {}, from: OWNER, now: new Date(NOW) });
    assert.ok(!('error' in notice), JSON.stringify(notice));
    const lines = notice.text.split('\n');
    assert.match(lines[0]!, /Jan Kowalski/);
    assert.deepEqual(lines.slice(1), ['E-mail: jan@example.pl', 'Firma: Kowalski sp. z o.o.', 'NIP firmy: 6751234567', 'service: pełna księgowość']);
    const lead = (leadEmail({ lead: Object.fromEntries(fields.map((f) => [f.field, f.value])) }, cfg, 'biuro') as { text: string }).text;
    assert.deepEqual(lines.slice(1), lead.trim().split('\n').slice(1), 'the same labels as the lead e-mail');
  });

  it('every known language has every sentence, with the names it needs; an unknown one gets English', () => {
    const en = emailWords('en');
    for (const language of KNOWN_LANGUAGES) {
      const w = emailWords(language);
      for (const [key, text] of Object.entries(en)) {
        const said = (w as unknown as Record<string, string>)[key]!;
        assert.ok(said.trim(), `${language}.${key}`);
        for (const name of text.match(/\{\w+\}/g) ?? []) if (key !== 'hello') assert.ok(said.includes(name), `${language}.${key} says ${name}`);
      }
      assert.match(compose('invitation', language).text, /12/, language);
    }
    assert.equal(emailWords('ja'), en);
  });
});

describe('the cancel page in the agent\'s language', () => {
  const fx = serverFixture();
  let app: FastifyInstance;
  let calendar: BuiltinCalendar;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  before(async () => {
    smtp = await startSmtpServer();
    const dir = tempDir('parley-email-pl-');
    mkdirSync(join(dir, 'biuro'));
    writeFileSync(join(dir, 'biuro', 'agent.yaml'), ['name: biuro', 'description: Rachunek Plus', 'persona: { prompt: Jesteś asystentem biura., firstMessage: Dzień dobry., language: pl-PL }', 'knowledge: { sources: [], strict: false }', 'timeZone: Europe/Warsaw', `calendar: { provider: builtin, ownerEmail: ${OWNER} }`, ''].join('\n'));
    const env = { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SMTP_URL: smtp.url, PARLEY_MAIL_FROM: `Rachunek Plus <${OWNER}>`, PARLEY_LINK_SECRET: LINK_SECRET, PARLEY_PUBLIC_URL: 'https://voice.example', PARLEY_ADMIN_TOKEN: 'admin-token-for-email-tests-0123' };
    app = fx.track(await buildServer({ agentsDir: dir, store: fx.store, mode: 'serve', env, now: () => NOW, events: { run: false, now: () => NOW } }));
    const cal = app.parley.agents.get('biuro')!.agent.config.calendar as BuiltinConfig;
    calendar = new BuiltinCalendar({ agent: 'biuro', timeZone: 'Europe/Warsaw', config: cal, store: fx.store, now: () => new Date(NOW) });
  });
  after(() => smtp.close());

  it('shows "Odwołać rozmowę?" with a Polish date, cancels in Polish, and says so in lang="pl-PL"', async () => {
    const booking = await calendar.book({ start: '2027-01-12T08:00:00Z', attendee: { name: 'Jan Kowalski', email: 'jan@example.pl', timeZone: 'Europe/Warsaw' }, idempotencyKey: 'pl1', conversationId: 'conv-pl1' }, { signal: AbortSignal.timeout(5000), trace: () => {} });
    const sig = cancelSignature(LINK_SECRET, booking.id);
    const shown = await app.inject({ url: `/v1/bookings/${booking.id}/cancel?sig=${sig}` });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<html lang="pl-PL">/);
    assert.match(shown.body, /<h1>Odwołać rozmowę\?<\/h1>/);
    assert.match(shown.body, /Potwierdzamy termin rozmowy \(Rachunek Plus\): <strong>wtorek, 12 stycznia 2027/);
    assert.match(shown.body, />Odwołaj tę rozmowę<\/button>/);
    const done = await app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/cancel`, payload: `sig=${sig}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Rozmowa została odwołana \(termin: (<strong>)?wtorek, 12 stycznia 2027.*\)\./);
  });
});
