import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { formatProblem } from '../../src/agent/problems.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// stubs.calendar.book: link — the stubbed calendar answers book_call as Calendly does without a
// paid plan: a single-use scheduling link instead of a booking. The scenario then asserts what
// book_call told the model, the booking-link email (with SMTP), and the phone's no-email note.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

const SMTP = { PARLEY_SMTP_URL: 'smtp://mail.stub.invalid:587', PARLEY_MAIL_FROM: 'desk@acme.io' };
const LINK = 'https://calendar.stub.invalid/link/1';

const scenario = (o: { book?: string; door?: string; expect: object; again?: boolean }) => ({
  ...(o.door ? { door: o.door } : {}),
  caller: {
    turns: [
      { say: "Can we book the intro call on Tuesday afternoon? I'm Jane Doe, jane@acme.io." },
      { say: "Yes, that's right." },
      { say: '3 PM please.' },
    ],
  },
  model: {
    script: [
      { text: 'Let me check I have it right: J-a-n-e D-o-e, and j-a-n-e at a-c-m-e dot i-o. Is that right?' },
      { toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday afternoon' } }] },
      { text: 'I have Tuesday at 3 PM. Does that suit you?' },
      { toolCalls: [{ name: 'book_call', args: { start: '2026-12-01T14:00:00Z', name: 'Jane Doe', email: 'jane@acme.io' } }] },
      ...(o.again ? [{ toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday afternoon' } }] }] : []),
      { text: 'Nothing is booked yet: please confirm on the page in the email.' },
    ],
  },
  stubs: { now: '2026-11-30T10:00:00+01:00', calendar: { slots: ['2026-12-01T14:00:00Z'], ...(o.book ? { book: o.book } : {}) } },
  expect: o.expect,
});

describe('stubs.calendar.book', () => {
  let agent: Agent;
  before(async () => {
    const base = await loadAgent(EXAMPLE);
    // A Calendly calendar, as an owner without a paid plan has it; the scenario never reaches Calendly.
    const calendar = { provider: 'calendly', token: '${CALENDLY_TOKEN}', eventType: 'https://api.calendly.com/event_types/abc', baseURL: 'https://api.calendly.com' };
    agent = { ...base, config: { ...base.config, channels: { ...base.config.channels, phone: { number: '+14155550123' } }, calendar } as typeof base.config };
  });
  const run = (data: object, env: NodeJS.ProcessEnv = {}) => {
    const { scenario: s, problems } = parseScenario(stringify(data), 'tests/link.yaml', agent);
    assert.deepEqual(problems.map(formatProblem), []);
    return runScenario(s!, { agent, models: noModels, env });
  };

  it('link, with SMTP: book_call gives the link and says it is emailed; the booking-link email carries it; nothing counts as booked', async () => {
    const r = await run(
      scenario({
        book: 'link',
        expect: {
          toolCalled: [{ name: 'book_call', result: { booked: false, link: LINK, emailedTo: 'jane@acme.io', note: '/being emailed to jane@acme\\.io.*Do not read the link aloud/' } }],
          emails: [{ message: 'booking-link', to: 'jane@acme.io', subject: '/Confirm your call/', text: `/${LINK.replace(/[./]/g, '\\$&')}/`, attachment: false }],
          events: [{ type: 'booking.created', data: { booking: { status: 'link', url: LINK } } }],
          booking: false,
        },
      }),
      SMTP,
    );
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.emails.map((e) => [e.message, e.to]), [['booking-link', 'jane@acme.io']]);
  });

  it('link on door: phone without SMTP: the note says no email can be sent, and no email is composed', async () => {
    const r = await run(
      scenario({
        book: 'link',
        door: 'phone',
        expect: { toolCalled: [{ name: 'book_call', result: { booked: false, link: LINK, note: '/no email can be sent from here\\. Do not read the link aloud and do not promise to send it/' } }], booking: false },
      }),
    );
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.emails, []);
  });

  it('link: expect.booking with a time fails, saying a link came instead', async () => {
    const r = await run(scenario({ book: 'link', expect: { booking: { localTime: '2026-12-01 09:00' } } }), SMTP);
    assert.deepEqual(r.failures.map((f) => [f.field, f.message]), [['expect.booking', 'no call was booked (the calendar gave a scheduling link instead)']]);
  });

  it('link: a link holds no slot (as Calendly\'s does not), so the time is still offered afterwards', async () => {
    const r = await run(scenario({ book: 'link', again: true, expect: { booking: false } }), SMTP);
    assert.deepEqual(r.failures, []);
    const checks = r.toolCalls.filter((c) => c.name === 'check_availability').map((c) => JSON.stringify(c.result));
    assert.equal(checks.length, 2);
    assert.match(checks[1]!, /2026-12-01T14:00:00Z/);
  });

  it('pending: book_call says the request is with the team; confirmed (the default) books', async () => {
    const pending = await run(scenario({ book: 'pending', expect: { toolCalled: [{ name: 'book_call', result: { booked: false, requested: true } }] } }));
    assert.deepEqual(pending.failures, []);
    const confirmed = await run(scenario({ expect: { toolCalled: [{ name: 'book_call', result: { booked: true } }], booking: { start: '2026-12-01T14:00:00Z' } } }));
    assert.deepEqual(confirmed.failures, []);
  });

  it('refuses an unknown answer', () => {
    const { problems } = parseScenario(stringify(scenario({ book: 'links', expect: {} })), 'tests/link.yaml', agent);
    assert.match(problems.map(formatProblem).join('\n'), /stubs\.calendar\.book: .*confirmed.*pending.*link/);
  });
});
