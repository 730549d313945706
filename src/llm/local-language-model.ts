import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Prompt, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { LocalMessage, LocalRuntime, LocalTool, LocalToolCall } from './local-runtime.ts';

// The AI SDK's model interface over a model running in this process, so the tool loop,
// fallbacks, records and rules are the same as for a provider's model.

/** `local:<name>` as an AI SDK LanguageModel; the runtime does the generating. */
export class LocalLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'local';
  readonly modelId: string;
  readonly supportedUrls = {};
  readonly #runtime: LocalRuntime;

  constructor(runtime: LocalRuntime, modelId = runtime.modelId) {
    this.#runtime = runtime;
    this.modelId = modelId;
  }

  async doGenerate(): Promise<never> {
    throw new Error('the local model streams only');
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<{ stream: ReadableStream<LanguageModelV4StreamPart> }> {
    const ac = new AbortController();
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, ac.signal]) : ac.signal;
    const tools: LocalTool[] = (options.tools ?? []).flatMap((t) => (t.type === 'function' ? [{ name: t.name, description: t.description, parameters: t.inputSchema as Record<string, unknown> }] : []));
    const events = this.#runtime.generate({ messages: localMessages(options.prompt), tools, temperature: options.temperature, maxTokens: options.maxOutputTokens, signal });
    let calls = 0;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      async start(controller) {
        controller.enqueue({ type: 'stream-start', warnings: [] });
        let textOpen = false;
        try {
          for await (const e of events) {
            if (e.type === 'text') {
              if (!textOpen) controller.enqueue({ type: 'text-start', id: 't' });
              textOpen = true;
              controller.enqueue({ type: 'text-delta', id: 't', delta: e.text });
            } else if (e.type === 'tool-call') {
              controller.enqueue({ type: 'tool-call', toolCallId: `local-${Date.now().toString(36)}-${calls++}`, toolName: e.name, input: JSON.stringify(e.args ?? {}) });
            } else {
              if (textOpen) controller.enqueue({ type: 'text-end', id: 't' });
              textOpen = false;
              controller.enqueue({
                type: 'finish',
                finishReason: { unified: calls > 0 ? 'tool-calls' : e.stop, raw: e.stop },
                usage: { inputTokens: { total: e.inputTokens, noCache: e.inputTokens, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: e.outputTokens, text: e.outputTokens, reasoning: 0 } },
              });
            }
          }
          controller.close();
        } catch (err) {
          controller.error(signal.aborted ? (options.abortSignal?.reason ?? err) : err);
        }
      },
      cancel() {
        ac.abort(new DOMException('the stream was cancelled', 'AbortError'));
      },
    });
    return { stream };
  }
}

/** The AI SDK prompt as chat messages; tool results join the call they answer. */
export function localMessages(prompt: LanguageModelV4Prompt): LocalMessage[] {
  const out: LocalMessage[] = [];
  const byId = new Map<string, LocalToolCall>();
  for (const m of prompt) {
    if (m.role === 'system') out.push({ role: 'system', text: m.content });
    else if (m.role === 'user') out.push({ role: 'user', text: m.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('') });
    else if (m.role === 'assistant') {
      const msg: LocalMessage = { role: 'assistant', text: '', toolCalls: [] };
      for (const p of m.content) {
        if (p.type === 'text') msg.text += p.text;
        else if (p.type === 'tool-call') {
          const call: LocalToolCall = { name: p.toolName, args: typeof p.input === 'string' ? safeJson(p.input) : p.input };
          msg.toolCalls.push(call);
          byId.set(p.toolCallId, call);
        }
      }
      out.push(msg);
    } else if (m.role === 'tool') {
      for (const p of m.content) {
        if (p.type !== 'tool-result') continue;
        const call = byId.get(p.toolCallId);
        if (call) call.result = outputValue(p.output);
      }
    }
  }
  return out;
}

function outputValue(o: { type: string; value?: unknown; reason?: string }): unknown {
  if (o.type === 'execution-denied') return { error: o.reason ?? 'denied' };
  return o.value;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
