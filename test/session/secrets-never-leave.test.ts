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

// The hostile tester's case, end to end: an endpoint that echoes the request it got (headers,
// URL) in an error body. No secret may reach the store (record, event log), the live events,
// or the model.

const CRM_TOKEN = 'crm-tok-5f4e3d2c1b0a';
const LOOKUP_KEY = 'lk/9+8=7 6~5';
const OPENAI_API_KEY = 'sk-proj-NeverLeave0123456789';

describe('secrets an endpoint echoes never leave', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  before(async () => {
    store = await openTestStore();
    llm = await startFakeOpenAI();
    receiver = await startWebhookReceiver((r) => ({ status: 401, body: { error: 'unauthorized', youSent: { url: r.url, headers: r.headers }, debug: `Authorization=${r.headers.authorization}; Basic ${Buffer.from(`crm:${CRM_TOKEN}`).toString('base64')}; env OPENAI_API_KEY=${OPENAI_API_KEY}` } }));
    const a = await loadAgent(EXAMPLE);
    const lookup = WebhookTool.parse({
      type: 'webhook',
      name: 'crm_lookup',
      description: 'Look the caller up in the CRM.',
      method: 'GET',
      url: `${receiver.url}/lookup?key=\${LOOKUP_KEY}`,
      headers: { Authorization: 'Bearer ${CRM_TOKEN}' },
      parameters: { type: 'object', properties: { email: { type: 'string' } } },
    });
    agent = { ...a, config: { ...a.config, knowledge: { ...a.config.knowledge, strict: false }, tools: [...a.config.tools, lookup] } };
  });
  after(async () => {
    await llm.close();
    await receiver.close();
    await store.close();
  });

  it('keeps them out of the record, the event log, the live events and what the model reads', async () => {
    llm.push({ toolCalls: [{ name: 'crm_lookup', args: { email: 'ann@example.com' } }] });
    llm.push({ text: 'Sorry, I could not find you.' });
    const live: unknown[] = [];
    const c = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: llm.url })('m')], env: { CRM_TOKEN, LOOKUP_KEY, OPENAI_API_KEY }, onEvent: (_, e) => void live.push(e) });
    await c.start();
    for await (const o of c.reply('Am I in your CRM? ann@example.com')) live.push(o);
    await c.end('caller left');

    assert.equal(receiver.received.at(-1)?.headers.authorization, `Bearer ${CRM_TOKEN}`, 'the endpoint got the real token');
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.toolCalls.length, 1);
    const events = await store.db.selectFrom('events').select('data').where('conversation_id', '=', c.id).execute();
    const toModel = llm.requests.at(-1)!.messages.filter((m) => m.role === 'tool');
    const places = { record: JSON.stringify(rec), events: JSON.stringify(events), live: JSON.stringify(live), model: JSON.stringify(toModel) };
    for (const [where, text] of Object.entries(places)) {
      for (const secret of [CRM_TOKEN, LOOKUP_KEY, OPENAI_API_KEY]) {
        for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ k: secret }).toString().slice(2), Buffer.from(`crm:${secret}`).toString('base64')]) {
          assert.ok(!text.includes(form), `${where} holds ${form}`);
        }
      }
    }
    assert.match(places.model, /\$\{CRM_TOKEN\}/, 'the model reads the name instead');
    assert.match(places.record, /\$\{OPENAI_API_KEY\}/);
  });
});
