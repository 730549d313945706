import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { phoneAccount, phoneAuthToken, refusedByTwilio } from '../../channels/twilio/calls.ts';
import { errorText } from '../../util/error-text.ts';
import { TwilioChannel } from '../../channels/twilio/media-stream.ts';
import { CallLine } from '../../channels/twilio/call-line.ts';
import { sayAndHangUp, streamTwiml } from '../../channels/twilio/twiml.ts';
import { TransferCallbacks, TwilioPhoneLine } from '../phone-line.ts';
import { CLOSE_POLICY, CLOSE_TRY_AGAIN } from '../../channels/web/socket.ts';
import { WaitingSockets } from '../../guard/waiting-sockets.ts';
import { validTwilioSignature } from '../../guard/twilio-signature.ts';
import type { Seat } from '../../guard/admission.ts';
import type { LoadedAgent } from '../agents.ts';
import { newConversation, track, type ServerContext } from '../context.ts';
import { hardStopMs, startTimeoutMs, waitingPerAddress } from '../start-gate.ts';
import { runVoiceConversation } from '../voice-conversation.ts';
import { fixedLines } from '../../session/fixed-lines.ts';
import { watchPhoneCall } from '../call-watch.ts';
import { checkDestination, dialOut, DoNotCallError, InvalidNumberError, outboundCallLink } from '../outbound-calls.ts';
import { adminGuard } from './admin.ts';
import { phoneNumberOrNone } from '../../agent/phone-number.ts';

// The phone door (docs/phone.md). Twilio POSTs the voice webhook when a call comes in (or an
// outbound call is answered); we check its signature, pick the agent, and answer TwiML that
// connects the call to our Media Streams socket with a single-use session token as a <Parameter>.
// The socket redeems the token on `start` and runs the same voice loop as the web door.

export async function twilioRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const callbacks = new TransferCallbacks();
  await app.register(async (scope) => {
    // Twilio posts form-encoded bodies; parsed here only, for its routes.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    scope.post<{ Querystring: { agent?: string; direction?: string; admitted?: string }; Body: Record<string, string> }>('/v1/twilio/voice', async (req, reply) => {
      const params = req.body && typeof req.body === 'object' ? req.body : {};
      const loaded = req.query.agent ? ctx.agents.get(req.query.agent) : ctx.agents.list().find((a) => phoneNumberOrNone(a.agent.config, ctx.env) === params.To);
      const token = loaded ? phoneAuthToken(loaded.agent, ctx.env) : ctx.env.TWILIO_AUTH_TOKEN;
      const url = `${ctx.baseUrl(req)}${req.url}`;
      if (!token || !validTwilioSignature(token, header(req, 'x-twilio-signature'), url, params)) {
        ctx.warn(`twilio: refused a webhook for ${url} with ${token ? 'a signature that does not match' : 'no auth token to check it against'} (behind a proxy, set PARLEY_PUBLIC_URL to the URL Twilio calls)`);
        return reply.code(403).type('text/plain').send('invalid Twilio signature');
      }
      reply.type('text/xml');
      if (!loaded) {
        ctx.warn(`twilio: no agent answers ${params.To ?? 'this number'} (set channels.phone.number, or ?agent=NAME on the webhook URL)`);
        return sayAndHangUp('Sorry, this number is not connected to an assistant right now. Goodbye.');
      }
      // The per-caller window is keyed by the number as Twilio sends it (E.164; a withheld number
      // comes as "anonymous" or empty, and all such callers share one place), never by address:
      // every webhook comes from Twilio. An outbound call is keyed by the callee's number.
      const outbound = params.Direction?.startsWith('outbound') === true;
      const caller = outbound ? (params.To ?? '') : (params.From ?? '');
      const admitted = await ctx.admission.check(loaded, caller || 'unknown', { counted: outbound && req.query.admitted === '1' });
      if (!admitted.ok) {
        ctx.metrics.refused(admitted.code);
        ctx.log(`twilio: refused a call for ${loaded.agent.name}: ${admitted.reason}`);
        return sayAndHangUp(fixedLines(loaded.agent.config).notTakingCalls, loaded.agent.config.persona.language);
      }
      const direction = req.query.direction === 'outbound' || params.Direction?.startsWith('outbound') ? 'outbound' : 'inbound';
      // The caller and direction ride inside the signed token: the stream's <Parameter>s come back unsigned.
      const session = ctx.tokens.issue(loaded.agent.name, `twilio:${params.CallSid ?? ''}`, { caller, direction });
      const stream = `${ctx.baseUrl(req).replace(/^http/, 'ws')}/v1/twilio/stream`;
      return streamTwiml(stream, { token: session, agent: loaded.agent.name, callSid: params.CallSid ?? '' });
    });

    // Status callbacks of a transfer (docs/phone.md#hand-off-to-a-human): the person's call, and the caller's conference.
    scope.post<{ Params: { id: string; kind: string }; Body: Record<string, string> }>('/v1/twilio/transfers/:id/:kind', async (req, reply) => {
      const params = req.body && typeof req.body === 'object' ? req.body : {};
      const { id, kind } = req.params;
      const name = callbacks.agentOf(id);
      const loaded = name ? ctx.agents.get(name) : undefined;
      if ((kind !== 'status' && kind !== 'conference') || !loaded) return reply.code(404).type('text/plain').send('no such transfer');
      const token = phoneAuthToken(loaded.agent, ctx.env);
      const url = `${ctx.baseUrl(req)}${req.url}`;
      if (!token || !validTwilioSignature(token, header(req, 'x-twilio-signature'), url, params)) {
        ctx.warn(`twilio: refused a transfer callback for ${url}: the signature does not match`);
        return reply.code(403).type('text/plain').send('invalid Twilio signature');
      }
      callbacks.deliver(id, kind, params);
      return reply.code(204).send();
    });
  });

  /** Calls running on this node, by CallSid: where a stream that resumes a conversation is attached. */
  const lines = new Map<string, CallLine>();

  const waitingStreams = new WaitingSockets(waitingPerAddress(ctx.env));
  const timeoutMs = startTimeoutMs(ctx.env);

  app.get('/v1/twilio/stream', { websocket: true }, (socket, req) => {
    const openedAt = performance.now();
    const leave = waitingStreams.enter(req.ip);
    if (!leave) return socket.close(CLOSE_TRY_AGAIN, `more than ${waitingStreams.perAddress} streams from this address are waiting to start`);
    const baseUrl = ctx.baseUrl(req).replace(/^ws/, 'http');
    let hardStop: NodeJS.Timeout | undefined;
    const ac = new AbortController();
    /** The call this stream carries, once it started (a first stream, or one resuming a conversation). */
    let line: CallLine | undefined;
    const channel = new TwilioChannel(socket, {
      onStart: async (start) => {
        clearTimeout(noStart);
        leave();
        const p = start.customParameters;
        if (p.resume) {
          // The same call back on a stream after new TwiML (keys played, nobody took a transfer).
          const check = await ctx.tokens.redeem(p.token ?? '', { origin: `twilio-resume:${start.callSid}` });
          if (!check.ok) return channel.fail(check.unavailable ? CLOSE_TRY_AGAIN : CLOSE_POLICY, check.reason);
          const waiting = lines.get(start.callSid);
          if (!waiting?.attach(channel)) return channel.fail(CLOSE_POLICY, 'this call is not waiting for a stream');
          line = waiting;
          return;
        }
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
        const callLine = new CallLine(channel, { keypad: loaded.agent.config.channels.phone?.keypad ?? { interDigitMs: 1500, maxDigits: 20 }, onOver: () => lines.delete(start.callSid) });
        line = callLine;
        lines.set(start.callSid, callLine);
        hardStop = setTimeout(() => {
          ac.abort();
          callLine.close('time limit');
        }, hardStopMs(maxDurationSec, elapsedMs));
        const session = runCall(ctx, loaded, callLine, { caller: call.caller || null, direction: call.direction, callSid: start.callSid, maxDurationSec: Math.max(1, maxDurationSec - elapsedMs / 1000), baseUrl, callbacks, variables: link?.variables }, ac, seat);
        void session.done.finally(() => clearTimeout(hardStop));
      },
      onDtmf: (digit) => line?.press(digit),
      onClose: () => {
        clearTimeout(noStart);
        leave();
        // Before a call started on it, the stream's end stops whatever was being set up; after, the line decides.
        if (!line) ac.abort();
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
      // Everything that can refuse the call is checked before it takes a place in the callee's
      // hourly window: a request that is refused anyway must not use up that number's calls.
      try {
        phoneAccount(loaded.agent, ctx.env);
      } catch (e) {
        return reply.code(400).send({ error: (e as Error).message }); // an agent without a phone number, said clearly
      }
      try {
        await checkDestination(ctx, to);
      } catch (e) {
        return refuseCall(reply, e);
      }
      // Counted here, atomically, before dialling: requests at once for one number cannot all slip under the limit.
      const admitted = await ctx.admission.check(loaded, to);
      if (!admitted.ok) {
        ctx.metrics.refused(admitted.code);
        return reply.code(admitted.status).send({ error: admitted.reason, code: admitted.code });
      }
      try {
        // With answering-machine detection and a status callback; the do-not-call list is checked again at dial time.
        const call = await dialOut(ctx, { loaded, to, base: ctx.baseUrl(req), admitted: true });
        ctx.log(`twilio: calling ${to} for ${loaded.agent.name} (call ${call.sid})`);
        return reply.code(201).send(call);
      } catch (e) {
        // A call that surely does not exist gives its place back: Twilio refused it (4xx: nobody was
        // rung), or the number was listed since the check. A timeout, a dropped connection or a 5xx
        // keeps it: Twilio may have created the call and be ringing the callee, and giving the place
        // back then would let repeated "failures" ring one number past its limit. Refusals need no
        // limit of their own to stop abuse: they ring nobody.
        if (refusedByTwilio(e) || e instanceof DoNotCallError) await admitted.giveBack().catch((g) => ctx.warn(`twilio: could not give back ${to}'s place in the hourly window: ${errorText(g)}`));
        return refuseCall(reply, e);
      }
    });
  });
}

/** The answer to an outbound call that was not placed: 400 for a number that is not one, 403 for a listed one, 502 when Twilio failed. */
function refuseCall(reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof DoNotCallError) return reply.code(403).send({ error: e.message, code: 'do-not-call' });
  if (e instanceof InvalidNumberError) return reply.code(400).send({ error: e.message, code: 'invalid-number' });
  return reply.code(502).send({ error: errorText(e) });
}

/** One phone call on an accepted stream, tracked until its record is written. */
function runCall(ctx: ServerContext, loaded: LoadedAgent, channel: CallLine, call: { caller: string | null; direction: 'inbound' | 'outbound'; callSid: string; maxDurationSec: number; baseUrl: string; callbacks: TransferCallbacks; variables?: Record<string, string> }, ac: AbortController, seat: Seat) {
  const phone = phoneLineFor(ctx, loaded, channel, call);
  const watch = watchPhoneCall(ctx, loaded, call); // voicemail greetings, do-not-call requests, the outbound call's row
  const conversation = newConversation(ctx, loaded, { channel: 'phone', direction: call.direction, caller: call.caller, phone, variables: call.variables, onEvent: watch.onEvent });
  ctx.log(`twilio: call ${call.callSid} (${call.direction}, ${call.caller ?? 'unknown'}) is conversation ${conversation.id} with ${loaded.agent.name}`);
  const done = runVoiceConversation({ conversation, channel, speech: ctx.speech, recordings: ctx.recordings, signal: ac.signal, maxDurationSec: call.maxDurationSec }).catch((e: Error) => {
    ctx.warn(`call ${call.callSid}: ${e.message}`);
    channel.fail(1011, 'voice session failed');
  }).finally(() => watch.settled());
  const session = { agent: loaded.agent.name, door: 'phone' as const, conversationId: conversation.id, abort: () => ac.abort(), done };
  track(ctx, session, seat);
  return session;
}

/** What the phone tools act on; none (they say so) when the agent has no Twilio account to act with. */
function phoneLineFor(ctx: ServerContext, loaded: LoadedAgent, line: CallLine, call: { callSid: string; baseUrl: string; callbacks: TransferCallbacks }): TwilioPhoneLine | undefined {
  const needs = loaded.agent.config.tools.some((t) => t.type === 'transfer' || t.type === 'press_keys');
  if (!needs) return undefined;
  let account;
  try {
    account = phoneAccount(loaded.agent, ctx.env);
  } catch (e) {
    ctx.warn(`twilio: ${(e as Error).message}; transfer and press_keys are unavailable on call ${call.callSid}`);
    return undefined;
  }
  const name = loaded.agent.name;
  return new TwilioPhoneLine({
    line,
    callSid: call.callSid,
    agent: name,
    api: { account, apiBase: ctx.env.PARLEY_TWILIO_API_URL, fetch: ctx.fetch },
    baseUrl: call.baseUrl,
    callbacks: call.callbacks,
    resumeParameters: () => ({ token: ctx.tokens.issue(name, `twilio-resume:${call.callSid}`), agent: name, callSid: call.callSid, resume: '1' }),
    log: (l) => ctx.log(l),
  });
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
