import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Recorder } from '../../src/session/recorder.ts';
import type { ConversationEvent } from '../../src/session/events.ts';
import { Records, type ToolCallRecord, type TurnRecord } from '../../src/store/records.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { openTestStore } from '../helpers/store.ts';

const ID = '3f2a9c10-5b7e-4d21-9a0c-1e2f3a4b5c6d';
const SIBLING = '3f2a7777-0000-4000-8000-000000000000'; // shares the prefix "3f2a"
const OTHER_AGENT = '9e8d7c6b-0000-4000-8000-000000000000';

const t = (s: number) => new Date(Date.UTC(2026, 0, 15, 12, 0, s)).toISOString();

function turn(seq: number, role: 'agent' | 'caller', text: string, s: number, extra: Partial<Omit<TurnRecord, 'knowledge'>> = {}): Omit<TurnRecord, 'knowledge'> {
  return { seq, role, text, heardText: text, interrupted: false, grounding: null, startedAt: t(s), endedAt: t(s + 1), latency: null, ...extra };
}

const saveLeadCall: ToolCallRecord = {
  id: 'call-save-1',
  turnSeq: 3,
  name: 'save_lead',
  input: { name: 'Jan Kowalski' },
  request: undefined,
  response: undefined,
  result: { saved: { name: 'Jan Kowalski' }, stillMissing: ['email', 'problem'] },
  error: null,
  startedAt: t(5),
  durationMs: 1,
};

const webhookCall: ToolCallRecord = {
  id: 'call-crm-1',
  turnSeq: 5,
  name: 'notify_sales_team',
  input: { name: 'Jan Kowalski', email: 'jan@example.com', problem: 'invoices' },
  request: { method: 'POST', url: '${CRM_WEBHOOK_URL}', headers: { Authorization: 'Bearer ${CRM_TOKEN}' }, body: { name: 'Jan Kowalski', email: 'jan@example.com', problem: 'invoices' } },
  response: { status: 500, headers: { 'content-type': 'application/json' }, body: { error: 'down' }, attempts: 2 },
  result: { error: 'the endpoint answered HTTP 500', body: { error: 'down' } },
  error: 'HTTP 500',
  startedAt: t(12),
  durationMs: 612,
};

/** A whole conversation, in the order a session emits it. */
const conversation: ConversationEvent[] = [
  { type: 'conversation.started', at: t(0), agent: 'sales-booking', agentVersion: 'abc123def456', channel: 'text', direction: 'inbound', caller: '+48600000000' },
  { type: 'turn.agent', at: t(0), turn: turn(1, 'agent', 'Hi, this is Ada.', 0) },
  { type: 'turn.caller', at: t(3), turn: turn(2, 'caller', 'I am Jan, do you automate invoicing?', 2) },
  {
    type: 'knowledge.hits',
    at: t(3),
    seq: 2,
    grounding: 'chunks',
    hits: [
      { chunkId: 11, source: 'knowledge/services.md', heading: 'Services › Invoicing', score: 3.5 },
      { chunkId: 4, source: 'knowledge/faq.md', heading: 'FAQ', score: 1.25 },
    ],
  },
  { type: 'tool.call', at: t(5), call: saveLeadCall },
  { type: 'lead.saved', at: t(5), fields: { name: 'Jan Kowalski' } },
  { type: 'turn.agent', at: t(6), turn: turn(3, 'agent', 'Yes, we do. What is your email?', 4, { latency: { llmFirstTokenMs: 420, ttsFirstByteMs: null } }) },
  { type: 'turn.caller', at: t(9), turn: turn(4, 'caller', 'jan@example.com, and what about your CEO’s birthday?', 8, { heardText: 'jan at example dot com and what about your CEO birthday' }) },
  { type: 'knowledge.hits', at: t(9), seq: 4, grounding: 'no-match', hits: [] },
  { type: 'lead.saved', at: t(10), fields: { email: 'jan@example.com', problem: 'invoices' } },
  { type: 'tool.call', at: t(13), call: webhookCall },
  { type: 'error', at: t(13), where: 'tool:notify_sales_team', message: 'HTTP 500' },
  { type: 'turn.agent', at: t(14), turn: turn(5, 'agent', "I don't have that in our materials, so", 11, { interrupted: true }) },
  { type: 'lead.saved', at: t(15), fields: { name: 'Jan K. Kowalski' } },
  { type: 'conversation.ended', at: t(16), reason: 'caller hung up' },
  // A late duplicate must not overwrite how the conversation ended.
  { type: 'conversation.ended', at: t(20), reason: 'time limit' },
];

async function recordAll(records: Records, id: string, events: ConversationEvent[], agent = 'sales-booking'): Promise<unknown[]> {
  const errors: unknown[] = [];
  const recorder = new Recorder(records, agent, (e) => errors.push(e));
  // The session does not wait for each write; the recorder keeps them in order.
  for (const e of events) void recorder.record(id, e);
  await recorder.flush();
  return errors;
}

describe('conversation records', () => {
  let store: Store;
  let records: Records;

  before(async () => {
    store = await openTestStore();
    records = new Records(store.db);
    assert.deepEqual(await recordAll(records, ID, conversation), []);
    assert.deepEqual(
      await recordAll(records, SIBLING, [
        { type: 'conversation.started', at: t(30), agent: 'sales-booking', agentVersion: 'abc123def456', channel: 'web', direction: 'inbound', caller: null },
        { type: 'turn.agent', at: t(30), turn: turn(1, 'agent', 'Hi!', 30) },
      ]),
      [],
    );
    assert.deepEqual(
      await recordAll(records, OTHER_AGENT, [{ type: 'conversation.started', at: t(60), agent: 'support-desk', agentVersion: 'fff000fff000', channel: 'phone', direction: 'outbound', caller: '+14155550123' }], 'support-desk'),
      [],
    );
  });
  after(() => store.close());

  it('reads back the conversation itself with its end reason', async () => {
    const rec = await records.get(ID);
    assert.ok(rec);
    assert.equal(rec.id, ID);
    assert.equal(rec.agent, 'sales-booking');
    assert.equal(rec.agentVersion, 'abc123def456');
    assert.equal(rec.channel, 'text');
    assert.equal(rec.direction, 'inbound');
    assert.equal(rec.caller, '+48600000000');
    assert.equal(rec.startedAt, t(0));
    assert.equal(rec.endedAt, t(16));
    assert.equal(rec.endReason, 'caller hung up');
  });

  it('returns the turns in order with knowledge hits on the turn they grounded', async () => {
    const rec = (await records.get(ID))!;
    assert.deepEqual(
      rec.turns.map((x) => [x.seq, x.role, x.grounding, x.knowledge.length]),
      [
        [1, 'agent', null, 0],
        [2, 'caller', 'chunks', 2],
        [3, 'agent', null, 0],
        [4, 'caller', 'no-match', 0],
        [5, 'agent', null, 0],
      ],
    );
    assert.deepEqual(rec.turns[1].knowledge, [
      { chunkId: 11, source: 'knowledge/services.md', heading: 'Services › Invoicing', score: 3.5 },
      { chunkId: 4, source: 'knowledge/faq.md', heading: 'FAQ', score: 1.25 },
    ]);
    assert.deepEqual(rec.turns[0], { ...turn(1, 'agent', 'Hi, this is Ada.', 0), knowledge: [] });
    assert.deepEqual(rec.turns[2].latency, { llmFirstTokenMs: 420, ttsFirstByteMs: null });
    assert.equal(rec.turns[0].latency, null);
    assert.equal(rec.turns[3].text, 'jan@example.com, and what about your CEO’s birthday?');
    assert.equal(rec.turns[3].heardText, 'jan at example dot com and what about your CEO birthday');
    assert.equal(rec.turns[4].interrupted, true);
    assert.equal(rec.turns[2].interrupted, false);
  });

  it('returns tool calls with their JSON request, response and result parsed', async () => {
    const rec = (await records.get(ID))!;
    assert.equal(rec.toolCalls.length, 2);
    const [save, crm] = rec.toolCalls;
    assert.deepEqual(save, { ...saveLeadCall, request: null, response: null });
    assert.deepEqual(crm, webhookCall);
    assert.equal((crm.request as { headers: Record<string, string> }).headers.Authorization, 'Bearer ${CRM_TOKEN}');
    assert.equal((crm.response as { attempts: number }).attempts, 2);
  });

  it('merges every lead.saved into one lead', async () => {
    const rec = (await records.get(ID))!;
    assert.deepEqual(rec.lead, { name: 'Jan K. Kowalski', email: 'jan@example.com', problem: 'invoices' });
    assert.equal((await records.get(SIBLING))!.lead, null);
    const row = await store.db.selectFrom('leads').selectAll().where('conversation_id', '=', ID).executeTakeFirstOrThrow();
    assert.equal(row.agent, 'sales-booking');
    assert.equal(row.created_at, t(5));
    assert.equal(row.updated_at, t(15));
  });

  it('writes the raw events in the order they happened, without type and time in the data', async () => {
    const rows = await store.db.selectFrom('events').selectAll().where('conversation_id', '=', ID).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => r.type),
      conversation.map((e) => e.type),
    );
    assert.deepEqual(
      rows.map((r) => r.at),
      conversation.map((e) => e.at),
    );
    rows.forEach((r, i) => {
      const { type: _type, at: _at, ...data } = conversation[i];
      assert.deepEqual(JSON.parse(r.data), JSON.parse(JSON.stringify(data)), `event ${i} (${r.type})`);
    });
    assert.deepEqual(JSON.parse(rows[11].data), { where: 'tool:notify_sales_team', message: 'HTTP 500' });
  });

  it('finds a conversation by a unique id prefix, and not by an ambiguous or unknown one', async () => {
    assert.equal((await records.get('3f2a9'))?.id, ID);
    assert.equal((await records.get('3f2a7'))?.id, SIBLING);
    assert.equal((await records.get('9e8d'))?.id, OTHER_AGENT);
    assert.equal(await records.get('3f2a'), undefined, 'two conversations start with 3f2a');
    assert.equal(await records.get('ffff'), undefined);
    assert.equal(await records.get(`${ID}0`), undefined);
  });

  it('does not let LIKE wildcards in the prefix match other conversations', async () => {
    // As LIKE patterns these would match 3f2a9c10-…; as prefixes they match nothing.
    assert.equal(await records.get('3f2a9_10'), undefined);
    assert.equal(await records.get('3f2a9%10'), undefined);
    assert.equal(await records.get('%c10-5b7e'), undefined);
    assert.equal((await records.get('3f2a9c10'))?.id, ID);
  });

  it('lists conversations newest first with turn counts and whether a lead was saved', async () => {
    assert.deepEqual(await records.list(), [
      { id: OTHER_AGENT, agent: 'support-desk', channel: 'phone', startedAt: t(60), endedAt: null, endReason: null, turns: 0, lead: false },
      { id: SIBLING, agent: 'sales-booking', channel: 'web', startedAt: t(30), endedAt: null, endReason: null, turns: 1, lead: false },
      { id: ID, agent: 'sales-booking', channel: 'text', startedAt: t(0), endedAt: t(16), endReason: 'caller hung up', turns: 5, lead: true },
    ]);
  });

  it('filters the list by agent and channel, and limits it', async () => {
    assert.deepEqual(
      (await records.list({ agent: 'sales-booking' })).map((c) => [c.id, c.turns]),
      [
        [SIBLING, 1],
        [ID, 5],
      ],
    );
    assert.deepEqual((await records.list({ agent: 'support-desk' })).map((c) => c.id), [OTHER_AGENT]);
    assert.deepEqual(await records.list({ agent: 'nobody' }), []);
    assert.deepEqual((await records.list({ channel: 'text' })).map((c) => c.id), [ID]);
    assert.deepEqual((await records.list({ limit: 1 })).map((c) => c.id), [OTHER_AGENT]);
  });

  it('reports a failed write and still records the events after it', async () => {
    const id = '5a5a5a5a-0000-4000-8000-000000000000';
    const errors = await recordAll(records, id, [
      { type: 'conversation.started', at: t(90), agent: 'sales-booking', agentVersion: 'v', channel: 'text', direction: 'inbound', caller: null },
      { type: 'turn.agent', at: t(90), turn: turn(1, 'agent', 'Hi', 90) },
      // Same seq again: the unique constraint refuses it.
      { type: 'turn.agent', at: t(91), turn: turn(1, 'agent', 'Hi again', 91) },
      { type: 'conversation.ended', at: t(92), reason: 'caller left' },
    ]);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /UNIQUE|unique constraint/i);
    const rec = (await records.get(id))!;
    assert.deepEqual(rec.turns.map((x) => x.text), ['Hi']);
    assert.equal(rec.endReason, 'caller left');
    const types = (await store.db.selectFrom('events').select('type').where('conversation_id', '=', id).orderBy('id').execute()).map((r) => r.type);
    assert.deepEqual(types, ['conversation.started', 'turn.agent', 'conversation.ended']);
  });
});

describe('SQLite file store', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-records-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every record after close and reopen', async () => {
    const url = `file:${join(dir, 'nested', 'parley.db')}`;
    const first = await openStore(url);
    assert.deepEqual(await recordAll(new Records(first.db), ID, conversation), []);
    const before = await new Records(first.db).get(ID);
    await first.close();

    const second = await openStore(url);
    try {
      const records = new Records(second.db);
      const after = await records.get(ID);
      assert.ok(after);
      assert.deepEqual(after, before);
      assert.equal(after.turns.length, 5);
      assert.equal(after.toolCalls.length, 2);
      assert.deepEqual(after.lead, { name: 'Jan K. Kowalski', email: 'jan@example.com', problem: 'invoices' });
      assert.equal(after.endReason, 'caller hung up');
      assert.deepEqual((await records.list()).map((c) => [c.id, c.turns, c.lead]), [[ID, 5, true]]);
      const events = await second.db.selectFrom('events').select('type').orderBy('id').execute();
      assert.equal(events.length, conversation.length);
      // Reopening runs migrations again, which must be a no-op: recording still works.
      assert.deepEqual(await recordAll(records, SIBLING, [{ type: 'conversation.started', at: t(30), agent: 'sales-booking', agentVersion: 'v', channel: 'web', direction: 'inbound', caller: null }]), []);
      assert.equal((await records.list()).length, 2);
    } finally {
      await second.close();
    }
  });
});
