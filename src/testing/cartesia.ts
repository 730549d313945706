// A protocol-faithful fake of Cartesia for tests:
// - WS /tts/websocket?api_key=…&cartesia_version=…: generation requests per `context_id`;
//   each transcript is spoken at once when `max_buffer_delay_ms` is 0 (otherwise held until
//   the context ends), `continue: false` finishes the context with `done`, `{ cancel: true }`
//   stops it. Audio is `chunk` messages with base64 raw PCM at the requested rate; mistakes
//   (unknown model, a field changed mid-context, bad output_format) get an `error` message.
// - GET /voices with `Authorization: Bearer` (or `X-API-Key`) and `Cartesia-Version`,
//   paginated `{ data, has_more, next_page }` with `limit` / `starting_after`.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** A voice the fake lists. */
export interface FakeCartesiaVoice {
  id: string;
  name: string;
  description: string;
  language: string;
  gender?: 'masculine' | 'feminine' | 'gender_neutral';
  is_owner: boolean;
  is_public: boolean;
  created_at: string;
}

/** One socket as the fake saw it. */
export interface FakeCartesiaConnection {
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Every message received, parsed. */
  received: Array<Record<string, unknown>>;
  /** Transcripts spoken, per context. */
  spoken: Record<string, string[]>;
  cancelled: string[];
  closed: boolean;
}

/** Options for startFakeCartesia. */
export interface FakeCartesiaOptions {
  apiKey: string;
  models?: string[];
  voices?: FakeCartesiaVoice[];
  /** Samples per transcript character at 24 kHz (scaled for other rates); default 1560 (65 ms, about speaking pace). */
  samplesPerChar?: number;
  /** Wait before each chunk, like generation time. */
  chunkDelayMs?: number;
}

/** A running fake Cartesia. */
export interface FakeCartesia {
  url: string;
  connections: FakeCartesiaConnection[];
  /** Requests to GET /voices: query and headers. */
  voiceRequests: Array<{ query: Record<string, string>; headers: IncomingHttpHeaders }>;
  /** Refuses the next HTTP request or handshake with this status. */
  refuseNext(status: number): void;
  /** Answers the next generation request with an `error` message of this status. */
  failNextGeneration(status: number, error: string): void;
  close(): Promise<void>;
}

/** Library voices and one of the account's own, as GET /voices lists them. */
export const FAKE_CARTESIA_VOICES: FakeCartesiaVoice[] = [
  { id: 'f786b574-daa5-4673-aa0c-cbe3e8534c02', name: 'Katie', description: 'Friendly fixer', language: 'en', gender: 'feminine', is_owner: false, is_public: true, created_at: '2025-01-01T00:00:00Z' },
  { id: 'a0e99841-438c-4a64-b679-ae501e7d6091', name: 'Barbershop Man', description: 'Conversational', language: 'en', gender: 'masculine', is_owner: false, is_public: true, created_at: '2024-06-01T00:00:00Z' },
  { id: '6ccbfb76-1fc6-48f7-b71d-91ac6298247b', name: 'Tessa', description: 'Kind and warm', language: 'en', gender: 'feminine', is_owner: true, is_public: false, created_at: '2025-03-01T00:00:00Z' },
];
const RATES = new Set([8000, 16000, 22050, 24000, 44100, 48000]);

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeCartesia(o: FakeCartesiaOptions): Promise<FakeCartesia> {
  const models = new Set(o.models ?? ['sonic-2', 'sonic-turbo', 'sonic-3', 'sonic-english', 'sonic-multilingual']);
  const voices = o.voices ?? FAKE_CARTESIA_VOICES;
  const connections: FakeCartesiaConnection[] = [];
  const voiceRequests: FakeCartesia['voiceRequests'] = [];
  const sockets = new Set<WebSocket>();
  let refuse: number | undefined;
  let failGeneration: { status: number; error: string } | undefined;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? req.headers['x-api-key'];
    const status = refuse ?? (key !== o.apiKey ? 401 : !req.headers['cartesia-version'] ? 400 : 0);
    refuse = undefined;
    if (status) return json(res, status, { error: status === 401 ? 'Invalid API key' : status === 400 ? 'Cartesia-Version header is required' : 'Too many requests' });
    if (req.method !== 'GET' || url.pathname !== '/voices') return json(res, 404, { error: 'Not found' });
    voiceRequests.push({ query: Object.fromEntries(url.searchParams), headers: req.headers });
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 10)));
    const after = url.searchParams.get('starting_after');
    const start = after ? voices.findIndex((v) => v.id === after) + 1 : 0;
    const data = voices.slice(start, start + limit);
    const hasMore = start + limit < voices.length;
    json(res, 200, { data, has_more: hasMore, next_page: hasMore ? data[data.length - 1].id : null });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const status = refuse ?? (url.pathname !== '/tts/websocket' ? 404 : query.api_key !== o.apiKey ? 401 : !query.cartesia_version ? 400 : 0);
    refuse = undefined;
    if (status) {
      const body = JSON.stringify({ error: status === 401 ? 'Invalid API key' : status === 429 ? 'Concurrency limit reached' : 'cartesia_version is required' });
      return void socket.end(`HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    }
    const conn: FakeCartesiaConnection = { query, headers: req.headers, received: [], spoken: {}, cancelled: [], closed: false };
    connections.push(conn);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => {
        sockets.delete(ws);
        conn.closed = true;
      });
      serve(ws, conn);
    });
  });

  function serve(ws: WebSocket, conn: FakeCartesiaConnection): void {
    const contexts = new Map<string, { first: Record<string, unknown>; held: string; chain: Promise<void>; cancelled: boolean }>();
    const send = (msg: object) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
    ws.on('message', (data) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return send({ type: 'error', done: true, error: 'Invalid JSON', status_code: 400 });
      }
      conn.received.push(msg);
      const id = String(msg.context_id ?? '');
      if (msg.cancel) {
        conn.cancelled.push(id);
        const c = contexts.get(id);
        if (c) c.cancelled = true;
        return;
      }
      const fail = (status: number, error: string) => send({ type: 'error', done: true, error, status_code: status, context_id: id });
      if (failGeneration) {
        const f = failGeneration;
        failGeneration = undefined;
        return fail(f.status, f.error);
      }
      if (!id) return fail(400, 'context_id is required');
      if (!models.has(String(msg.model_id))) return fail(400, 'Invalid model: The model is not valid, make sure it is a valid model ID.');
      const fmt = msg.output_format as { container?: string; encoding?: string; sample_rate?: number } | undefined;
      if (fmt?.container !== 'raw' || !['pcm_s16le', 'pcm_f32le', 'pcm_mulaw', 'pcm_alaw'].includes(String(fmt?.encoding)) || !RATES.has(Number(fmt?.sample_rate))) {
        return fail(400, 'Invalid output format');
      }
      if (typeof msg.transcript !== 'string') return fail(400, 'transcript is required');
      let c = contexts.get(id);
      if (!c) contexts.set(id, (c = { first: msg, held: '', chain: Promise.resolve(), cancelled: false }));
      // Inputs on one context must keep every field but transcript, continue and duration.
      for (const k of ['model_id', 'voice', 'output_format', 'language']) {
        if (JSON.stringify(c.first[k]) !== JSON.stringify(msg[k])) return fail(400, `${k} must not change within a context`);
      }
      const ctx = c;
      const speakNow = Number(msg.max_buffer_delay_ms ?? 3000) === 0;
      const say = (text: string) => {
        if (!text) return;
        (conn.spoken[id] ??= []).push(text);
        const rate = Number(fmt.sample_rate);
        const pcm = tone(Math.round((text.length * (o.samplesPerChar ?? 1560) * rate) / 24000), rate);
        const half = Math.ceil(pcm.length / 4) * 2;
        for (const part of [pcm.subarray(0, half), pcm.subarray(half)]) {
          ctx.chain = ctx.chain.then(async () => {
            if (o.chunkDelayMs) await new Promise((r) => setTimeout(r, o.chunkDelayMs));
            if (!ctx.cancelled && part.length) send({ type: 'chunk', data: part.toString('base64'), done: false, status_code: 206, step_time: 12, context_id: id });
          });
        }
      };
      if (speakNow) say(msg.transcript);
      else ctx.held += msg.transcript;
      if (msg.continue !== true) {
        say(ctx.held);
        ctx.held = '';
        ctx.chain = ctx.chain.then(() => {
          if (!ctx.cancelled) send({ type: 'done', done: true, status_code: 206, context_id: id });
          contexts.delete(id);
        });
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    voiceRequests,
    refuseNext: (s) => void (refuse = s),
    failNextGeneration: (status, error) => void (failGeneration = { status, error }),
    close: async () => {
      for (const ws of sockets) ws.terminate();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function tone(samples: number, rate: number): Buffer {
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 200 * i) / rate)), i * 2);
  return out;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
