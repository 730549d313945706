import type { RecordingStore } from './recordings/types.ts';
import type { Store } from './store.ts';

// Retention (`privacy.retentionDays` in agent.yaml): conversations older than that are deleted
// with everything recorded about them — turns, tool calls, knowledge hits, the lead, the event
// log (by cascade) and the recording (file or object, through the recordings store) — and the
// events sent out about them (the outbox keeps copies of records and leads), with their
// deliveries and attempts. Bookings stay: they are the calendar, not the call.

/** What purgeOldConversations deletes recordings from, and when "now" is. */
export interface PurgeOptions {
  /** The server's recordings store; unset, recordings are left alone. Refs outside it are never touched. */
  recordings?: RecordingStore;
  now?: number;
  signal?: AbortSignal;
}

/** Deletes one agent's conversations that started before `days` ago; returns how many went. */
export async function purgeOldConversations(store: Store, agent: string, days: number, o: PurgeOptions = {}): Promise<{ conversations: number; recordings: number }> {
  const cutoff = new Date((o.now ?? Date.now()) - days * 86_400_000).toISOString();
  const old = store.db.selectFrom('conversations').select('id').where('agent', '=', agent).where('started_at', '<', cutoff);
  let removed = 0;
  if (o.recordings) {
    const recordings = await store.db.selectFrom('events').select('data').where('type', '=', 'recording.saved').where('conversation_id', 'in', old).execute();
    for (const r of recordings) {
      const ref = (JSON.parse(r.data) as { path?: string }).path;
      // A record made under another PARLEY_RECORDINGS_URL (or edited by hand) is not ours to delete.
      if (!ref || !o.recordings.owns(ref)) continue;
      // A failure throws before any row goes: the next run tries again, and no object is left unreferenced.
      await o.recordings.remove(ref, o.signal);
      removed++;
    }
  }
  const deleted = await store.db.deleteFrom('conversations').where('agent', '=', agent).where('started_at', '<', cutoff).executeTakeFirst();
  // Deliveries and attempts go with their event (ON DELETE CASCADE).
  await store.db.deleteFrom('outbox_events').where('agent', '=', agent).where('created_at', '<', cutoff).execute();
  return { conversations: Number(deleted.numDeletedRows ?? 0), recordings: removed };
}
