import type { LanguageModel, ModelMessage } from 'ai';
import { Temporal } from 'temporal-polyfill';
import type { Agent } from '../agent/load.ts';
import type { SecretMask } from '../agent/secret-mask.ts';
import { buildSystemPrompt, groundedCallerMessage } from '../llm/prompt.ts';
import type { EndReason } from '../store/record-types.ts';
import type { KnowledgeMatch, ToolContext } from '../tools/context.ts';
import { agentTools, mcpTools } from '../tools/registry.ts';
import { rejectedToolCall } from '../tools/rejected.ts';
import type { AgentOutput } from './conversation.ts';
import { roundMs, type ConversationEvent } from './events.ts';
import { DisclosureGuard } from './disclosure.ts';
import type { FixedLines } from './fixed-lines.ts';
import { historyWindow } from './history-window.ts';
import { modelTurn } from './model-turn.ts';
import { NotInDocumentsFilter } from './not-in-documents.ts';
import { SPEND_LIMIT_LINE, type Spend, type SpendLimit } from './spend.ts';
import type { Usage } from './usage.ts';
import { errorText } from '../util/error-text.ts';

// The agent turns a conversation leaves to its model (no cap reached, no guarded topic, not
// declined by the grounding gate). modelTurn streams the model's words and tool rounds; this
// is the conversation's side of it: the prompt with the turn's documents, the tools, what the
// caller may hear (the disclosure guard, strict knowledge's not-in-documents marker), the caps
// between tool rounds, and what goes into history.

/** What a conversation lends its model replies: the parts that outlive a turn, and where its events go. */
export interface ModelRepliesOptions {
  agent: Agent;
  /** Models to try in order: the agent's model, then its fallbacks. */
  models: LanguageModel[];
  /** The conversation's history: read for the model's window, appended with the turn. */
  history: ModelMessage[];
  lines: FixedLines;
  secrets: SecretMask;
  usage: Usage;
  spend: Spend;
  clock: () => Date;
  emit(event: ConversationEvent): void;
  noteError(where: string, error: unknown): void;
  /** Why the conversation ends once the turn in flight is recorded, as known so far. */
  endAfterTurn(): EndReason | null;
}

/** One caller turn the model answers. */
export interface ModelReplyTurn {
  heard: string;
  hits: KnowledgeMatch[];
  /** The caller's words that no document holds: a hint the answer is not there (strict knowledge). */
  absent: string[];
  agentSeq: number;
  /** The tools' view of the conversation for this turn. */
  tools: ToolContext;
  signal: AbortSignal;
  firstTool?: string;
}

/** How a model reply ended, for the conversation to record. */
export interface ModelReplyOutcome {
  /** The reply model answered with the not-in-documents marker. */
  declined: boolean;
  /** A cap reached between tool rounds: the conversation ends once the turn is recorded. */
  stoppedBy: SpendLimit | null;
}

/** A conversation's model-written agent turns, one after another. */
export class ModelReplies {
  #o: ModelRepliesOptions;
  /** Lives as long as the conversation: a secret split across turns is still caught. */
  #guard: DisclosureGuard;
  /** MCP problems already recorded: a server that stays down is noted once, not every turn. */
  #mcpProblems = new Set<string>();

  constructor(o: ModelRepliesOptions) {
    this.#o = o;
    this.#guard = new DisclosureGuard(o.agent.prompt, o.secrets.values);
  }

  /** Yields the agent's words as they are written, and its tool calls; returns how the reply ended. */
  async *run({ heard, hits, absent, agentSeq, tools, signal, firstTool }: ModelReplyTurn): AsyncGenerator<AgentOutput, ModelReplyOutcome> {
    const { agent, history, lines, secrets, usage, spend } = this.#o;
    const { config } = agent;
    const now = () => this.#o.clock().toISOString();
    const scrub = (text: string) => secrets.text(text);
    const outcome: ModelReplyOutcome = { declined: false, stoppedBy: null };
    if (signal.aborted) {
      // Cancelled while its documents were searched (the caller hung up): the model is not asked.
      history.push({ role: 'user', content: heard });
      return outcome;
    }
    // The model stream stops if the guard trips, whoever else cancels the turn.
    const cut = new AbortController();
    const stop = () => cut.abort();
    signal.addEventListener('abort', stop, { once: true });
    const guard = this.#guard;
    guard.nextTurn();
    let said = '';
    const instructions = buildSystemPrompt(agent, Temporal.Instant.fromEpochMilliseconds(this.#o.clock().getTime()));
    // The documents ride with this turn only; history keeps the caller's plain words.
    const current: ModelMessage = { role: 'user', content: groundedCallerMessage(heard, hits, config.knowledge.strict, absent) };
    let stoppedBy: SpendLimit | null = null;
    const mcp = await mcpTools(tools, cut.signal);
    for (const p of cut.signal.aborted ? [] : mcp.problems) {
      const key = `${p.server}\n${p.message}`;
      if (!this.#mcpProblems.has(key)) this.#o.emit({ type: 'error', at: now(), where: `mcp:${p.server}`, message: scrub(p.message) });
      this.#mcpProblems.add(key);
    }
    const turn = modelTurn({
      models: this.#o.models,
      instructions,
      messages: [...historyWindow(history, { instructions, turn: current, maxInputTokens: config.brain.maxInputTokens }), current],
      tools: agentTools(tools, mcp.specs),
      temperature: config.brain.temperature,
      maxToolRounds: config.brain.maxToolRounds,
      responseTimeoutMs: config.brain.responseTimeoutMs,
      firstTool,
      signal: cut.signal,
      onUsage: (model, input, output) => {
        usage.addTokens(model, input, output);
        spend.accrued();
      },
      // Between tool rounds too: a cap reached mid-turn stops the next model call. After a
      // transfer that connected the caller is with a person and the agent has left the call:
      // there is nobody to say another word to, so the model is not asked again.
      mayContinue: async () => this.#o.endAfterTurn() !== 'transferred' && (stoppedBy = await spend.reached()) === null,
      onToolRejected: (call) => this.#o.emit(rejectedToolCall(call, agentSeq, now(), secrets)),
      onModelCall: (call) => {
        const ended = this.#o.clock().getTime() - call.endedMsAgo;
        this.#o.emit({
          type: 'model.call',
          at: new Date(ended).toISOString(),
          seq: agentSeq,
          call: { model: call.model, startedAt: new Date(ended - call.durationMs).toISOString(), durationMs: roundMs(call.durationMs)!, firstTokenMs: roundMs(call.firstTokenMs), inputTokens: call.inputTokens ?? null, outputTokens: call.outputTokens ?? null, finishReason: call.finishReason, ...(call.error ? { error: scrub(call.error) } : {}) },
        });
      },
      onModelError: (model, e) => this.#o.emit({ type: 'error', at: now(), where: `llm:${model}`, message: scrub(errorText(e)) }),
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
      await turn.return(undefined as never).catch((e: unknown) => this.#o.noteError('llm', e));
      outcome.declined = true;
      const line = config.knowledge.unknownAnswer;
      yield { type: 'text', text: (said ? ' ' : '') + line };
      history.push({ role: 'user', content: heard }, { role: 'assistant', content: `${said} ${line}`.trim() });
      return outcome;
    }
    if (tripped) {
      cut.abort();
      await turn.return(undefined as never).catch((e: unknown) => this.#o.noteError('llm', e));
      this.#o.emit({ type: 'error', at: now(), where: 'guard:disclosure', message: `the agent began to recite its ${tripped === 'secret' ? 'secrets' : 'instructions'}; the turn was cut and it declined` });
      yield { type: 'text', text: (said ? ' ' : '') + lines.cannotShareSetup };
      history.push({ role: 'user', content: heard }, { role: 'assistant', content: `${said} ${lines.cannotShareSetup}`.trim() });
      return outcome;
    }
    const result = step.value as Exclude<typeof step.value, AgentOutput>;
    history.push({ role: 'user', content: heard }, ...result.messages);
    if (stoppedBy) {
      const line = lines[SPEND_LIMIT_LINE[stoppedBy]];
      yield { type: 'text', text: (result.spoke ? ' ' : '') + line };
      history.push({ role: 'assistant', content: line });
      outcome.stoppedBy = stoppedBy;
    } else if (result.failed) {
      yield { type: 'text', text: (result.spoke ? ' ' : '') + lines.troubleAnswering };
      history.push({ role: 'assistant', content: lines.troubleAnswering });
    }
    return outcome;
  }
}
