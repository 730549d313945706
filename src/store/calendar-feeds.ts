import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './store.ts';

// Secret, revocable URLs of the built-in calendar's .ics feed: /v1/calendars/<token>.ics. The
// token is 32 random bytes; only its SHA-256 is kept, so a copy of the database opens no feed.

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new feed token for `agent` (shown once). */
export async function createCalendarFeed(store: Store, agent: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await store.db.insertInto('calendar_feeds').values({ token_hash: hash(token), agent, created_at: now.toISOString(), revoked_at: null }).execute();
  return token;
}

/** Revokes every feed of `agent`; how many were live. */
export async function revokeCalendarFeeds(store: Store, agent: string, now = new Date()): Promise<number> {
  const r = await store.db.updateTable('calendar_feeds').set({ revoked_at: now.toISOString() }).where('agent', '=', agent).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The agent whose live feed `token` opens, if any. */
export async function calendarFeedAgent(store: Store, token: string, signal?: AbortSignal): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await store.db.selectFrom('calendar_feeds').select('agent').where('token_hash', '=', hash(token)).where('revoked_at', 'is', null).executeTakeFirst({ signal });
  return row?.agent;
}
