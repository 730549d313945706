import { randomUUID } from 'node:crypto';
import type { LanguageModel, ModelMessage } from 'ai';
import { Temporal } from 'temporal-polyfill';
import type { Agent } from '../agent/load.ts';
import { secretMask, type SecretMask } from '../agent/secret-mask.ts';
import { withVariables } from '../agent/variables.ts';
import { agentIndex, retrieve, type Embedder, type KnowledgeIndex, type Vocabulary } from '../knowledge/index.ts';
import { buildSystemPrompt, groundedCallerMessage } from '../llm/prompt.ts';
import { Records } from '../store/records.ts';
import type { EndReason } from '../store/record-types.ts';
import type { Store } from '../store/store.ts';
import type { CalendarProvider } from '../tools/calendar/types.ts';
import type { BookingState, KnowledgeMatch, ToolContext } from '../tools/context.ts';
import type { McpServers } from '../tools/mcp/servers.ts';
import type { PhoneLine } from '../tools/phone-line.ts';
import { agentTools, mcpTools } from '../tools/registry.ts';
import { rejectedToolCall } from '../tools/rejected.ts';
import type { ConversationEvent, EventSink, TurnLatency } from './events.ts';
import { DisclosureGuard } from './disclosure.ts';
import { groundTurn, knowledgeHitsEvent, vocabularyOf } from './grounding.ts';
import { knownLanguage } from '../util/language.ts';
import { nearestTopic, topicVectorsOf, topicVectorsWithin } from './guardrail-meaning.ts';
import { guardedTopicOf, guardedTopicsOf, type GuardedTopic, type GuardMatch } from './guardrails.ts';
import { NotInDocumentsFilter } from './not-in-documents.ts';
import { modelTurn } from './model-turn.ts';
import { estimateCost, priceTable } from './cost.ts';
import { historyWindow } from './history-window.ts';
import { Recorder } from './recorder.ts';
import { conversationTraceSink } from './telemetry/sink.ts';
import { Spend, SPEND_LIMIT_LINE, type SpendLimit } from './spend.ts';
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
  /** Lives as long as the conversation: a secret split across turns is still caught. */
  #guard: DisclosureGuard;
  /** What the agent's webhooks are about: a question they can answer is not off-topic. */
  #toolTopics: string[];
  #vocabulary: Vocabulary;
  #guarded: GuardedTopic[];
  /** The reply model answered the turn in flight with the not-in-documents marker. */
  #modelDeclined = false;
  /** MCP problems already recorded: a server that stays down is noted once, not every turn. */
  #mcpProblems = new Set<string>();

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
    this.#guard = new DisclosureGuard(o.agent.prompt, this.#secrets.values);
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
      this.#modelDeclined = false;
      for await (const out of this.#runModel(heard, hits, retrieval.unknown, agentSeq, signal, o.firstTool)) {
        if (out.type === 'text') {
          if (firstTokenMs === null) firstTokenMs = performance.now() - t0;
          text += out.text;
        }
        yield out;
      }
      if (this.#modelDeclined) grounding = 'declined';
    }

    const endedAt = this.#now();
    const interrupted = signal.aborted;
    this.#emit({
      type: 'turn.agent',
      at: endedAt,
      turn: { seq: agentSeq, role: 'agent', text, heardText: text, interrupted, grounding, startedAt, endedAt, latency: { llmFirstTokenMs: round(firstTokenMs), totalMs: round(performance.now() - t0) } },
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

  async *#runModel(heard: string, hits: KnowledgeMatch[], absent: string[], agentSeq: number, signal: AbortSignal, firstTool?: string): AsyncGenerator<AgentOutput> {
    const { config } = this.agent;
    if (signal.aborted) {
      // Cancelled while its documents were searched (the caller hung up): the model is not asked.
      this.history.push({ role: 'user', content: heard });
      return;
    }
    // The model stream stops if the guard trips, whoever else cancels the turn.
    const cut = new AbortController();
    const stop = () => cut.abort();
    signal.addEventListener('abort', stop, { once: true });
    const guard = this.#guard;
    guard.nextTurn();
    let said = '';
    const instructions = buildSystemPrompt(this.agent, Temporal.Instant.fromEpochMilliseconds(this.#clock().getTime()));
    // The documents ride with this turn only; history keeps the caller's plain words.
    const current: ModelMessage = { role: 'user', content: groundedCallerMessage(heard, hits, config.knowledge.strict, absent) };
    let stoppedBy: SpendLimit | null = null;
    const tools = this.#toolContext(agentSeq);
    const mcp = await mcpTools(tools, cut.signal);
    for (const p of cut.signal.aborted ? [] : mcp.problems) {
      const key = `${p.server}\n${p.message}`;
      if (!this.#mcpProblems.has(key)) this.#emit({ type: 'error', at: this.#now(), where: `mcp:${p.server}`, message: this.#scrub(p.message) });
      this.#mcpProblems.add(key);
    }
    const turn = modelTurn({
      models: this.#o.models,
      instructions,
      messages: [...historyWindow(this.history, { instructions, turn: current, maxInputTokens: config.brain.maxInputTokens }), current],
      tools: agentTools(tools, mcp.specs),
      temperature: config.brain.temperature,
      maxToolRounds: config.brain.maxToolRounds,
      responseTimeoutMs: config.brain.responseTimeoutMs,
      firstTool,
      signal: cut.signal,
      onUsage: (model, input, output) => {
        this.usage.addTokens(model, input, output);
        this.#spend.accrued();
      },
      // Between tool rounds too: a cap reached mid-turn stops the next model call. After a
      // transfer that connected the caller is with a person and the agent has left the call:
      // there is nobody to say another word to, so the model is not asked again.
      mayContinue: async () => this.#endAfterTurn !== 'transferred' && (stoppedBy = await this.#spend.reached()) === null,
      onToolRejected: (call) => this.#emit(rejectedToolCall(call, agentSeq, this.#now(), this.#secrets)),
      onModelCall: (call) => {
        const ended = this.#clock().getTime() - call.endedMsAgo;
        this.#emit({
          type: 'model.call',
          at: new Date(ended).toISOString(),
          seq: agentSeq,
          call: { model: call.model, startedAt: new Date(ended - call.durationMs).toISOString(), durationMs: round(call.durationMs)!, firstTokenMs: round(call.firstTokenMs), inputTokens: call.inputTokens ?? null, outputTokens: call.outputTokens ?? null, finishReason: call.finishReason, ...(call.error ? { error: this.#scrub(call.error) } : {}) },
        });
      },
      onModelError: (model, e) => this.#emit({ type: 'error', at: this.#now(), where: `llm:${model}`, message: this.#scrub(errorText(e)) }),
    });
    let step = await turn.next();
    let tripped: 'prompt' | 'secret' | null = null;
    // Strict knowledge: a reply that is the not-in-documents marker becomes the unknown-answer line.
    const marker = config.knowledge.strict ? new NotInDocumentsFilter() : undefined;
    const pass = function* (text: string): Generator<AgentOutput> {
      if (!text) return;
      tripped = guard.push(text);
      if (tripped) return;
      said += text;
      yield { type: 'text', text };
    };
    for (; !step.done; step = await turn.next()) {
      if (step.value.type === 'text') {
        yield* pass(marker ? marker.push(step.value.text) : step.value.text);
        if (tripped || marker?.state === 'declined') break;
        continue;
      }
      yield step.value;
    }
    if (step.done && marker) yield* pass(marker.end());
    signal.removeEventListener('abort', stop);
    if (marker?.state === 'declined' && !tripped) {
      cut.abort();
      await turn.return(undefined as never).catch((e: unknown) => this.noteError('llm', e));
      this.#modelDeclined = true;
      const line = config.knowledge.unknownAnswer;
      yield { type: 'text', text: (said ? ' ' : '') + line };
      this.history.push({ role: 'user', content: heard }, { role: 'assistant', content: `${said} ${line}`.trim() });
      return;
    }
    if (tripped) {
      cut.abort();
      await turn.return(undefined as never).catch((e: unknown) => this.noteError('llm', e));
      this.#emit({ type: 'error', at: this.#now(), where: 'guard:disclosure', message: `the agent began to recite its ${tripped === 'secret' ? 'secrets' : 'instructions'}; the turn was cut and it declined` });
      yield { type: 'text', text: (said ? ' ' : '') + this.lines.cannotShareSetup };
      this.history.push({ role: 'user', content: heard }, { role: 'assistant', content: `${said} ${this.lines.cannotShareSetup}`.trim() });
      return;
    }
    const result = step.value as Exclude<typeof step.value, AgentOutput>;
    this.history.push({ role: 'user', content: heard }, ...result.messages);
    if (stoppedBy) {
      const line = this.lines[SPEND_LIMIT_LINE[stoppedBy]];
      yield { type: 'text', text: (result.spoke ? ' ' : '') + line };
      this.history.push({ role: 'assistant', content: line });
      this.#endAfterTurn = stoppedBy;
    } else if (result.failed) {
      yield { type: 'text', text: (result.spoke ? ' ' : '') + this.lines.troubleAnswering };
      this.history.push({ role: 'assistant', content: this.lines.troubleAnswering });
    }
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

  /** The model's own search_knowledge calls: the same retrieval as a caller's turn. */
  /** A guarded topic the turn's embedding is close to; the topics' vectors are awaited no longer than a turn's embedding may take. */
  async #guardedByMeaning(vector: Float32Array | undefined): Promise<{ match?: GuardMatch; error?: string } | undefined> {
    if (!vector || !this.#o.embedder || !this.#guarded.length) return undefined;
    const t = await topicVectorsWithin(topicVectorsOf(this.#guarded, this.#o.embedder), this.agent.config.knowledge.embeddings?.timeoutMs ?? 400);
    if ('error' in t) return { error: t.error };
    return { match: nearestTopic(vector, this.#guarded, t.vectors) };
  }

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

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}

