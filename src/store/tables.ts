import type { Generated, Insertable, Selectable } from 'kysely';

/** The store's tables, as Kysely sees them. JSON columns hold text so SQLite and Postgres agree. */
export interface Tables {
  conversations: ConversationTable;
  turns: TurnTable;
  tool_calls: ToolCallTable;
  knowledge_hits: KnowledgeHitTable;
  leads: LeadTable;
  events: EventTable;
  knowledge_sources: KnowledgeSourceTable;
  knowledge_chunks: KnowledgeChunkTable;
  knowledge_embeddings: KnowledgeEmbeddingTable;
  bookings: BookingTable;
  outbox_events: OutboxEventTable;
  outbox_deliveries: OutboxDeliveryTable;
  outbox_attempts: OutboxAttemptTable;
  calendar_feeds: CalendarFeedTable;
  analyses: AnalysisTable;
  widget_sessions: WidgetSessionTable;
  campaigns: CampaignTable;
  campaign_contacts: CampaignContactTable;
  outbound_calls: OutboundCallTable;
  do_not_call: DoNotCallTable;
}

export interface ConversationTable {
  id: string;
  agent: string;
  agent_version: string;
  channel: string; // 'text' | 'web' | 'phone'
  direction: string; // 'inbound' | 'outbound'
  caller: string | null;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  duration_sec: number | null;
  cost_usd: number | null;
  /** JSON UsageData (src/session/usage.ts). */
  usage: string | null;
}

export interface TurnTable {
  id: Generated<number>;
  conversation_id: string;
  seq: number;
  role: string; // 'agent' | 'caller'
  text: string;
  heard_text: string | null;
  interrupted: number;
  grounding: string | null; // 'chunks' | 'no-match' | null
  started_at: string;
  ended_at: string | null;
  latency: string | null; // JSON: per-stage milliseconds
}

export interface ToolCallTable {
  id: string;
  conversation_id: string;
  turn_seq: number;
  name: string;
  input: string; // JSON
  request: string | null; // JSON: exactly what was sent
  response: string | null; // JSON: raw response received
  result: string | null; // JSON: what the model got back
  error: string | null;
  started_at: string;
  duration_ms: number | null;
}

export interface KnowledgeHitTable {
  id: Generated<number>;
  conversation_id: string;
  turn_seq: number;
  chunk_id: number;
  source: string;
  heading: string;
  score: number;
}

export interface LeadTable {
  conversation_id: string;
  agent: string;
  fields: string; // JSON object of collected fields
  created_at: string;
  updated_at: string;
}

export interface EventTable {
  id: Generated<number>;
  conversation_id: string;
  at: string;
  type: string;
  data: string; // JSON
}

export interface KnowledgeSourceTable {
  agent: string;
  source: string; // relative path or URL
  hash: string;
  chunks: number;
  ingested_at: string;
}

/** A chunk's embedding vector for one model, by the hash of the chunk's heading and text. */
export interface KnowledgeEmbeddingTable {
  agent: string;
  /** The embedding model and its dimensions, e.g. "openai:text-embedding-3-small@512". */
  model: string;
  text_hash: string;
  /** Base64 of little-endian float32 values. */
  vector: string;
}

export interface KnowledgeChunkTable {
  id: Generated<number>;
  agent: string;
  source: string;
  heading: string;
  text: string;
  seq: number;
}

export interface BookingTable {
  id: string;
  agent: string;
  conversation_id: string | null;
  start: string; // ISO-8601 UTC instant, `2026-12-01T09:00:00Z`
  end: string;
  attendee: string; // JSON: Attendee
  notes: string | null;
  idempotency_key: string;
  status: string; // 'confirmed' | 'cancelled'
  created_at: string;
  /** iCalendar SEQUENCE: 0 when booked, one more with each change sent (the cancellation). */
  sequence: Generated<number>;
}

/** An event to send out (docs/events.md): written once, its id is the `webhook-id` every delivery carries. */
export interface OutboxEventTable {
  id: string;
  agent: string;
  type: string;
  data: string; // JSON
  conversation_id: string | null;
  created_at: string;
  /** 1 once one delivery per destination exists. */
  fanned_out: Generated<number>;
}

/** One event to one destination, with its delivery state and lease. */
export interface OutboxDeliveryTable {
  id: string;
  event_id: string;
  /** What makes it unique per event: `webhook:<url as written>`, `email:<message>`. */
  destination: string;
  target: string; // JSON DeliveryTarget, `${NAME}` references unresolved
  state: string; // DeliveryState
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface OutboxAttemptTable {
  id: Generated<number>;
  delivery_id: string;
  at: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
}

/** A secret ICS feed URL: only the token's SHA-256 is kept. */
export interface CalendarFeedTable {
  token_hash: string;
  agent: string;
  created_at: string;
  revoked_at: string | null;
}

/** A conversation's post-call analysis (src/analysis/). */
export interface AnalysisTable {
  conversation_id: string;
  agent: string;
  status: string; // 'done' | 'failed' | 'skipped'
  summary: string | null;
  data: string | null; // JSON object of the declared fields
  criteria: string | null; // JSON [{ criterion, pass, reason }]
  error: string | null;
  model: string | null;
  attempts: number;
  analysed_at: string;
}

/** Widget session requests per agent and UTC hour: the funnel's first step. */
export interface WidgetSessionTable {
  agent: string;
  hour: string;
  count: number;
}

/** An outbound campaign (src/server/campaigns/). */
export interface CampaignTable {
  id: string;
  name: string;
  agent: string;
  state: string; // CampaignState
  settings: string; // JSON CampaignSettings
  created_at: string;
  updated_at: string;
}

/** One contact of a campaign, with where its calling stands and the lease of the node dialling it. */
export interface CampaignContactTable {
  id: string;
  campaign_id: string;
  /** Its line in the imported file. */
  row_no: number;
  phone: string; // E.164
  name: string | null;
  time_zone: string;
  variables: string; // JSON object of strings
  state: string; // ContactState
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  call_sid: string | null;
  last_dialled_at: string | null;
  outcome: string | null; // CallOutcome of the last attempt
  last_error: string | null;
  updated_at: string;
}

/** An outbound call Parley placed, by Twilio's CallSid. */
export interface OutboundCallTable {
  call_sid: string;
  agent: string;
  to_number: string;
  campaign_id: string | null;
  contact_id: string | null;
  created_at: string;
  /** Twilio's final CallStatus (completed, busy, no-answer, failed, canceled). */
  status: string | null;
  /** Twilio's AnsweredBy from answering-machine detection. */
  answered_by: string | null;
  outcome: string | null; // CallOutcome
  /** What decided a voicemail: 'amd' or 'speech'. */
  detected_by: string | null;
  /** The voicemail message: 'waiting' (for the beep), 'left', or 'hung up'. */
  voicemail: string | null;
  conversation_id: string | null;
}

/** A number never to be called. */
export interface DoNotCallTable {
  phone: string;
  source: string; // 'admin' | 'import' | 'caller'
  reason: string | null;
  conversation_id: string | null;
  added_at: string;
}

export type ConversationRow = Selectable<ConversationTable>;
export type TurnRow = Selectable<TurnTable>;
export type ToolCallRow = Selectable<ToolCallTable>;
export type NewToolCall = Insertable<ToolCallTable>;
