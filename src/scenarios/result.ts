import type { BookingRecord, ToolCallRecord } from '../store/records.ts';
import type { CapturedEmail } from './emails-out.ts';
import type { EmittedEvent } from './events-out.ts';
import type { ScenarioMode } from './format.ts';

// What running a scenario produced: the transcript as the recorder saw it, the tool calls,
// what was collected and booked, and every expectation that did not hold.

/** One turn of the transcript. `turn` is the caller turn it belongs to (0: the first message). */
export interface RunTurn {
  seq: number;
  turn: number;
  role: 'agent' | 'caller';
  /** What the agent heard (caller turns) or said (agent turns). */
  text: string;
  /** Voice mode, caller turns: what the caller said, before the agent's speech-to-text heard it as `text`. */
  said?: string;
  /** Voice mode, agent turns: the voice loop's stage timings in ms (docs/latency.md). */
  latency?: Record<string, number | null>;
  /** Agent turns: 'chunks', 'declined' or null. */
  grounding: string | null;
  /** Caller turns: documents retrieved for it, as "source › heading". */
  documents: string[];
  /** Agent turns: the tool calls made while answering. */
  tools: ToolCallRecord[];
}

/** An expectation that did not hold. */
export interface Failure {
  /** Path of the expectation in the scenario, e.g. `caller.turns.1.expect.says`. */
  field: string;
  /** Where that is in the scenario file. */
  line: number;
  column: number;
  /** The caller turn (1-based) the failure is about, when there is one. */
  turn?: number;
  message: string;
}

/** One run of one scenario. */
export interface ScenarioRun {
  scenario: string;
  file: string;
  mode: ScenarioMode;
  /** Voice mode: the speech engines of the run. */
  speech?: { stt: string; tts: string; callerVoice: string };
  /** `skipped`: it needs a language model that is not configured (the reason says which). */
  status: 'passed' | 'failed' | 'skipped';
  skipReason?: string;
  failures: Failure[];
  /** Things worth knowing that are not failures (a rubric nobody could judge). */
  notes: string[];
  conversationId: string | null;
  transcript: RunTurn[];
  toolCalls: ToolCallRecord[];
  lead: Record<string, string>;
  bookings: BookingRecord[];
  /** The events the conversation sent out (lead.saved, booking.created, conversation.ended), captured. */
  events: EmittedEvent[];
  /** The emails those events would send (invitation, owner's notices), composed and captured; none when the agent emails nobody. */
  emails: CapturedEmail[];
  /** Caller turns said. */
  callerTurns: number;
  /** Whether the agent ended the conversation (end_call), and why it ended. */
  endedByAgent: boolean;
  endReason: string | null;
  durationMs: number;
}

/** The caller turn `k` (1-based) and the agent's reply to it. */
export function exchange(run: Pick<ScenarioRun, 'transcript'>, k: number): { caller?: RunTurn; agent?: RunTurn } {
  return { caller: run.transcript.find((t) => t.turn === k && t.role === 'caller'), agent: run.transcript.find((t) => t.turn === k && t.role === 'agent') };
}
