/** The events Parley sends out (docs/events.md); the agent schema and the outbox share the list. */
export const EVENT_TYPES = ['conversation.ended', 'lead.saved', 'booking.created', 'booking.cancelled', 'analysis.completed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
