import type { ChatHistoryItem, ChatModelFunctions, GbnfJsonSchema, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { AsyncQueue } from '../util/async-queue.ts';
import type { LocalEvent, LocalGeneration, LocalMessage, LocalRuntime } from './local-runtime.ts';

// node-llama-cpp behind the LocalRuntime interface. A model file is loaded once per process and
// shared by every session; a context with a few sequences bounds how many generate at once
// (the rest wait their turn). Imported only when a local model is used: the native module is
// large and `parley check` should not pay for it.

/** How a model is opened: context size and how many conversations may generate at the same time. */
export interface LlamaOptions {
  contextSize?: number;
  sequences?: number;
  /** CPU threads; node-llama-cpp's default (all cores) when unset. */
  threads?: number;
}

const open = new Map<string, Promise<LlamaRuntime>>();

/** The runtime for a GGUF file, loading it on the first call and sharing it afterwards. */
export function openLlamaRuntime(file: string, modelId: string, o: LlamaOptions = {}): Promise<LlamaRuntime> {
  let r = open.get(file);
  if (!r) {
    r = LlamaRuntime.load(file, modelId, o);
    r.catch(() => open.delete(file)); // a failed load may succeed later (file fixed, memory freed)
    open.set(file, r);
  }
  return r;
}

/** Unloads every model this process opened (tests, shutdown). */
export async function closeLlamaRuntimes(): Promise<void> {
  const all = [...open.values()];
  open.clear();
  await Promise.all(all.map(async (r) => (await r.catch(() => undefined))?.dispose()));
}

/** A loaded GGUF model with a pool of sequences. */
export class LlamaRuntime implements LocalRuntime {
  readonly modelId: string;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #free: LlamaContextSequence[] = [];
  readonly #waiting: ((s: LlamaContextSequence) => void)[] = [];
  readonly #chat: typeof import('node-llama-cpp').LlamaChat;

  private constructor(modelId: string, model: LlamaModel, context: LlamaContext, chat: typeof import('node-llama-cpp').LlamaChat, sequences: number) {
    this.modelId = modelId;
    this.#model = model;
    this.#context = context;
    this.#chat = chat;
    for (let i = 0; i < sequences; i++) this.#free.push(context.getSequence());
  }

  static async load(file: string, modelId: string, o: LlamaOptions): Promise<LlamaRuntime> {
    const { getLlama, LlamaChat, LlamaLogLevel } = await import('node-llama-cpp');
    // CPU only unless asked: the default install carries no GPU builds, and probing for them is slow.
    const llama = await getLlama({ gpu: process.env.PARLEY_LOCAL_GPU === 'auto' ? 'auto' : false, logLevel: LlamaLogLevel.error, build: 'never' });
    const model = await llama.loadModel({ modelPath: file });
    const sequences = o.sequences ?? 2;
    const context = await model.createContext({ sequences, contextSize: { max: o.contextSize ?? 8192 }, ...(o.threads ? { threads: o.threads } : {}) });
    return new LlamaRuntime(modelId, model, context, LlamaChat, sequences);
  }

  generate(request: LocalGeneration): AsyncIterable<LocalEvent> {
    const queue = new AsyncQueue<LocalEvent>();
    this.#run(request, queue).then(
      () => queue.end(),
      (e) => queue.fail(e),
    );
    return queue;
  }

  async #run(request: LocalGeneration, queue: AsyncQueue<LocalEvent>): Promise<void> {
    const sequence = await this.#acquire(request.signal);
    const chat = new this.#chat({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      const before = sequence.tokenMeter.getState();
      const functions = Object.fromEntries(request.tools.map((t) => [t.name, { description: t.description, params: gbnfSchema(t.parameters) }])) as ChatModelFunctions;
      const r = await chat.generateResponse(history(request.messages), {
        ...(request.tools.length ? { functions } : {}),
        signal: request.signal,
        temperature: request.temperature,
        maxTokens: request.maxTokens,
        onTextChunk: (text: string) => {
          if (text) queue.push({ type: 'text', text });
        },
      });
      const calls = r.functionCalls ?? [];
      for (const c of calls) queue.push({ type: 'tool-call', name: c.functionName, args: c.params ?? {} });
      const used = sequence.tokenMeter.diff(before);
      queue.push({ type: 'done', inputTokens: used.usedInputTokens, outputTokens: used.usedOutputTokens, stop: calls.length ? 'tool-calls' : r.metadata.stopReason === 'maxTokens' ? 'length' : 'stop' });
    } finally {
      chat.dispose({ disposeSequence: false });
      this.#release(sequence);
    }
  }

  #acquire(signal: AbortSignal): Promise<LlamaContextSequence> {
    const free = this.#free.pop();
    if (free) return Promise.resolve(free);
    return new Promise((resolve, reject) => {
      const take = (s: LlamaContextSequence) => {
        signal.removeEventListener('abort', onAbort);
        resolve(s);
      };
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(take), 1);
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(take);
    });
  }

  #release(sequence: LlamaContextSequence): void {
    const next = this.#waiting.shift();
    if (next) next(sequence);
    else this.#free.push(sequence);
  }

  async dispose(): Promise<void> {
    await this.#context.dispose();
    await this.#model.dispose();
  }
}

/** Parley's messages as node-llama-cpp's chat history (a tool's result sits on its call). */
function history(messages: LocalMessage[]): ChatHistoryItem[] {
  return messages.map((m): ChatHistoryItem => {
    if (m.role !== 'assistant') return m.role === 'system' ? { type: 'system', text: m.text } : { type: 'user', text: m.text };
    return {
      type: 'model',
      response: [...(m.text ? [m.text] : []), ...m.toolCalls.map((c) => ({ type: 'functionCall' as const, name: c.name, params: c.args, result: c.result ?? null }))],
    };
  });
}

/** A tool's JSON Schema in the subset llama.cpp's grammar takes: keywords it does not know are left out. */
export function gbnfSchema(schema: unknown): GbnfJsonSchema {
  if (Array.isArray(schema)) return schema.map(gbnfSchema) as never;
  if (!schema || typeof schema !== 'object') return schema as never;
  const keep = ['type', 'properties', 'required', 'items', 'enum', 'const', 'description', 'oneOf', 'additionalProperties', 'minItems', 'maxItems', 'minLength', 'maxLength', 'format', 'prefixItems'];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'anyOf') out.oneOf = gbnfSchema(v);
    else if (k === 'properties' && v && typeof v === 'object') out.properties = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, gbnfSchema(s)]));
    else if (keep.includes(k)) out[k] = typeof v === 'object' && k !== 'required' && k !== 'enum' ? gbnfSchema(v) : v;
  }
  return out as GbnfJsonSchema;
}
