import type { BookingRecord, ToolCallRecord } from '../store/records.ts';

/** What tools report into the conversation's event stream (part of the session's ConversationEvent). */
export type ToolEvent =
  | { type: 'tool.call'; at: string; call: ToolCallRecord }
  | { type: 'lead.saved'; at: string; fields: Record<string, string> }
  | { type: 'booking.made'; at: string; booking: BookingRecord };
