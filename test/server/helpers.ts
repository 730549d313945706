import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { after, before } from 'node:test';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, startFakeTwilioApi, TwilioCallPeer, type FakeOpenAI, type FakeTwilioApi } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
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

/** The Twilio account of the phone server tests: the fake REST API checks it, peers sign with it; agents read the token as ${TWILIO_TEST_AUTH_TOKEN}. */
export const TWILIO_ACCOUNT = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-auth-token-for-tests' };

/** The scripted ears and voice of one phone call, when the fixture is given `msPerChar`. */
export interface PhoneSpeech {
  stt: ScriptedStt;
  vad: ScriptedVad;
  tts: TimedTts;
}

/** A phone server as the phone door's tests use it; its fields are set once `before` has run. */
export interface PhoneServer {
  app: FastifyInstance;
  base: string;
  store: Store;
  llm: FakeOpenAI;
  api: FakeTwilioApi;
  /** Each call's speech, in the order the calls started (empty without `msPerChar`). */
  made: PhoneSpeech[];
  /** A Twilio peer for a new call (or, given a CallSid, for another peer's call). */
  peer(callSid?: string): TwilioCallPeer;
}

/**
 * The phone door's server: a fake model, the fake Twilio REST API, a test store and an agents
 * folder holding `agents` (folder name → agent.yaml), served on loopback with the model and the
 * REST API pointed at the fakes, all closed after the describe block. `msPerChar` gives each call
 * scripted speech (a TimedTts at 8 kHz); `env` adds to the server's environment.
 */
export function phoneServerFixture(o: { agents: Record<string, string>; env?: NodeJS.ProcessEnv; msPerChar?: number }): PhoneServer {
  const fx = { made: [], peer: (callSid?: string) => new TwilioCallPeer({ ...TWILIO_ACCOUNT, callSid }) } as unknown as PhoneServer;
  before(async () => {
    fx.llm = await startFakeOpenAI();
    fx.api = await startFakeTwilioApi(TWILIO_ACCOUNT);
    fx.store = await openTestStore();
    const dir = tempDir('parley-phone-');
    for (const [name, yaml] of Object.entries(o.agents)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'agent.yaml'), yaml);
    }
    const { msPerChar } = o;
    fx.app = await buildServer({
      agentsDir: dir,
      store: fx.store,
      mode: 'serve',
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's', TWILIO_TEST_AUTH_TOKEN: TWILIO_ACCOUNT.authToken, PARLEY_TWILIO_API_URL: fx.api.url, ...o.env },
      speech:
        msPerChar === undefined
          ? undefined
          : () => {
              const s = { stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ sampleRate: 8000, msPerChar }) };
              fx.made.push(s);
              return s;
            },
    });
    fx.base = await listenOnLoopback(fx.app);
  });
  after(async () => {
    await fx.app?.close();
    await fx.store?.close();
    await fx.llm?.close();
    await fx.api?.close();
  });
  return fx;
}
