import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { httpTimeouts } from '../../src/server/http-edge.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { openTestStore } from '../helpers/store.ts';
import { agentsFolder, connect, GREETING, listenOnLoopback } from './helpers.ts';

// A connection that never finishes its request is closed within the configured time; a web
// socket, once upgraded, is not subject to any of these limits.

const SHOP = 'https://shop.example.com';

const raw: net.Socket[] = [];

/** A raw connection to `base`: what it received, and when (ms after connecting) the server closed it. */
function rawConnection(base: string): { socket: net.Socket; closed: Promise<{ afterMs: number; received: string }> } {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  raw.push(socket);
  const opened = performance.now();
  let received = '';
  socket.on('data', (d) => (received += d));
  socket.on('error', () => {});
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) => socket.on('close', () => resolve({ afterMs: performance.now() - opened, received })));
  return { socket, closed };
}

describe('HTTP timeouts', () => {
  let llm: FakeOpenAI;
  let store: Store;
  const apps: FastifyInstance[] = [];

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
  });
  after(async () => {
    for (const s of raw) s.destroy(); // a failed test must not keep its server from closing
    for (const app of apps) await app.close();
    await store.close();
    await llm.close();
  });

  async function server(timeouts: Record<string, string>): Promise<string> {
    const app = await buildServer({
      agentsDir: agentsFolder(),
      store,
      mode: 'serve',
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', ...timeouts },
    });
    apps.push(app);
    return listenOnLoopback(app);
  }

  it('reads the four limits in seconds, with defaults, and refuses nonsense', () => {
    assert.deepEqual(httpTimeouts({}), { headersMs: 10_000, requestMs: 30_000, idleMs: 60_000, keepAliveMs: 72_000 });
    assert.deepEqual(httpTimeouts({ PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '0.5', PARLEY_HTTP_IDLE_TIMEOUT_SEC: '120' }), { headersMs: 500, requestMs: 30_000, idleMs: 120_000, keepAliveMs: 72_000 });
    for (const bad of ['0', '-1', 'ten', 'Infinity', '1e9']) assert.throws(() => httpTimeouts({ PARLEY_HTTP_IDLE_TIMEOUT_SEC: bad }), /PARLEY_HTTP_IDLE_TIMEOUT_SEC must be a number of seconds/, bad);
    assert.throws(() => httpTimeouts({ PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '40' }), /must not exceed PARLEY_HTTP_REQUEST_TIMEOUT_SEC/);
  });

  it('closes a connection that sends half its headers and stops (408), within the headers timeout', { timeout: 5000 }, async () => {
    const base = await server({ PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '0.3', PARLEY_HTTP_REQUEST_TIMEOUT_SEC: '0.6' });
    const { socket, closed } = rawConnection(base);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ');
    const { afterMs, received } = await closed;
    assert.match(received, /^HTTP\/1\.1 408 /);
    assert.ok(afterMs >= 250 && afterMs < 1500, `closed after ${Math.round(afterMs)} ms`);
  });

  it('closes a connection that trickles its headers a byte at a time, however busy it keeps the socket', { timeout: 5000 }, async () => {
    const base = await server({ PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '0.3', PARLEY_HTTP_REQUEST_TIMEOUT_SEC: '0.6' });
    const { socket, closed } = rawConnection(base);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // The attacker's pace, not a wait for the server: never idle long enough for an idle timeout.
    const trickle = setInterval(() => socket.writable && socket.write('X'), 20);
    const { afterMs } = await closed.finally(() => clearInterval(trickle));
    assert.ok(afterMs < 1500, `closed after ${Math.round(afterMs)} ms`);
  });

  it('closes a connection whose body never finishes, within the request timeout', { timeout: 5000 }, async () => {
    const base = await server({ PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '0.2', PARLEY_HTTP_REQUEST_TIMEOUT_SEC: '0.4' });
    const { socket, closed } = rawConnection(base);
    socket.write('POST /dashboard/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"token":');
    const { afterMs } = await closed;
    assert.ok(afterMs >= 350 && afterMs < 2000, `closed after ${Math.round(afterMs)} ms`);
  });

  it('closes a connection that connects and says nothing', { timeout: 5000 }, async () => {
    const base = await server({ PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '0.3', PARLEY_HTTP_REQUEST_TIMEOUT_SEC: '0.6' });
    const { afterMs } = await rawConnection(base).closed;
    assert.ok(afterMs < 1500, `closed after ${Math.round(afterMs)} ms`);
  });

  it('leaves an idle web socket open past every limit', { timeout: 10_000 }, async () => {
    const limits = { PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '0.2', PARLEY_HTTP_REQUEST_TIMEOUT_SEC: '0.3', PARLEY_HTTP_IDLE_TIMEOUT_SEC: '0.4', PARLEY_HTTP_KEEPALIVE_TIMEOUT_SEC: '0.4' };
    const base = await server(limits);
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } });
    const c = connect(((await res.json()) as { url: string }).url, SHOP);
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    const quietSince = performance.now();

    // The clock: a keep-alive connection opened now is closed only after the longest limit has passed.
    const sentinel = rawConnection(base);
    sentinel.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await sentinel.closed;
    assert.ok(performance.now() - quietSince >= 400, 'the socket has been quiet longer than every limit');

    assert.equal(c.ws.readyState, c.ws.OPEN);
    llm.push({ text: 'Still here.' });
    c.json({ type: 'text', text: 'Are you there?' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Still here.');
    c.ws.close();
    await c.closed;
  });
});
