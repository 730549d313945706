import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { CLOSE_NORMAL, CLOSE_POLICY, CLOSE_TRY_AGAIN } from '../../channels/web/socket.ts';
import { iceServersFor } from '../../channels/web/ice-servers.ts';
import { countWidgetOpened } from '../../store/overview.ts';
import { WaitingSockets } from '../../guard/waiting-sockets.ts';
import { originAllowed } from '../../guard/origins.ts';
import type { LoadedAgent } from '../agents.ts';
import { track, type ServerContext } from '../context.ts';
import { hardStopMs, StartGate, startTimeoutMs, waitingPerAddress } from '../start-gate.ts';
import { runWebSession } from '../web-session.ts';

/** The agent, when it exists, has the web door on and this Origin may use it; else why not (status and words). */
export function admitWeb(ctx: ServerContext, name: string, origin: string | undefined): { loaded: LoadedAgent } | { status: number; error: string } {
  const dev = ctx.mode === 'dev';
  const loaded = ctx.agents.get(name);
  if (!loaded) return { status: 404, error: `no agent named "${name}"` };
  const web = loaded.agent.config.channels.web;
  if (!web.enabled) return { status: 403, error: `the web channel of "${name}" is disabled` };
  if (!origin) return dev ? { loaded } : { status: 403, error: 'an Origin header is required' };
  if (!originAllowed(origin, web.allowedOrigins, { dev })) return { status: 403, error: `origin ${origin} is not in channels.web.allowedOrigins of "${name}"` };
  return { loaded };
}

/** The web door: session tokens for allowed origins, and the socket they open. See docs/protocol.md. */
export async function webRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {

  const admit = (name: string, origin: string | undefined) => admitWeb(ctx, name, origin);

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
    if ('error' in r) {
      // The widget reads the reason to show "not available on this site".
      cors(req, reply);
      return reply.code(r.status).send({ error: r.error });
    }
    cors(req, reply);
    // The top of the owner's funnel: a visitor opened the widget (counted whether or not a limit then refuses them).
    void countWidgetOpened(ctx.store.db, r.loaded.agent.name, new Date(ctx.now())).catch((e: Error) => ctx.warn(`could not count a widget opening: ${e.message}`));
    const admitted = await ctx.admission.check(r.loaded, req.ip);
    if (!admitted.ok) {
      ctx.metrics.refused(admitted.code);
      if (admitted.retryAfterSec) reply.header('retry-after', String(admitted.retryAfterSec));
      return reply.code(admitted.status).send({ error: admitted.reason, code: admitted.code });
    }
    const token = ctx.tokens.issue(req.params.agent, origin ?? '');
    return { token, url: `${ctx.baseUrl(req).replace(/^http/, 'ws')}/v1/sessions/${token}`, ...webRtcOffer(ctx, r.loaded) };
  });

  const waiting = new WaitingSockets(waitingPerAddress(ctx.env));
  const timeoutMs = startTimeoutMs(ctx.env);

  app.get<{ Params: { token: string } }>('/v1/sessions/:token', { websocket: true }, async (socket, req) => {
    const openedAt = performance.now();
    // A few sockets per address may wait for `start`; they hold no seat while they wait.
    const leave = waiting.enter(req.ip);
    if (!leave) return socket.close(CLOSE_TRY_AGAIN, `more than ${waiting.perAddress} sockets from this address are waiting to start`);
    socket.on('close', leave);
    const origin = req.headers.origin ?? '';
    const check = await ctx.tokens.redeem(req.params.token, { origin });
    if (socket.readyState !== socket.OPEN) return; // the browser left while the token was checked
    if (!check.ok) return socket.close(check.unavailable ? CLOSE_TRY_AGAIN : CLOSE_POLICY, check.reason);
    const r = admit(check.claims.agent, origin || undefined);
    if ('error' in r) return socket.close(CLOSE_POLICY, r.error.slice(0, 123));
    serveWebSocket(ctx, socket, { loaded: r.loaded, caller: origin, openedAt, timeoutMs, leave });
  });
}

/** What a browser needs to try WebRTC: whether the server takes offers, and its ICE servers with TURN credentials good for one call. */
export function webRtcOffer(ctx: ServerContext, loaded: LoadedAgent): { webrtc: boolean; iceServers: ReturnType<typeof iceServersFor>; iceTransportPolicy: 'all' | 'relay' } {
  const s = ctx.webrtc;
  // The credentials must outlive the call: TURN refreshes its allocation with them.
  const ttlMs = (loaded.agent.config.limits.maxDurationSec + 120) * 1000;
  return { webrtc: s.enabled, iceServers: s.enabled ? iceServersFor(s, { now: ctx.now(), ttlMs }) : [], iceTransportPolicy: s.relayOnly ? 'relay' : 'all' };
}

/**
 * A web socket whose token checked out (widget or dashboard sandbox): it waits for `start`
 * (closed after `timeoutMs` without one), takes the agent's seat then, and runs the session;
 * `leave` frees its place among the sockets waiting to start. limits.maxDurationSec counts from
 * `openedAt`: past it and a grace, the door closes whatever the session is doing.
 */
export function serveWebSocket(ctx: ServerContext, socket: WebSocket, o: { loaded: LoadedAgent; caller: string; openedAt: number; timeoutMs: number; leave: () => void }): void {
  const { loaded, openedAt, timeoutMs } = o;
  const hardStop = setTimeout(() => {
    session.abort();
    socket.close(CLOSE_NORMAL, 'time limit');
  }, hardStopMs(loaded.agent.config.limits.maxDurationSec, performance.now() - openedAt));
  socket.on('close', () => clearTimeout(hardStop));
  const gate = new StartGate(socket, {
    timeoutMs: Math.max(0, timeoutMs - (performance.now() - openedAt)),
    onTimeout: () => socket.close(CLOSE_POLICY, `no start within ${timeoutMs / 1000} s`),
    // The seat is taken at `start`, atomically (across nodes with Redis): an idle socket keeps no one out.
    admit: async () => {
      o.leave();
      const seat = await ctx.admission.seat(loaded);
      if (!seat.ok) {
        ctx.metrics.refused(seat.code);
        socket.close(CLOSE_TRY_AGAIN, seat.reason.slice(0, 123));
        return false;
      }
      if (socket.readyState !== socket.OPEN) return (seat.release(), false);
      track(ctx, { agent: loaded.agent.name, door: 'web', ...session }, seat);
      return true;
    },
  });
  const session = runWebSession(gate, { loaded, ctx, openedAt, recordUnstarted: () => gate.state !== 'refused' }, o.caller);
}
