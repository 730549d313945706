// A protocol-faithful fake of OpenAI's embeddings endpoint (POST /v1/embeddings) for tests:
// deterministic vectors, so retrieval by meaning can be tested without a network or a model.
// A word's vector is a hashed direction; words a test declares to mean the same share one, which
// is how a test makes "ring" find a passage that says "phone". It records every request's inputs,
// so a test can see which chunk texts were (re-)embedded.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers. */
export interface FakeEmbeddingsOptions {
  /** Vector length when the request names no `dimensions` (default 64). */
  dimensions?: number;
  /** Groups of words that embed to the same direction, e.g. [['ring', 'phone', 'call']]. */
  meanings?: string[][];
  /** The API key the fake accepts (default: any non-empty bearer token). */
  apiKey?: string;
  /** Delay before answering, in milliseconds (to test timeouts). */
  delayMs?: number;
}

/** A running fake embeddings server. */
export interface FakeEmbeddings {
  /** Base URL ending in `/v1`, for `baseURL` options. */
  url: string;
  /** The `input` of every request, as arrays, in arrival order. */
  requests: { model: string; input: string[]; dimensions?: number }[];
  /** The next `n` requests fail with this HTTP status (429, 500 …). */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

const MAX_INPUTS = 2048; // OpenAI's documented limit per request

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeEmbeddings(o: FakeEmbeddingsOptions = {}): Promise<FakeEmbeddings> {
  const requests: FakeEmbeddings['requests'] = [];
  const meaning = new Map<string, string>();
  for (const group of o.meanings ?? []) for (const w of group) meaning.set(w.toLowerCase(), group[0].toLowerCase());
  let failures: { n: number; status: number } = { n: 0, status: 500 };

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => sendError(res, 500, String(e), 'server_error'));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/embeddings') return sendError(res, 404, `no route for ${req.method} ${req.url}`, 'invalid_request_error');
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!token || (o.apiKey !== undefined && token !== o.apiKey)) return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    let body: { model?: unknown; input?: unknown; dimensions?: unknown; encoding_format?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (typeof body.model !== 'string') return sendError(res, 400, "you must provide a model parameter", 'invalid_request_error');
    if (!Array.isArray(input) || !input.length || input.some((x) => typeof x !== 'string' || !x)) return sendError(res, 400, "'input' must be a non-empty string or array of non-empty strings", 'invalid_request_error');
    if (input.length > MAX_INPUTS) return sendError(res, 400, `'input' must have at most ${MAX_INPUTS} items`, 'invalid_request_error');
    const dimensions = body.dimensions === undefined ? undefined : Number(body.dimensions);
    if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions > 0 && dimensions <= 3072)) return sendError(res, 400, "'dimensions' must be a positive integer", 'invalid_request_error');
    requests.push({ model: body.model, input: input as string[], ...(dimensions ? { dimensions } : {}) });
    if (failures.n > 0) {
      failures.n--;
      return sendError(res, failures.status, 'The server had an error while processing your request.', failures.status === 429 ? 'rate_limit_exceeded' : 'server_error');
    }
    if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
    if (res.destroyed) return;
    const size = dimensions ?? o.dimensions ?? 64;
    const base64 = body.encoding_format === 'base64';
    const data = (input as string[]).map((text, index) => {
      const v = vectorOf(text, size, meaning);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v };
    });
    const tokens = (input as string[]).reduce((n, t) => n + Math.ceil(t.length / 4), 0);
    sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (n, status = 500) => void (failures = { n, status }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sum of the words' hashed directions (a word's meaning group stands in for it), unit length. */
function vectorOf(text: string, size: number, meaning: Map<string, string>): number[] {
  const v = new Array<number>(size).fill(0);
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const word = meaning.get(raw) ?? meaning.get(raw.replace(/s$/, '')) ?? raw.replace(/(?:ing|ed|es|s)$/, '');
    const h = createHash('sha256').update(word).digest();
    for (let i = 0; i < 3; i++) v[h.readUInt16BE(i * 2) % size] += h[8 + i] & 1 ? 1 : -1;
  }
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
