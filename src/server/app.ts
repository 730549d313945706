import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { createSileroVad, voiceActivityFromTurn } from '../audio/vad.ts';
import { CLOSE_POLICY, MAX_FRAME_BYTES } from '../channels/web/socket.ts';
import { sttFor, ttsFor } from '../speech/registry.ts';
import { databaseUrl, openStore, type Store } from '../store/store.ts';
import { loadAgents, type LoadedAgent } from './agents.ts';
import { Metrics } from './metrics.ts';
import { originAllowed } from '../guard/origins.ts';
import { SessionTokens } from '../guard/session-tokens.ts';
import { runWebSession, type SpeechFactory } from './web-session.ts';

export interface ServerOptions {
  /** A folder of agent folders, or one agent folder. */
  agentsDir: string;
  /** Defaults to the store PARLEY_DATABASE_URL names (closed with the server). */
  store?: Store;
  env: NodeJS.ProcessEnv;
  /** `dev` always allows localhost origins. */
  mode: 'dev' | 'serve';
  /** Base URL the browser reaches this server at (else PARLEY_PUBLIC_URL, else the request's Host). */
  publicUrl?: string;
  /** Ears, mouth and VAD for a voice session; defaults to the agent's listen.stt / voice.tts and Silero. */
  speech?: SpeechFactory;
  /** Sample rate of agent audio sent to browsers (announced in `ready`). */
  outputSampleRate?: 16000 | 24000;
  /** Where voice recordings are saved; default PARLEY_RECORDINGS_DIR, else none. */
  recordingsDir?: string;
  /** Clock for token expiry (ms since epoch). */
  now?: () => number;
  logger?: boolean;
}

/** The Fastify app: health, metrics, web session tokens and the web socket door. */
export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  // Session tokens travel in the socket's path, and are longer than Fastify's default 100-character parameter.
  // Session tokens are longer than the router's default 100-character path parameter.
  const app = Fastify({ logger: o.logger ?? false, routerOptions: { maxParamLength: 1024 } });
  const log = (line: string) => app.log.info(line);
  const store = o.store ?? (await openStore(databaseUrl(o.env)));
  const agents = await loadAgents(o.agentsDir, { store, env: o.env, log: (l) => app.log.warn(l) });
  const names = [...agents.keys()];
  if (!names.length) app.log.warn(`no agent could be loaded from ${o.agentsDir}`);

  let secret = o.env.PARLEY_SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    app.log.warn('PARLEY_SESSION_SECRET is not set: using a random secret for this process, so session tokens do not survive a restart or work across several servers');
  }
  const tokens = new SessionTokens({ secret, now: o.now });
  const metrics = new Metrics();
  const dev = o.mode === 'dev';
  const publicUrl = (o.publicUrl ?? o.env.PARLEY_PUBLIC_URL)?.replace(/\/+$/, '');
  const speech: SpeechFactory = o.speech ?? ((agent) => ({
    stt: sttFor(agent.config.listen.stt, { env: o.env }),
    tts: ttsFor(agent.config.voice.tts, { env: o.env }),
    vad: createSileroVad(voiceActivityFromTurn(agent.config.listen.turn)),
  }));
  const live = new Set<{ abort: () => void; done: Promise<void> }>();

  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });

  app.get('/healthz', async () => ({ ok: true, agents: names }));
  app.get('/metrics', async (_, reply) => reply.type('text/plain; version=0.0.4').send(metrics.text(names)));

  /** The agent, when it exists, has the web door on and this Origin may use it; else why not. */
  const admit = (name: string, origin: string | undefined): { loaded: LoadedAgent } | { status: number; error: string } => {
    const loaded = agents.get(name);
    if (!loaded) return { status: 404, error: `no agent named "${name}"` };
    const web = loaded.agent.config.channels.web;
    if (!web.enabled) return { status: 403, error: `the web channel of "${name}" is disabled` };
    if (!origin) return dev ? { loaded } : { status: 403, error: 'an Origin header is required' };
    if (!originAllowed(origin, web.allowedOrigins, { dev })) return { status: 403, error: `origin ${origin} is not in channels.web.allowedOrigins of "${name}"` };
    return { loaded };
  };

  const cors = (req: FastifyRequest, reply: { header(k: string, v: string): unknown }) => {
    const origin = req.headers.origin;
    if (origin) reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
  };

  app.options<{ Params: { agent: string } }>('/v1/agents/:agent/sessions', async (req, reply) => {
    const r = admit(req.params.agent, req.headers.origin);
    if ('error' in r) return reply.code(r.status).send({ error: r.error });
    cors(req, reply);
    reply.header('access-control-allow-methods', 'POST');
    reply.header('access-control-allow-headers', 'content-type');
    return reply.code(204).send();
  });

  app.post<{ Params: { agent: string } }>('/v1/agents/:agent/sessions', async (req, reply) => {
    const origin = req.headers.origin;
    const r = admit(req.params.agent, origin);
    if ('error' in r) return reply.code(r.status).send({ error: r.error });
    cors(req, reply);
    const token = tokens.issue(req.params.agent, origin ?? '');
    const base = publicUrl ?? `${req.protocol}://${req.host}`;
    return { token, url: `${base.replace(/^http/, 'ws')}/v1/sessions/${token}` };
  });

  app.get<{ Params: { token: string } }>('/v1/sessions/:token', { websocket: true }, (socket, req) => {
    const origin = req.headers.origin ?? '';
    const check = tokens.redeem(req.params.token, { origin });
    if (!check.ok) return socket.close(CLOSE_POLICY, check.reason);
    const r = admit(check.claims.agent, origin || undefined);
    if ('error' in r) return socket.close(CLOSE_POLICY, r.error.slice(0, 123));
    metrics.sessionStarted(check.claims.agent);
    const session = runWebSession(socket, { loaded: r.loaded, store, env: o.env, speech, metrics, outputSampleRate: o.outputSampleRate ?? 24000, recordingsDir: o.recordingsDir ?? (o.env.PARLEY_RECORDINGS_DIR || undefined), log }, origin);
    live.add(session);
    void session.done.finally(() => {
      live.delete(session);
      metrics.sessionEnded();
    });
  });

  app.addHook('preClose', async () => {
    for (const s of live) s.abort();
  });
  app.addHook('onClose', async () => {
    await Promise.race([Promise.all([...live].map((s) => s.done)), new Promise((r) => setTimeout(r, 2000))]);
    if (!o.store) await store.close();
  });
  return app;
}
