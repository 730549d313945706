import type { FastifyInstance, FastifyReply } from 'fastify';
import { overview } from '../../store/overview.ts';
import { bookingsIn, leadsIn, type ListRange } from '../../store/owner-lists.ts';
import { toCsv } from '../../util/csv.ts';
import { daysBefore, todayIn, zonedDays, type ZonedDay } from '../../util/zoned-days.ts';
import type { ServerContext } from '../context.ts';

// The owner's side of the admin API: the overview the dashboard charts, and the leads and
// bookings (JSON or CSV). Registered inside the admin API's guard. Shapes in docs/dashboard.md.
// (The questions the documents could not answer are GET /v1/admin/unanswered, in admin.ts.)

type Query = Record<string, string | undefined>;

/** The days a request covers: `from`/`to` as dates in `tz` (default the agent's zone, else UTC; `to` inclusive), default the last 30 days. */
function daysOf(ctx: ServerContext, q: Query): { days: ZonedDay[]; tz: string } {
  // The agent's zone; over all agents, theirs when they share one, else UTC.
  const zones = new Set((q.agent ? [ctx.agents.get(q.agent)] : ctx.agents.list()).filter((a) => a !== undefined).map((a) => a.agent.config.timeZone));
  const tz = q.tz || (zones.size === 1 ? [...zones][0]! : 'UTC');
  const to = q.to || todayIn(tz, ctx.now());
  const from = q.from || daysBefore(to, 29);
  return { days: zonedDays(from.slice(0, 10), to.slice(0, 10), tz), tz };
}

/** A list's range: dates as in `daysOf`, or ISO instants (`from` inclusive, `to` exclusive) as they are. */
function rangeOf(ctx: ServerContext, q: Query, maxLimit: number): ListRange {
  const instant = (v: string | undefined) => (v && !/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  let from: string;
  let to: string;
  if (instant(q.from) || instant(q.to)) {
    const parse = (v: string | undefined, fallback: number) => {
      const t = v ? Date.parse(v) : fallback;
      if (Number.isNaN(t)) throw new RangeError('from and to must be dates (YYYY-MM-DD) or ISO-8601 times');
      return new Date(t).toISOString();
    };
    from = parse(q.from, 0);
    to = parse(q.to, ctx.now() + 86_400_000);
  } else {
    const { days } = daysOf(ctx, q);
    from = days[0]!.start;
    to = days.at(-1)!.end;
  }
  const limit = q.limit ? Number(q.limit) : maxLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new RangeError(`limit must be a whole number from 1 to ${maxLimit}`);
  return { from, to, agent: q.agent || undefined, real: !isOn(q.test), limit };
}

const isOn = (v: string | undefined) => v === '1' || v === 'true';

/** Sends rows as CSV (a download) when `format=csv`, else the JSON body. */
function answer(reply: FastifyReply, q: Query, name: string, json: unknown, csv: () => { header: string[]; rows: unknown[][] }) {
  if (q.format === 'csv') {
    const { header, rows } = csv();
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(header, rows));
  }
  if (q.format && q.format !== 'json') return reply.code(400).send({ error: 'format must be json or csv' });
  return json;
}

/** The overview, leads and bookings routes (the caller applies the admin guard). */
export async function ownerRoutes(api: FastifyInstance, ctx: ServerContext): Promise<void> {
  const db = ctx.store.db;
  api.setErrorHandler((e, _req, reply) => {
    if (e instanceof RangeError) return reply.code(400).send({ error: e.message });
    throw e;
  });

  api.get<{ Querystring: Query }>('/v1/admin/overview', async (req) => {
    const q = req.query;
    const { days, tz } = daysOf(ctx, q);
    const agents = q.agent ? [ctx.agents.get(q.agent)].filter((a) => a !== undefined) : ctx.agents.list();
    const o = await overview(db, ctx.store.kind, { days, zone: tz, agent: q.agent || undefined, real: !isOn(q.test) });
    return { agent: q.agent || null, tz, from: days[0]!.day, to: days.at(-1)!.day, start: days[0]!.start, end: days.at(-1)!.end, test: isOn(q.test), budgetUsd: agents.reduce((s, a) => s + a.agent.config.limits.dailyBudgetUsd, 0), ...o };
  });

  api.get<{ Querystring: Query }>('/v1/admin/leads', async (req, reply) => {
    const leads = await leadsIn(db, rangeOf(ctx, req.query, 10_000));
    return answer(reply, req.query, 'leads', { leads }, () => {
      // The agents' own `collect` order first, then any other field saved.
      const declared = ctx.agents.list().flatMap((a) => a.agent.config.collect.map((c) => (typeof c === 'string' ? c : c.field)));
      const keys = [...new Set([...declared.filter((k) => leads.some((l) => k in l.fields)), ...leads.flatMap((l) => Object.keys(l.fields)).sort()])];
      return { header: ['saved_at', 'agent', 'door', ...keys, 'summary', 'conversation_id'], rows: leads.map((l) => [l.createdAt, l.agent, l.door, ...keys.map((k) => l.fields[k] ?? ''), l.summary ?? '', l.conversationId]) };
    });
  });

  api.get<{ Querystring: Query }>('/v1/admin/bookings', async (req, reply) => {
    const bookings = await bookingsIn(db, rangeOf(ctx, req.query, 10_000));
    return answer(reply, req.query, 'bookings', { bookings }, () => ({
      header: ['booked_at', 'agent', 'start', 'time_zone', 'name', 'email', 'company', 'provider', 'status', 'url', 'conversation_id'],
      rows: bookings.map(({ booking: b, ...r }) => [r.bookedAt, r.agent, b.start, b.timeZone, b.attendee?.name, b.attendee?.email, b.attendee?.company ?? '', b.provider, b.status, b.url ?? '', r.conversationId]),
    }));
  });
}
