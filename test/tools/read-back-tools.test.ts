import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { collectSpec } from '../../src/agent/collect.ts';
import { loadAgent } from '../../src/agent/load.ts';
import { WebhookTool } from '../../src/agent/schema.ts';
import { saveLeadTool } from '../../src/tools/lead.ts';
import { spellOut } from '../../src/tools/spelling.ts';
import { webhookTool } from '../../src/tools/webhook.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import { toolContext } from '../helpers/tool-context.ts';

// A collected value with a read-back (confirm: spell, digits, repeat) is not sent to a webhook tool
// before it was read back and the caller said yes — the rule book_call keeps, for lookups and tickets.

type Turn = { role: 'agent' | 'caller'; text: string };
const collect = [collectSpec('email', 'UTC'), collectSpec({ field: 'nip', required: true, pattern: '^[0-9]{10}$', patternHint: '10 digits', confirm: 'digits' }, 'UTC'), collectSpec('problem', 'UTC')];
const lookup = (o: Record<string, unknown> = {}) =>
  WebhookTool.parse({ type: 'webhook', name: 'account_status', description: 'Look up the account.', url: 'https://crm.example.com/status', parameters: { type: 'object', properties: { email: { type: 'string' }, tax_id: { type: 'string' }, problem: { type: 'string' } } }, ...o });

describe('read-back before webhook tools and save_lead', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });
  const setup = async (transcript: Turn[], tool = lookup()) => {
    const receiver = await startWebhookReceiver(() => ({ status: 200, body: { status: 'active' } }));
    closers.push(receiver.close);
    const { ctx } = toolContext({ agent: { name: 'support', collect, config: { timeZone: 'UTC' } }, transcript: () => transcript });
    return { receiver, spec: webhookTool(ctx, { ...tool, url: `${receiver.url}/status` }), ctx };
  };

  it('an argument listed in collectFields is refused until it was spelled back and confirmed; unlisted ones are not checked', async () => {
    const unlisted = await setup([]);
    assert.equal((await unlisted.spec.run({ email: 'jane@example.com' }, AbortSignal.timeout(5000), 'c0')).error, undefined);
    const transcript: Turn[] = [{ role: 'caller', text: "It's jane@example.com" }];
    const { receiver, spec } = await setup(transcript, lookup({ collectFields: ['email'] }));
    const refused = await spec.run({ email: 'jane@example.com', problem: 'cannot log in' }, AbortSignal.timeout(5000), 'c1');
    assert.match(refused.error!, /^refused: spell it back letter by letter \("j-a-n-e at e-x-a-m-p-l-e dot com"\) and wait for a yes for email before calling account_status$/);
    assert.equal(receiver.received.length, 0, 'nothing was sent');
    transcript.push({ role: 'agent', text: `That is ${spellOut('jane@example.com')}, right?` }, { role: 'caller', text: 'Yes, that is right.' });
    const sent = await spec.run({ email: 'jane@example.com', problem: 'cannot log in' }, AbortSignal.timeout(5000), 'c2');
    assert.equal(sent.error, undefined, JSON.stringify(sent.result));
    assert.equal(receiver.received.length, 1);
  });

  it('collectFields maps another argument name to a field; its rule and read-back apply', async () => {
    const transcript: Turn[] = [{ role: 'caller', text: 'my NIP is 123' }];
    const { receiver, spec } = await setup(transcript, lookup({ collectFields: { tax_id: 'nip' } }));
    assert.match((await spec.run({ tax_id: '123' }, AbortSignal.timeout(5000), 'c1')).error!, /refused: nip "123" does not match its rule \(10 digits/);
    assert.match((await spec.run({ tax_id: '123-456-32-18' }, AbortSignal.timeout(5000), 'c2')).error!, /read it back digit by digit.*for nip before calling account_status/);
    transcript.push({ role: 'agent', text: 'So that is one two three, four five six, three two, one eight?' }, { role: 'caller', text: 'yes' });
    assert.equal((await spec.run({ tax_id: '123-456-32-18' }, AbortSignal.timeout(5000), 'c3')).error, undefined);
    assert.equal(receiver.received.length, 1);
  });

  it('save_lead keeps the value at once and says which ones still wait for their read-back', async () => {
    const transcript: Turn[] = [];
    const { ctx } = toolContext({ agent: { name: 'support', collect, config: { timeZone: 'UTC' } }, transcript: () => transcript });
    const save = saveLeadTool(ctx);
    const first = (await save.run({ email: 'jane@example.com' }, AbortSignal.timeout(5000), 'c1')).result as { saved: Record<string, string>; awaitingReadBack?: string[] };
    assert.equal(first.saved.email, 'jane@example.com');
    assert.deepEqual(first.awaitingReadBack, ['email']);
    transcript.push({ role: 'agent', text: `That is ${spellOut('jane@example.com')}?` }, { role: 'caller', text: 'yes' });
    const second = (await save.run({ problem: 'cannot log in' }, AbortSignal.timeout(5000), 'c2')).result as { awaitingReadBack?: string[] };
    assert.equal(second.awaitingReadBack, undefined);
  });

  it('parley check points at a collectFields entry naming no collect field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-collect-fields-'));
    try {
      writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\ncollect: [email]\ntools:\n  - type: webhook\n    name: lookup\n    description: d\n    url: https://crm.example.com/x\n    collectFields: { account_email: emial }\n');
      await assert.rejects(loadAgent(dir), (e: Error) => /collectFields\.account_email.*"emial" is not a collect field \(email\)/s.test(e.message) || assert.fail(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
