import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import type { FakeOpenAI } from '../../src/testing/index.ts';
import { agentsFolder, connect, GREETING, type TestClient, listenOnLoopback } from './helpers.ts';

// Shared by the admin API tests: an agent with a webhook and a lead, a server, sandbox sessions.

export const TOKEN = 'admin-token-for-tests-0123456789';

/** The test agents plus `ada` with an order-lookup webhook and a lead to collect. */
export function adminAgents(): string {
  const dir = agentsFolder();
  const yaml = join(dir, 'ada', 'agent.yaml');
  writeFileSync(
    yaml,
    readFileSync(yaml, 'utf8') +
      [
        'collect: [name, email]',
        'tools:',
        '  - end_call',
        '  - save_lead',
        '  - type: webhook',
        '    name: order_status',
        '    description: Look up an order.',
        '    method: GET',
        '    url: https://orders.example.com/status',
        '    parameters: { type: object, properties: { order_number: { type: string } }, required: [order_number] }',
        '',
      ].join('\n'),
  );
  return dir;
}

/** The orders service the webhook calls. */
export const ordersFetch: typeof fetch = async (input) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  return Response.json({ order: url.searchParams.get('order_number'), status: 'shipped', deliveryDate: '2026-12-03' });
};

export async function serve(o: { mode: 'dev' | 'serve'; llm: FakeOpenAI; store: Store; recordingsDir?: string; now?: () => number; agentsDir?: string }): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildServer({
    agentsDir: o.agentsDir ?? adminAgents(),
    store: o.store,
    mode: o.mode,
    env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: o.llm.url, PARLEY_SESSION_SECRET: 'test-secret', ...(o.mode === 'serve' ? { PARLEY_ADMIN_TOKEN: TOKEN } : {}) },
    recordingsDir: o.recordingsDir,
    fetch: ordersFetch,
    now: o.now,
  });
  return { app, base: await listenOnLoopback(app) };
}

/** Opens a sandbox session from the dashboard's origin and starts it in text mode. */
export async function sandbox(base: string, headers: Record<string, string> = {}): Promise<{ c: TestClient; id: string }> {
  const res = await fetch(`${base}/v1/admin/agents/ada/sessions`, { method: 'POST', headers: { origin: base, ...headers } });
  assert.equal(res.status, 200, await res.clone().text());
  const { url } = (await res.json()) as { url: string };
  assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/v1\/admin\/sessions\//);
  const c = connect(url, base, headers);
  const ready = await c.waitFor((e) => e.type === 'ready');
  c.json({ type: 'start', mode: 'text' });
  await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
  return { c, id: String(ready.conversationId) };
}

/** One typed turn; resolves with the agent's whole reply. */
export async function say(c: TestClient, text: string): Promise<string> {
  const before = c.events.length;
  c.json({ type: 'text', text });
  const reply = await c.waitFor((e) => c.events.indexOf(e) >= before && e.type === 'agent_text' && e.final === true);
  return String(reply.text);
}

export async function getJson<T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T };
}
