import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { WebhookTool } from '../../src/agent/schema.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

// Arguments are the model's, so they are hostile input: keys named __proto__, constructor and
// prototype must be recorded exactly as sent and must never reach an object's prototype.

describe('tool arguments with prototype-shaped keys', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  before(async () => {
    store = await openTestStore();
    llm = await startFakeOpenAI();
    receiver = await startWebhookReceiver();
    const a = await loadAgent(EXAMPLE);
    const note = WebhookTool.parse({
      type: 'webhook',
      name: 'note',
      description: 'Leave a note.',
      url: `${receiver.url}/notes`,
      parameters: { type: 'object', properties: { text: { type: 'string' }, constructor: { type: 'string' }, prototype: { type: 'string' } } },
    });
    agent = { ...a, config: { ...a.config, knowledge: { ...a.config.knowledge, strict: false }, tools: [...a.config.tools, note] } };
  });
  after(async () => {
    await llm.close();
    await receiver.close();
    await store.close();
  });

  async function callWith(raw: string) {
    llm.push({ toolCalls: [{ name: 'note', args: JSON.parse(raw) }] });
    llm.push({ text: 'Done.' });
    const c = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: llm.url })('m')] });
    await c.start();
    for await (const o of c.reply('Leave a note please.')) void o;
    await c.end('caller left');
    return (await new Records(store.db).get(c.id))!;
  }

  it('records a call whose arguments hold __proto__ exactly, refused, and pollutes nothing', async () => {
    const raw = '{"text":"hi","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';
    const sentBefore = receiver.received.length;
    const rec = await callWith(raw);
    assert.equal(rec.toolCalls.length, 1, 'the call is recorded');
    const [call] = rec.toolCalls;
    assert.equal(call.name, 'note');
    assert.equal(JSON.stringify(call.input), raw, 'recorded exactly, and a JSON round trip keeps it');
    assert.ok(Object.hasOwn(call.input as object, '__proto__'));
    assert.match(call.error ?? '', /prototype/);
    assert.equal(receiver.received.length, sentBefore, 'the endpoint was not called');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(call.input), Object.prototype);
  });

  it('runs and records a call whose declared arguments are named constructor and prototype', async () => {
    const raw = '{"text":"hi","constructor":"c","prototype":"p"}';
    const rec = await callWith(raw);
    const [call] = rec.toolCalls;
    assert.equal(call.error, null);
    assert.equal(JSON.stringify(call.input), raw);
    assert.deepEqual(JSON.parse(receiver.received.at(-1)!.body), { text: 'hi', constructor: 'c', prototype: 'p' });
  });
});
