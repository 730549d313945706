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
  attendee: { name: string; email: string; timeZone: string; company?: string; phone?: string; fields?: { field: string; type: string; value: string; question?: string }[] };
}

/**
 * How a conversation turned out, first match wins: `booked` (a booking was made), `lead` (a lead was
 * saved), `open` (not ended yet), `error` (the session failed), `limit` (a limit ended it: time,
 * cost or the day's budget), `ended-by-agent` (the agent called end_call, or ended after silence),
 * `caller-left` (the caller hung up or left).
 */
export type Outcome = 'booked' | 'lead' | 'open' | 'error' | 'limit' | 'ended-by-agent' | 'caller-left';
export const OUTCOMES: readonly Outcome[] = ['booked', 'lead', 'open', 'error', 'limit', 'ended-by-agent', 'caller-left'];

/** Why a conversation ended: one of these words, set once, and the outcome each one means. */
export const END_REASONS = {
  'caller left': 'caller-left', // the browser ended or closed the session
  'caller hung up': 'caller-left', // the phone call ended on the caller's side
  'no start': 'caller-left', // a socket that never said `start` within its grace period
  'agent ended': 'ended-by-agent', // end_call, then the goodbye played out
  silence: 'ended-by-agent', // the caller said nothing after a reprompt
  transferred: 'ended-by-agent', // the agent handed the call to a person (transfer)
  'time limit': 'limit', // limits.maxDurationSec
  'cost limit': 'limit', // limits.maxCostPerConversationUsd
  budget: 'limit', // the agent's daily budget or minutes ran out mid-conversation
  'speech failed': 'error', // every voice failed
  'speech recognition failed': 'error', // the recogniser failed twice, or went deaf
  error: 'error', // the session could not run
  'scenario error': 'error',
  'server stopped': 'error', // the process was told to stop before the conversation ended
  'server restart': 'error', // found open after a crash, closed at the next start
  voicemail: 'ended-by-agent', // an outbound call reached an answering machine: message left, or hung up
  'no answer': 'caller-left', // an outbound call nobody answered
  busy: 'caller-left', // an outbound call to a busy line
  'call failed': 'error', // Twilio could not place the outbound call
} as const satisfies Record<string, Outcome>;

export type EndReason = keyof typeof END_REASONS;

/** End reasons whose conversations count under `outcome` (older records may hold other words). */
export function endReasonsFor(outcome: Outcome): string[] {
  const legacy: Partial<Record<Outcome, string[]>> = { 'ended-by-agent': ['agent ended the call'] };
  return [...Object.entries(END_REASONS).filter(([, o]) => o === outcome).map(([r]) => r), ...(legacy[outcome] ?? [])];
}

/** Where a conversation's post-call analysis stands: done, failed (with the reason), or skipped (no model). */
export type AnalysisStatus = 'done' | 'failed' | 'skipped';

/** One success criterion as the analysis judged it. */
export interface CriterionVerdict {
  criterion: string;
  pass: boolean;
  reason: string;
}

/** A conversation's post-call analysis, as stored with its record. */
export interface AnalysisRecord {
  status: AnalysisStatus;
  summary: string | null;
  /** The declared `analysis.data` fields; a field the conversation did not reveal is null. */
  data: Record<string, string | number | boolean | null> | null;
  criteria: CriterionVerdict[];
  /** Why it failed or was skipped. */
  error: string | null;
  /** The model that ran it (provider:model). */
  model: string | null;
  attempts: number;
  analysedAt: string;
}
