// A language model that runs in the process and plays scripted replies with scripted timing:
// first-token delay, words at a pace, tool calls, failures before or during the reply, or no
// answer at all. It speaks the AI SDK's model interface, so the real streamText, tool loop and
// fallbacks run against it. Timers come from the global setTimeout, so under a virtual clock
// (the session simulator) its delays are virtual too.
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';

/** One model call's scripted behaviour. */
export interface ScriptedReply {
  /** Milliseconds before the first part; Infinity: the model never answers (until aborted). */
  firstPartMs?: number;
  text?: string;
  /** Milliseconds between words of `text`. */
  wordMs?: number;
  toolCalls?: { name: string; args: Record<string, unknown> }[];
  /** Fail before anything is sent, or after the first half of the words. */
  fail?: 'before' | 'during';
}

/** Plays `replies` in order (or asks `next` for each call); an empty script answers "OK.". */
export class ScriptedModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'scripted';
  readonly modelId: string;
  readonly supportedUrls = {};
  /** The options of every call, in order (prompt, tools…), for assertions. */
  readonly calls: LanguageModelV4CallOptions[] = [];
  #next: (call: number, options: LanguageModelV4CallOptions) => ScriptedReply;

  constructor(replies: ScriptedReply[] | ((call: number, options: LanguageModelV4CallOptions) => ScriptedReply), o: { modelId?: string } = {}) {
    this.modelId = o.modelId ?? 'scripted';
    this.#next = Array.isArray(replies) ? (n) => replies[n] ?? { text: 'OK.' } : replies;
  }

  async doGenerate(): Promise<never> {
    throw new Error('ScriptedModel streams only');
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<{ stream: ReadableStream<LanguageModelV4StreamPart> }> {
    const reply = this.#next(this.calls.length, options);
    this.calls.push(options);
    const signal = options.abortSignal;
    const parts = partsOf(reply, this.calls.length);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopWaiting = () => {};
    const wait = (ms: number) =>
      new Promise<boolean>((resolve) => {
        if (signal?.aborted) return resolve(false);
        if (ms === Infinity) {
          stopWaiting = () => resolve(false);
          return;
        }
        timer = setTimeout(() => resolve(true), ms);
        stopWaiting = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
    const onAbort = () => stopWaiting();
    signal?.addEventListener('abort', onAbort, { once: true });
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      async start(controller) {
        try {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          if (!(await wait(reply.firstPartMs ?? 0))) return controller.error(signal?.reason ?? new Error('aborted'));
          if (reply.fail === 'before') return controller.error(new Error('scripted model failure (503 Service Unavailable)'));
          for (const p of parts) {
            if (p.waitMs && !(await wait(p.waitMs))) return controller.error(signal?.reason ?? new Error('aborted'));
            if (p.part === 'fail') return controller.error(new Error('scripted model failure mid-reply'));
            controller.enqueue(p.part);
          }
          controller.close();
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      },
      cancel() {
        stopWaiting();
      },
    });
    return { stream };
  }
}

function partsOf(r: ScriptedReply, call: number): { part: LanguageModelV4StreamPart | 'fail'; waitMs: number }[] {
  const out: { part: LanguageModelV4StreamPart | 'fail'; waitMs: number }[] = [];
  const words = r.text ? r.text.split(/(?<= )/) : [];
  if (words.length) out.push({ part: { type: 'text-start', id: 't' }, waitMs: 0 });
  words.forEach((w, i) => {
    if (r.fail === 'during' && i === Math.floor(words.length / 2)) out.push({ part: 'fail', waitMs: 0 });
    out.push({ part: { type: 'text-delta', id: 't', delta: w }, waitMs: i ? (r.wordMs ?? 0) : 0 });
  });
  if (words.length) out.push({ part: { type: 'text-end', id: 't' }, waitMs: 0 });
  (r.toolCalls ?? []).forEach((c, i) => out.push({ part: { type: 'tool-call', toolCallId: `call-${call}-${i}`, toolName: c.name, input: JSON.stringify(c.args) }, waitMs: 0 }));
  const tokens = Math.ceil((r.text?.length ?? 0) / 4) + 1;
  out.push({
    part: {
      type: 'finish',
      finishReason: { unified: r.toolCalls?.length ? 'tool-calls' : 'stop', raw: undefined },
      usage: { inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: tokens, text: tokens, reasoning: 0 } },
    },
    waitMs: 0,
  });
  return out;
}
