// Times the owner's dashboard queries over a store of N conversations (SQLite file, or Postgres
// with --postgres URL): the overview for 30 and 90 days, transcript search and the leads list.
// Seeded: the same records on every run.
//   node bench/dashboard/run.ts [--conversations 20000] [--postgres postgres://postgres@127.0.0.1:5432/test [--keep]]
// (--keep leaves the Postgres schema bench_dashboard in place, to EXPLAIN the queries.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { overview } from '../../src/store/overview.ts';
import { leadsIn } from '../../src/store/owner-lists.ts';
import { Records } from '../../src/store/records.ts';
import { openStore } from '../../src/store/store.ts';
import { seededRandom } from '../../src/testing/seeded-random.ts';
import { daysBefore, zonedDays } from '../../src/util/zoned-days.ts';

const { values } = parseArgs({ options: { conversations: { type: 'string', default: '20000' }, postgres: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const N = Number(values.conversations);
const schema = values.keep ? 'bench_dashboard' : `bench_${Date.now()}`;
const url = values.postgres ? `${values.postgres}${values.postgres.includes('?') ? '&' : '?'}schema=${schema}` : `file:${join(mkdtempSync(join(tmpdir(), 'parley-bench-dash-')), 'parley.db')}`;
const store = await openStore(url);
const rand = seededRandom(7);
const WORDS = ['audit', 'price', 'roofing', 'invoice', 'schedule', 'team', 'booking', 'call', 'automation', 'support', 'refund', 'Sunday', 'warranty', 'delivery'];
const END = Date.parse('2026-12-01T00:00:00Z');
const DAYS = 90;

const t0 = performance.now();
for (let start = 0; start < N; start += 500) {
  const convs = [], turns = [], leads = [], events = [], calls = [];
  for (let i = start; i < Math.min(N, start + 500); i++) {
    const id = `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const at = (ms: number) => new Date(END - Math.floor(rand() * DAYS * 86_400_000) + ms).toISOString();
    const started = at(0);
    const s = Date.parse(started);
    const iso = (ms: number) => new Date(s + ms).toISOString();
    const channel = rand() < 0.1 ? 'text' : rand() < 0.2 ? 'phone' : 'web';
    convs.push({ id, agent: rand() < 0.8 ? 'ada' : 'bob', agent_version: 'v', channel, direction: 'inbound', caller: 'x', started_at: started, ended_at: iso(240_000), end_reason: 'caller left', duration_sec: 240, cost_usd: rand() * 0.5, usage: null });
    for (let k = 0; k < 6; k++) {
      const words = Array.from({ length: 12 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
      const declined = k % 2 === 1 && rand() < 0.05;
      turns.push({ conversation_id: id, seq: k, role: k % 2 ? 'agent' : 'caller', text: k % 2 ? (declined ? "I don't have that." : `Sure, ${words}.`) : `Tell me about ${words}?`, heard_text: null, interrupted: 0, grounding: declined ? 'declined' : null, started_at: iso(k * 20_000), ended_at: iso(k * 20_000), latency: k % 2 ? JSON.stringify({ voiceToVoiceMs: 600 + Math.floor(rand() * 1200) }) : null });
    }
    if (rand() < 0.4) leads.push({ conversation_id: id, agent: 'ada', fields: JSON.stringify({ name: 'Jane', company: 'Acme' }), created_at: iso(60_000), updated_at: iso(60_000) });
    if (rand() < 0.15) events.push({ conversation_id: id, at: iso(90_000), type: 'booking.made', data: JSON.stringify({ booking: { start: iso(86_400_000) } }) });
    if (rand() < 0.05) calls.push({ id: `c${i}`, conversation_id: id, turn_seq: 1, name: 'crm', input: '{}', request: null, response: null, result: null, error: 'HTTP 502', started_at: iso(30_000), duration_ms: 40 });
  }
  await store.db.insertInto('conversations').values(convs).execute();
  await store.db.insertInto('turns').values(turns).execute();
  if (leads.length) await store.db.insertInto('leads').values(leads).execute();
  if (events.length) await store.db.insertInto('events').values(events).execute();
  if (calls.length) await store.db.insertInto('tool_calls').values(calls).execute();
}
if (store.kind === 'postgres') await sql`ANALYZE`.execute(store.db);
console.log(`${store.kind}: ${N} conversations, ${N * 6} turns seeded in ${Math.round(performance.now() - t0)} ms`);

async function time(label: string, f: () => Promise<unknown>, runs = 5): Promise<void> {
  await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} median ${ms[Math.floor(runs / 2)]!.toFixed(1)} ms  max ${ms.at(-1)!.toFixed(1)} ms`);
}

const last = '2026-11-30';
const r = new Records(store.db, store.kind);
await time('overview, 30 days, one agent, Europe/Warsaw', () => overview(store.db, store.kind, { days: zonedDays(daysBefore(last, 29), last, 'Europe/Warsaw'), zone: 'Europe/Warsaw', agent: 'ada', real: true }));
await time('overview, 90 days, all agents', () => overview(store.db, store.kind, { days: zonedDays(daysBefore(last, 89), last, 'UTC'), zone: 'UTC', real: true }));
await time('conversations list, first page', () => r.search({ real: true, limit: 50 }));
await time('search "roofing invoice", first page', () => r.search({ text: 'roofing invoice', real: true, limit: 50 }));
await time('search "zzz" (no match)', () => r.search({ text: 'zzz', real: true, limit: 50 }));
const range = { from: new Date(END - 30 * 86_400_000).toISOString(), to: new Date(END).toISOString(), real: true, limit: 10_000 };
await time('leads, 30 days (up to 10,000)', () => leadsIn(store.db, range));
if (store.kind === 'postgres' && !values.keep) await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(store.db);
await store.close();
