import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { getJson, sandbox, say, serve, TOKEN } from './admin-helpers.ts';
import { connect } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';

describe('admin auth in serve mode', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let clock = Date.now();
  const bearer = { authorization: `Bearer ${TOKEN}` };

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    ({ app, base } = await serve({ mode: 'serve', llm, store, now: () => clock }));
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  it('refuses the API without the token and serves it with the bearer token', async () => {
    for (const path of ['/v1/admin/agents', '/v1/admin/conversations', '/v1/admin/sessions', '/v1/admin/agents/ada/embed', '/v1/admin/overview', '/v1/admin/leads?format=csv', '/v1/admin/bookings', '/v1/admin/unanswered']) {
      assert.equal((await fetch(`${base}${path}`)).status, 401, path);
      assert.equal((await fetch(`${base}${path}`, { headers: bearer })).status, 200, path);
    }
    assert.equal((await fetch(`${base}/v1/admin/agents`, { headers: { authorization: 'Bearer not-the-token' } })).status, 401);
    assert.equal((await fetch(`${base}/dashboard/assets/dashboard.js`)).status, 401);
    const page = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/dashboard/login');
  });

  it('logs a browser in with a form, keeping a signed session (not the token) in an HttpOnly, SameSite=Strict cookie', async () => {
    const form = await fetch(`${base}/dashboard/login`);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /<form method="post" action="\/dashboard\/login">/);

    const wrong = await fetch(`${base}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ token: 'guess' }), redirect: 'manual' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('set-cookie'), null);

    const res = await fetch(`${base}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/dashboard');
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^parley_admin=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    assert.ok(!setCookie.includes(TOKEN), 'the cookie does not carry the token');
    const cookie = setCookie.split(';')[0];

    assert.equal((await fetch(`${base}/dashboard`, { headers: { cookie } })).status, 200);
    assert.equal((await fetch(`${base}/dashboard/assets/dashboard.js`, { headers: { cookie } })).status, 200);
    assert.equal((await fetch(`${base}/v1/admin/agents`, { headers: { cookie } })).status, 200);
    const tampered = cookie.replace(/\.(\d)/, (_, d: string) => `.${(Number(d) + 1) % 10}`); // a later expiry
    assert.equal((await fetch(`${base}/v1/admin/agents`, { headers: { cookie: tampered } })).status, 401);

    // JSON login works for scripts too; logging out clears the cookie.
    const json = await fetch(`${base}/dashboard/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
    assert.deepEqual(await json.json(), { ok: true });
    const out = await fetch(`${base}/dashboard/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    assert.match(out.headers.get('set-cookie') ?? '', /^parley_admin=; .*Max-Age=0/);

    // A login expires.
    clock += 13 * 3_600_000;
    assert.equal((await fetch(`${base}/v1/admin/agents`, { headers: { cookie } })).status, 401);
  });

  it('answers 429 after ten wrong tokens a minute from one address, whatever comes next', async () => {
    const from = (remoteAddress: string, token: string) => app.inject({ method: 'GET', url: '/v1/admin/agents', remoteAddress, headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 10; i++) assert.equal((await from('198.51.100.7', `guess-${i}`)).statusCode, 401, `attempt ${i + 1}`);
    assert.equal((await from('198.51.100.7', 'guess-10')).statusCode, 429);
    assert.equal((await from('198.51.100.7', TOKEN)).statusCode, 429, 'even the right token waits');
    const login = await app.inject({ method: 'POST', url: '/dashboard/login', remoteAddress: '198.51.100.7', payload: { token: TOKEN } });
    assert.equal(login.statusCode, 429);
    assert.equal((await from('198.51.100.8', TOKEN)).statusCode, 200, 'other addresses are not affected');
    clock += 61_000;
    assert.equal((await from('198.51.100.7', TOKEN)).statusCode, 200, 'the block lifts after a minute');
  });

  it('compares tokens in constant time', async () => {
    const spy = mock.method(crypto, 'timingSafeEqual');
    try {
      assert.equal((await fetch(`${base}/v1/admin/agents`, { headers: { authorization: 'Bearer x' } })).status, 401);
      assert.equal((await fetch(`${base}/v1/admin/agents`, { headers: bearer })).status, 200);
      assert.ok(spy.mock.callCount() >= 2);
      for (const call of spy.mock.calls) assert.equal((call.arguments[0] as Buffer).length, (call.arguments[1] as Buffer).length, 'digests of equal length, whatever was sent');
    } finally {
      spy.mock.restore();
    }
  });

  it('opens sandbox sessions for the dashboard origin only, for any agent, behind the admin token', async () => {
    assert.equal((await fetch(`${base}/v1/admin/agents/ada/sessions`, { method: 'POST', headers: { origin: base } })).status, 401);
    const cross = await fetch(`${base}/v1/admin/agents/ada/sessions`, { method: 'POST', headers: { origin: 'https://shop.example.com', ...bearer } });
    assert.equal(cross.status, 403);
    // The public door refuses this origin; the sandbox does not.
    assert.equal((await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: base } })).status, 403);
    const { c, id } = await sandbox(base, bearer);
    llm.push({ text: 'Sure, happy to help.' });
    assert.equal(await say(c, 'Can you help?'), 'Sure, happy to help.');
    c.json({ type: 'end' });
    await c.closed;
    const rec = await getJson<{ turns: unknown[] }>(`${base}/v1/admin/conversations/${id}`, bearer);
    assert.equal(rec.body.turns.length, 3);

    // The socket itself needs the admin token too.
    const res = await fetch(`${base}/v1/admin/agents/ada/sessions`, { method: 'POST', headers: { origin: base, ...bearer } });
    const { url } = (await res.json()) as { url: string };
    const anonymous = connect(url, base);
    const closed = await anonymous.closed;
    assert.notEqual(closed.code, 1000);
    assert.equal(anonymous.events.length, 0);
  });
});
