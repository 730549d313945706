import type { PhoneLine } from '../tools/phone-line.ts';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AnalysisQueue } from '../analysis/queue.ts';
import type { AdminAuth } from '../guard/admin-auth.ts';
import { NODE_NAME, type LiveSessionList } from '../guard/live-sessions.ts';
import type { Admission } from '../guard/admission.ts';
import { sendsBookingLinks, sendsInvitations } from '../events/destinations.ts';
import type { SessionTokens } from '../guard/session-tokens.ts';
import type { WebRtcSettings } from '../channels/web/ice-servers.ts';
import { Conversation } from '../session/conversation.ts';
import type { EventSink } from '../session/events.ts';
import type { RecordingStore } from '../store/recordings/types.ts';
import type { Store } from '../store/store.ts';
import type { AgentRegistry, LoadedAgent } from './agents.ts';
import type { EventsOut } from './events-out.ts';
import type { Metrics } from './metrics.ts';
import type { SpeechFactory } from './voice-conversation.ts';

/** A running session as the server tracks it: which agent and door, how to stop it, when it is over. */
export interface LiveSession {
  agent: string;
  door: 'web' | 'phone';
  conversationId: string;
  abort: () => void;
  done: Promise<void>;
}

/** What every group of routes shares: the agents, the store, the settings of this server. */
export interface ServerContext {
  agents: AgentRegistry;
  store: Store;
  env: NodeJS.ProcessEnv;
  mode: 'dev' | 'serve';
  metrics: Metrics;
  speech: SpeechFactory;
  tokens: SessionTokens;
  /** PARLEY_ADMIN_TOKEN checks, one instance so failed attempts are counted together. */
  adminAuth: AdminAuth;
  /** Limits every new conversation passes: concurrency, daily budget, per-caller rate. */
  admission: Admission;
  outputSampleRate: 16000 | 24000;
  /** The WebRTC door's settings (PARLEY_WEBRTC, PARLEY_ICE_SERVERS, PARLEY_TURN_SECRET, …). */
  webrtc: WebRtcSettings;
  /** Where voice recordings are saved and served from (PARLEY_RECORDINGS_URL); unset, none are kept. */
  recordings?: RecordingStore;
  /** Sessions running now on this node; they remove themselves when done. */
  live: Set<LiveSession>;
  /** Sessions running now on every node (Redis), or on this one: what the dashboard lists. */
  liveList: LiveSessionList;
  /** What /healthz asks before saying yes: the store, and Redis when nodes share it. */
  dependencies: { name: 'store' | 'redis'; check(signal: AbortSignal): Promise<void> }[];
  /** Set by drain(): new sessions are refused and /healthz says 503, while live ones finish. */
  draining: boolean;
  /** Post-call analyses waiting and running: every conversation a session finished is queued here. */
  analysis: AnalysisQueue;
  /** The base URL this request reached us at (PARLEY_PUBLIC_URL wins, for servers behind a proxy). */
  baseUrl(req: FastifyRequest): string;
  /** The campaign runner of this node (src/server/campaigns/runner.ts), woken when a call ends; unset when none runs. */
  campaignRunner?: { wake(): void };
  /** Events out (webhooks, emails) through the store's outbox. */
  events: EventsOut;
  now(): number;
  fetch: typeof fetch;
  log(line: string): void;
  warn(line: string): void;
}

/** Tracks a session until it is done, keeping the metrics and the live set right, then gives its seat back. */
export function track(ctx: ServerContext, s: LiveSession, seat: { release(): void }): void {
  ctx.metrics.sessionStarted(s.agent, s.door);
  ctx.live.add(s);
  const id = randomUUID();
  ctx.liveList.add({ id, agent: s.agent, door: s.door, conversationId: s.conversationId, startedAt: new Date(ctx.now()).toISOString(), node: NODE_NAME });
  void s.done.finally(() => {
    // Over, with its record written (the recording too): now it goes out as conversation.ended.
    void ctx.events.conversationEnded(s.conversationId);
    ctx.live.delete(s);
    ctx.liveList.remove(id);
    ctx.metrics.sessionEnded(s.door);
    seat.release();
    // The record is complete once the session is done; its analysis runs later, off the call path.
    ctx.analysis.enqueue(s.conversationId);
  });
}

/** A new conversation with a loaded agent, on this server's store, feeding its metrics. */
export function newConversation(ctx: ServerContext, loaded: LoadedAgent, o: { channel: 'web' | 'phone'; direction?: 'inbound' | 'outbound'; caller: string | null; phone?: PhoneLine; variables?: Record<string, string>; onEvent?: EventSink }): Conversation {
  const name = loaded.agent.name;
  const conversation: Conversation = new Conversation({
    agent: loaded.agent,
    models: loaded.models,
    embedder: loaded.embedder,
    calendar: loaded.calendar,
    emailsInvitations: sendsInvitations(loaded.agent.config, ctx.env),
    emailsLinks: sendsBookingLinks(ctx.env),
    store: ctx.store,
    env: ctx.env,
    fetch: ctx.fetch,
    channel: o.channel,
    direction: o.direction ?? 'inbound',
    caller: o.caller,
    phone: o.phone,
    variables: o.variables,
    onEvent: (id, e) => {
      o.onEvent?.(id, e);
      ctx.metrics.observe(name, e);
      ctx.events.observe(name, id, e, conversation.lead);
    },
  });
  return conversation;
}
