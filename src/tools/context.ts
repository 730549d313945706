import type { Agent } from '../agent/load.ts';
import type { ToolEvent } from './events.ts';
import type { Booking, CalendarProvider, Slot } from './calendar/types.ts';
import type { McpServers } from './mcp/servers.ts';
import type { PhoneLine } from './phone-line.ts';

/** A knowledge chunk found for a query. */
export interface KnowledgeMatch {
  chunkId: number;
  source: string;
  heading: string;
  text: string;
  score: number;
}

/** What a tool may know about the conversation it runs in; tools never see the session itself. */
export interface ToolContext {
  readonly agent: Agent;
  readonly conversationId: string;
  /** Sequence number of the agent turn the tool runs in. */
  turnSeq(): number;
  emit(event: ToolEvent): void;
  /** Fields collected from the caller so far. */
  readonly lead: Record<string, string>;
  /** Ask the session to end the conversation once the agent has finished speaking (`transferred`: a person took the call). */
  requestEnd(reason?: 'transferred'): void;
  searchKnowledge(query: string, limit: number, signal: AbortSignal): Promise<KnowledgeMatch[]>;
  /** What has been said so far, in order (the heard text of each turn). */
  transcript(): { role: 'agent' | 'caller'; text: string }[];
  /** The agent's calendar, when it has one. */
  readonly calendar?: CalendarProvider;
  /** Whether Parley emails the caller an invitation for a booking (built-in calendar, email configured, a server running it). */
  readonly emailsInvitations?: boolean;
  /** Whether Parley emails the caller a calendar's scheduling link when it gives one instead of a booking (email configured). */
  readonly emailsLinks?: boolean;
  /** Booking state of this conversation: the slots last offered and the bookings made. */
  readonly booking: BookingState;
  readonly fetch: typeof fetch;
  /** Where MCP tools are listed and called; the process's shared connections when unset. */
  readonly mcp?: McpServers;
  readonly env: NodeJS.ProcessEnv;
  /** The phone call, on the phone door only: transfer and press_keys act on it. */
  readonly phone?: PhoneLine;
  now(): Date;
}

/** What running a tool produced: the result the model sees, and for network tools the exact exchange. */
export interface ToolOutcome {
  result: unknown;
  request?: unknown;
  response?: unknown;
  error?: string;
}

/** What the booking tools remember within one conversation. */
export interface BookingState {
  /** Slots from the latest check_availability: the only times the agent may book. */
  offered: Slot[];
  bookings: Booking[];
  /** The caller's IANA zone once known (passed by the model or said), kept for later calls. */
  callerZone?: string;
  /** The single date the latest check_availability settled on, for "no, the other Tuesday". */
  lastWhen?: { date: string; zone: string };
}
