import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// An agent that names an owner address emails in a scenario: the invitation and the owner's
// notice are composed as the server would and captured (never sent), so `expect.emails` can
// check them and the agent's promise of an invitation can be tested offline.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

const booking = (expect: object) => ({
  caller: {
    turns: [
      { say: "Can we book the intro call on Tuesday afternoon? I'm Jane Doe, jane@acme.io." },
      { say: "Yes, that's right." },
      { say: '3 PM please.', expect: { toolCalled: { name: 'book_call', result: { note: '/A calendar invitation goes to jane@acme\\.io/' } } } },
    ],
  },
  model: {
    script: [
      { text: 'Let me check I have it right: J-a-n-e D-o-e, and j-a-n-e at a-c-m-e dot i-o. Is that right?' },
      { toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday afternoon' } }] },
      { text: 'I have Tuesday at 3 PM. Does that suit you?' },
      { toolCalls: [{ name: 'book_call', args: { start: '2026-12-01T14:00:00Z', name: 'Jane Doe', email: 'jane@acme.io' } }] },
      { text: "You're booked for Tuesday at 3 PM; an invitation is on its way to jane@acme.io." },
    ],
  },
  stubs: { now: '2026-11-30T10:00:00+01:00' },
  expect,
});

describe('scenario emails', () => {
  let base: Agent;
  let agent: Agent;
  before(async () => {
    base = await loadAgent(EXAMPLE);
    const calendar = base.config.calendar!;
    assert.equal(calendar.provider, 'builtin');
    agent = { ...base, config: { ...base.config, calendar: { ...calendar, ownerEmail: '${OWNER_EMAIL}' } as typeof calendar } };
  });
  const run = (a: Agent, data: object) => {
    const { scenario, problems } = parseScenario(stringify(data), 'tests/book.yaml', a);
    assert.deepEqual(problems, []);
    return runScenario(scenario!, { agent: a, models: noModels, env: {} });
  };

  it('capture the invitation to the caller and the owner notice, each with its .ics, with no SMTP set', async () => {
    const r = await run(
      agent,
      booking({
        emails: [
          { message: 'invitation', to: 'jane@acme.io', attachment: 'invite.ics' },
          { message: 'owner-booking', to: '/owner-email@/', subject: '/Jane Doe/', attachment: '/\\.ics$/' },
        ],
      }),
    );
    assert.deepEqual(r.failures, []);
    assert.deepEqual(
      r.emails.map((e) => [e.message, e.to, e.attachment?.method]),
      [
        ['invitation', 'jane@acme.io', 'REQUEST'],
        ['owner-booking', 'owner-email@stub.invalid', 'REQUEST'],
      ],
    );
  });

  it('report what was composed when no email matches', async () => {
    const r = await run(agent, booking({ emails: [{ message: 'invitation', to: 'joe@acme.io' }] }));
    assert.equal(r.failures.length, 1);
    assert.equal(r.failures[0].field, 'expect.emails.0');
    assert.match(r.failures[0].message, /none of the 2 emails matches: .*emails: invitation to jane@acme\.io, owner-booking to owner-email@stub\.invalid/);
  });

  it('compose none, and promise none, when the agent names no owner address', async () => {
    const r = await run(base, { ...booking({ emails: [{ message: 'invitation' }] }), caller: { turns: booking({}).caller.turns.map((t, i) => (i === 2 ? { say: t.say } : t)) } });
    assert.deepEqual(r.emails, []);
    assert.match(r.failures.map((f) => f.message).join('\n'), /no email was composed \(emails: none/);
    assert.match(JSON.stringify(r.toolCalls.find((c) => c.name === 'book_call')?.result), /No invitation is emailed/);
  });

  // The server refuses a recipient that is not a plain address and cannot compose an invitation
  // without an organizer: each such delivery fails. Such an email is not sent, so it neither
  // matches an entry nor breaks `emails: []`; `error` matches it, and a note names it.
  const withOwner = (address: string) => (data: object) => {
    const { scenario, problems } = parseScenario(stringify(data), 'tests/book.yaml', agent);
    assert.deepEqual(problems, []);
    return runScenario(scenario!, { agent, models: noModels, env: { OWNER_EMAIL: address } });
  };

  it('do not count a notice to an owner address the server refuses as sent', async () => {
    const run = withOwner('Owner <owner@acme.io>');
    const sent = await run(booking({ emails: [{ message: 'owner-booking' }] }));
    assert.equal(sent.failures.length, 1);
    assert.match(sent.failures[0].message, /owner-booking to Owner <owner@acme\.io> would not be sent: refused: a recipient is not a plain email address/);
    const failed = await run(booking({ emails: [{ message: 'invitation', to: 'jane@acme.io' }, { message: 'owner-booking', error: '/not a plain email address/' }] }));
    assert.deepEqual(failed.failures, []);
    assert.deepEqual(failed.notes, ['owner-booking email to Owner <owner@acme.io> would not be sent: refused: a recipient is not a plain email address']);
  });

  it('pass emails: [] when no email the conversation composes would be sent', async () => {
    const r = await withOwner('owner')(booking({ emails: [] }));
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.emails.map((e) => [e.message, e.error]), [
      ['invitation', 'no organizer address: set calendar.ownerEmail (or a plain PARLEY_MAIL_FROM)'],
      ['owner-booking', 'refused: a recipient is not a plain email address'],
    ]);
    const sent = await withOwner('owner')(booking({ emails: [{ message: 'invitation', error: '/no organizer/' }, { message: 'owner-booking', to: 'owner' }] }));
    assert.deepEqual(sent.failures.map((f) => f.message), [
      'none of the 2 emails matches: owner-booking to owner would not be sent: refused: a recipient is not a plain email address (emails: invitation to jane@acme.io (not sent: no organizer address: set calendar.ownerEmail (or a plain PARLEY_MAIL_FROM)), owner-booking to owner (not sent: refused: a recipient is not a plain email address))',
    ]);
  });
});
