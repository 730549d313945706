import { rm } from 'node:fs/promises';
import type { Store } from './store.ts';

// Retention (`privacy.retentionDays` in agent.yaml): conversations older than that are deleted
// with everything recorded about them — turns, tool calls, knowledge hits, the lead, the event
// log (by cascade) and the recording file. Bookings stay: they are the calendar, not the call.

/** Deletes one agent's conversations that started before `days` ago; returns how many went. */
export async function purgeOldConversations(store: Store, agent: string, days: number, now = Date.now()): Promise<{ conversations: number; recordings: number }> {
  const cutoff = new Date(now - days * 86_400_000).toISOString();
  const old = store.db.selectFrom('conversations').select('id').where('agent', '=', agent).where('started_at', '<', cutoff);
  const recordings = await store.db.selectFrom('events').select('data').where('type', '=', 'recording.saved').where('conversation_id', 'in', old).execute();
  let removed = 0;
  for (const r of recordings) {
    const path = (JSON.parse(r.data) as { path?: string }).path;
    if (!path) continue;
    await rm(path, { force: true });
    removed++;
  }
  const deleted = await store.db.deleteFrom('conversations').where('agent', '=', agent).where('started_at', '<', cutoff).executeTakeFirst();
  return { conversations: Number(deleted.numDeletedRows ?? 0), recordings: removed };
}
