import type { BookingRecord, ToolCallRecord } from '../store/records.ts';

// What running a scenario produced: the transcript as the recorder saw it, the tool calls,
// what was collected and booked, and every expectation that did not hold.

/** One turn of the transcript. `turn` is the caller turn it belongs to (0: the first message). */
export interface RunTurn {
  seq: number;
  turn: number;
  role: 'agent' | 'caller';
  text: string;
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
