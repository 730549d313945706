// The parts of a conversation record that travel to the dashboard as they are. No imports, so
// the browser bundle (web/dashboard) can take the types from here and stay in step with the server.

/** A tool call as recorded: what the model asked, the exact request built, the raw response, what the model got back. */
export interface ToolCallRecord {
  id: string;
  turnSeq: number;
  name: string;
  input: unknown;
  request: unknown;
  response: unknown;
  result: unknown;
  error: string | null;
  startedAt: string;
  durationMs: number | null;
}

/** A booking made during a conversation, as the calendar confirmed it. */
export interface BookingRecord {
  id: string;
  provider: string;
  start: string;
  end: string;
  status: string;
  url?: string;
  /** The business zone the time was offered in. */
  timeZone: string;
  attendee: { name: string; email: string; timeZone: string; company?: string };
}

/**
 * How a conversation turned out, first match wins: `booked` (a booking was made), `lead` (a lead was
 * saved), `open` (not ended yet), `error` (the session failed), `ended-by-agent` (the agent called
 * end_call, or ended after silence), `caller-left` (any other end: the caller hung up or left).
 */
export type Outcome = 'booked' | 'lead' | 'open' | 'error' | 'ended-by-agent' | 'caller-left';
export const OUTCOMES: readonly Outcome[] = ['booked', 'lead', 'open', 'error', 'ended-by-agent', 'caller-left'];
