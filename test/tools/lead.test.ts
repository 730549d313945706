import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectSpec } from '../../src/agent/collect.ts';
import type { Agent, CollectSpec } from '../../src/agent/load.ts';
import type { ConversationEvent } from '../../src/session/events.ts';
import type { ToolContext } from '../../src/tools/context.ts';
import { isEmail, saveLeadTool } from '../../src/tools/lead.ts';
import { toolContext } from '../helpers/tool-context.ts';

const COLLECT: CollectSpec[] = [
  collectSpec('name', 'UTC'),
  collectSpec('email', 'UTC'),
  collectSpec({ field: 'company', required: false }, 'UTC'),
  collectSpec({ field: 'problem', required: true }, 'UTC'),
];

function context(collect: CollectSpec[] = COLLECT) {
  const lead: Record<string, string> = {};
  const { ctx, events } = toolContext({ agent: { name: 'test-agent', collect }, lead });
  return { ctx, events, lead };
}

const never = new AbortController().signal;

interface LeadResult {
  saved: Record<string, string>;
  stillMissing: string[];
  rejected?: string[];
}

describe('isEmail', () => {
  it('accepts plausible addresses', () => {
    for (const e of ['jan@example.com', 'j.kowalski+sales@mail.example.co.uk', 'ANA@EXAMPLE.ORG']) assert.equal(isEmail(e), true, e);
  });

  it('rejects what is not an address', () => {
    for (const e of ['', 'jan', 'jan@', '@example.com', 'jan@example', 'jan @example.com', 'jan@example.c', 'jan at example dot com', 'a@b@c.com']) assert.equal(isEmail(e), false, e);
  });
});

describe('save_lead tool', () => {
  it('describes the fields it collects', () => {
    const { ctx } = context();
    const spec = saveLeadTool(ctx);
    assert.equal(spec.name, 'save_lead');
    assert.match(spec.description, /name, email, company, problem/);
  });

  it('a pattern field\'s description gets its patternHint once: appended when missing, not repeated when the description says it', () => {
    const shape = (collect: CollectSpec[]) => (saveLeadTool(context(collect).ctx).inputSchema as unknown as { shape: Record<string, { description?: string }> }).shape;
    assert.equal(shape([collectSpec({ field: 'nip', required: true, description: 'NIP firmy', pattern: '^[0-9]{10}$', patternHint: '10 cyfr' }, 'UTC')]).nip.description, 'NIP firmy (10 cyfr)');
    assert.equal(shape([collectSpec({ field: 'nip', required: true, description: 'NIP firmy, 10 Cyfr', pattern: '^[0-9]{10}$', patternHint: '10 cyfr' }, 'UTC')]).nip.description, 'NIP firmy, 10 Cyfr');
    assert.equal(shape([collectSpec({ field: 'nip', required: true, pattern: '^[0-9]{10}$', patternHint: '10 digits' }, 'UTC')]).nip.description, 'nip (10 digits)');
  });

  it('merges fields across calls into ctx.lead and emits only the new valid fields', async () => {
    const { ctx, events, lead } = context();
    const spec = saveLeadTool(ctx);

    const first = await spec.run({ name: '  Jan Kowalski ' }, never, 'c1');
    assert.deepEqual(lead, { name: 'Jan Kowalski' });
    assert.equal(first.error, undefined);
    assert.deepEqual(first.result, { saved: { name: 'Jan Kowalski' }, stillMissing: ['email', 'problem'], readBack: { name: 'J-a-n, K-o-w-a-l-s-k-i' }, awaitingReadBack: ['name'] });

    const second = await spec.run({ email: 'jan@example.com', company: 'Acme' }, never, 'c2');
    assert.deepEqual(lead, { name: 'Jan Kowalski', email: 'jan@example.com', company: 'Acme' });
    assert.deepEqual(second.result, { saved: { name: 'Jan Kowalski', email: 'jan@example.com', company: 'Acme' }, stillMissing: ['problem'], readBack: { email: 'j-a-n at e-x-a-m-p-l-e dot com' }, awaitingReadBack: ['name', 'email'] });

    const third = await spec.run({ problem: 'invoices by hand', name: 'Jan K. Kowalski' }, never, 'c3');
    assert.deepEqual(lead, { name: 'Jan K. Kowalski', email: 'jan@example.com', company: 'Acme', problem: 'invoices by hand' });
    assert.deepEqual((third.result as LeadResult).stillMissing, []);

    assert.deepEqual(events, [
      { type: 'lead.saved', at: '2026-01-15T12:00:00.000Z', fields: { name: 'Jan Kowalski' } },
      { type: 'lead.saved', at: '2026-01-15T12:00:00.000Z', fields: { email: 'jan@example.com', company: 'Acme' } },
      { type: 'lead.saved', at: '2026-01-15T12:00:00.000Z', fields: { name: 'Jan K. Kowalski', problem: 'invoices by hand' } },
    ]);
  });

  it('rejects an invalid email with a message, saves the rest, and keeps email missing', async () => {
    const { ctx, events, lead } = context();
    const spec = saveLeadTool(ctx);

    const outcome = await spec.run({ name: 'Ana', email: 'ana at example' }, never, 'c1');

    assert.deepEqual(lead, { name: 'Ana' });
    const result = outcome.result as LeadResult;
    assert.deepEqual(result.saved, { name: 'Ana' });
    assert.deepEqual(result.stillMissing, ['email', 'problem']);
    assert.equal(result.rejected?.length, 1);
    assert.match(result.rejected![0], /email "ana at example" is not a valid address; ask the caller to spell it again/);
    assert.match(outcome.error ?? '', /not a valid address/);
    assert.deepEqual(events.map((e) => (e.type === 'lead.saved' ? e.fields : e)), [{ name: 'Ana' }]);
  });

  it('turns a spoken email into an address and gives the read-back wording', async () => {
    const { ctx, lead } = context();
    const outcome = await saveLeadTool(ctx).run({ name: 'Ana Li', email: 'ana dot li at example dot com' }, never, 'c1');
    assert.equal(lead.email, 'ana.li@example.com');
    const result = outcome.result as LeadResult & { readBack: Record<string, string> };
    assert.deepEqual(result.readBack, { name: 'A-n-a, L-i', email: 'a-n-a dot l-i at e-x-a-m-p-l-e dot com' });
  });

  it('does not overwrite a good email with a bad one', async () => {
    const { ctx, events, lead } = context();
    const spec = saveLeadTool(ctx);
    await spec.run({ email: 'ana@example.com' }, never, 'c1');

    const outcome = await spec.run({ email: 'ana@example' }, never, 'c2');

    assert.equal(lead.email, 'ana@example.com');
    assert.equal(events.length, 1, 'a call with nothing valid must not emit lead.saved');
    assert.ok((outcome.result as LeadResult).rejected);
  });

  it('ignores empty and blank values and emits nothing when nothing new is valid', async () => {
    const { ctx, events, lead } = context();
    const spec = saveLeadTool(ctx);

    const outcome = await spec.run({ name: '   ', company: '' }, never, 'c1');

    assert.deepEqual(lead, {});
    assert.deepEqual(events, []);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.result, { saved: {}, stillMissing: ['name', 'email', 'problem'] });
  });

  it('lists only required fields as still missing', async () => {
    const { ctx } = context([
      collectSpec({ field: 'name', required: true }, 'UTC'),
      collectSpec({ field: 'phone', required: false }, 'UTC'),
    ]);
    const spec = saveLeadTool(ctx);
    assert.deepEqual(((await spec.run({}, never, 'c1')).result as LeadResult).stillMissing, ['name']);
    assert.deepEqual(((await spec.run({ phone: '+48 600 000 000' }, never, 'c2')).result as LeadResult).stillMissing, ['name']);
    assert.deepEqual(((await spec.run({ name: 'Ola' }, never, 'c3')).result as LeadResult).stillMissing, []);
  });

  it('ignores fields the agent does not collect', async () => {
    const { ctx, lead } = context();
    const spec = saveLeadTool(ctx);
    await spec.run({ name: 'Ana', password: 'hunter2' } as Record<string, string>, never, 'c1');
    assert.deepEqual(lead, { name: 'Ana' });
  });
});
