import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { proxyTrust, proxyTrustWarning } from '../../src/server/http-edge.ts';
import { agentsFolder, serverFixture } from './helpers.ts';
import { TOKEN } from './admin-helpers.ts';

// PARLEY_TRUST_PROXY: the caller's address is the right-most X-Forwarded-For entry that no
// trusted proxy vouches for. Whatever a caller writes to the left of it changes nothing.

const SHOP = 'https://shop.example.com';

describe('PARLEY_TRUST_PROXY', () => {
  const fx = serverFixture();

  /** A server trusting `trust`, with a route that shows the address it took for the caller. */
  async function server(trust: string, limits = '{ conversationsPerIpPerHour: 2 }'): Promise<FastifyInstance> {
    const app = await buildServer({
      agentsDir: agentsFolder(limits),
      store: fx.store,
      mode: 'serve',
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_ADMIN_TOKEN: TOKEN, PARLEY_TRUST_PROXY: trust },
    });
    app.get('/test/caller', async (req) => ({ ip: req.ip }));
    fx.track(app);
    return app;
  }
  const callerSeen = async (app: FastifyInstance, remoteAddress: string, xff?: string) =>
    ((await app.inject({ url: '/test/caller', remoteAddress, headers: xff ? { 'x-forwarded-for': xff } : {} })).json() as { ip: string }).ip;

  it('reads a hop count, an address list, or `true` as one hop; refuses anything else with the choices', async () => {
    assert.deepEqual(proxyTrust(undefined), { kind: 'none' });
    assert.deepEqual(proxyTrust('false'), { kind: 'none' });
    assert.deepEqual(proxyTrust('true'), { kind: 'hops', hops: 1 });
    assert.deepEqual(proxyTrust('2'), { kind: 'hops', hops: 2 });
    assert.deepEqual(proxyTrust('127.0.0.1, 10.0.0.0/8,::1,loopback'), { kind: 'addresses', addresses: ['127.0.0.1', '10.0.0.0/8', '::1', 'loopback'] });
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.1,nginx', '1000', '127.0.0.1/8/8']) {
      assert.throws(() => proxyTrust(bad), /PARLEY_TRUST_PROXY takes the number of proxies .* or a comma-separated list of proxy addresses/, bad);
    }
    await assert.rejects(server('everyone'), /not an address or CIDR: "everyone"/);
  });

  it('warns when a hop count meets a server anyone can reach directly', () => {
    for (const host of ['0.0.0.0', '::', '203.0.113.5']) assert.match(proxyTrustWarning(proxyTrust('1'), host) ?? '', /a caller reaching it directly, not through the proxy, can choose the address/, host);
    for (const host of ['127.0.0.1', '::1', 'localhost']) assert.equal(proxyTrustWarning(proxyTrust('1'), host), undefined, host);
    assert.equal(proxyTrustWarning(proxyTrust('10.0.0.0/8'), '0.0.0.0'), undefined, 'an address list checks who connects');
    assert.equal(proxyTrustWarning(proxyTrust(undefined), '0.0.0.0'), undefined);
  });

  for (const trust of ['1', 'true']) {
    it(`with ${trust}: the right-most X-Forwarded-For entry is the caller, whatever is forged to its left`, async () => {
      const app = await server(trust);
      assert.equal(await callerSeen(app, '127.0.0.1', '203.0.113.9'), '203.0.113.9');
      assert.equal(await callerSeen(app, '127.0.0.1', '198.51.100.1, 203.0.113.9'), '203.0.113.9');
      assert.equal(await callerSeen(app, '127.0.0.1'), '127.0.0.1', 'no header: the peer itself');
    });
  }

  it('with 2 hops (a CDN, then nginx): the entry the CDN wrote', async () => {
    const app = await server('2');
    assert.equal(await callerSeen(app, '127.0.0.1', '198.51.100.1, 203.0.113.9, 192.0.2.50'), '203.0.113.9');
  });

  it('with addresses: entries from listed proxies are skipped, and an unlisted peer is the caller, whatever it claims', async () => {
    const app = await server('127.0.0.1,10.0.0.0/8');
    assert.equal(await callerSeen(app, '127.0.0.1', '198.51.100.1, 203.0.113.9, 10.1.2.3'), '203.0.113.9');
    assert.equal(await callerSeen(app, '198.51.100.77', '203.0.113.9'), '198.51.100.77', 'a caller reaching Parley directly is not a proxy');
  });

  for (const trust of ['true', '1', '127.0.0.1']) {
    it(`with ${trust}: a forged left-most X-Forwarded-For does not buy a caller more conversations`, async () => {
      const app = await server(trust);
      const issue = (xff: string) => app.inject({ method: 'POST', url: '/v1/agents/ada/sessions', remoteAddress: '127.0.0.1', headers: { origin: SHOP, 'x-forwarded-for': xff } });
      assert.equal((await issue('10.0.0.1, 203.0.113.9')).statusCode, 200);
      assert.equal((await issue('10.0.0.2, 203.0.113.9')).statusCode, 200);
      const third = await issue('10.0.0.3, 203.0.113.9');
      assert.equal(third.statusCode, 429, third.body);
      assert.equal((await issue('203.0.113.10')).statusCode, 200, 'another caller has their own allowance');
    });

    it(`with ${trust}: a forged X-Forwarded-For neither escapes the admin-login lockout nor locks the admin out of their address`, async () => {
      const app = await server(trust);
      const attempt = (xff: string, token: string) => app.inject({ url: '/v1/admin/agents', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': xff, authorization: `Bearer ${token}` } });
      // The attacker (203.0.113.66) writes the admin's address (198.51.100.8) to the left, then varies it.
      for (let i = 0; i < 10; i++) assert.equal((await attempt(`${i % 2 ? `10.9.9.${i}` : '198.51.100.8'}, 203.0.113.66`, `guess-${i}`)).statusCode, 401, `guess ${i + 1}`);
      assert.equal((await attempt('198.51.100.9, 203.0.113.66', 'guess-10')).statusCode, 429, 'the attacker is locked out');
      assert.equal((await attempt('198.51.100.8', TOKEN)).statusCode, 200, 'the admin is not');
    });
  }
});
