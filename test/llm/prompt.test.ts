import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Temporal } from 'temporal-polyfill';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { buildSystemPrompt, describeNow, groundedCallerMessage } from '../../src/llm/prompt.ts';

const EXAMPLE = join(fileURLToPath(new URL('../..', import.meta.url)), 'examples/sales-booking');

describe('describeNow', () => {
  const at = (iso: string) => Temporal.Instant.from(iso);

  it('gives Warsaw winter time at UTC+01:00', () => {
    assert.match(describeNow(at('2026-01-15T13:05:00Z'), 'Europe/Warsaw'), /^Thursday,? 15 January 2026, 14:05 \(Europe\/Warsaw, UTC\+01:00\)$/);
  });

  it('gives Warsaw summer time at UTC+02:00', () => {
    const text = describeNow(at('2026-07-15T13:05:00Z'), 'Europe/Warsaw');
    assert.match(text, /^Wednesday,? 15 July 2026, 15:05 \(Europe\/Warsaw, UTC\+02:00\)$/);
  });

  it('gives New York time at UTC-05:00 in winter and UTC-04:00 in summer', () => {
    assert.match(describeNow(at('2026-01-15T13:05:00Z'), 'America/New_York'), /^Thursday,? 15 January 2026, 08:05 \(America\/New_York, UTC-05:00\)$/);
    assert.match(describeNow(at('2026-07-15T13:05:00Z'), 'America/New_York'), /^Wednesday,? 15 July 2026, 09:05 \(America\/New_York, UTC-04:00\)$/);
  });

  it('words kept for a minute follow the clock: the next minute, another zone, a clock change, and time going back', () => {
    assert.match(describeNow(at('2026-03-29T00:59:59Z'), 'Europe/Warsaw'), /01:59 \(Europe\/Warsaw, UTC\+01:00\)$/);
    assert.match(describeNow(at('2026-03-29T00:59:01Z'), 'Europe/Warsaw'), /01:59 \(Europe\/Warsaw, UTC\+01:00\)$/);
    assert.match(describeNow(at('2026-03-29T01:00:00Z'), 'Europe/Warsaw'), /03:00 \(Europe\/Warsaw, UTC\+02:00\)$/, 'summer time starts');
    assert.match(describeNow(at('2026-03-29T01:00:30Z'), 'America/New_York'), /21:00 \(America\/New_York, UTC-04:00\)$/);
    assert.match(describeNow(at('2026-03-29T01:00:45Z'), 'Europe/Warsaw'), /03:00 \(Europe\/Warsaw, UTC\+02:00\)$/);
    assert.match(describeNow(at('2026-01-15T13:05:00Z'), 'Europe/Warsaw'), /^Thursday,? 15 January 2026, 14:05/, 'a clock set back');
  });

  it('uses the local date when it differs from the UTC date', () => {
    // 23:30 UTC on Tuesday is already Wednesday in Warsaw, and still Tuesday evening in New York.
    assert.match(describeNow(at('2026-11-24T23:30:00Z'), 'Europe/Warsaw'), /^Wednesday,? 25 November 2026, 00:30 \(Europe\/Warsaw, UTC\+01:00\)$/);
    assert.match(describeNow(at('2026-11-25T02:10:00Z'), 'America/New_York'), /^Tuesday,? 24 November 2026, 21:10 \(America\/New_York, UTC-05:00\)$/);
  });

  it('follows the switch to summer time on the night it happens', () => {
    // Poland moves clocks from 02:00 to 03:00 on 29 March 2026 (01:00 UTC).
    assert.match(describeNow(at('2026-03-29T00:59:00Z'), 'Europe/Warsaw'), /, 01:59 \(Europe\/Warsaw, UTC\+01:00\)$/);
    assert.match(describeNow(at('2026-03-29T01:00:00Z'), 'Europe/Warsaw'), /, 03:00 \(Europe\/Warsaw, UTC\+02:00\)$/);
  });

  it('pads hours and minutes and names UTC itself', () => {
    assert.match(describeNow(at('2026-01-01T03:07:00Z'), 'UTC'), /^Thursday,? 1 January 2026, 03:07 \(UTC, UTC\+00:00\)$/);
  });
});

describe('buildSystemPrompt', () => {
  let agent: Agent;
  before(async () => {
    agent = await loadAgent(EXAMPLE);
  });
  const now = Temporal.Instant.from('2026-01-15T13:05:00Z');

  it('starts with the persona and says how to speak', () => {
    const prompt = buildSystemPrompt(agent, now);
    assert.ok(prompt.startsWith(agent.prompt), 'the persona prompt comes first');
    assert.match(prompt, /You are Ada/);
    assert.match(prompt, /Everything you write is spoken aloud/);
    assert.match(prompt, /Speak in the language "en"/);
    assert.match(prompt, /Tone: warm, concise, plain words, no hype\./);
  });

  it('gives the business time in the business time zone', () => {
    const prompt = buildSystemPrompt(agent, now);
    assert.match(prompt, /It is now Thursday,? 15 January 2026, 14:05 \(Europe\/Warsaw, UTC\+01:00\)\./);
    assert.match(prompt, /The business works in the time zone Europe\/Warsaw/);
  });

  it('lists every field to collect and asks for save_lead', () => {
    const prompt = buildSystemPrompt(agent, now);
    for (const c of agent.collect) assert.ok(prompt.includes(`\n- ${c.field}: ${c.description}`), `missing collect field ${c.field}`);
    assert.deepEqual(agent.collect.map((c) => c.field), ['name', 'email', 'company', 'problem']);
    assert.match(prompt, /call save_lead with everything known so far/);
  });

  it('marks optional fields and leaves the collect block out when there is nothing to collect', () => {
    const optional = { ...agent, collect: [{ field: 'phone', required: false }] } as Agent;
    assert.match(buildSystemPrompt(optional, now), /\n- phone \(optional\)/);
    const none = { ...agent, collect: [] } as Agent;
    const prompt = buildSystemPrompt(none, now);
    assert.doesNotMatch(prompt, /Collect these details/);
    assert.doesNotMatch(prompt, /call save_lead with everything known/);
    assert.doesNotMatch(prompt, /read its spelling back letter by letter/);
  });

  it('adds the booking rules only when the agent has a calendar', () => {
    assert.match(buildSystemPrompt(agent, now), /offer only the times it returns/);
    const noCalendar = { ...agent, config: { ...agent.config, calendar: undefined } } as Agent;
    assert.doesNotMatch(buildSystemPrompt(noCalendar, now), /offer only the times it returns/);
  });

  it('asks for the spelling of names and emails to be read back', () => {
    assert.match(buildSystemPrompt(agent, now), /Before relying on a name or an email, read its spelling back letter by letter and ask the caller to confirm it/);
  });

  it('holds a strict agent to its documents', () => {
    assert.equal(agent.config.knowledge.strict, true);
    const prompt = buildSystemPrompt(agent, now);
    assert.match(prompt, /Answer questions about the business only from the DOCUMENTS/);
    assert.match(prompt, /do not contain the answer, reply with exactly NOT_IN_DOCUMENTS and nothing else/);
    assert.match(prompt, /Never invent prices, dates, names, policies or facts\./);
    assert.match(prompt, /call end_call/);
  });

  it('only prefers the documents when knowledge is not strict', () => {
    const lenient = { ...agent, config: { ...agent.config, knowledge: { ...agent.config.knowledge, strict: false } } } as Agent;
    const prompt = buildSystemPrompt(lenient, now);
    assert.doesNotMatch(prompt, /Never invent/);
    assert.match(prompt, /Prefer the DOCUMENTS/);
  });
});

describe('groundedCallerMessage', () => {
  it('puts the caller’s words first and numbers each chunk with its source, heading and text', () => {
    const message = groundedCallerMessage(
      'How much is the starter package?',
      [
        { source: 'knowledge/pricing.md', heading: 'Packages › Starter', text: 'The starter package costs 2,000 EUR.' },
        { source: 'knowledge/faq.md', heading: '', text: 'We work with service businesses.' },
      ],
      true,
    );
    assert.equal(
      message,
      [
        'How much is the starter package?',
        '',
        '[DOCUMENTS]',
        '(1) knowledge/pricing.md › Packages › Starter',
        'The starter package costs 2,000 EUR.',
        '',
        '(2) knowledge/faq.md',
        'We work with service businesses.',
        '[/DOCUMENTS]',
      ].join('\n'),
    );
  });

  it('says no document matches when nothing was found, and warns a strict agent not to answer from memory', () => {
    const strict = groundedCallerMessage('What is your refund policy?', [], true);
    assert.ok(strict.startsWith('What is your refund policy?\n\n[DOCUMENTS]\n'));
    assert.match(strict, /No document matches this message\. If it asks about the business, do not answer from memory\./);
    assert.ok(strict.endsWith('[/DOCUMENTS]'));

    const lenient = groundedCallerMessage('Hi there', [], false);
    assert.equal(lenient, 'Hi there\n\n[DOCUMENTS]\nNo document matches this message.\n[/DOCUMENTS]');
  });

  it('tells a strict agent which of the caller’s words no document mentions, inside the documents block', () => {
    const chunk = { source: 'knowledge/pricing.md', heading: 'Payment terms', text: 'Invoices are paid by bank transfer.' };
    const strict = groundedCallerMessage('can i pay in bitcoin', [chunk], true, ['bitcoin']);
    assert.match(strict, /Invoices are paid by bank transfer\.\nNo document mentions: bitcoin\.\n\[\/DOCUMENTS\]$/);
    assert.doesNotMatch(groundedCallerMessage('can i pay in bitcoin', [chunk], false, ['bitcoin']), /No document mentions/);
    assert.doesNotMatch(groundedCallerMessage('can i pay by transfer', [chunk], true, []), /No document mentions/);
  });
});
