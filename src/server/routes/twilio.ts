import type { FastifyInstance, FastifyRequest } from 'fastify';
import { phoneAccount, phoneAuthToken } from '../../channels/twilio/calls.ts';
import { TwilioChannel } from '../../channels/twilio/media-stream.ts';
import { CLOSE_POLICY, CLOSE_TRY_AGAIN } from '../../channels/web/socket.ts';
import { WaitingSockets } from '../../guard/waiting-sockets.ts';
import { validTwilioSignature } from '../../guard/twilio-signature.ts';
import type { Seat } from '../../guard/admission.ts';
import type { LoadedAgent } from '../agents.ts';
import { newConversation, track, type ServerContext } from '../context.ts';
import { hardStopMs, startTimeoutMs, waitingPerAddress } from '../start-gate.ts';
import { runVoiceConversation } from '../voice-conversation.ts';
import { watchPhoneCall } from '../call-watch.ts';
import { dialOut, DoNotCallError, outboundCallLink } from '../outbound-calls.ts';
import { adminGuard } from './admin.ts';

// The phone door (docs/phone.md). Twilio POSTs the voice webhook when a call comes in (or an
// outbound call is answered); we check its signature, pick the agent, and answer TwiML that
// connects the call to our Media Streams socket with a single-use session token as a <Parameter>.
// The socket redeems the token on `start` and runs the same voice loop as the web door.

export async function twilioRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    // Twilio posts form-encoded bodies; parsed here only, for its routes.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    scope.post<{ Querystring: { agent?: string; direction?: string }; Body: Record<string, string> }>('/v1/twilio/voice', async (req, reply) => {
      const params = req.body && typeof req.body === 'object' ? req.body : {};
      const loaded = req.query.agent ? ctx.agents.get(req.query.agent) : ctx.agents.list().find((a) => a.agent.config.channels.phone?.number === params.To);
      const token = loaded ? phoneAuthToken(loaded.agent, ctx.env) : ctx.env.TWILIO_AUTH_TOKEN;
      const url = `${ctx.baseUrl(req)}${req.url}`;
      if (!token || !validTwilioSignature(token, header(req, 'x-twilio-signature'), url, params)) {
        ctx.warn(`twilio: refused a webhook for ${url} with ${token ? 'a signature that does not match' : 'no auth token to check it against'} (behind a proxy, set PARLEY_PUBLIC_URL to the URL Twilio calls)`);
        return reply.code(403).type('text/plain').send('invalid Twilio signature');
      }
      reply.type('text/xml');
      if (!loaded) {
        ctx.warn(`twilio: no agent answers ${params.To ?? 'this number'} (set channels.phone.number, or ?agent=NAME on the webhook URL)`);
        return say("Sorry, this number is not connected to an assistant right now. Goodbye.");
      }
      const caller = params.Direction?.startsWith('outbound') ? (params.To ?? '') : (params.From ?? '');
      const admitted = await ctx.admission.check(loaded, caller || 'unknown');
      if (!admitted.ok) {
        ctx.metrics.refused(admitted.code);
        ctx.log(`twilio: refused a call for ${loaded.agent.name}: ${admitted.reason}`);
        return say("Sorry, we can't take your call right now. Please try again later. Goodbye.");
      }
      const direction = req.query.direction === 'outbound' || params.Direction?.startsWith('outbound') ? 'outbound' : 'inbound';
      // The caller and direction ride inside the signed token: the stream's <Parameter>s come back unsigned.
      const session = ctx.tokens.issue(loaded.agent.name, `twilio:${params.CallSid ?? ''}`, { caller, direction });
      const stream = `${ctx.baseUrl(req).replace(/^http/, 'ws')}/v1/twilio/stream`;
      const parameters = { token: session, agent: loaded.agent.name, callSid: params.CallSid ?? '' };
      return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Response><Connect>',
        `<Stream url="${xml(stream)}">`,
        ...Object.entries(parameters).map(([name, value]) => `<Parameter name="${name}" value="${xml(value)}"/>`),
        '</Stream></Connect></Response>',
      ].join('');
    });
  });

  const waitingStreams = new WaitingSockets(waitingPerAddress(ctx.env));
  const timeoutMs = startTimeoutMs(ctx.env);

  app.get('/v1/twilio/stream', { websocket: true }, (socket, req) => {
    const openedAt = performance.now();
    const leave = waitingStreams.enter(req.ip);
    if (!leave) return socket.close(CLOSE_TRY_AGAIN, `more than ${waitingStreams.perAddress} streams from this address are waiting to start`);
    let hardStop: NodeJS.Timeout | undefined;
    const ac = new AbortController();
    const channel = new TwilioChannel(socket, {
      onStart: async (start) => {
        clearTimeout(noStart);
        leave();
        const p = start.customParameters;
        const check = await ctx.tokens.redeem(p.token ?? '', { origin: `twilio:${start.callSid}` });
        if (ac.signal.aborted) return; // Twilio hung up while the token was checked
        if (!check.ok) return channel.fail(check.unavailable ? CLOSE_TRY_AGAIN : CLOSE_POLICY, check.reason);
        const loaded = ctx.agents.get(check.claims.agent);
        if (!loaded) return channel.fail(CLOSE_POLICY, `no agent named "${check.claims.agent}"`);
        // One stream per call: a replayed (signed) webhook mints a fresh token, but not a second stream.
        const once = await ctx.tokens.claimOnce(`call:${start.callSid}`);
        if (ac.signal.aborted) return;
        if (once !== 'claimed') return channel.fail(once === 'unavailable' ? CLOSE_TRY_AGAIN : CLOSE_POLICY, once === 'unavailable' ? 'cannot check the call right now; try again' : 'this call already has a stream');
        const seat = await ctx.admission.seat(loaded);
        if (!seat.ok) {
          ctx.metrics.refused(seat.code);
          return channel.fail(CLOSE_TRY_AGAIN, seat.reason.slice(0, 123));
        }
        if (ac.signal.aborted) return seat.release();
        const call = check.claims.call ?? { caller: '', direction: 'inbound' as const };
        // An outbound call Parley placed: its campaign contact's {{variables}} (docs/phone.md).
        const link = call.direction === 'outbound' ? await outboundCallLink(ctx, start.callSid).catch(() => undefined) : undefined;
        if (ac.signal.aborted) return seat.release();
        // limits.maxDurationSec counts from the stream's opening; past it and a grace, the door closes whatever happens.
        const { maxDurationSec } = loaded.agent.config.limits;
        const elapsedMs = performance.now() - openedAt;
        hardStop = setTimeout(() => {
          ac.abort();
          channel.close('time limit');
        }, hardStopMs(maxDurationSec, elapsedMs));
        runCall(ctx, loaded, channel, { caller: call.caller || null, direction: call.direction, callSid: start.callSid, maxDurationSec: Math.max(1, maxDurationSec - elapsedMs / 1000), variables: link?.variables }, ac, seat);
      },
      onClose: () => {
        clearTimeout(noStart);
        clearTimeout(hardStop);
        leave();
        ac.abort();
      },
    });
    const noStart = setTimeout(() => channel.fail(CLOSE_POLICY, `no start within ${timeoutMs / 1000} s`), timeoutMs);
  });

  /** Places an outbound call: Twilio calls `to` and, when answered, fetches our voice webhook. */
  await app.register(async (scope) => {
    scope.addHook('onRequest', adminGuard(ctx, ctx.adminAuth));
    scope.post<{ Params: { agent: string }; Body: { to?: unknown } }>('/v1/agents/:agent/calls', async (req, reply) => {
      const loaded = ctx.agents.get(req.params.agent);
      if (!loaded) return reply.code(404).send({ error: `no agent named "${req.params.agent}"` });
      const to = typeof req.body?.to === 'string' ? req.body.to : '';
      let account;
      try {
        account = phoneAccount(loaded.agent, ctx.env);
      } catch (e) {
        return reply.code(400).send({ error: (e as Error).message });
      }
      const admitted = await ctx.admission.check(loaded, to || 'outbound');
      if (!admitted.ok) {
        ctx.metrics.refused(admitted.code);
        return reply.code(admitted.status).send({ error: admitted.reason, code: admitted.code });
      }
      void account; // resolved above only to refuse an agent without a phone number with a clear 400
      try {
        // With answering-machine detection and a status callback; refused for a number on the do-not-call list.
        const call = await dialOut(ctx, { loaded, to, base: ctx.baseUrl(req) });
        ctx.log(`twilio: calling ${to} for ${loaded.agent.name} (call ${call.sid})`);
        return reply.code(201).send(call);
      } catch (e) {
        if (e instanceof DoNotCallError) return reply.code(403).send({ error: e.message, code: 'do-not-call' });
        return reply.code(/E\.164/.test((e as Error).message) ? 400 : 502).send({ error: (e as Error).message });
      }
    });
  });
}

/** One phone call on an accepted stream, tracked until its record is written. */
function runCall(ctx: ServerContext, loaded: LoadedAgent, channel: TwilioChannel, call: { caller: string | null; direction: 'inbound' | 'outbound'; callSid: string; maxDurationSec: number; variables?: Record<string, string> }, ac: AbortController, seat: Seat) {
  const watch = watchPhoneCall(ctx, loaded, call); // voicemail greetings, do-not-call requests, the outbound call's row
  const conversation = newConversation(ctx, loaded, { channel: 'phone', direction: call.direction, caller: call.caller, variables: call.variables, onEvent: watch.onEvent });
  ctx.log(`twilio: call ${call.callSid} (${call.direction}, ${call.caller ?? 'unknown'}) is conversation ${conversation.id} with ${loaded.agent.name}`);
  const done = runVoiceConversation({ conversation, channel, speech: ctx.speech, recordings: ctx.recordings, signal: ac.signal, maxDurationSec: call.maxDurationSec }).catch((e: Error) => {
    ctx.warn(`call ${call.callSid}: ${e.message}`);
    channel.fail(1011, 'voice session failed');
  }).finally(() => watch.settled());
  const session = { agent: loaded.agent.name, door: 'phone' as const, conversationId: conversation.id, abort: () => ac.abort(), done };
  track(ctx, session, seat);
  return session;
}

function say(text: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${xml(text)}</Say><Hangup/></Response>`;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
