import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { CLOSE_POLICY, CLOSE_TRY_AGAIN } from '../../channels/web/socket.ts';
import { localAccess, type AdminAuth } from '../../guard/admin-auth.ts';
import type { ByteRange } from '../../store/recordings/types.ts';
import { declinedQuestions } from '../../store/unanswered.ts';
import { knowledgeGaps } from '../knowledge-gaps.ts';
import { knownLanguage } from '../../util/language.ts';
import { OUTCOMES, Records, type ConversationFilter, type ConversationRecord, type Outcome } from '../../store/records.ts';
import type { AgentProblem, LoadedAgent } from '../agents.ts';
import type { ServerContext } from '../context.ts';
import { startTimeoutMs } from '../start-gate.ts';
import { dashboardRoutes } from './dashboard.ts';
import { ownerRoutes } from './owner.ts';
import { Analyses } from '../../store/analyses.ts';
import type { AnalysisRecord } from '../../store/record-types.ts';
import { serveWebSocket, webRtcOffer } from './web.ts';

// The admin API (/v1/admin/…, JSON, what the dashboard and scripts use) and, through
// dashboardRoutes, the dashboard itself. Everything here is behind `adminGuard`. The response
// shapes are documented in docs/dashboard.md.

/** Methods that change nothing: the only ones a login cookie may send without the dashboard's own Origin. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may use the admin API: in dev mode this machine's own browser and scripts (see localAccess;
 * req.ip, so PARLEY_TRUST_PROXY applies); otherwise the PARLEY_ADMIN_TOKEN holder (bearer, or
 * login cookie from the dashboard's own origin for anything that changes state).
 */
export function adminGuard(ctx: ServerContext, auth: AdminAuth) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (ctx.mode === 'dev') {
      const here = localAccess(req);
      if (here.local) return;
      if (!ctx.env.PARLEY_ADMIN_TOKEN) {
        return reply.code(403).send({ error: `in dev mode the dashboard and admin API are open to this machine only, and ${here.reason}; open it at http://localhost:<port>/dashboard, or set PARLEY_ADMIN_TOKEN to reach it from elsewhere` });
      }
    }
    const verdict = await auth.check({ authorization: req.headers.authorization, cookie: req.headers.cookie, client: req.ip });
    if (verdict.ok) {
      // SameSite=Strict keeps other sites from sending the cookie, but a page on a sibling subdomain is the same "site".
      if (verdict.via === 'cookie' && !SAFE_METHODS.has(req.method) && !ownOrigins(ctx, req).includes(req.headers.origin ?? '')) {
        return reply.code(403).send({ error: `a change made with the login cookie must come from the dashboard's own page (${ownOrigins(ctx, req)[0]}), not ${req.headers.origin ? `Origin ${req.headers.origin}` : 'a request without an Origin'}` });
      }
      return;
    }
    // A browser opening a dashboard page without a login goes to the login form.
    if (verdict.status === 401 && req.method === 'GET' && req.url.startsWith('/dashboard') && !req.url.startsWith('/dashboard/assets/')) {
      return reply.redirect('/dashboard/login', 303);
    }
    return reply.code(verdict.status).send({ error: verdict.error });
  };
}

/** The admin API and the dashboard. */
export async function adminRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const auth = ctx.adminAuth;
  const guard = adminGuard(ctx, auth);
  const records = new Records(ctx.store.db, ctx.store.kind);
  const analyses = new Analyses(ctx.store.db);

  await app.register(async (api) => {
    api.addHook('onRequest', guard);

    api.get('/v1/admin/agents', async () => {
      const counts = await knowledgeCounts(ctx);
      const problems = ctx.agents.problems();
      return {
        agents: ctx.agents.list().map((a) => agentView(ctx, a, counts.get(a.agent.name), problems.find((p) => p.dir === a.dir))),
        problems: problems.map((p) => problemView(ctx, p)),
      };
    });

    api.get<{ Params: { agent: string } }>('/v1/admin/agents/:agent/embed', async (req, reply) => {
      const loaded = ctx.agents.get(req.params.agent);
      if (!loaded) return reply.code(404).send({ error: `no agent named "${req.params.agent}"` });
      const web = loaded.agent.config.channels.web;
      const widgetUrl = `${ctx.baseUrl(req)}/widget.js`;
      return {
        agent: loaded.agent.name,
        snippet: `<script src="${widgetUrl}" data-agent="${loaded.agent.name}" async></script>`,
        widgetUrl,
        webEnabled: web.enabled,
        allowedOrigins: web.allowedOrigins,
      };
    });

    // Sandbox sessions: any loaded agent, from the dashboard's own origin, whatever its web settings.
    api.post<{ Params: { agent: string } }>('/v1/admin/agents/:agent/sessions', async (req, reply) => {
      const loaded = ctx.agents.get(req.params.agent);
      if (!loaded) return reply.code(404).send({ error: `no agent named "${req.params.agent}"` });
      const room = await ctx.admission.capacity(loaded);
      if (!room.ok) return reply.code(room.status).send({ error: room.reason, code: room.code });
      const own = ownOrigins(ctx, req);
      const origin = req.headers.origin ?? own[0]!;
      if (!own.includes(origin)) return reply.code(403).send({ error: `sandbox sessions are for the dashboard at ${own[0]}, not ${origin}` });
      const token = ctx.tokens.issue(loaded.agent.name, origin);
      // The socket goes where the dashboard page is (localhost in dev, even with PARLEY_PUBLIC_URL naming a tunnel).
      return { token, url: `${origin.replace(/^http/, 'ws')}/v1/admin/sessions/${token}`, origin, ...webRtcOffer(ctx, loaded) };
    });

    api.get<{ Params: { token: string } }>('/v1/admin/sessions/:token', { websocket: true }, async (socket, req) => {
      const openedAt = performance.now();
      const check = await ctx.tokens.redeem(req.params.token, { origin: req.headers.origin ?? '' });
      if (socket.readyState !== socket.OPEN) return;
      if (!check.ok) return socket.close(check.unavailable ? CLOSE_TRY_AGAIN : CLOSE_POLICY, check.reason);
      if (!ownOrigins(ctx, req).includes(check.claims.origin)) return socket.close(CLOSE_POLICY, 'token was not issued for the dashboard');
      const loaded = ctx.agents.get(check.claims.agent);
      if (!loaded) return socket.close(CLOSE_POLICY, `no agent named "${check.claims.agent}"`.slice(0, 123));
      // Like the widget's socket: the seat is taken at `start` (admins are trusted: no bound on waiting sockets).
      serveWebSocket(ctx, socket, { loaded, caller: 'dashboard sandbox', openedAt, timeoutMs: startTimeoutMs(ctx.env), leave: () => {} });
    });

    // Every node's sessions when nodes share Redis; this node's otherwise.
    api.get('/v1/admin/sessions', async () => ({
      sessions: (await ctx.liveList.list())
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
        .map((s) => ({ agent: s.agent, door: s.door, conversationId: s.conversationId, startedAt: s.startedAt, node: s.node })),
    }));

    api.get<{ Querystring: Record<string, string | undefined> }>('/v1/admin/conversations', async (req, reply) => {
      const filter = conversationFilter(req.query);
      if ('error' in filter) return reply.code(400).send(filter);
      try {
        const page = await records.search(filter);
        return {
          conversations: page.items.map(({ channel, ...c }) => ({ ...c, door: channel, durationMs: c.endedAt ? Date.parse(c.endedAt) - Date.parse(c.startedAt) : null })),
          nextCursor: page.nextCursor,
        };
      } catch (e) {
        if (e instanceof RangeError) return reply.code(400).send({ error: e.message });
        throw e;
      }
    });

    // What callers asked that the agent could not answer (not in the documents, or turned away as a
    // guarded topic): the owner's to-do list for the knowledge folder and for follow-up calls.
    api.get<{ Querystring: Record<string, string | undefined> }>('/v1/admin/unanswered', async (req, reply) => {
      const { agent, from, to, test } = req.query;
      for (const [name, value] of Object.entries({ from, to })) {
        if (value !== undefined && Number.isNaN(Date.parse(value))) return reply.code(400).send({ error: `${name} must be an ISO date or time, e.g. 2026-12-01` });
      }
      // Sandbox and test runs are left out unless test=1, as everywhere on the owner's pages.
      const real = !(test === '1' || test === 'true');
      const declined = await declinedQuestions(ctx.store.db, { agent, real, from: from && new Date(from).toISOString(), to: to && new Date(to).toISOString() });
      // Each agent's questions are grouped in its callers' language (an agent no longer loaded: English).
      const languageOf = (name: string) => knownLanguage(ctx.agents.get(name)?.agent.config.persona.language);
      const turnedAway = declined.filter((q) => q.guardedTopic).length;
      return { questions: knowledgeGaps(declined, languageOf), declined: declined.length - turnedAway, turnedAway };
    });

    api.get<{ Params: { id: string } }>('/v1/admin/conversations/:id', async (req, reply) => {
      const rec = await records.get(req.params.id);
      if (!rec) return reply.code(404).send({ error: `no conversation ${req.params.id}` });
      return conversationView(rec, (await records.outcome(rec.id)) ?? 'open', await analyses.get(rec.id));
    });

    await api.register(async (owner) => ownerRoutes(owner, ctx));

    api.get<{ Params: { id: string } }>('/v1/admin/conversations/:id/recording', async (req, reply) => {
      const rec = await records.get(req.params.id);
      if (!rec) return reply.code(404).send({ error: `no conversation ${req.params.id}` });
      if (!rec.recording) return reply.code(404).send({ error: 'this conversation has no recording' });
      const store = ctx.recordings;
      if (!store) return reply.code(404).send({ error: 'this server keeps no recordings (neither PARLEY_RECORDINGS_URL nor PARLEY_RECORDINGS_DIR is set)' });
      const ref = rec.recording.path;
      // Only what this server's store holds is served: never a path or bucket a record merely names.
      if (!store.owns(ref)) return reply.code(403).send({ error: 'the recording is outside the recordings folder' });
      // The client going away stops the read (an S3 GET, or the file stream).
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      try {
        const size = await store.stat(ref, gone.signal);
        if (size === null) return reply.code(404).send({ error: 'the recording file is missing' });
        return await sendRange(req, reply, size, 'audio/wav', (range) => store.read(ref, range, gone.signal));
      } catch (e) {
        // The bucket is down or refuses our keys: say so (the message names the ref, never a secret).
        if (reply.sent) throw e;
        ctx.warn(`recording of ${rec.id}: ${(e as Error).message}`);
        return reply.code(502).removeHeader('content-type').removeHeader('accept-ranges').send({ error: `the recordings store failed: ${(e as Error).message}` });
      }
    });
  });

  await dashboardRoutes(app, ctx, { auth, guard, ownOrigins: (req) => ownOrigins(ctx, req) });
}

/**
 * The origins the dashboard is served from: the public URL's, and the one this request came in
 * at (a tunnel or localhost while PARLEY_PUBLIC_URL names the public address). Sandbox sessions
 * are bound to one of them.
 */
function ownOrigins(ctx: ServerContext, req: FastifyRequest): string[] {
  return [new URL(ctx.baseUrl(req)).origin, new URL(`${req.protocol}://${req.host}`).origin];
}

async function knowledgeCounts(ctx: ServerContext): Promise<Map<string, { sources: number; chunks: number }>> {
  const rows = await ctx.store.db
    .selectFrom('knowledge_sources')
    .select((eb) => ['agent', eb.fn.countAll<number>().as('sources'), eb.fn.sum<number>('chunks').as('chunks')])
    .groupBy('agent')
    .execute();
  return new Map(rows.map((r) => [r.agent, { sources: Number(r.sources), chunks: Number(r.chunks ?? 0) }]));
}

function agentView(ctx: ServerContext, a: LoadedAgent, counts: { sources: number; chunks: number } | undefined, problem: AgentProblem | undefined) {
  const c = a.agent.config;
  return {
    name: a.agent.name,
    description: c.description ?? null,
    version: a.agent.version,
    folder: ctx.agents.label(a.dir),
    model: a.modelLabel,
    stt: c.listen.stt,
    tts: c.voice.tts,
    voiceId: c.voice.voiceId ?? null,
    language: c.persona.language,
    timeZone: c.timeZone,
    tools: c.tools.map((t) => (t.type === 'webhook' ? t.name : t.type)),
    calendar: c.calendar?.provider ?? null,
    channels: {
      web: { enabled: c.channels.web.enabled, allowedOrigins: c.channels.web.allowedOrigins, widget: c.channels.web.widget },
      phone: c.channels.phone ? { number: c.channels.phone.number ?? null } : null,
    },
    limits: c.limits,
    knowledge: { sources: c.knowledge.sources.length, indexedSources: counts?.sources ?? 0, chunks: counts?.chunks ?? 0, strict: c.knowledge.strict },
    loadedAt: a.loadedAt.toISOString(),
    /** The last edit failed to load; this version keeps serving. */
    problem: problem?.message ?? null,
  };
}

function problemView(ctx: ServerContext, p: AgentProblem) {
  return { folder: ctx.agents.label(p.dir), message: p.message, serving: p.serving ?? null };
}

const DOORS = ['text', 'web', 'phone'];

/** Query parameters of the conversations list, checked; a date alone (`2026-03-01`) covers its whole UTC day. */
function conversationFilter(q: Record<string, string | undefined>): ConversationFilter | { error: string } {
  const f: ConversationFilter = {};
  if (q.agent) f.agent = q.agent;
  if (q.door) {
    if (!DOORS.includes(q.door)) return { error: `door must be one of ${DOORS.join(', ')}` };
    f.channel = q.door;
  }
  if (q.outcome) {
    if (!OUTCOMES.includes(q.outcome as Outcome)) return { error: `outcome must be one of ${OUTCOMES.join(', ')}` };
    f.outcome = q.outcome as Outcome;
  }
  for (const key of ['from', 'to'] as const) {
    const v = q[key];
    if (!v) continue;
    const t = Date.parse(v);
    if (Number.isNaN(t)) return { error: `${key} must be an ISO-8601 date or time, e.g. 2026-03-01 or 2026-03-01T09:00:00Z` };
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
    f[key] = new Date(key === 'to' && dateOnly ? t + 86_400_000 : t).toISOString();
  }
  if (q.limit) {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 1 || n > 200) return { error: 'limit must be a whole number from 1 to 200' };
    f.limit = n;
  }
  if (q.cursor) f.cursor = q.cursor;
  if (q.q) f.text = q.q;
  // Sandbox and test runs stay apart from real callers unless asked for (test=1, or door=text).
  f.real = !(q.test === '1' || q.test === 'true' || q.door === 'text');
  return f;
}

/** One bar of a turn's latency waterfall, in ms from the end of the caller's speech (voice) or their message (text). */
interface Bar {
  stage: 'endpointing' | 'stt' | 'llm' | 'tts' | 'first-audio' | 'total';
  label: string;
  startMs: number;
  endMs: number;
}

/** The bars of one agent turn's latency record (docs/latency.md names the fields). */
export function waterfall(l: Record<string, number | null> | null): Bar[] {
  if (!l) return [];
  const n = (k: string) => (typeof l[k] === 'number' ? l[k] : null);
  const bars: Bar[] = [];
  const bar = (stage: Bar['stage'], label: string, startMs: number, endMs: number | null) => endMs !== null && bars.push({ stage, label, startMs, endMs });
  const llm = n('llmFirstTokenMs');
  if (n('endpointingMs') === null && n('voiceToVoiceMs') === null) {
    bar('llm', 'message → LLM first token', 0, llm);
    bar('total', 'message → reply complete', 0, n('totalMs'));
    return bars;
  }
  const ep = n('endpointingMs') ?? 0;
  bar('endpointing', 'end of speech → turn committed', 0, ep);
  bar('stt', 'end of speech → STT final', 0, n('sttFinalMs'));
  bar('llm', 'turn committed → LLM first token', ep, llm === null ? null : ep + llm);
  const tts = n('ttsFirstAudioMs');
  if (llm !== null) bar('tts', 'LLM first token → TTS first audio', ep + llm, tts === null ? null : ep + llm + tts);
  bar('first-audio', 'end of speech → first audio sent', 0, n('voiceToVoiceMs'));
  return bars;
}

/** The record shaped for the conversation page: offsets into the recording, tool calls with what the agent said next. */
export function conversationView(rec: ConversationRecord, outcome: Outcome, analysis: AnalysisRecord | null = null) {
  const t0 = Date.parse(rec.startedAt);
  const at = (iso: string) => Date.parse(iso) - t0;
  const agentTurns = rec.turns.filter((t) => t.role === 'agent');
  const toolCalls = rec.toolCalls.map((c) => {
    const next = agentTurns.find((t) => t.seq >= c.turnSeq);
    return { ...c, atMs: at(c.startedAt), agentSaidNext: next ? (next.heardText ?? next.text) : null, agentSaidNextSeq: next?.seq ?? null };
  });
  const turns = rec.turns.map((t, i) => {
    const atMs = at(t.startedAt);
    const lat = t.latency ?? {};
    const nextLat = rec.turns[i + 1]?.latency ?? {};
    // Agent audio starts when its first audio is out; a caller turn is stamped when their turn was
    // committed, so its speech began earlier (estimated from the endpointing wait and its length).
    const seekMs =
      t.role === 'agent'
        ? atMs + Math.max(0, (lat.voiceToVoiceMs ?? 0) - (lat.endpointingMs ?? 0))
        : atMs - (nextLat.endpointingMs ?? 0) - 300 - 400 * t.text.split(/\s+/).filter(Boolean).length;
    return { ...t, atMs, seekMs: Math.max(0, Math.round(seekMs)), toolCalls: toolCalls.filter((c) => c.turnSeq === t.seq).map((c) => c.id), waterfall: t.role === 'agent' ? waterfall(t.latency) : [] };
  });
  return {
    id: rec.id,
    agent: rec.agent,
    agentVersion: rec.agentVersion,
    door: rec.channel,
    direction: rec.direction,
    caller: rec.caller,
    startedAt: rec.startedAt,
    endedAt: rec.endedAt,
    durationMs: rec.endedAt ? at(rec.endedAt) : null,
    endReason: rec.endReason,
    outcome,
    turns,
    toolCalls,
    lead: rec.lead,
    bookings: rec.bookings,
    errors: rec.errors ?? [],
    analysis,
    costUsd: rec.costUsd ?? null,
    usage: rec.usage ?? null,
    // An outbound call Parley placed: CallSid, outcome (human, voicemail, no-answer, busy, failed), campaign.
    call: rec.call ?? null,
    // The recording starts with the conversation: a turn's `atMs` is its place in the audio.
    recording: rec.recording ? { url: `/v1/admin/conversations/${rec.id}/recording`, durationMs: rec.recording.durationMs, offsetMs: 0, channels: { left: 'caller', right: 'agent' } } : null,
  };
}

/** Sends `size` bytes that `open` streams, honouring one `Range: bytes=…` (so an audio element can seek). */
async function sendRange(req: FastifyRequest, reply: FastifyReply, size: number, type: string, open: (range: ByteRange | undefined) => Promise<Readable>): Promise<FastifyReply> {
  reply.header('accept-ranges', 'bytes').header('content-type', type).header('cache-control', 'private, no-cache');
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
  if (!range) return reply.header('content-length', size).send(await open(undefined));
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
    .header('content-length', range.end - range.start + 1)
    .send(await open(range));
}

/** One byte range of a file of `size` bytes; undefined for no (or an unsupported, e.g. multi-part) range. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (!m[1] && !m[2])) return undefined;
  if (!m[1]) {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start >= size || end < start ? 'unsatisfiable' : { start, end };
}
