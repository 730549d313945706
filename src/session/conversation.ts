import { randomUUID } from 'node:crypto';
import type { LanguageModel, ModelMessage } from 'ai';
import type { Agent } from '../agent/load.ts';
import { secretMask, type SecretMask } from '../agent/secret-mask.ts';
import { withVariables } from '../agent/variables.ts';
import { agentIndex, retrieve, type Embedder, type KnowledgeIndex, type Vocabulary } from '../knowledge/index.ts';
import { Records } from '../store/records.ts';
import type { EndReason } from '../store/record-types.ts';
import type { Store } from '../store/store.ts';
import type { CalendarProvider } from '../tools/calendar/types.ts';
import type { BookingState, KnowledgeMatch, ToolContext } from '../tools/context.ts';
import type { McpServers } from '../tools/mcp/servers.ts';
import type { PhoneLine } from '../tools/phone-line.ts';
import { mcpTools } from '../tools/registry.ts';
import { roundMs, type ConversationEvent, type EventSink, type TurnLatency } from './events.ts';
import { groundTurn, knowledgeHitsEvent, vocabularyOf } from './grounding.ts';
import { knownLanguage } from '../util/language.ts';
import { nearestTopic, topicVectorsOf, topicVectorsWithin } from './guardrail-meaning.ts';
import { guardedTopicOf, guardedTopicsOf, type GuardedTopic, type GuardMatch } from './guardrails.ts';
import { ModelReplies, type ModelReplyOutcome } from './model-reply.ts';
import { estimateCost, priceTable } from './cost.ts';
import { Recorder } from './recorder.ts';
import { conversationTraceSink } from './telemetry/sink.ts';
import { Spend, SPEND_LIMIT_LINE } from './spend.ts';
import { ReadAhead, SPOKEN_TURN_READ_MAX_AGE_MS } from './read-ahead.ts';
import { fixedLines, type FixedLines } from './fixed-lines.ts';
import { Usage } from './usage.ts';
import { errorText } from '../util/error-text.ts';

/** What the agent produces during one turn, in order. */
export type AgentOutput =
  | { type: 'text'; text: string }
  | { type: 'tool-start'; name: string }
  | { type: 'tool'; name: string; input: unknown; output: unknown; error?: string }
  | { type: 'end'; reason: EndReason };

export interface ConversationOptions {
  agent: Agent;
  store: Store;
  /** Models to try in order: the agent's model, then its fallbacks. */
  models: LanguageModel[];
  /** `knowledge.embeddings`, resolved: hybrid retrieval embeds each caller turn with it. */
  embedder?: Embedder;
  channel?: 'text' | 'web' | 'phone';
  direction?: 'inbound' | 'outbound';
  caller?: string | null;
  fetch?: typeof fetch;
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  /** Extra listeners (live views, metrics); the recorder always listens. */
  onEvent?: EventSink;
  /** The agent's calendar; without one, the booking tools are not offered. */
  calendar?: CalendarProvider;
  /** Parley emails the caller an invitation for each booking (the server, with PARLEY_SMTP_URL); book_call promises one only then. */
  emailsInvitations?: boolean;
  /** Parley emails the caller a calendar's scheduling link (Calendly without a paid plan); book_call says so only then. */
  emailsLinks?: boolean;
  /** Where the agent's MCP tools are listed and called: the process's shared connections by default; scenarios stub them. */
  mcp?: McpServers;
  /** The phone call the conversation runs on (the phone door): transfer and press_keys use it. */
  phone?: PhoneLine;
  /** Values for the agent's `{{name}}` placeholders (a campaign contact's columns); unset ones take their fallback. */
  variables?: Record<string, string>;
}

/**
 * One conversation: the first message, then caller turn → knowledge → model and tools → agent turn,
 * every step recorded as it happens. Text in, text out; the voice loop drives the same object.
 */
export class Conversation {
  readonly id = randomUUID();
  readonly agent: Agent;
  /** The fixed lines it says without the model, in the agent's language (or the owner's own words). */
  readonly lines: FixedLines;
  readonly history: ModelMessage[] = [];
  readonly lead: Record<string, string> = {};
  readonly booking: BookingState = { offered: [], bookings: [] };
  /** What was said, turn by turn (the heard text): the booking rules read it. */
  readonly transcript: { role: 'agent' | 'caller'; text: string }[] = [];
  /** What this conversation consumed from paid providers (the voice loop adds speech). */
  readonly usage = new Usage();
  #startedAt: number | undefined;
  #o: ConversationOptions;
  #recorder: Recorder;
  /** The OpenTelemetry trace of this conversation; undefined when no OTLP endpoint is set. */
  #trace: ((e: ConversationEvent) => void) | undefined;
  #seq = -1;
  /** Where the last agent turn's messages start in history, and its sequence number. */
  #lastAgent: { seq: number; historyFrom: number } | undefined;
  /** Why the conversation ends once the turn in flight is recorded: end_call, or a spend cap. */
  #endAfterTurn: EndReason | null = null;
  #endReason: EndReason | null = null;
  #spend: Spend;
  /** The agent's documents as of the caller's speech (a change since is seen on the next turn). */
  #index: ReadAhead<KnowledgeIndex>;
  #secrets: SecretMask;
  /** What the agent's webhooks are about: a question they can answer is not off-topic. */
  #toolTopics: string[];
  #vocabulary: Vocabulary;
  #guarded: GuardedTopic[];
  /** The agent turns the model writes: its prompt, tools, and what the caller may hear of it. */
  #modelReplies: ModelReplies;

  constructor(o: ConversationOptions) {
    if (!o.models.length) throw new Error('a conversation needs at least one language model');
    // Per-contact variables ({{name}}) filled into the persona and first message, once, for this conversation.
    o = { ...o, agent: withVariables(o.agent, o.variables ?? {}) };
    this.#o = o;
    this.agent = o.agent;
    this.lines = fixedLines(o.agent.config);
    this.#recorder = new Recorder(new Records(o.store.db), o.agent.name);
    this.#trace = conversationTraceSink(this.id, o.env ?? process.env);
    this.#secrets = secretMask(o.agent.config, o.env ?? process.env);
    const language = knownLanguage(o.agent.config.persona.language);
    this.#vocabulary = vocabularyOf(o.agent.config.knowledge.synonyms, language);
    this.#guarded = guardedTopicsOf(o.agent.config.guardrails, language);
    // Made once per agent and model (usually before the first caller turn), then shared.
    if (o.embedder && this.#guarded.length) void topicVectorsOf(this.#guarded, o.embedder);
    this.#toolTopics = o.agent.config.tools.flatMap((t) =>
      t.type === 'webhook' ? [`${t.name.replace(/[_-]/g, ' ')} ${t.description}`] : t.type === 'mcp' ? t.allow.map((a) => `${a.replace(/[_-]/g, ' ')} ${t.descriptions[a] ?? ''}`.trim()) : [],
    );
    this.#spend = new Spend({
      records: new Records(o.store.db),
      conversationId: this.id,
      agent: o.agent,
      usage: this.usage,
      channel: o.channel ?? 'text',
      direction: o.direction ?? 'inbound',
      now: () => this.#clock().getTime(),
      startedAt: () => this.#startedAt,
      onError: (e) => this.noteError('store:spending', e),
    });
    this.#modelReplies = new ModelReplies({
      agent: o.agent,
      models: o.models,
      history: this.history,
      lines: this.lines,
      secrets: this.#secrets,
      usage: this.usage,
      spend: this.#spend,
      clock: this.#clock,
      emit: (e) => this.#emit(e),
      noteError: (where, e) => this.noteError(where, e),
      endAfterTurn: () => this.#endAfterTurn,
    });
    const indexOptions = { vocabulary: this.#vocabulary, embedder: o.embedder };
    this.#index = new ReadAhead(() => agentIndex(o.store, o.agent.name, indexOptions), { maxAgeMs: SPOKEN_TURN_READ_MAX_AGE_MS, now: () => this.#clock().getTime() });
  }

  get ended(): boolean {
    return this.#endReason !== null;
  }

  /** Why the conversation ended; null while it runs. */
  get endReason(): EndReason | null {
    return this.#endReason;
  }

  /** Opens the record (once): `start`, and `end`/`noteError` of a conversation that failed before it started. */
  #open(at = this.#now()): void {
    if (this.#startedAt !== undefined) return;
    this.#startedAt = Date.parse(at);
    this.#emit({ type: 'conversation.started', at, agent: this.agent.name, agentVersion: this.agent.version, channel: this.#o.channel ?? 'text', direction: this.#o.direction ?? 'inbound', caller: this.#o.caller ?? null });
  }

  /** Opens the record and returns the first message; it never depends on the model, so it always fires. */
  async start(): Promise<string> {
    const { agent } = this;
    const at = this.#now();
    this.#open(at);
    const text = agent.config.persona.firstMessage;
    // MCP servers connect while the greeting plays, not when the caller first waits for an answer.
    if (agent.config.tools.some((t) => t.type === 'mcp')) void mcpTools(this.#toolContext(0), new AbortController().signal).catch(() => {});
    const seq = ++this.#seq;
    // A caller who talks over the greeting cuts it back like any agent turn (`interrupted`).
    this.#lastAgent = { seq, historyFrom: this.history.length };
    this.history.push({ role: 'assistant', content: text });
    this.#emit({ type: 'turn.agent', at, turn: { seq, role: 'agent', text, heardText: text, interrupted: false, grounding: null, startedAt: at, endedAt: at, latency: null } });
    await this.#recorder.flush();
    return text;
  }

  /** The greeting was never spoken (a limit ended the call first): the record and history say so. */
  async greetingUnheard(): Promise<void> {
    const first = this.history[0];
    if (first?.role === 'assistant' && first.content === this.agent.config.persona.firstMessage) this.history.shift();
    const entry = this.transcript[0];
    if (entry?.role === 'agent') entry.text = '';
    this.#emit({ type: 'turn.heard', at: this.#now(), seq: 0, heardText: '' });
    await this.#recorder.flush();
  }

  /** The caller started speaking: what their turn reads whatever they say (the day's spending, the documents' index) is read now, not after their last word. */
  prepare(): void {
    if (this.ended) return;
    this.#spend.readAhead();
    this.#index.start();
  }

  /** One caller turn: yields the agent's words as they are written, and its tool calls. */
  async *reply(callerText: string, o: { signal?: AbortSignal; firstTool?: string } = {}): AsyncGenerator<AgentOutput> {
    if (this.ended) throw new Error('this conversation has ended');
    const signal = o.signal ?? new AbortController().signal;
    const { config } = this.agent;
    const heard = callerText.trim();
    const callerAt = this.#now();
    const callerSeq = ++this.#seq;
    this.#emit({ type: 'turn.caller', at: callerAt, turn: { seq: callerSeq, role: 'caller', text: heard, heardText: heard, interrupted: false, grounding: null, startedAt: callerAt, endedAt: callerAt, latency: null } });

    // The caps are read while the documents are searched: no wait added before the first word.
    const capReached = this.#spend.reached();
    capReached.catch(() => {}); // a failure is thrown where it is awaited, below
    const index = this.#index.take();
    index.catch(() => {}); // thrown where retrieval awaits it; a cancelled turn may never get there
    const byWords = guardedTopicOf(heard, this.#guarded);
    const earlier = this.transcript.filter((t) => t.role === 'caller').map((t) => t.text).slice(-3, -1);
    const grounded = await groundTurn(this.#o.store, this.agent.name, heard, {
      previous: earlier,
      topK: config.knowledge.topK,
      vocabulary: this.#vocabulary,
      strict: config.knowledge.strict,
      toolTopics: this.#toolTopics,
      embedder: this.#o.embedder,
      minSimilarity: config.knowledge.embeddings?.minSimilarity,
      embedTimeoutMs: config.knowledge.embeddings?.timeoutMs,
      index,
      signal,
    });
    const { retrieval } = grounded;
    const hits = retrieval.hits;
    const meaning = byWords ? undefined : await this.#guardedByMeaning(retrieval.vector);
    const match = byWords ? { topic: byWords, by: 'words' as const } : meaning?.match;
    const guarded = match?.topic;
    this.#emit(knowledgeHitsEvent(this.#now(), callerSeq, grounded, match && { topic: match.topic.topic, by: match.by, ...(match.by === 'meaning' ? { similarity: match.similarity } : {}) }, (t) => this.#scrub(t), meaning?.error));

    const agentSeq = ++this.#seq;
    this.#lastAgent = { seq: agentSeq, historyFrom: this.history.length + 1 }; // after the caller's message
    const startedAt = this.#now();
    const t0 = performance.now();
    let text = '';
    let firstTokenMs: number | null = null;
    let grounding: string | null = hits.length ? 'chunks' : null;

    // Every cap is checked before the model is asked; the line that ends the conversation is fixed.
    const limit = await capReached;
    if (limit) {
      text = this.lines[SPEND_LIMIT_LINE[limit]];
      grounding = null;
      firstTokenMs = 0;
      this.#endAfterTurn = limit;
      yield { type: 'text', text };
      this.history.push({ role: 'user', content: heard }, { role: 'assistant', content: text });
    } else if (guarded) {
      // A topic the owner does not want handled: the fixed line, and the model never sees the turn.
      text = guarded.say;
      grounding = `guarded:${guarded.topic}`;
      firstTokenMs = 0;
      yield { type: 'text', text };
      this.history.push({ role: 'user', content: heard }, { role: 'assistant', content: text });
    } else if (grounded.declined) {
      text = config.knowledge.unknownAnswer;
      grounding = 'declined';
      firstTokenMs = 0;
      yield { type: 'text', text };
      this.history.push({ role: 'user', content: heard }, { role: 'assistant', content: text });
    } else {
      const model = this.#modelReplies.run({ heard, hits, absent: retrieval.unknown, agentSeq, tools: this.#toolContext(agentSeq), signal, firstTool: o.firstTool });
      // Read step by step, not with for await: how the reply ended is the generator's return value.
      let step: IteratorResult<AgentOutput, ModelReplyOutcome> | undefined;
      try {
        for (step = await model.next(); !step.done; step = await model.next()) {
          const out = step.value;
          if (out.type === 'text') {
            if (firstTokenMs === null) firstTokenMs = performance.now() - t0;
            text += out.text;
          }
          yield out;
        }
      } finally {
        // A reply left unread (the caller barged in) closes the model's stream, as for await would.
        if (!step?.done) await model.return({ declined: false, stoppedBy: null });
      }
      if (step.value.declined) grounding = 'declined';
      if (step.value.stoppedBy) this.#endAfterTurn = step.value.stoppedBy;
    }

    const endedAt = this.#now();
    const interrupted = signal.aborted;
    this.#emit({
      type: 'turn.agent',
      at: endedAt,
      turn: { seq: agentSeq, role: 'agent', text, heardText: text, interrupted, grounding, startedAt, endedAt, latency: { llmFirstTokenMs: roundMs(firstTokenMs), totalMs: roundMs(performance.now() - t0) } },
    });
    const ending = this.#endAfterTurn;
    if (ending) {
      try {
        yield { type: 'end', reason: ending };
      } finally {
        await this.end(ending); // also when the consumer stops reading at 'end'
      }
    } else await this.#spend.write();
    await this.#recorder.flush();
  }

  /** The agent says a fixed line (a reprompt, a goodbye) with no model: recorded like any agent turn. */
  async say(text: string): Promise<void> {
    if (this.ended) return;
    const at = this.#now();
    const seq = ++this.#seq;
    this.#lastAgent = { seq, historyFrom: this.history.length };
    this.history.push({ role: 'assistant', content: text });
    this.#emit({ type: 'turn.agent', at, turn: { seq, role: 'agent', text, heardText: text, interrupted: false, grounding: null, startedAt: at, endedAt: at, latency: null } });
    await this.#recorder.flush();
  }

  /** Records where the conversation's stereo recording was saved. */
  async noteRecording(path: string, durationMs: number): Promise<void> {
    this.#emit({ type: 'recording.saved', at: this.#now(), path, durationMs: Math.round(durationMs) });
    await this.#recorder.flush();
  }

  /** Adds the voice loop's stage timings to the last agent turn's latency. */
  noteLatency(latency: TurnLatency): void {
    if (this.#lastAgent) this.#emit({ type: 'turn.latency', at: this.#now(), seq: this.#lastAgent.seq, latency });
  }

  /** Records a failure outside the model (speech engines, the door) under `where`, e.g. `tts:elevenlabs:…`. */
  noteError(where: string, error: unknown): void {
    this.#open();
    this.#emit({ type: 'error', at: this.#now(), where, message: this.#scrub(errorText(error)) });
  }

  /**
   * The caller interrupted the last agent turn after hearing only `heardText`: history and the
   * record are cut back to it, so the model never believes it said what was never played.
   */
  async interrupted(heardText: string): Promise<void> {
    const last = this.#lastAgent;
    if (!last) return;
    const heard = heardText.trim();
    // Keep the tool calls that ran (they happened), drop the words that were never played.
    const kept = this.history.splice(last.historyFrom).flatMap((m): ModelMessage[] => {
      if (m.role === 'tool') return [m];
      if (m.role !== 'assistant' || typeof m.content === 'string') return [];
      const calls = m.content.filter((p) => p.type === 'tool-call');
      return calls.length ? [{ ...m, content: calls }] : [];
    });
    this.history.push(...kept);
    if (heard) this.history.push({ role: 'assistant', content: heard });
    const entry = this.transcript.findLast((t) => t.role === 'agent');
    if (entry) entry.text = heard;
    this.#emit({ type: 'turn.heard', at: this.#now(), seq: last.seq, heardText: heard });
    await this.#recorder.flush();
  }

  /** Ends the conversation (idempotent) and waits until the record is written. */
  async end(reason: EndReason): Promise<void> {
    if (this.ended) return this.#recorder.flush();
    this.#endReason = reason;
    this.#open();
    const at = this.#now();
    const durationSec = Math.max(0, (Date.parse(at) - this.#startedAt!) / 1000);
    if (this.#o.channel === 'phone') this.usage.data.phoneSeconds = durationSec;
    const cost = estimateCost(this.usage.data, priceTable(this.agent.config.limits.prices), this.#o.direction);
    this.#emit({ type: 'conversation.ended', at, reason, durationSec, usage: this.usage.data, cost });
    await this.#recorder.flush();
  }

  #toolContext(agentSeq: number): ToolContext {
    return {
      agent: this.agent,
      conversationId: this.id,
      turnSeq: () => agentSeq,
      emit: (e) => this.#emit(e),
      lead: this.lead,
      requestEnd: (reason) => {
        this.#endAfterTurn ??= reason ?? 'agent ended';
      },
      searchKnowledge: (q, limit, signal) => this.#search(q, limit, signal),
      transcript: () => [...this.transcript],
      calendar: this.#o.calendar,
      emailsInvitations: this.#o.emailsInvitations ?? false,
      emailsLinks: this.#o.emailsLinks ?? false,
      booking: this.booking,
      fetch: this.#o.fetch ?? fetch,
      mcp: this.#o.mcp,
      phone: this.#o.phone,
      env: this.#o.env ?? process.env,
      now: this.#clock,
    };
  }

  /** A guarded topic the turn's embedding is close to; the topics' vectors are awaited no longer than a turn's embedding may take. */
  async #guardedByMeaning(vector: Float32Array | undefined): Promise<{ match?: GuardMatch; error?: string } | undefined> {
    if (!vector || !this.#o.embedder || !this.#guarded.length) return undefined;
    const t = await topicVectorsWithin(topicVectorsOf(this.#guarded, this.#o.embedder), this.agent.config.knowledge.embeddings?.timeoutMs ?? 400);
    if ('error' in t) return { error: t.error };
    return { match: nearestTopic(vector, this.#guarded, t.vectors) };
  }

  /** The model's own search_knowledge calls: the same retrieval as a caller's turn. */
  async #search(query: string, limit: number, signal: AbortSignal): Promise<KnowledgeMatch[]> {
    const { knowledge } = this.agent.config;
    const r = await retrieve(this.#o.store, this.agent.name, query, { limit, vocabulary: this.#vocabulary, embedder: this.#o.embedder, embedTimeoutMs: knowledge.embeddings?.timeoutMs, signal });
    return r.hits;
  }

  #emit(event: ConversationEvent): void {
    if (event.type === 'turn.agent' || event.type === 'turn.caller') this.transcript.push({ role: event.turn.role, text: event.turn.heardText ?? event.turn.text });
    void this.#recorder.record(this.id, event);
    if (this.#trace) {
      try {
        this.#trace(event);
      } catch (e) {
        // A tracing fault never costs the caller their conversation.
        console.error('parley: could not trace event:', errorText(e));
      }
    }
    this.#o.onEvent?.(this.id, event);
  }

  #scrub(text: string): string {
    return this.#secrets.text(text);
  }

  #clock = (): Date => (this.#o.clock ? this.#o.clock() : new Date());
  #now = (): string => this.#clock().toISOString();
}

