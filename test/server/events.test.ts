import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { tempDir } from '../helpers/cli.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import { SECRET, verifyStandardWebhook } from '../events/helpers.ts';
import { connect, listenOnLoopback, serverFixture } from './helpers.ts';

// A conversation on the server becomes events out: lead.saved as the lead is saved,
// conversation.ended with the whole record once the session is over, to the agent's webhook and
// the server's (PARLEY_EVENTS_URL); the admin API lists every attempt and sends again.

const SHOP = 'https://shop.example.com';
const TOKEN = 'admin-token-for-events-0123456789';
const SERVER_SECRET = `whsec_${Buffer.from('the server-wide receiver secret!').toString('base64')}`;

describe('server: events out', () => {
  const fx = serverFixture();
  let app: FastifyInstance;
  let base: string;
  let agentRx: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let serverRx: Awaited<ReturnType<typeof startWebhookReceiver>>;

  // The receivers are servers of their own: left open, they keep the test process alive.
  after(async () => {
    await agentRx?.close();
    await serverRx?.close();
  });

  before(async () => {
    agentRx = await startWebhookReceiver();
    serverRx = await startWebhookReceiver();
    const dir = tempDir('parley-events-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      [
        'name: ada',
        'persona: { prompt: You are a test agent., firstMessage: Hello. }',
        'knowledge: { sources: [], strict: false }',
        'collect: [name, email]',
        'tools: [save_lead, end_call]',
        'channels: { web: { allowedOrigins: [shop.example.com] } }',
        'limits: { conversationsPerIpPerHour: 1000 }',
        'events:',
        '  allowPrivateUrls: true',
        '  webhooks:',
        '    - url: ${CRM_EVENTS_URL}/parley',
        '      events: [lead.saved, conversation.ended]',
        '      secret: ${CRM_EVENTS_SECRET}',
        '',
      ].join('\n'),
    );
    const env = {
      PARLEY_LLM: 'openai-compatible:fake',
      PARLEY_LLM_BASE_URL: fx.llm.url,
      PARLEY_SESSION_SECRET: 's',
      PARLEY_ADMIN_TOKEN: TOKEN,
      CRM_EVENTS_URL: agentRx.url,
      CRM_EVENTS_SECRET: SECRET,
      PARLEY_EVENTS_URL: `${serverRx.url}/all`,
      PARLEY_EVENTS_SECRET: SERVER_SECRET,
      PARLEY_EVENTS_ALLOW_PRIVATE: '1',
    };
    app = fx.track(await buildServer({ agentsDir: dir, store: fx.store, mode: 'serve', env, events: { run: false }, logger: !!process.env.DEBUG_LOG }));
    base = await listenOnLoopback(app);
  });

  it('a typed conversation sends lead.saved and conversation.ended, signed, to both receivers; the admin API shows the attempts and sends again', async () => {
    fx.llm.push({ toolCalls: [{ name: 'save_lead', args: { name: 'Jane Doe', email: 'jane@example.com' } }] }, { text: 'Thanks, Jane.' });
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: "POST", headers: { origin: SHOP } });
    const c = connect(((await res.json()) as { url: string }).url, SHOP);
    const ready = await c.waitFor((e) => e.type === "ready");
    const conversationId = String(ready.conversationId);
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'state' && e.state === 'listening');
    c.json({ type: 'text', text: 'I am Jane Doe, jane@example.com.' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Thanks, Jane.');
    c.json({ type: 'end' });
    await c.closed;
    await Promise.all([...app.parley.live].map((s) => s.done));
    await app.parley.events.idle();
    const round = await app.parley.events.deliverer.round();
    assert.deepEqual(round, { attempted: 4, delivered: 4 });

    for (const [rx, secret, path] of [[agentRx, SECRET, '/parley'], [serverRx, SERVER_SECRET, '/all']] as const) {
      assert.deepEqual(rx.received.map((r) => JSON.parse(r.body).type).sort(), ['conversation.ended', 'lead.saved']);
      for (const r of rx.received) {
        assert.equal(r.url, path);
        assert.ok(verifyStandardWebhook(r.headers, r.body, secret), 'signed with its own receiver\'s secret');
      }
    }
    const lead = JSON.parse(agentRx.received.find((r) => JSON.parse(r.body).type === 'lead.saved')!.body);
    assert.deepEqual(lead.data, { conversationId, saved: { name: 'Jane Doe', email: 'jane@example.com' }, lead: { name: 'Jane Doe', email: 'jane@example.com' } });
    const ended = JSON.parse(agentRx.received.find((r) => JSON.parse(r.body).type === 'conversation.ended')!.body);
    assert.equal(ended.agent, 'ada');
    assert.equal(ended.data.id, conversationId);
    assert.equal(ended.data.endReason, 'caller left');
    assert.equal(ended.data.outcome, 'lead');
    assert.deepEqual(ended.data.lead, { name: 'Jane Doe', email: 'jane@example.com' });
    assert.deepEqual(ended.data.turns.map((t: { role: string; text: string }) => [t.role, t.text]), [['agent', 'Hello.'], ['caller', 'I am Jane Doe, jane@example.com.'], ['agent', 'Thanks, Jane.']]);
    assert.deepEqual(ended.data.toolCalls.map((t: { name: string }) => t.name), ['save_lead']);
    assert.ok('costUsd' in ended.data && 'recording' in ended.data);

    const bearer = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await fetch(`${base}/v1/admin/events`)).status, 401);
    const list = (await (await fetch(`${base}/v1/admin/events?type=conversation.ended`, { headers: bearer })).json()) as { events: { id: string; type: string; deliveries: { destination: string; state: string; attempts: { status: number }[] }[] }[] };
    assert.equal(list.events.length, 1);
    const event = list.events[0];
    assert.equal(event.id, agentRx.received.find((r) => JSON.parse(r.body).type === 'conversation.ended')!.headers['webhook-id']);
    assert.deepEqual(event.deliveries.map((d) => [d.destination, d.state, d.attempts.map((a) => a.status)]).sort(), [
      ['webhook:${CRM_EVENTS_URL}/parley', 'delivered', [200]],
      ['webhook:PARLEY_EVENTS_URL', 'delivered', [200]],
    ]);
    assert.ok(!JSON.stringify(list).includes(SECRET) && !JSON.stringify(list).includes(agentRx.url), 'no secret or secret URL in the admin API');
    assert.equal((await fetch(`${base}/v1/admin/events?state=nonsense`, { headers: bearer })).status, 400);

    const again = await fetch(`${base}/v1/admin/events/${event.id}/redeliver`, { method: 'POST', headers: bearer });
    assert.deepEqual(await again.json(), { redelivered: 2 });
    assert.deepEqual(await app.parley.events.deliverer.round(), { attempted: 2, delivered: 2 });
    assert.equal(agentRx.received.filter((r) => r.headers['webhook-id'] === event.id).length, 2, 'sent again with the same id');
    assert.equal((await fetch(`${base}/v1/admin/events/msg_nothing/redeliver`, { method: 'POST', headers: bearer })).status, 404);
  });
});

describe('server: events out with the delivery loop running', () => {
  const fx = serverFixture();

  it('an event is delivered as soon as it is queued, without waiting for a poll', async () => {
    let arrived!: (body: string) => void;
    const got = new Promise<string>((r) => (arrived = r));
    const rx = await startWebhookReceiver((r) => (arrived(r.body), { status: 200, body: {} }));
    const dir = tempDir('parley-events-loop-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(join(dir, 'ada', 'agent.yaml'), 'name: ada\npersona: { prompt: x, firstMessage: Hello. }\nknowledge: { sources: [], strict: false }\n');
    const env = { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_EVENTS_URL: rx.url, PARLEY_EVENTS_SECRET: SECRET, PARLEY_EVENTS_ALLOW_PRIVATE: '1' };
    const app = fx.track(await buildServer({ agentsDir: dir, store: fx.store, mode: 'serve', env, events: { pollMs: 3_600_000 } }));
    await app.parley.events.deliverer.round(); // whatever the start found; from now on only wake() can deliver
    const id = await app.parley.events.enqueue({ agent: 'ada', type: 'analysis.completed', data: { summary: 'wants a quote' } });
    const body = JSON.parse(await got);
    assert.equal(body.type, 'analysis.completed');
    assert.deepEqual(body.data, { summary: 'wants a quote' });
    assert.equal(rx.received[0].headers['webhook-id'], id);
    await rx.close();
  });
});
