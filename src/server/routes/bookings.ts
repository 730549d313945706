import type { FastifyInstance, FastifyReply } from 'fastify';
import { meetingLocation } from '../../agent/meeting.ts';
import { validCancelSignature } from '../../events/booking-links.ts';
import { whenText } from '../../events/emails.ts';
import { emailWords, fill, type EmailWords } from '../../events/email-words.ts';
import { calendarFeedAgent, createCalendarFeed, revokeCalendarFeeds } from '../../store/calendar-feeds.ts';
import { bookingsIcs, builtinBooking, cancelBuiltinBooking, type StoredBooking } from '../../tools/calendar/index.ts';
import { timeoutSignal } from '../../util/timeout-signal.ts';
import type { ServerContext } from '../context.ts';
import { adminGuard } from './admin.ts';

// The caller's side of a built-in booking: the cancel page their email links to, and the owner's
// secret .ics feed. GET only shows; cancelling takes a POST (mail scanners follow links, they do
// not submit forms). A link that is not signed for this booking gets the same 404 as a booking
// that does not exist, so links cannot be used to find bookings. The page speaks the agent's
// persona.language (an invalid link, whose agent is unknown, gets English).

export async function bookingRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const signed = async (id: string, sig: string | undefined): Promise<StoredBooking | undefined> => {
      const secret = ctx.env.PARLEY_LINK_SECRET;
      if (!secret || !validCancelSignature(secret, id, sig)) return undefined;
      return builtinBooking(ctx.store, id, timeoutSignal(5000));
    };

    scope.get<{ Params: { id: string }; Querystring: { sig?: string } }>('/v1/bookings/:id/cancel', async (req, reply) => {
      const booking = await signed(req.params.id, req.query.sig);
      if (!booking) return notFound(reply);
      const { w, language } = wordsOf(ctx, booking);
      const when = esc(whenText(booking.start, booking.attendee.timeZone || tz(ctx, booking), language));
      if (booking.status === 'cancelled') return page(reply, 200, language, w.alreadyCancelled, `<p>${fill(w.isCancelled, { when })}</p>`);
      if (Date.parse(booking.start) <= ctx.now()) return page(reply, 200, language, w.passedTitle, `<p>${fill(w.passed, { when })}</p>`);
      return page(
        reply,
        200,
        language,
        w.cancelTitle,
        `<p>${fill(w.callerBooked, { business: esc(business(ctx, booking)), when: `<strong>${when}</strong>` })}</p>
<form method="post" action="/v1/bookings/${encodeURIComponent(booking.id)}/cancel"><input type="hidden" name="sig" value="${esc(req.query.sig ?? '')}"><button type="submit">${esc(w.cancelButton)}</button></form>`,
      );
    });

    scope.post<{ Params: { id: string }; Body: { sig?: string } | undefined }>('/v1/bookings/:id/cancel', async (req, reply) => {
      const found = await signed(req.params.id, req.body?.sig);
      if (!found) return notFound(reply);
      const outcome = await cancelBuiltinBooking(ctx.store, found.id, new Date(ctx.now()));
      if (outcome.kind === 'missing') return notFound(reply);
      const { w, language } = wordsOf(ctx, outcome.booking);
      const when = esc(whenText(outcome.booking.start, outcome.booking.attendee.timeZone || tz(ctx, outcome.booking), language));
      if (outcome.kind === 'past') return page(reply, 409, language, w.passedTitle, `<p>${fill(w.passed, { when })}</p>`);
      if (outcome.kind === 'already-cancelled') return page(reply, 200, language, w.alreadyCancelled, `<p>${fill(w.isCancelled, { when })}</p>`);
      const b = outcome.booking;
      await ctx.events.enqueue({
        agent: b.agent,
        type: 'booking.cancelled',
        conversationId: b.conversationId,
        data: { conversationId: b.conversationId, by: 'caller', sequence: b.sequence, booking: { id: b.id, provider: 'builtin', start: b.start, end: b.end, status: 'cancelled', timeZone: tz(ctx, b), attendee: b.attendee, notes: b.notes } },
      });
      return page(reply, 200, language, w.cancelledTitle, `<p>${fill(w.cancelledText, { when })}</p>`);
    });

    scope.get<{ Params: { file: string } }>('/v1/calendars/:file', async (req, reply) => {
      const token = /^(.+)\.ics$/.exec(req.params.file)?.[1] ?? '';
      const agent = await calendarFeedAgent(ctx.store, token, timeoutSignal(5000));
      if (!agent) return reply.code(404).send({ error: 'no such calendar feed' });
      const loaded = ctx.agents.get(agent);
      const ics = await bookingsIcs(ctx.store, agent, { signal: timeoutSignal(30_000), name: loaded?.agent.config.description ?? agent, location: meetingLocation(loaded?.agent.config.calendar, ctx.env) });
      return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(ics);
    });
  });

  // Creating and revoking feeds is the owner's: the admin API.
  await app.register(async (api) => {
    api.addHook('onRequest', adminGuard(ctx, ctx.adminAuth));
    api.post<{ Params: { agent: string } }>('/v1/admin/agents/:agent/calendar-feeds', async (req, reply) => {
      const loaded = ctx.agents.get(req.params.agent);
      if (!loaded) return reply.code(404).send({ error: `no agent named "${req.params.agent}"` });
      if (loaded.agent.config.calendar?.provider !== 'builtin') return reply.code(409).send({ error: 'only the built-in calendar has a feed' });
      const token = await createCalendarFeed(ctx.store, loaded.agent.name, new Date(ctx.now()));
      const path = `/v1/calendars/${token}.ics`;
      return reply.code(201).send({ url: `${ctx.baseUrl(req)}${path}`, path });
    });
    api.delete<{ Params: { agent: string } }>('/v1/admin/agents/:agent/calendar-feeds', async (req) => ({ revoked: await revokeCalendarFeeds(ctx.store, req.params.agent, new Date(ctx.now())) }));
  });
}

function tz(ctx: ServerContext, b: StoredBooking): string {
  return ctx.agents.get(b.agent)?.agent.config.timeZone ?? 'UTC';
}

function business(ctx: ServerContext, b: StoredBooking): string {
  const c = ctx.agents.get(b.agent)?.agent.config;
  return c?.description ?? b.agent;
}

/** The words of the booking's agent, in its persona.language. */
function wordsOf(ctx: ServerContext, b: StoredBooking): { w: EmailWords; language: string } {
  const language = ctx.agents.get(b.agent)?.agent.config.persona.language ?? 'en';
  return { w: emailWords(language), language };
}

function notFound(reply: FastifyReply): FastifyReply {
  const w = emailWords('en');
  return page(reply, 404, 'en', w.linkNotValid, `<p>${esc(w.notFound)}</p>`);
}

function page(reply: FastifyReply, status: number, language: string, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .send(`<!doctype html><html lang="${esc(language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
