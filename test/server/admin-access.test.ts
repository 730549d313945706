import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { isLoopbackHost } from '../../src/guard/admin-auth.ts';
import { redisUp, TEST_REDIS_URL } from '../helpers/redis.ts';
import { adminAgents, TOKEN } from './admin-helpers.ts';
import { connect, listenOnLoopback, serverFixture } from './helpers.ts';

// Who reaches the admin API: in `parley dev`, only this machine's own browser and scripts (not a
// tunnel, not a DNS-rebinding page); in `serve`, the token holder, with changes made through the
// login cookie only from the dashboard's own page; and a logged-out cookie is dead everywhere.

const redis = await redisUp(TEST_REDIS_URL);

describe('admin access', () => {
  const fx = serverFixture();

  async function server(mode: 'dev' | 'serve', env: NodeJS.ProcessEnv = {}): Promise<FastifyInstance> {
    const app = await buildServer({
      agentsDir: adminAgents(),
      store: fx.store,
      mode,
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's', ...(mode === 'serve' ? { PARLEY_ADMIN_TOKEN: TOKEN } : {}), ...env },
    });
    fx.track(app);
    return app;
  }

  /** Logs in at `app`; the cookie to send back. */
  async function login(app: FastifyInstance): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/dashboard/login', payload: { token: TOKEN } });
    assert.equal(res.statusCode, 200, res.body);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  it('knows the loopback names', () => {
    for (const host of ['localhost', 'localhost:3000', 'LOCALHOST:3000', '127.0.0.1', '127.0.0.1:3000', '127.1.2.3:80', '[::1]', '[::1]:3000']) assert.ok(isLoopbackHost(host), host);
    for (const host of [undefined, '', 'evil.example', 'evil.example:3000', 'localhost.evil.example', '127.0.0.1.nip.io', '[::2]:3000', '10.0.0.1', 'localhost:3000:1', 'localhost@evil.example']) assert.ok(!isLoopbackHost(host), String(host));
  });

  describe('parley dev without a token', () => {
    let app: FastifyInstance;
    before(async () => (app = await server('dev')));
    const get = (headers: Record<string, string>, url = '/v1/admin/agents') => app.inject({ url, remoteAddress: '127.0.0.1', headers });

    it('answers this machine: loopback names in Host, and the dashboard\'s own Origin or none', async () => {
      for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'localhost']) assert.equal((await get({ host })).statusCode, 200, host);
      assert.equal((await get({ host: 'localhost:3000', origin: 'http://localhost:3000' })).statusCode, 200);
    });

    it('refuses a request over loopback that names another host (a tunnel, DNS rebinding), saying why', async () => {
      for (const host of ['evil.example', 'rebind.evil.example:3000', 'abc123.ngrok.app']) {
        const res = await get({ host });
        assert.equal(res.statusCode, 403, host);
        assert.match(res.json().error, /open to this machine only, and its Host ".*" is not localhost, 127\.0\.0\.1 or \[::1\]/);
      }
      const page = await get({ host: 'evil.example:3000' }, '/dashboard');
      assert.equal(page.statusCode, 403, 'the dashboard page too');
    });

    it('refuses another origin, even another page on this machine, and anything that came through a proxy', async () => {
      for (const origin of ['http://evil.example', 'http://localhost:5173', 'https://localhost:3000', 'null']) {
        const res = await get({ host: 'localhost:3000', origin });
        assert.equal(res.statusCode, 403, origin);
        assert.match(res.json().error, /its Origin .* is not the dashboard's own \(http:\/\/localhost:3000\)/);
      }
      for (const forwarded of [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { 'x-real-ip': '203.0.113.9' }] as Record<string, string>[]) {
        assert.equal((await get({ host: 'localhost:3000', ...forwarded })).statusCode, 403, JSON.stringify(forwarded));
      }
      const sandbox = await app.inject({ method: 'POST', url: '/v1/admin/agents/ada/sessions', remoteAddress: '127.0.0.1', headers: { host: 'evil.example:3000', origin: 'http://evil.example:3000' } });
      assert.equal(sandbox.statusCode, 403, 'no sandbox session for a rebinding page');
    });

    it('refuses the sandbox socket to a page that names another host', async () => {
      const base = await listenOnLoopback(app);
      const issued = await fetch(`${base}/v1/admin/agents/ada/sessions`, { method: 'POST', headers: { origin: base } });
      const { url } = (await issued.json()) as { url: string };
      const port = new URL(base).port;
      const c = connect(url, `http://evil.example:${port}`, { host: `evil.example:${port}` });
      const closed = await c.closed;
      assert.notEqual(closed.code, 1000);
      assert.equal(c.events.length, 0);
    });
  });

  it('parley dev with PARLEY_PUBLIC_URL naming a tunnel: the sandbox socket is on the dashboard\'s own origin, which answers', async () => {
    const app = await server('dev', { PARLEY_PUBLIC_URL: 'https://abc123.tunnel.example' });
    const base = await listenOnLoopback(app);
    const issued = await fetch(`${base}/v1/admin/agents/ada/sessions`, { method: 'POST', headers: { origin: base } });
    const { url } = (await issued.json()) as { url: string };
    assert.ok(url.startsWith(`${base.replace(/^http/, 'ws')}/v1/admin/sessions/`), url);
    const c = connect(url, base);
    await c.waitFor((e) => e.type === 'ready');
    c.ws.close();
    await c.closed;
  });

  it('parley dev with a token: a request that is not local needs the token', async () => {
    const app = await server('dev', { PARLEY_ADMIN_TOKEN: TOKEN });
    assert.equal((await app.inject({ url: '/v1/admin/agents', headers: { host: 'evil.example' } })).statusCode, 401);
    assert.equal((await app.inject({ url: '/v1/admin/agents', headers: { host: 'evil.example', authorization: `Bearer ${TOKEN}` } })).statusCode, 200);
  });

  describe('parley serve', () => {
    let app: FastifyInstance;
    before(async () => (app = await server('serve')));

    it('takes changes made with the login cookie only from the dashboard\'s own origin; the bearer token needs none', async () => {
      const cookie = await login(app);
      const call = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/agents/ada/calls', headers: { host: 'parley.example.com', ...headers }, payload: { to: '+15550100' } });
      for (const origin of ['https://evil.example.com', 'https://attacker.parley.example.com', undefined]) {
        const res = await call({ cookie, ...(origin ? { origin } : {}) });
        assert.equal(res.statusCode, 403, String(origin));
        assert.match(res.json().error, /a change made with the login cookie must come from the dashboard's own page \(http:\/\/parley\.example\.com\)/);
      }
      // From the dashboard itself (or with the bearer token) the request reaches the route, which refuses it for its own reason.
      assert.match((await call({ cookie, origin: 'http://parley.example.com' })).json().error, /phone/);
      assert.match((await call({ authorization: `Bearer ${TOKEN}` })).json().error, /phone/);
      assert.equal((await app.inject({ url: '/v1/admin/agents', headers: { cookie, origin: 'https://evil.example.com' } })).statusCode, 200, 'reading needs no Origin check');
    });

    it('refuses a logged-out cookie, while other logins go on', async () => {
      const cookie = await login(app);
      const other = await login(app);
      assert.notEqual(cookie, other);
      assert.equal((await app.inject({ url: '/v1/admin/agents', headers: { cookie } })).statusCode, 200);
      const out = await app.inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie } });
      assert.equal(out.statusCode, 303);
      const refused = await app.inject({ url: '/v1/admin/agents', headers: { cookie } });
      assert.equal(refused.statusCode, 401);
      assert.match(refused.json().error, /logged out/);
      assert.equal((await app.inject({ url: '/dashboard', headers: { cookie } })).statusCode, 303, 'the page sends it to the login form');
      assert.equal((await app.inject({ url: '/v1/admin/agents', headers: { cookie: other } })).statusCode, 200);
      // Twice is harmless; another site cannot log the admin out.
      assert.equal((await app.inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie } })).statusCode, 303);
      assert.equal((await app.inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie: other, origin: 'https://evil.example.com' } })).statusCode, 403);
      assert.equal((await app.inject({ url: '/v1/admin/agents', headers: { cookie: other } })).statusCode, 200);
    });
  });

  describe('nodes sharing PARLEY_REDIS_URL', { skip: redis ? false : `no Redis at ${TEST_REDIS_URL}` }, () => {
    it('a logout on one node is refused on the other', async () => {
      const env = { PARLEY_REDIS_URL: TEST_REDIS_URL, PARLEY_REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}:` };
      const [a, b] = [await server('serve', env), await server('serve', env)];
      const cookie = await login(a!);
      assert.equal((await b!.inject({ url: '/v1/admin/agents', headers: { cookie } })).statusCode, 200);
      assert.equal((await a!.inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie } })).statusCode, 303);
      assert.equal((await b!.inject({ url: '/v1/admin/agents', headers: { cookie } })).statusCode, 401);
    });

    it('with Redis unreachable, a cookie is not taken on trust (503) and the bearer token still works', async () => {
      const app = await server('serve', { PARLEY_REDIS_URL: 'redis://127.0.0.1:1' });
      const cookie = await login(app);
      const res = await app.inject({ url: '/v1/admin/agents', headers: { cookie } });
      assert.equal(res.statusCode, 503);
      assert.match(res.json().error, /logins cannot be checked right now/);
      assert.equal((await app.inject({ url: '/v1/admin/agents', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200);
      const out = await app.inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie } });
      assert.equal(out.statusCode, 503, 'a logout that could not be recorded says so');
      assert.match(out.json().error, /the logout could not be recorded/);
    });
  });
});
