// How fast the store imports and hands out campaign contacts: a 10,000-contact campaign is
// created, then claimed in rounds (as a runner does: concurrency 10, each claim locking the
// campaign row) and every attempt finished, on SQLite (a temp file) or on PostgreSQL
// (PARLEY_DATABASE_URL=postgres://…). Prints a table and, last, the results as JSON.
//   node bench/campaigns/run.ts [--contacts 10000] [--concurrency 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Campaigns, type NewContact } from '../../src/store/campaigns.ts';
import { openStore } from '../../src/store/store.ts';

const arg = (name: string, d: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? d) || d;
const N = arg('contacts', 10_000);
const CONCURRENCY = arg('concurrency', 10);
const dir = mkdtempSync(join(tmpdir(), 'parley-bench-campaigns-'));
const url = process.env.PARLEY_DATABASE_URL || `file:${join(dir, 'bench.db')}`;
const store = await openStore(url);
const campaigns = new Campaigns(store);
const settings = { window: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] }, concurrency: CONCURRENCY, perMinute: 1_000_000, maxAttempts: 1, retryMinutes: [30] };
const contacts: NewContact[] = Array.from({ length: N }, (_, i) => ({ row: i + 2, phone: `+1212${String(5_000_000 + i).padStart(7, '0')}`, name: `C${i}`, timeZone: 'America/New_York', variables: { name: `C${i}` } }));
const now = new Date().toISOString();

let t = performance.now();
const id = await campaigns.create({ name: 'bench', agent: 'bench', settings, contacts, now });
const importMs = performance.now() - t;

const claimMs: number[] = [];
const finishMs: number[] = [];
let done = 0;
while (done < N) {
  t = performance.now();
  const claimed = await campaigns.claim({ campaignId: id, owner: 'bench', now, leaseUntil: now, settings, opensAt: () => null });
  claimMs.push(performance.now() - t);
  if (!claimed.length) throw new Error('nothing claimed');
  for (const c of claimed) {
    const t1 = performance.now();
    await campaigns.finishAttempt(c.id, null, { status: 'completed', outcome: 'human' }, settings, now);
    finishMs.push(performance.now() - t1);
  }
  done += claimed.length;
}
await store.close();
rmSync(dir, { recursive: true, force: true });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const r = {
  store: store.kind,
  contacts: N,
  concurrency: CONCURRENCY,
  importMs: Math.round(importMs),
  claimRounds: claimMs.length,
  claimP50Ms: +pct(claimMs, 50).toFixed(2),
  claimP95Ms: +pct(claimMs, 95).toFixed(2),
  finishP50Ms: +pct(finishMs, 50).toFixed(2),
  finishP95Ms: +pct(finishMs, 95).toFixed(2),
};
console.log(`store ${r.store}: ${N} contacts imported in ${r.importMs} ms; ${r.claimRounds} claims of ${CONCURRENCY}: p50 ${r.claimP50Ms} ms, p95 ${r.claimP95Ms} ms; finishing an attempt p50 ${r.finishP50Ms} ms, p95 ${r.finishP95Ms} ms`);
console.log(JSON.stringify(r));
