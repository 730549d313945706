import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { ZonedDay } from '../util/zoned-days.ts';
import type { StoreKind } from './migrations.ts';
import { outcomeOf, realConversation } from './outcome-sql.ts';
import { OUTCOMES, type Outcome } from './record-types.ts';
import type { ConversationTable, Tables } from './tables.ts';

// The owner's overview, aggregated in SQL: every figure is a GROUP BY over local days (the
// zone's midnight to midnight, also on daylight-saving days), so no record is read into memory. Percentiles are nearest-rank, from window functions both
// SQLite and Postgres have.

/** What the overview covers: the days (in one zone), one agent or all, real conversations only or all. */
export interface OverviewQuery {
  days: ZonedDay[];
  /** The IANA zone the days are in. */
  zone: string;
  agent?: string;
  /** Only real conversations (web and phone, not the sandbox); false includes test runs. */
  real: boolean;
}

/** One day of the overview. */
export interface OverviewDay {
  day: string;
  conversations: number;
  outcomes: Record<Outcome, number>;
  bookings: number;
  costUsd: number;
  /** Voice-to-voice latency of the day's voice answers (ms); null without any. */
  latency: { p50: number; p95: number; answers: number } | null;
  toolErrors: number;
}

/** The whole overview: per day, the web funnel, and tool errors by tool. */
export interface Overview {
  days: OverviewDay[];
  funnel: { widgetOpened: number; conversations: number; leads: number; bookings: number };
  toolErrors: { tool: string; errors: number; calls: number }[];
}

type C = ExpressionBuilder<Tables & { c: ConversationTable }, 'c'>;

/** Computes the overview with a handful of aggregate queries. */
export async function overview(db: Kysely<Tables>, kind: StoreKind, q: OverviewQuery): Promise<Overview> {
  const first = q.days[0]!.start;
  const last = q.days.at(-1)!.end;
  // Rows are found through conversations' (agent, started_at) index; a booking, tool call or
  // answer may come a little after its conversation started, so those look a day further back.
  const dayBefore = new Date(Date.parse(first) - 86_400_000).toISOString();
  const days = sql`(values ${sql.join(q.days.map((d) => sql`(${d.day}, ${d.start}, ${d.end})`))})`;
  // Each row is given its day once, then grouped: Postgres knows the zone's rules (and is slow
  // at the lookup); SQLite looks the instant up in the short list of days.
  const dayOf =
    kind === 'postgres'
      ? sql`to_char(x.at::timestamptz at time zone ${q.zone}, 'YYYY-MM-DD')`
      : sql`(select d.column1 from ${days} as d where x.at >= d.column2 and x.at < d.column3)`;
  const bucket = (inner: Expression<unknown>, select: RawBuilder<unknown>, group = sql``) =>
    sql<Record<string, unknown>>`select day, ${select} from (select ${dayOf} as day, x.* from ${inner} as x) as b where day is not null group by day${group}`.execute(db);
  const filtered = (eb: C) => eb.and([...(q.agent ? [eb('c.agent', '=', q.agent)] : []), ...(q.real ? [realConversation(eb)] : [])]);
  const conversations = db.selectFrom('conversations as c').where('c.started_at', '>=', first).where('c.started_at', '<', last).where(filtered);
  const around = (eb: C) => eb.and([eb('c.started_at', '>=', dayBefore), eb('c.started_at', '<', last), filtered(eb)]);

  const v2v = kind === 'sqlite' ? sql<number>`json_extract(t.latency, '$.voiceToVoiceMs')` : sql<number>`(t.latency::jsonb ->> 'voiceToVoiceMs')::double precision`;
  const answers = db
    .selectFrom('conversations as c')
    .innerJoin('turns as t', 't.conversation_id', 'c.id')
    .select(['t.started_at as at', v2v.as('v')])
    .where(around)
    .where('t.role', '=', 'agent')
    .where('t.latency', 'is not', null)
    .where('t.started_at', '>=', first)
    .where('t.started_at', '<', last);

  const [outcomes, cost, bookings, latency, errors, byTool, funnel, opened] = await Promise.all([
    bucket(conversations.select((eb) => ['c.started_at as at', outcomeOf(eb).as('outcome')]), sql`b.outcome as outcome, count(*) as n`, sql`, b.outcome`),
    bucket(conversations.select(['c.started_at as at', 'c.cost_usd']), sql`sum(b.cost_usd) as usd`),
    bucket(
      db.selectFrom('conversations as c').innerJoin('events as e', 'e.conversation_id', 'c.id').select('e.at as at').where(around).where('e.type', '=', 'booking.made').where('e.at', '>=', first).where('e.at', '<', last),
      sql`count(*) as n`,
    ),
    sql<{ day: string; p50: number; p95: number; n: number }>`
      select day, max(n) as n,
        max(case when rn = (n * 50 + 99) / 100 then v end) as p50,
        max(case when rn = (n * 95 + 99) / 100 then v end) as p95
      from (
        select day, v, row_number() over (partition by day order by v) as rn, count(*) over (partition by day) as n
        from (select ${dayOf} as day, x.v as v from ${answers} as x where x.v is not null) as b
        where day is not null
      ) as ranked group by day`.execute(db),
    bucket(db.selectFrom('conversations as c').innerJoin('tool_calls as tc', 'tc.conversation_id', 'c.id').select('tc.started_at as at').where(around).where('tc.error', 'is not', null).where('tc.started_at', '>=', first).where('tc.started_at', '<', last), sql`count(*) as n`),
    db
      .selectFrom('conversations as c')
      .innerJoin('tool_calls as tc', 'tc.conversation_id', 'c.id')
      .select((eb) => ['tc.name as tool', eb.fn.countAll<number>().as('calls'), eb.fn.count<number>('tc.error').as('errors')])
      .where(around)
      .where('tc.started_at', '>=', first)
      .where('tc.started_at', '<', last)
      .groupBy('tc.name')
      .execute(),
    // The funnel is the web door's: the widget is where callers open it.
    db
      .selectFrom('conversations as c')
      .select((eb) => [
        eb.fn.countAll<number>().as('conversations'),
        eb.fn.sum<number>(eb.case().when(eb.exists(eb.selectFrom('leads').select('leads.conversation_id').whereRef('leads.conversation_id', '=', 'c.id'))).then(1).else(0).end()).as('leads'),
        eb.fn.sum<number>(eb.case().when(eb.exists(eb.selectFrom('events').select('events.id').whereRef('events.conversation_id', '=', 'c.id').where('events.type', '=', 'booking.made'))).then(1).else(0).end()).as('bookings'),
      ])
      .where('c.started_at', '>=', first)
      .where('c.started_at', '<', last)
      .where('c.channel', '=', 'web')
      .where(filtered)
      .executeTakeFirst(),
    db
      .selectFrom('widget_sessions')
      .select((eb) => eb.fn.sum<number>('count').as('n'))
      .where('hour', '>=', hourOf(first))
      .where('hour', '<', last)
      .$if(Boolean(q.agent), (w) => w.where('agent', '=', q.agent!))
      .executeTakeFirst(),
  ]);

  const byDay = new Map<string, OverviewDay>(
    q.days.map((d) => [d.day, { day: d.day, conversations: 0, outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>, bookings: 0, costUsd: 0, latency: null, toolErrors: 0 }]),
  );
  const at = (r: { day?: unknown }) => byDay.get(String(r.day))!;
  for (const r of outcomes.rows) {
    at(r).outcomes[r.outcome as Outcome] = Number(r.n);
    at(r).conversations += Number(r.n);
  }
  for (const r of cost.rows) at(r).costUsd = Number(r.usd ?? 0);
  for (const r of bookings.rows) at(r).bookings = Number(r.n);
  for (const r of latency.rows) if (Number(r.n) > 0) at(r).latency = { p50: Number(r.p50), p95: Number(r.p95), answers: Number(r.n) };
  for (const r of errors.rows) at(r).toolErrors = Number(r.n);
  return {
    days: [...byDay.values()],
    funnel: { widgetOpened: Number(opened?.n ?? 0), conversations: Number(funnel?.conversations ?? 0), leads: Number(funnel?.leads ?? 0), bookings: Number(funnel?.bookings ?? 0) },
    toolErrors: byTool.map((r) => ({ tool: r.tool, calls: Number(r.calls), errors: Number(r.errors) })).filter((r) => r.errors > 0).sort((a, b) => b.errors - a.errors),
  };
}

/** The start of the UTC hour an instant falls in: the widget counter's bucket. */
export function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

/** Counts one widget session request for `agent` in the hour of `at`: one upsert, no row per request. */
export async function countWidgetOpened(db: Kysely<Tables>, agent: string, at: Date): Promise<void> {
  await db
    .insertInto('widget_sessions')
    .values({ agent, hour: hourOf(at.toISOString()), count: 1 })
    .onConflict((oc) => oc.columns(['agent', 'hour']).doUpdateSet((eb) => ({ count: eb('widget_sessions.count', '+', 1) })))
    .execute();
}
