// A scripted, protocol-faithful OpenAI-compatible server for tests: each
// chat-completions request consumes the next scripted step, so a test reads
// like the conversation it expects.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { argumentsJson, sseEvent, streamChunks } from './openai-sse.ts';
import type { ResponseMeta, Usage } from './openai-sse.ts';
import { errorText } from '../util/error-text.ts';

/** A chat message as the client sent it on the wire. */
export type ChatMessage = {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content?: string | Array<{ type: string; text?: string; [key: string]: unknown }> | null;
  name?: string;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
};

/** A function tool as declared in the request's `tools`. */
export type ChatTool = {
  type: 'function';
  function: { name: string; description?: string; parameters?: unknown; strict?: boolean };
};

/** The parsed JSON body of a POST /v1/chat/completions request. */
export type ChatRequest = {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  tools?: ChatTool[];
  tool_choice?: unknown;
  [key: string]: unknown;
};

/** A tool call the fake model emits; `args` is JSON-encoded unless already a string. */
export type FakeToolCall = { name: string; args: unknown; id?: string };

/** What the fake model answers for one request. */
export type FakeReply = {
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Wait before sending the first byte. */
  delayMs?: number;
  /** Wait between streamed chunks. */
  tokenDelayMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error body instead. */
  error?: { status: number; message: string; type?: string; code?: string };
};

/** A scripted turn: a fixed reply, or a function deciding the reply from the request (`signal` aborts when the client goes away). */
export type FakeStep = FakeReply | ((request: ChatRequest, signal: AbortSignal) => FakeReply | Promise<FakeReply>);

/** Options for startFakeOpenAI. */
export type FakeOpenAIOptions = {
  /** Steps queued from the start (same as calling push). */
  steps?: FakeStep[];
  /** Default tokenDelayMs for steps that don't set one. */
  tokenDelayMs?: number;
};

/** A running fake server. */
export type FakeOpenAI = {
  /** Base URL ending in `/v1`, for `baseURL` options. */
  url: string;
  /** Parsed bodies of every chat-completions request, in arrival order. */
  requests: ChatRequest[];
  /** Appends scripted steps to the queue. */
  push(...steps: FakeStep[]): void;
  /** Number of steps not consumed yet. */
  pending(): number;
  /** Stops the server, cutting any in-flight responses. */
  close(): Promise<void>;
};

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const queue: FakeStep[] = [...(options.steps ?? [])];
  const requests: ChatRequest[] = [];
  const models = new Set<string>();
  const inFlight = new Set<AbortController>();
  let seq = 0;

  async function chatCompletions(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    let request: ChatRequest;
    try {
      request = JSON.parse(await readBody(req)) as ChatRequest;
    } catch {
      return sendError(res, 400, 'fake-openai: request body is not valid JSON', 'invalid_request_error');
    }
    requests.push(request);
    const model = typeof request.model === 'string' ? request.model : 'fake-model';
    models.add(model);

    const step = queue.shift();
    if (step === undefined) return sendError(res, 500, 'fake-openai: no scripted step left for this request');
    let reply: FakeReply;
    try {
      reply = typeof step === 'function' ? await step(request, signal) : step;
    } catch (err) {
      return sendError(res, 500, `fake-openai: step function threw: ${errorText(err)}`);
    }

    if (reply.delayMs && !(await wait(reply.delayMs, signal))) return;
    if (reply.error) return sendError(res, reply.error.status, reply.error.message, reply.error.type, reply.error.code);

    seq += 1;
    const meta: ResponseMeta = { id: `chatcmpl-fake${seq}`, created: Math.floor(Date.now() / 1000), model };
    const toolCallIds = (reply.toolCalls ?? []).map((call, i) => call.id ?? `call_fake${seq}_${i}`);
    const usage = countUsage(request, reply);

    if (request.stream !== true) return sendJson(res, 200, completion(reply, meta, toolCallIds, usage));

    const chunks = streamChunks(reply, meta, toolCallIds, request.stream_options?.include_usage ? usage : undefined);
    const tokenDelayMs = reply.tokenDelayMs ?? options.tokenDelayMs ?? 0;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0 && tokenDelayMs > 0 && !(await wait(tokenDelayMs, signal))) return;
      if (signal.aborted) return; // client went away: stop writing
      res.write(sseEvent(chunk));
    }
    res.end(sseEvent('[DONE]'));
  }

  const server = createServer((req, res) => {
    const controller = new AbortController();
    inFlight.add(controller);
    // 'close' fires on normal completion too; aborting then is harmless.
    res.on('close', () => {
      controller.abort();
      inFlight.delete(controller);
    });
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    let handled: Promise<void>;
    if (req.method === 'POST' && path === '/v1/chat/completions') handled = chatCompletions(req, res, controller.signal);
    else if (req.method === 'GET' && path === '/v1/models') handled = Promise.resolve(sendModels(res, models));
    else handled = Promise.resolve(sendError(res, 404, `fake-openai: no route for ${req.method} ${req.url}`, 'invalid_request_error'));
    handled.catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fake-openai: ${String(err)}`);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    push: (...steps) => void queue.push(...steps),
    pending: () => queue.length,
    close: async () => {
      for (const controller of inFlight) controller.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      await closed;
    },
  };
}

/** The non-streaming `chat.completion` body. */
function completion(reply: FakeReply, meta: ResponseMeta, toolCallIds: string[], usage: Usage): object {
  const toolCalls = (reply.toolCalls ?? []).map((call, i) => ({
    id: toolCallIds[i],
    type: 'function',
    function: { name: call.name, arguments: argumentsJson(call.args) },
  }));
  const message = {
    role: 'assistant',
    // OpenAI sends null content for a pure tool-call turn.
    content: reply.text ?? (toolCalls.length ? null : ''),
    refusal: null,
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
  };
  const finishReason = toolCalls.length ? 'tool_calls' : 'stop';
  return {
    ...meta,
    object: 'chat.completion',
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}

/** Rough counts (~4 chars a token): enough for code that sums usage. */
function countUsage(request: ChatRequest, reply: FakeReply): Usage {
  const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));
  const prompt = tokens(JSON.stringify(request.messages ?? []));
  const output = (reply.text ?? '') + (reply.toolCalls ?? []).map((c) => c.name + argumentsJson(c.args)).join('');
  const completionTokens = tokens(output);
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens };
}

function sendModels(res: ServerResponse, seen: Set<string>): void {
  const ids = seen.size ? [...seen] : ['fake-model'];
  const data = ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake-openai' }));
  sendJson(res, 200, { object: 'list', data });
}

function sendError(res: ServerResponse, status: number, message: string, type?: string, code?: string): void {
  const errorType = type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  sendJson(res, status, { error: { message, type: errorType, param: null, code: code ?? null } });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** Sleeps; resolves false instead of throwing when the client disconnects first. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
