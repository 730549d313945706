import type { Agent } from '../agent/load.ts';
import type { ConversationEvent } from '../session/events.ts';

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
  emit(event: ConversationEvent): void;
  /** Fields collected from the caller so far. */
  readonly lead: Record<string, string>;
  /** Ask the session to end the conversation once the agent has finished speaking. */
  requestEnd(reason: string): void;
  searchKnowledge(query: string, limit: number, signal: AbortSignal): Promise<KnowledgeMatch[]>;
  readonly fetch: typeof fetch;
  readonly env: NodeJS.ProcessEnv;
  now(): Date;
}

/** What running a tool produced: the result the model sees, and for network tools the exact exchange. */
export interface ToolOutcome {
  result: unknown;
  request?: unknown;
  response?: unknown;
  error?: string;
}
