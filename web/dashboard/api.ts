// The admin API as the dashboard uses it (docs/dashboard.md). Same-origin requests carry the
// login cookie; a 401 means the login expired, so the page goes back to the login form. Record
// shapes the server sends as they are come from its own types (src/store/record-types.ts).

import type { Overview as StoreOverview } from '../../src/store/overview.ts';
import type { AnalysisRecord, BookingRecord, Outcome, ToolCallRecord } from '../../src/store/record-types.ts';
import type { RtcOffer } from '../shared/rtc.ts';

export type { AnalysisRecord } from '../../src/store/record-types.ts';
import type { CallOutcome, CampaignView, ContactView } from '../../src/store/campaign-types.ts';
export type { CallOutcome, CampaignView, ContactView } from '../../src/store/campaign-types.ts';

export interface AgentInfo {
  name: string;
  description: string | null;
  version: string;
  folder: string;
  model: string;
  stt: string;
  tts: string;
  voiceId: string | null;
  language: string;
  timeZone: string;
  tools: string[];
  calendar: string | null;
  channels: {
    web: { enabled: boolean; allowedOrigins: string[]; widget: { color: string; position: string; label: string; avatar?: string; notice?: string | false } };
    phone: { number: string | null } | null;
  };
  limits: Record<string, number>;
  knowledge: { sources: number; indexedSources: number; chunks: number; strict: boolean };
  loadedAt: string;
  problem: string | null;
}

export interface AgentProblem {
  folder: string;
  message: string;
  serving: string | null;
}

export { OUTCOMES, type Outcome } from '../../src/store/record-types.ts';
export const DOORS = ['web', 'phone', 'text'];

export interface ConversationItem {
  id: string;
  agent: string;
  door: string;
  direction: string;
  caller: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  endReason: string | null;
  outcome: Outcome;
  turns: number;
  lead: boolean;
  bookings: number;
  recording: boolean;
  preview: string | null;
  name: string | null;
  company: string | null;
  summary: string | null;
  analysis: AnalysisRecord['status'] | null;
  /** An outbound call's outcome: human, voicemail, no-answer, busy, failed. */
  callOutcome: CallOutcome | null;
  campaignId: string | null;
}

export interface Bar {
  stage: 'endpointing' | 'stt' | 'llm' | 'tts' | 'first-audio' | 'total';
  label: string;
  startMs: number;
  endMs: number;
}

export interface KnowledgeHit {
  chunkId: number;
  source: string;
  heading: string;
  score: number;
}

export interface Turn {
  seq: number;
  role: 'agent' | 'caller';
  text: string;
  heardText: string | null;
  interrupted: boolean;
  grounding: string | null;
  startedAt: string;
  atMs: number;
  seekMs: number;
  latency: Record<string, number | null> | null;
  knowledge: KnowledgeHit[];
  toolCalls: string[];
  waterfall: Bar[];
}

/** A tool call as recorded, placed on the conversation's timeline. */
export interface ToolCall extends ToolCallRecord {
  atMs: number;
  agentSaidNext: string | null;
  agentSaidNextSeq: number | null;
}

export type Booking = BookingRecord;

export interface ConversationDetail {
  id: string;
  agent: string;
  agentVersion: string;
  door: string;
  direction: string;
  caller: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  endReason: string | null;
  outcome: Outcome;
  turns: Turn[];
  toolCalls: ToolCall[];
  lead: Record<string, string> | null;
  bookings: Booking[];
  errors: { at: string; where: string; message: string }[];
  /** The post-call analysis; null until it ran (or when the agent declares none). */
  analysis: AnalysisRecord | null;
  /** Estimated cost (USD) from the price table, once the conversation ended. */
  costUsd: number | null;
  usage: unknown;
  recording: { url: string; durationMs: number; offsetMs: number } | null;
  call: { sid: string; outcome: CallOutcome | null; answeredBy: string | null; campaignId: string | null; contactId: string | null } | null;
}

export interface LiveSession {
  agent: string;
  door: string;
  conversationId: string;
  startedAt: string;
  /** The node running it (host:pid); several appear when nodes share Redis. */
  node: string;
}

/** GET or POST one admin endpoint; throws with the server's error message. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...init.headers } });
  if (res.status === 401) {
    location.href = '/dashboard/login';
    throw new Error('not logged in');
  }
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body as T;
}

export const getAgents = () => api<{ agents: AgentInfo[]; problems: AgentProblem[] }>('/v1/admin/agents');
export const getEmbed = (agent: string) => api<{ agent: string; snippet: string; widgetUrl: string; webEnabled: boolean; allowedOrigins: string[] }>(`/v1/admin/agents/${encodeURIComponent(agent)}/embed`);
export const getSessions = () => api<{ sessions: LiveSession[] }>('/v1/admin/sessions');
export const getConversation = (id: string) => api<ConversationDetail>(`/v1/admin/conversations/${encodeURIComponent(id)}`);
/** POST /v1/admin/agents/:agent/sessions: a sandbox session's socket and, when the server has it on, WebRTC's ICE servers. */
export const openSandbox = (agent: string) => api<{ token: string; url: string } & RtcOffer>(`/v1/admin/agents/${encodeURIComponent(agent)}/sessions`, { method: 'POST' });

export function listConversations(filter: Record<string, string>, cursor?: string) {
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
  if (cursor) q.set('cursor', cursor);
  q.set('limit', '50');
  return api<{ conversations: ConversationItem[]; nextCursor: string | null }>(`/v1/admin/conversations?${q}`);
}

export type { OverviewDay } from '../../src/store/overview.ts';

/** GET /v1/admin/overview: the store's overview with the range and budget it was asked for (docs/dashboard.md). */
export interface Overview extends StoreOverview {
  agent: string | null;
  tz: string;
  from: string;
  to: string;
  /** The range as instants: the first day's midnight and the day after the last, in `tz`. */
  start: string;
  end: string;
  budgetUsd: number;
}

export interface Lead {
  conversationId: string;
  agent: string;
  door: string;
  createdAt: string;
  fields: Record<string, string>;
  summary: string | null;
}

export interface BookingRow {
  conversationId: string;
  agent: string;
  bookedAt: string;
  booking: BookingRecord;
}

export interface UnansweredQuestion {
  /** The latest wording; `variants` holds others asked. */
  text: string;
  variants?: string[];
  count: number;
  lastAt: string;
  conversationIds: string[];
  /** The guarded topic these were turned away as; absent for questions the documents did not answer. */
  turnedAway?: string;
}

/** A query string of the non-empty entries. */
export const query = (q: Record<string, string>) => new URLSearchParams(Object.entries(q).filter(([, v]) => v)).toString();

export const getOverview = (q: Record<string, string>) => api<Overview>(`/v1/admin/overview?${query(q)}`);
export const getLeads = (q: Record<string, string>) => api<{ leads: Lead[] }>(`/v1/admin/leads?${query({ ...q, limit: '500' })}`);
export const getBookings = (q: Record<string, string>) => api<{ bookings: BookingRow[] }>(`/v1/admin/bookings?${query({ ...q, limit: '500' })}`);
export const getUnanswered = (q: Record<string, string>) => api<{ questions: UnansweredQuestion[] }>(`/v1/admin/unanswered?${query(q)}`);
/** The CSV download of a list, with the same filters. */
export const csvUrl = (list: 'leads' | 'bookings', q: Record<string, string>) => `/v1/admin/${list}?${query({ ...q, format: 'csv' })}`;

/** One attempt to deliver an event to one destination. */
export interface DeliveryAttempt {
  at: string;
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** An event's delivery to one destination (a webhook, an email), as the admin API lists it. */
export interface EventDelivery {
  id: string;
  destination: string;
  state: 'pending' | 'delivering' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  finishedAt: string | null;
}

/** An event out (docs/events.md) with its deliveries. */
export interface OutEvent {
  id: string;
  agent: string;
  type: string;
  conversationId: string | null;
  createdAt: string;
  deliveries: EventDelivery[];
}

export const getEvents = (q: Record<string, string>) => api<{ events: OutEvent[]; nextCursor: string | null }>(`/v1/admin/events?${query({ ...q, limit: '100' })}`);
export const getCampaigns = () => api<{ campaigns: CampaignView[]; dialling: boolean }>('/v1/admin/campaigns');
export const getCampaign = (id: string) => api<{ campaign: CampaignView; contacts: ContactView[] }>(`/v1/admin/campaigns/${encodeURIComponent(id)}`);
export const setCampaign = (id: string, action: 'pause' | 'resume') => api<{ campaign: CampaignView }>(`/v1/admin/campaigns/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
/** Starts a campaign; a refused contact list throws with its problems, line by line. */
export async function startCampaign(body: Record<string, string>): Promise<{ campaign: CampaignView }> {
  const res = await fetch('/v1/admin/campaigns', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { campaign: CampaignView; error?: string; problems?: string[] };
  if (!res.ok) throw new Error([json.error ?? `HTTP ${res.status}`, ...(json.problems ?? [])].join('\n'));
  return json;
}
export const redeliverEvent = (id: string) => api<{ redelivered: number }>(`/v1/admin/events/${encodeURIComponent(id)}/redeliver`, { method: 'POST' });
