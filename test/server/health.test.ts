import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { TOKEN } from './admin-helpers.ts';
import { agentsFolder, serverFixture } from './helpers.ts';

// /healthz tells the public only what a load balancer needs; /metrics can be put behind
// PARLEY_METRICS_TOKEN. Neither token opens more than it should.

const METRICS = 'metrics-token-for-tests-abcdef';

describe('/healthz and /metrics exposure', () => {
  const fx = serverFixture();

  async function server(mode: 'dev' | 'serve', env: NodeJS.ProcessEnv): Promise<FastifyInstance> {
    const app = await buildServer({ agentsDir: agentsFolder(), store: fx.store, mode, env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's', ...env } });
    fx.track(app);
    return app;
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('serve with PARLEY_METRICS_TOKEN', () => {
    let app: FastifyInstance;
    before(async () => (app = await server('serve', { PARLEY_ADMIN_TOKEN: TOKEN, PARLEY_METRICS_TOKEN: METRICS })));
    const get = (url: string, headers: Record<string, string> = {}, remoteAddress = '198.51.100.20') => app.inject({ url, headers, remoteAddress });

    it('/healthz: the public sees the status only; a metrics or admin token sees the agents', async () => {
      assert.deepEqual((await get('/healthz')).json(), { ok: true });
      assert.deepEqual((await get('/healthz', bearer('not-a-token'))).json(), { ok: true });
      assert.deepEqual((await get('/healthz', bearer(METRICS))).json(), { ok: true, agents: ['ada'] });
      assert.deepEqual((await get('/healthz', bearer(TOKEN))).json(), { ok: true, agents: ['ada'] });
    });

    it('/healthz while draining: 503 for everyone, the live count only with a token', async () => {
      app.parley.draining = true;
      try {
        const res = await get('/healthz');
        assert.equal(res.statusCode, 503);
        assert.deepEqual(res.json(), { ok: false, draining: true });
        assert.deepEqual((await get('/healthz', bearer(METRICS))).json(), { ok: false, draining: true, live: 0 });
      } finally {
        app.parley.draining = false;
      }
    });

    it('/metrics needs the metrics or the admin token', async () => {
      const anonymous = await get('/metrics');
      assert.equal(anonymous.statusCode, 401);
      assert.match(anonymous.headers['www-authenticate'] as string, /^Bearer/);
      assert.doesNotMatch(anonymous.body, /ada/);
      assert.equal((await get('/metrics', bearer('not-a-token'))).statusCode, 401);
      for (const token of [METRICS, TOKEN]) {
        const res = await get('/metrics', bearer(token));
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /^parley_turns_total\{agent="ada"\} 0$/m);
      }
    });

    it('the metrics token opens nothing else', async () => {
      assert.equal((await get('/v1/admin/agents', bearer(METRICS))).statusCode, 401);
      assert.equal((await app.inject({ method: 'POST', url: '/dashboard/login', payload: { token: METRICS }, remoteAddress: '198.51.100.21' })).statusCode, 401);
    });

    it('guessing the metrics token is limited like the admin token: 429 after ten a minute', async () => {
      const from = '198.51.100.30';
      for (let i = 0; i < 10; i++) assert.equal((await get('/metrics', bearer(`guess-${i}`), from)).statusCode, 401, `guess ${i + 1}`);
      assert.equal((await get('/metrics', bearer('guess-10'), from)).statusCode, 429);
      assert.equal((await get('/metrics', bearer(METRICS), from)).statusCode, 429, 'even the right token waits');
      assert.deepEqual((await get('/healthz', {}, from)).json(), { ok: true }, 'health still answers the load balancer');
    });
  });

  it('serve without PARLEY_METRICS_TOKEN: /metrics stays public, /healthz still lists nothing', async () => {
    const app = await server('serve', { PARLEY_ADMIN_TOKEN: TOKEN });
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 200);
    assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { ok: true });
  });

  it('a failing dependency is named to the public, its error only to a token holder', async () => {
    const app = await server('serve', { PARLEY_ADMIN_TOKEN: TOKEN, PARLEY_REDIS_URL: 'redis://127.0.0.1:1' });
    const res = await app.inject({ url: '/healthz' });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { ok: false, unreachable: ['redis'] });
    const detailed = (await app.inject({ url: '/healthz', headers: bearer(TOKEN) })).json() as { unreachable: string[]; errors: Record<string, string>; live: number };
    assert.deepEqual(detailed.unreachable, ['redis']);
    assert.match(detailed.errors.redis!, /ECONNREFUSED|no answer within 1000 ms|Connection is closed|max retries/i);
    assert.equal(detailed.live, 0);
  });

  it('dev: this machine sees the details, a page naming another host does not', async () => {
    const app = await server('dev', {});
    assert.deepEqual((await app.inject({ url: '/healthz', headers: { host: 'localhost:3000' } })).json(), { ok: true, agents: ['ada'] });
    assert.deepEqual((await app.inject({ url: '/healthz', headers: { host: 'rebind.evil.example:3000' } })).json(), { ok: true });
  });
});
