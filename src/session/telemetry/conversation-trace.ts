import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ConversationEvent, ModelCallRecord, TurnLatency } from '../events.ts';
import type { ToolCallRecord } from '../../store/records.ts';
import { contentInTraces } from './config.ts';
import { tracerFor } from './otlp.ts';

// A conversation as an OpenTelemetry trace, built from its event stream alone (the session has
// no tracing calls): a `conversation` span, a `turn` span per caller turn, and under each turn
// its recognition (`stt`), knowledge search, model calls (`chat <model>`, GenAI conventions),
// tool calls (`execute_tool <name>`) and speech (`tts`). Every time comes from the events, so
// the trace agrees with the record to the millisecond. A turn's spans are made when the turn is
// over, since voice timings arrive only after the agent has finished speaking.

/** Listens to one conversation's events and exports its trace; undefined (nothing runs) when tracing is off. */
export function conversationTrace(conversationId: string, env: NodeJS.ProcessEnv): ConversationTrace | undefined {
  const tracer = tracerFor(env);
  return tracer && new ConversationTrace(tracer, conversationId, contentInTraces(env));
}

/** What is known of a caller turn until it is over. */
interface TurnDraft {
  seq: number;
  startMs: number;
  lastMs: number;
  attributes: Attributes;
  knowledge?: { endMs: number; attributes: Attributes };
  models: { at: string; call: ModelCallRecord }[];
  tools: ToolCallRecord[];
  latency?: { at: number; latency: TurnLatency };
  events: { name: string; atMs: number; attributes: Attributes }[];
  failed: boolean;
}

/** Turns one conversation's events into spans. */
export class ConversationTrace {
  #tracer: Tracer;
  #id: string;
  #content: boolean;
  #root: Span | undefined;
  #rootContext: Context = ROOT_CONTEXT;
  #common: Attributes = {};
  #voice = false;
  #turn: TurnDraft | undefined;

  constructor(tracer: Tracer, conversationId: string, content: boolean) {
    this.#tracer = tracer;
    this.#id = conversationId;
    this.#content = content;
  }

  /** Takes the next event of the conversation. */
  on(e: ConversationEvent): void {
    const atMs = Date.parse(e.at);
    switch (e.type) {
      case 'conversation.started':
        this.#voice = e.channel !== 'text';
        this.#common = { 'parley.conversation.id': this.#id, 'parley.agent': e.agent, 'parley.channel': e.channel };
        this.#root = this.#tracer.startSpan('conversation', { kind: SpanKind.SERVER, startTime: atMs, attributes: { ...this.#common, 'parley.agent.version': e.agentVersion, 'parley.direction': e.direction } });
        this.#rootContext = trace.setSpan(ROOT_CONTEXT, this.#root);
        break;
      case 'turn.caller':
        this.#closeTurn();
        this.#turn = { seq: e.turn.seq, startMs: atMs, lastMs: atMs, attributes: { 'parley.turn.seq': e.turn.seq, ...this.#text('parley.caller.text', e.turn.text) }, models: [], tools: [], events: [], failed: false };
        break;
      case 'knowledge.hits':
        if (this.#turn?.seq === e.seq) {
          const d = e.decision;
          this.#turn.knowledge = {
            endMs: atMs,
            attributes: { 'parley.knowledge.hits': e.hits.length, 'parley.knowledge.grounding': e.grounding, ...(d ? { 'parley.knowledge.declined': d.declined, 'parley.knowledge.reason': d.reason, 'parley.knowledge.coverage': d.coverage, 'parley.knowledge.search_ms': d.searchMs, ...(d.embedMs !== undefined ? { 'parley.knowledge.embed_ms': d.embedMs } : {}), ...(d.similarity !== undefined ? { 'parley.knowledge.similarity': d.similarity } : {}) } : {}) },
          };
        }
        break;
      case 'model.call':
        if (this.#isCurrent(e.seq)) this.#turn!.models.push({ at: e.at, call: e.call }), this.#touch(atMs);
        break;
      case 'tool.call':
        if (this.#isCurrent(e.call.turnSeq)) this.#turn!.tools.push(e.call), this.#touch(atMs);
        break;
      case 'turn.agent':
        if (this.#isCurrent(e.turn.seq)) {
          const t = this.#turn!;
          Object.assign(t.attributes, { 'parley.turn.grounding': e.turn.grounding ?? 'none', 'parley.turn.interrupted': e.turn.interrupted, ...(e.turn.latency?.llmFirstTokenMs != null ? { 'parley.llm.first_token_ms': e.turn.latency.llmFirstTokenMs } : {}), ...this.#text('parley.agent.text', e.turn.text) });
          this.#touch(atMs);
          if (!this.#voice) this.#closeTurn();
        }
        break;
      case 'turn.heard':
        if (this.#isCurrent(e.seq)) Object.assign(this.#turn!.attributes, { 'parley.turn.interrupted': true, ...this.#text('parley.agent.heard_text', e.heardText) });
        break;
      case 'turn.latency':
        if (this.#isCurrent(e.seq)) {
          this.#turn!.latency = { at: atMs, latency: e.latency };
          this.#touch(atMs);
          this.#closeTurn();
        }
        break;
      case 'lead.saved':
        this.#event('parley.lead.saved', atMs, { 'parley.lead.fields': Object.keys(e.fields).join(',') });
        break;
      case 'booking.made':
        this.#event('parley.booking.made', atMs, {});
        break;
      case 'error':
        if (this.#turn) this.#turn.failed ||= e.where.startsWith('llm');
        this.#event('exception', atMs, { 'exception.message': e.message, 'parley.where': e.where });
        break;
      case 'recording.saved':
        break;
      case 'conversation.ended':
        this.#closeTurn();
        this.#root?.setAttributes({ 'parley.outcome': e.reason, ...(e.durationSec !== undefined ? { 'parley.duration_sec': e.durationSec } : {}), ...(e.cost ? { 'parley.cost_usd': e.cost.usd } : {}) });
        this.#root?.end(atMs);
        this.#root = undefined;
        break;
    }
  }

  /** The turn in flight, if `agentSeq` is its agent turn (the caller's seq + 1) or the caller turn itself. */
  #isCurrent(seq: number): boolean {
    return this.#turn !== undefined && (seq === this.#turn.seq || seq === this.#turn.seq + 1);
  }

  #touch(atMs: number): void {
    if (this.#turn && atMs > this.#turn.lastMs) this.#turn.lastMs = atMs;
  }

  #text(key: string, text: string): Attributes {
    return this.#content ? { [key]: text } : {};
  }

  #event(name: string, atMs: number, attributes: Attributes): void {
    if (this.#turn) this.#turn.events.push({ name, atMs, attributes });
    else this.#root?.addEvent(name, attributes, atMs);
  }

  /** Makes the turn's spans, now that everything about it is known. */
  #closeTurn(): void {
    const t = this.#turn;
    this.#turn = undefined;
    if (!t || !this.#root) return;
    const lat = t.latency?.latency;
    // Voice: the turn starts when the caller stopped speaking, before it was committed.
    const speechEnd = lat?.endpointingMs != null ? t.startMs - lat.endpointingMs : t.startMs;
    const turn = this.#tracer.startSpan('turn', { startTime: speechEnd, attributes: { ...this.#common, ...t.attributes, ...(lat?.voiceToVoiceMs != null ? { 'parley.voice_to_voice_ms': lat.voiceToVoiceMs } : {}) } }, this.#rootContext);
    const ctx = trace.setSpan(this.#rootContext, turn);
    const child = (name: string, start: number, end: number, attributes: Attributes, error?: string, kind = SpanKind.INTERNAL) => {
      const s = this.#tracer.startSpan(name, { kind, startTime: start, attributes }, ctx);
      if (error) s.setStatus({ code: SpanStatusCode.ERROR, message: error });
      s.end(Math.max(start, end));
    };
    if (lat?.sttFinalMs != null) child('stt', speechEnd, speechEnd + Math.max(0, lat.sttFinalMs), { 'parley.stt.final_ms': lat.sttFinalMs, 'parley.endpointing_ms': lat.endpointingMs ?? 0 });
    if (t.knowledge) child('knowledge.search', t.startMs, t.knowledge.endMs, t.knowledge.attributes);
    const toolStarts = t.tools.map((c) => Date.parse(c.startedAt));
    for (const { at, call } of t.models) {
      const [system, ...rest] = call.model.split(':');
      const model = rest.join(':') || call.model;
      const start = Date.parse(call.startedAt);
      // A call that asked for tools was over when they started: the SDK runs a tool before its call
      // reaches Parley's end of the stream, which on a busy process can be a few milliseconds later.
      const toolAfter = call.finishReason === 'tool-calls' ? Math.min(...toolStarts.filter((ts) => ts >= start)) : Infinity;
      child(`chat ${model}`, start, Math.min(Date.parse(at), toolAfter), {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': system!,
        'gen_ai.provider.name': system!,
        'gen_ai.request.model': model,
        ...(call.inputTokens !== null ? { 'gen_ai.usage.input_tokens': call.inputTokens } : {}),
        ...(call.outputTokens !== null ? { 'gen_ai.usage.output_tokens': call.outputTokens } : {}),
        ...(call.finishReason ? { 'gen_ai.response.finish_reasons': [call.finishReason] } : {}),
        ...(call.firstTokenMs !== null ? { 'parley.llm.first_token_ms': call.firstTokenMs } : {}),
      }, call.error, SpanKind.CLIENT);
    }
    for (const c of t.tools) {
      const start = Date.parse(c.startedAt);
      child(`execute_tool ${c.name}`, start, start + (c.durationMs ?? 0), {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': c.name,
        'gen_ai.tool.call.id': c.id,
        ...(this.#content ? { 'parley.tool.input': json(c.input), 'parley.tool.result': json(c.result) } : {}),
      }, c.error ?? undefined);
    }
    if (lat?.ttsFirstAudioMs != null && lat.llmFirstTokenMs != null) {
      const start = t.startMs + lat.llmFirstTokenMs;
      child('tts', start, Math.max(start + lat.ttsFirstAudioMs, t.latency!.at), { 'parley.tts.first_audio_ms': lat.ttsFirstAudioMs });
    }
    for (const ev of t.events) turn.addEvent(ev.name, ev.attributes, ev.atMs);
    if (t.failed) turn.setStatus({ code: SpanStatusCode.ERROR, message: 'the model failed; the agent apologised' });
    turn.end(Math.max(speechEnd, t.lastMs));
  }
}

function json(v: unknown): string {
  const text = JSON.stringify(v) ?? '';
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}
