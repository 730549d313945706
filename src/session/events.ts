import type { CostEstimate } from './cost.ts';
import type { UsageData } from './usage.ts';
import type { EndReason } from '../store/record-types.ts';
import type { TurnRecord } from '../store/records.ts';
import type { ToolEvent } from '../tools/events.ts';

// Every step of a conversation emits a typed, timestamped event. The recorder turns
// events into the conversation record; metrics and the CLI read the same events.

/** Everything that can happen in a conversation, in the order it happens. */
export type ConversationEvent =
  | ToolEvent
  | { type: 'conversation.started'; at: string; agent: string; agentVersion: string; channel: string; direction: string; caller: string | null }
  | { type: 'turn.caller'; at: string; turn: Omit<TurnRecord, 'knowledge'> }
  | { type: 'knowledge.hits'; at: string; seq: number; grounding: 'chunks' | 'no-match'; hits: TurnRecord['knowledge']; decision?: GroundingDecision }
  | { type: 'turn.heard'; at: string; seq: number; heardText: string }
  | { type: 'turn.latency'; at: string; seq: number; latency: TurnLatency }
  | { type: 'model.call'; at: string; seq: number; call: ModelCallRecord }
  | { type: 'recording.saved'; at: string; path: string; durationMs: number }
  | { type: 'turn.agent'; at: string; turn: Omit<TurnRecord, 'knowledge'> }
  | { type: 'error'; at: string; where: string; message: string }
  | { type: 'conversation.ended'; at: string; reason: EndReason; durationSec?: number; usage?: UsageData; cost?: CostEstimate };

/** Receives a conversation's events (the recorder, metrics, a live view). */
export type EventSink = (conversationId: string, event: ConversationEvent) => void;

/** Stage-to-stage latencies of one voice turn, in ms (null where a stage did not happen). */
export type TurnLatency = {
  /** End of the caller's speech → the turn committed. */
  endpointingMs: number | null;
  /** End of speech → the recogniser's final words. */
  sttFinalMs: number | null;
  /** Turn committed → the model's first words. */
  llmFirstTokenMs: number | null;
  /** First words → first audio from the voice. */
  ttsFirstAudioMs: number | null;
  /** End of speech → first audio: what the caller waits. */
  voiceToVoiceMs: number | null;
};

/** How a caller turn was grounded: whether the strict agent declined it, why, and the figures it read. */
export interface GroundingDecision {
  declined: boolean;
  reason: string;
  coverage: number;
  similarity?: number;
  embedError?: string;
  searchMs: number;
  embedMs?: number;
  /** How the guarded topic was recognised: by its words, or by meaning (with the similarity). */
  guardedBy?: 'words' | 'meaning';
  guardSimilarity?: number;
  /** Why guarded topics could not be matched by meaning on this turn (their embeddings failed or were late). */
  guardEmbedError?: string;
}

/** One request to a language model within an agent turn (`at` is when it ended). */
export interface ModelCallRecord {
  /** `provider:model`, e.g. openai:gpt-4.1-mini. */
  model: string;
  startedAt: string;
  durationMs: number;
  firstTokenMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  finishReason: string | null;
  error?: string;
}

/** Milliseconds as the events record them: to a tenth (null where there is none). */
export function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}
