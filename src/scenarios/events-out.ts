import type { ConversationEvent } from '../session/events.ts';
import type { BookingRecord } from '../store/records.ts';
import { Records } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { EventType } from '../util/event-types.ts';

// The events a scenario's conversation sends out (docs/events.md), captured instead of
// delivered: a scenario never reaches the network. They are built from the conversation's own
// events the way the server's outbox builds them (src/server/events-out.ts): lead.saved and
// booking.created as they happen, conversation.ended from the record once it is written.

/** An event the conversation produced, as its delivery body's `type` and `data`. */
export interface EmittedEvent {
  type: EventType;
  data: unknown;
}

/** The outgoing events of a finished conversation, in the order they happened. */
export async function emittedEvents(events: readonly ConversationEvent[], store: Store, conversationId: string): Promise<EmittedEvent[]> {
  const out: EmittedEvent[] = [];
  const lead: Record<string, string> = {};
  for (const e of events) {
    if (e.type === 'lead.saved') {
      Object.assign(lead, e.fields);
      out.push({ type: 'lead.saved', data: { conversationId, saved: e.fields, lead: { ...lead } } });
    } else if (e.type === 'booking.made') {
      out.push({ type: 'booking.created', data: { conversationId, booking: e.booking as BookingRecord } });
    }
  }
  const rec = await new Records(store.db).get(conversationId);
  if (rec?.endedAt) {
    const { recording, ...rest } = rec;
    out.push({ type: 'conversation.ended', data: { ...rest, door: rec.channel, recording: recording ? { durationMs: recording.durationMs } : null } });
  }
  return out;
}
