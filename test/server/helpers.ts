import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { after, before } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

export const GREETING = 'Hi, this is Ada from the test shop. How can I help?';

/** A folder with one good agent (`ada`) and one broken one. */
export function agentsFolder(limits = '{ conversationsPerIpPerHour: 1000 }'): string {
  const dir = tempDir('parley-server-');
  mkdirSync(join(dir, 'ada'));
  writeFileSync(
    join(dir, 'ada', 'agent.yaml'),
    [
      'name: ada',
      'persona:',
      '  prompt: You are Ada, a helpful assistant for a test shop.',
      `  firstMessage: ${GREETING}`,
      'knowledge:',
      '  sources: []',
      '  strict: false',
      'listen:',
      '  turn: { minEndpointingDelayMs: 50, maxEndpointingDelayMs: 300, minInterruptionMs: 60, falseInterruptionTimeoutMs: 150 }',
      'channels:',
      '  web:',
      '    allowedOrigins: [shop.example.com, "*.example.org", "widgets.test:8443"]',
      '# Every test connects from 127.0.0.1: room for all of them.',
      `limits: ${limits}`,
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'agent.yaml'), 'name: broken\npersona: [this is not valid\n');
  return dir;
}

export type ServerEvent = { type: string; [k: string]: unknown };

/** A browser stand-in: a socket with its events, binary frames and close code collected. */
export interface TestClient {
  ws: WebSocket;
  events: ServerEvent[];
  audio: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
  waitFor(test: (e: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
  json(m: unknown): void;
}

export function connect(url: string, origin?: string, headers?: Record<string, string>): TestClient {
  const ws = new WebSocket(url, { ...(origin ? { origin } : {}), ...(headers ? { headers } : {}) });
  const events: ServerEvent[] = [];
  const audio: Buffer[] = [];
  let listeners: (() => void)[] = [];
  ws.on('message', (data, isBinary) => {
    if (isBinary) audio.push(data as Buffer);
    else events.push(JSON.parse(String(data)) as ServerEvent);
    for (const l of listeners) l();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', (e) => process.env.DEBUG_WS && console.error('ws error', e));
  return {
    ws,
    events,
    audio,
    closed,
    json: (m) => ws.send(JSON.stringify(m)),
    waitFor(test, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; events so far: ${JSON.stringify(events)}`)), timeoutMs);
        const check = () => {
          const hit = events.find(test);
          if (!hit) return;
          clearTimeout(timer);
          listeners = listeners.filter((l) => l !== check);
          resolve(hit);
        };
        listeners.push(check);
        check();
      });
    },
  };
}

/** `parley dev` (or `serve`) in its own process (as a user runs it) on a free port; resolves with its base URL once it listens. */
export async function startServerProcess(dir: string, env: NodeJS.ProcessEnv, mode: 'dev' | 'serve' = 'dev'): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/parley.js'), mode, dir, '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (m) {
      child.stdout!.resume(); // keep reading its log, or a full pipe would stall the server
      return { child, base: m[1]! };
    }
  }
  throw new Error(`the server did not start: ${stderr}`);
}

/** Starts `app` on a free loopback port; resolves with its base URL. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/**
 * What most in-process server tests share: a fake model, a test store, and the apps they build,
 * all closed after the describe block. Call it inside `describe`; read the fields in tests.
 */
export function serverFixture(): { llm: FakeOpenAI; store: Store; track(app: FastifyInstance): FastifyInstance } {
  const apps: FastifyInstance[] = [];
  const fx = {
    llm: undefined as unknown as FakeOpenAI,
    store: undefined as unknown as Store,
    track(app: FastifyInstance) {
      apps.push(app);
      return app;
    },
  };
  before(async () => {
    fx.llm = await startFakeOpenAI();
    fx.store = await openTestStore();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await fx.store.close();
    await fx.llm.close();
  });
  return fx;
}
