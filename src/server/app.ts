import { sql } from 'kysely';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { MAX_FRAME_BYTES } from '../channels/web/socket.ts';
import { webRtcSettings } from '../channels/web/ice-servers.ts';
import { AdminAuth } from '../guard/admin-auth.ts';
import { Admission } from '../guard/admission.ts';
import { MemoryRateWindow } from '../guard/rate-window.ts';
import { RedisRateWindow } from '../guard/redis-rate-window.ts';
import { RedisSpentTokens } from '../guard/redis-spent-tokens.ts';
import { RedisRevokedLogins } from '../guard/revoked-logins.ts';
import { RedisSeats } from '../guard/redis-seats.ts';
import { MemorySeats } from '../guard/seats.ts';
import { MemoryLiveSessions, RedisLiveSessions } from '../guard/live-sessions.ts';
import { maskingLogMethod, redactPersonalData } from '../guard/redact.ts';
import { secretMask } from '../agent/secret-mask.ts';
import { withoutPassword } from '../util/service-url.ts';
import { SessionTokens } from '../guard/session-tokens.ts';
import { DirectoryRecordings } from '../store/recordings/directory.ts';
import { openRecordings } from '../store/recordings/open.ts';
import type { RecordingStore } from '../store/recordings/types.ts';
import { purgeOldConversations } from '../store/retention.ts';
import { databaseUrl, openStore, type Store } from '../store/store.ts';
import { sharedSileroPool } from '../audio/gated-vad.ts';
import { voiceActivityFromTurn } from '../audio/vad.ts';
import { AnalysisQueue, type AnalysisQueueOptions } from '../analysis/queue.ts';
import { analysisModel } from '../llm/analysis-model.ts';
import { AgentRegistry } from './agents.ts';
import { fastifyTimeouts, fastifyTrustProxy, httpTimeouts, proxyTrust } from './http-edge.ts';
import type { ServerContext } from './context.ts';
import { EventsOut, type EventsOutOptions } from './events-out.ts';
import { Metrics } from './metrics.ts';
import { recoverAbandonedConversations } from './recovery.ts';
import { adminRoutes } from './routes/admin.ts';
import { bookingRoutes } from './routes/bookings.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { twilioRoutes } from './routes/twilio.ts';
import { webRoutes } from './routes/web.ts';
import { twilioCallbackRoutes } from './routes/twilio-callbacks.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { CampaignRunner } from './campaigns/runner.ts';
import { widgetRoutes } from './routes/widget.ts';
import { agentSpeech, type SpeechFactory } from './voice-conversation.ts';
import { errorText } from '../util/error-text.ts';
import { closeMcpPool } from '../tools/mcp/servers.ts';
import { shutdownTraces } from '../session/telemetry/sink.ts';

export interface ServerOptions {
  /** A folder of agent folders, or one agent folder. */
  agentsDir: string;
  /** Defaults to the store PARLEY_DATABASE_URL names (closed with the server). */
  store?: Store;
  env: NodeJS.ProcessEnv;
  /** `dev` always allows localhost origins and reloads agents when their files change. */
  mode: 'dev' | 'serve';
  /** Reload agents when their files change (default: in dev mode). */
  watch?: boolean;
  /** Base URL callers reach this server at (else PARLEY_PUBLIC_URL, else the request's Host). */
  publicUrl?: string;
  /** Ears, mouth and VAD for a voice session; defaults to the agent's listen.stt / voice.tts and Silero. */
  speech?: SpeechFactory;
  /** Sample rate of agent audio sent to browsers (announced in `ready`). */
  outputSampleRate?: 16000 | 24000;
  /** Where voice recordings are saved; default the store PARLEY_RECORDINGS_URL (or PARLEY_RECORDINGS_DIR) names, else none. */
  recordings?: RecordingStore;
  /** Shorthand for `recordings: new DirectoryRecordings(recordingsDir)`. */
  recordingsDir?: string;
  /** Clock for token expiry (ms since epoch). */
  now?: () => number;
  /** Most sessions this server runs at once (default PARLEY_MAX_SESSIONS, else 200). */
  maxSessions?: number;
  /** HTTP client for tools and vendor APIs (tests point it at fakes). */
  fetch?: typeof fetch;
  /** The events deliverer's clock and loop (tests); email sending. */
  events?: EventsOutOptions;
  logger?: boolean;
  /** The campaign runner: off (`run: false`; tests drive their own), its clock and polling. */
  campaigns?: { run?: boolean; now?: () => number; pollMs?: number };
  /** Post-call analysis: concurrency, retry pauses, and the hook called when one is stored. */
  analysis?: Pick<AnalysisQueueOptions, 'concurrency' | 'retryDelaysMs' | 'timeoutMs' | 'onAnalysisCompleted'>;
}

/** The Fastify app: health, metrics, and the doors, over one set of agents and one store. */
export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  // Session tokens travel in the socket's path, and are longer than the router's default 100-character parameter.
  // Behind a reverse proxy, PARLEY_TRUST_PROXY (a hop count or the proxies' addresses) makes req.ip the caller's, not the proxy's.
  const redact = o.env.PARLEY_REDACT_LOGS ? o.env.PARLEY_REDACT_LOGS !== 'false' : o.mode === 'serve';
  const proxies = proxyTrust(o.env.PARLEY_TRUST_PROXY);
  const app = Fastify({
    logger: o.logger ? { serializers: { req: requestForLog }, hooks: { logMethod: maskingLogMethod(secretMask(undefined, o.env)) } } : false,
    routerOptions: { maxParamLength: 1024 },
    bodyLimit: 64 * 1024,
    trustProxy: fastifyTrustProxy(proxies),
    ...fastifyTimeouts(httpTimeouts(o.env)),
  });
  // Before the store: a malformed PARLEY_RECORDINGS_URL stops the start with nothing to close.
  const ownRecordings = o.recordings || o.recordingsDir ? undefined : openRecordings(o.env);
  const eventsOut = EventsOut.describe(o.env); // likewise a bad PARLEY_EVENTS_TYPES
  const webrtc = webRtcSettings(o.env); // and a bad PARLEY_ICE_SERVERS
  const recordings = o.recordings ?? (o.recordingsDir ? new DirectoryRecordings(o.recordingsDir) : ownRecordings);
  const store = o.store ?? (await openStore(databaseUrl(o.env)));
  const warn = (line: string) => app.log.warn(line);
  const agents = await AgentRegistry.open(o.agentsDir, { store, env: o.env, log: warn });
  if (!agents.names().length) warn(`no agent could be loaded from ${o.agentsDir}`);
  if (o.watch ?? o.mode === 'dev') agents.watch();
  if (!o.speech) warmVoiceActivity(agents, Number(o.env.PARLEY_VAD_WARM ?? 4), warn);

  let secret = o.env.PARLEY_SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    warn('PARLEY_SESSION_SECRET is not set: using a random secret for this process, so session tokens do not survive a restart or work across several servers');
  }
  const publicUrl = (o.publicUrl ?? o.env.PARLEY_PUBLIC_URL)?.replace(/\/+$/, '');
  const live: ServerContext['live'] = new Set();
  // PARLEY_REDIS_URL: per-caller limits, admin-login failures and logouts, used session tokens and agents' seats are shared by every node.
  // ioredis (~23 MB of RSS) is loaded only when a Redis is configured.
  const redis = o.env.PARLEY_REDIS_URL ? new (await import('ioredis')).Redis(o.env.PARLEY_REDIS_URL, { maxRetriesPerRequest: 2 }) : undefined;
  if (redis) {
    // ioredis reconnects on its own; say so once per outage rather than on every retry.
    let down = false;
    redis.on('error', (e: Error) => {
      if (!down) warn(`redis: ${e.message}; new conversations are refused until it is back (running ones go on)`);
      down = true;
    });
    redis.on('ready', () => {
      if (down) warn('redis: connected again');
      down = false;
    });
  }
  // One prefix for every key, so several deployments (or test runs) can share one Redis.
  const prefix = o.env.PARLEY_REDIS_PREFIX || 'parley:';
  const window = redis ? new RedisRateWindow(redis, { now: o.now, prefix: `${prefix}rate:` }) : new MemoryRateWindow({ now: o.now });
  if (redis && store.kind === 'sqlite' && o.mode === 'serve') warn('PARLEY_REDIS_URL is set but the store is SQLite: limits are shared, records and daily budgets are not; several nodes need PARLEY_DATABASE_URL=postgres://…');
  const liveList = redis ? new RedisLiveSessions(redis, { prefix: `${prefix}live:`, leaseMs: seatLeaseMs(o.env), onError: (e) => warn(`redis: live-session list not updated: ${e.message}`) }) : new MemoryLiveSessions();
  const seats = redis ? new RedisSeats(redis, { prefix: `${prefix}seats:`, leaseMs: seatLeaseMs(o.env), onError: (e) => warn(`redis: seat leases not renewed: ${e.message}`) }) : new MemorySeats();
  const ctx: ServerContext = {
    agents,
    store,
    env: o.env,
    mode: o.mode,
    metrics: new Metrics(),
    speech: o.speech ?? ((agent, setting) => agentSpeech(agent, o.env, setting)),
    tokens: new SessionTokens({ secret, now: o.now, spent: redis ? new RedisSpentTokens(redis, { now: o.now, prefix: `${prefix}token:` }) : undefined }),
    adminAuth: new AdminAuth({
      token: o.env.PARLEY_ADMIN_TOKEN,
      metricsToken: o.env.PARLEY_METRICS_TOKEN,
      now: o.now,
      failures: window,
      revoked: redis ? new RedisRevokedLogins(redis, { now: o.now, prefix: `${prefix}logout:` }) : undefined,
    }),
    admission: new Admission({
      store,
      window,
      maxSessions: o.maxSessions ?? (Number(o.env.PARLEY_MAX_SESSIONS) || 200),
      seats,
      draining: () => ctx.draining,
      onError: (e) => warn(`admission: a limit could not be checked, conversation refused: ${e.message}`),
      now: o.now,
    }),
    outputSampleRate: o.outputSampleRate ?? 24000,
    webrtc,
    recordings,
    live,
    liveList,
    dependencies: [
      { name: 'store', check: async (signal) => void (await sql`SELECT 1`.execute(store.db, { signal })) },
      ...(redis ? [{ name: 'redis' as const, check: (signal: AbortSignal) => abortable(redis.ping(), signal).then(() => {}) }] : []),
    ],
    events: new EventsOut({ store, agents, env: o.env, publicUrl, log: warn }, o.events),
    draining: false,
    analysis: new AnalysisQueue({
      db: store.db,
      target: (name) => {
        const loaded = agents.get(name);
        const config = loaded?.agent.config.analysis;
        if (!loaded || !config) return undefined;
        const main = loaded.models[0] ? { model: loaded.models[0], label: loaded.modelLabel } : undefined;
        return { config, model: () => analysisModel(loaded.agent, o.env, main) };
      },
      ...o.analysis,
      // Every stored analysis (done, failed or skipped) goes out as analysis.completed.
      onAnalysisCompleted: (id, analysis, agent) => {
        void ctx.events.enqueue({ agent, type: 'analysis.completed', conversationId: id, data: { conversationId: id, analysis } }).catch((e: unknown) => warn(`events: analysis.completed of ${id} could not be queued: ${errorText(e)}`));
        o.analysis?.onAnalysisCompleted?.(id, analysis, agent);
      },
      warn,
    }),
    baseUrl: (req) => publicUrl ?? `${req.protocol}://${req.host}`,
    now: o.now ?? Date.now,
    fetch: o.fetch ?? fetch,
    log: (line) => app.log.info(redact ? redactPersonalData(line) : line),
    warn: (line) => warn(redact ? redactPersonalData(line) : line),
  };

  ctx.log(`records are kept in ${store.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'} at ${store.where}`);
  if (redis) ctx.log(`limits, seats and used tokens are shared through Redis at ${withoutPassword(o.env.PARLEY_REDIS_URL!)}`);
  if (recordings) ctx.log(`recordings are kept in ${recordings.describe}`);
  for (const line of eventsOut.info) ctx.log(line);
  for (const line of eventsOut.warn) warn(line);
  if (proxies.kind === 'hops') ctx.log(`caller addresses: the X-Forwarded-For entry ${proxies.hops} from the right (PARLEY_TRUST_PROXY=${o.env.PARLEY_TRUST_PROXY})`);
  if (proxies.kind === 'addresses') ctx.log(`caller addresses: the right-most X-Forwarded-For entry not in ${proxies.addresses.join(', ')}`);

  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  await healthRoutes(app, ctx);
  await webRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await eventRoutes(app, ctx);
  await bookingRoutes(app, ctx);
  await twilioRoutes(app, ctx);
  await twilioCallbackRoutes(app, ctx);
  await campaignRoutes(app, ctx);
  await widgetRoutes(app, ctx);

  await recoverAbandonedConversations(app, ctx, seatLeaseMs(o.env));
  // Conversations that ended (or were closed above) without an analysis: a crash came first.
  await ctx.analysis
    .recover(agents.list().filter((a) => a.agent.config.analysis).map((a) => a.agent.name), new Date(Date.now() - ANALYSIS_RECOVERY_MS).toISOString())
    .then((n) => n && ctx.log(`queued ${n} conversations for the post-call analysis a restart interrupted`))
    .catch((e: Error) => ctx.warn(`could not look for conversations left unanalysed: ${e.message}`));
  const retention = keepRetention(ctx);
  // Campaigns are dialled by every node with a public URL (Twilio must reach its callbacks), unless told not to.
  const runner = o.campaigns?.run !== false && o.env.PARLEY_CAMPAIGNS !== 'off' && publicUrl ? new CampaignRunner({ ctx, publicUrl, now: o.campaigns?.now, pollMs: o.campaigns?.pollMs }) : undefined;
  if (runner) {
    ctx.campaignRunner = runner;
    runner.start();
  } else if (o.mode === 'serve' && !publicUrl && o.env.PARLEY_CAMPAIGNS !== 'off') ctx.log('campaigns are not dialled by this server: set PARLEY_PUBLIC_URL (Twilio calls back there)');
  app.addHook('preClose', async () => {
    clearInterval(retention);
    await runner?.stop();
    await ctx.events.stop();
    ctx.metrics.close();
    ctx.analysis.close();
    agents.close();
    for (const s of ctx.live) s.abort();
  });
  app.addHook('onClose', async () => {
    await Promise.race([Promise.all([...ctx.live].map((s) => s.done)), new Promise((r) => setTimeout(r, 2000))]);
    if (!o.store) await store.close();
    ownRecordings?.close?.();
    seats.close();
    liveList.close();
    redis?.disconnect();
    await closeMcpPool(); // stops stdio MCP servers, ends HTTP sessions
    await shutdownTraces(); // sends the last spans
  });
  app.decorate('parley', ctx);
  app.decorate('drain', async (timeoutMs: number) => {
    ctx.draining = true;
    ctx.log(`draining: ${ctx.live.size} live sessions may finish (up to ${Math.round(timeoutMs / 1000)} s); new ones are refused`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const outcome = await Promise.race([Promise.all([...ctx.live].map((s) => s.done)).then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') ctx.warn(`draining: ${ctx.live.size} sessions still live after ${Math.round(timeoutMs / 1000)} s; closing them`);
    await app.close();
  });
  return app;
}

/**
 * Makes each agent's Silero detectors before the first caller: one takes ~100 ms of blocked event
 * loop, which a caller's audio should not wait for. PARLEY_VAD_WARM per distinct turn setting.
 */
function warmVoiceActivity(agents: AgentRegistry, n: number, warn: (line: string) => void): void {
  for (const { agent } of agents.list()) {
    try {
      sharedSileroPool(voiceActivityFromTurn(agent.config.listen.turn)).prewarm(n);
    } catch (e) {
      warn(`voice activity detection is not available, voice sessions will fail: ${errorText(e)}`);
      return;
    }
  }
}

/** Request lines in the log without session tokens (they are in the socket's path) or query strings. */
function requestForLog(req: { method: string; url: string; ip?: string }): Record<string, unknown> {
  return { method: req.method, url: req.url.replace(/\/v1\/sessions\/[^/?]+/, '/v1/sessions/…').replace(/\?.*$/, ''), remoteAddress: req.ip };
}

/** Applies each agent's privacy.retentionDays now and every hour after. */
function keepRetention(ctx: ServerContext): NodeJS.Timeout {
  const purge = async () => {
    for (const { agent } of ctx.agents.list()) {
      const days = agent.config.privacy.retentionDays;
      if (!days) continue;
      const r = await purgeOldConversations(ctx.store, agent.name, days, { recordings: ctx.recordings }).catch((e: Error) => (ctx.warn(`retention for ${agent.name} failed: ${e.message}`), null));
      if (r?.conversations) ctx.log(`retention: deleted ${r.conversations} conversations (${r.recordings} recordings) of ${agent.name} older than ${days} days`);
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), 3_600_000);
  timer.unref();
  return timer;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's shared state (agents, store, live sessions): tests and route groups read it. */
    parley: ServerContext;
    /** Stops taking sessions, waits up to `timeoutMs` for the live ones to end, then closes. */
    drain(timeoutMs: number): Promise<void>;
  }
}

/** How far back recovery looks for conversations that ended without an analysis (older ones are left alone). */
const ANALYSIS_RECOVERY_MS = 48 * 3_600_000;

/** How long a node's seats outlive it (PARLEY_SEAT_LEASE_SEC, default 30 s): a node that dies without draining frees its agents' seats after this. */
function seatLeaseMs(env: NodeJS.ProcessEnv): number {
  const sec = Number(env.PARLEY_SEAT_LEASE_SEC);
  return Number.isFinite(sec) && sec >= 1 ? sec * 1000 : 30_000;
}

/** `p`, or a rejection when `signal` aborts first (ioredis commands take no signal). */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.throwIfAborted();
    const stop = () => reject(signal.reason as Error);
    signal.addEventListener('abort', stop, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
