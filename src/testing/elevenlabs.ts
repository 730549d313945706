// A protocol-faithful fake of ElevenLabs for tests:
// - WS /v1/text-to-speech/{voice_id}/stream-input: the key from the `xi-api-key` header or the
//   first message's `xi_api_key`; first message must be " " (with optional voice_settings);
//   text is buffered per the documented chunk schedule ([120, 160, 250, 290] characters by
//   default) and generated early on `flush` (or `try_trigger_generation` past 50 characters);
//   "" generates the rest, sends `{ isFinal: true }` and closes. Audio is base64 PCM16 at the
//   `output_format` rate, with character alignment, in `audio` messages.
// - GET /v1/voices and POST /v1/voices/add (multipart: name, files) with `{ detail }` errors.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseMultipart } from './openai-audio.ts';

/** A voice the fake lists. */
export interface FakeElevenLabsVoice {
  voice_id: string;
  name: string;
  category: 'premade' | 'cloned' | 'generated' | 'professional';
  labels: Record<string, string>;
}

/** One stream-input session as the fake saw it. */
export interface FakeElevenLabsStream {
  voiceId: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Messages received, parsed. */
  received: Array<Record<string, unknown>>;
  /** Text generated per audio generation, in order. */
  generations: string[];
  audioMessages: number;
  closed: boolean;
}

/** Options for startFakeElevenLabs. */
export interface FakeElevenLabsOptions {
  apiKey: string;
  voices?: FakeElevenLabsVoice[];
  /** Samples per character at 16 kHz (scaled for other rates); default 1040 (65 ms, about speaking pace). */
  samplesPerChar?: number;
  /** Wait before each audio message, like generation time. */
  generationDelayMs?: number;
}

/** A running fake ElevenLabs. */
export interface FakeElevenLabs {
  url: string;
  streams: FakeElevenLabsStream[];
  voices: FakeElevenLabsVoice[];
  /** Multipart uploads to /v1/voices/add: fields and file names/sizes. */
  clones: Array<{ fields: Record<string, string>; files: Array<{ field: string; filename: string; bytes: number; contentType?: string }> }>;
  /** Refuses the next request (HTTP) or handshake (WS) with this status. */
  refuseNext(status: number): void;
  close(): Promise<void>;
}

/** Two premade voices, as GET /v1/voices lists them. */
export const FAKE_ELEVENLABS_VOICES: FakeElevenLabsVoice[] = [
  { voice_id: 'JBFqnCBsd6RMkjVDRZzb', name: 'George', category: 'premade', labels: { accent: 'british', gender: 'male', age: 'middle_aged' } },
  { voice_id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel', category: 'premade', labels: { accent: 'american', gender: 'female', age: 'young' } },
];
const FORMATS: Record<string, number> = { pcm_16000: 16000, pcm_22050: 22050, pcm_24000: 24000, pcm_44100: 44100 };
const SCHEDULE = [120, 160, 250, 290];
const DETAIL: Record<number, { status: string; message: string }> = {
  401: { status: 'invalid_api_key', message: 'Invalid API key' },
  429: { status: 'too_many_concurrent_requests', message: 'Too many concurrent requests for your subscription.' },
};

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeElevenLabs(o: FakeElevenLabsOptions): Promise<FakeElevenLabs> {
  const voices = [...(o.voices ?? FAKE_ELEVENLABS_VOICES)];
  const streams: FakeElevenLabsStream[] = [];
  const clones: FakeElevenLabs['clones'] = [];
  const sockets = new Set<WebSocket>();
  let refuse: number | undefined;

  const server = createServer((req, res) => {
    void rest(req, res).catch((e: unknown) => (res.headersSent ? res.destroy() : detail(res, 500, 'internal', String(e))));
  });
  async function rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const status = refuse ?? (req.headers['xi-api-key'] !== o.apiKey ? 401 : 0);
    refuse = undefined;
    if (status) return detail(res, status);
    if (req.method === 'GET' && path === '/v1/voices') return json(res, 200, { voices });
    if (req.method === 'POST' && path === '/v1/voices/add') {
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(req.headers['content-type']));
      if (!boundary) return detail(res, 400, 'invalid_content_type', 'Expected multipart/form-data');
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const parts = parseMultipart(Buffer.concat(chunks), boundary[1] ?? boundary[2]);
      const fields = Object.fromEntries(parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')]));
      const files = parts.filter((p) => p.filename !== undefined && (p.name === 'files' || p.name === 'files[]'));
      clones.push({ fields, files: files.map((f) => ({ field: f.name, filename: f.filename!, bytes: f.data.length, contentType: f.contentType })) });
      if (!fields.name) return json(res, 422, { detail: [{ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' }] });
      if (!files.length || files.some((f) => f.data.length === 0)) return json(res, 422, { detail: [{ loc: ['body', 'files'], msg: 'field required', type: 'value_error.missing' }] });
      const voiceId = randomBytes(15).toString('base64url').slice(0, 20);
      voices.push({ voice_id: voiceId, name: fields.name, category: 'cloned', labels: {} });
      return json(res, 200, { voice_id: voiceId, requires_verification: false });
    }
    detail(res, 404, 'not_found', `No route for ${req.method} ${path}`);
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/v1\/text-to-speech\/([^/]+)\/stream-input$/.exec(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const headerKey = req.headers['xi-api-key'];
    const status = refuse ?? (!m ? 404 : headerKey !== undefined && headerKey !== o.apiKey ? 401 : !query.model_id || (query.output_format && !FORMATS[query.output_format]) ? 400 : 0);
    refuse = undefined;
    if (status) return refuseHandshake(socket, status);
    const s: FakeElevenLabsStream = { voiceId: decodeURIComponent(m![1]), query, headers: req.headers, received: [], generations: [], audioMessages: 0, closed: false };
    streams.push(s);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => {
        sockets.delete(ws);
        s.closed = true;
      });
      serve(ws, s, FORMATS[query.output_format ?? ''] ?? 0, headerKey === o.apiKey, o);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    streams,
    voices,
    clones,
    refuseNext: (s) => void (refuse = s),
    close: async () => {
      for (const ws of sockets) ws.terminate();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function serve(ws: WebSocket, s: FakeElevenLabsStream, rate: number, authorized: boolean, o: FakeElevenLabsOptions): void {
  let buffer = '';
  let step = 0; // position in the chunk schedule
  let schedule = SCHEDULE;
  let initialized = false;
  let chain = Promise.resolve(); // generations go out in order
  const samplesPerChar = Math.round(((o.samplesPerChar ?? 1040) * (rate || 16000)) / 16000);

  const generate = (text: string) => {
    if (!text.trim()) return;
    s.generations.push(text);
    chain = chain.then(async () => {
      if (o.generationDelayMs) await new Promise((r) => setTimeout(r, o.generationDelayMs));
      if (ws.readyState !== ws.OPEN) return;
      const pcm = rate ? tone(text.length * samplesPerChar, rate) : Buffer.from(text); // mp3 is not faked: bytes stand in
      const half = Math.ceil(pcm.length / 4) * 2; // two messages per generation, split on a sample boundary
      for (const part of [pcm.subarray(0, half), pcm.subarray(half)]) {
        if (!part.length) continue;
        s.audioMessages++;
        ws.send(JSON.stringify({ audio: part.toString('base64'), isFinal: null, normalizedAlignment: alignment(text), alignment: alignment(text) }));
      }
    });
  };

  ws.on('message', (data) => {
    let msg: { text?: string; flush?: boolean; try_trigger_generation?: boolean; xi_api_key?: string; generation_config?: { chunk_length_schedule?: number[] } };
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return ws.close(1007, 'Invalid JSON');
    }
    s.received.push(msg as Record<string, unknown>);
    if (!initialized) {
      if (msg.text !== ' ') return ws.close(1008, 'The first message must contain text with a single space " ".');
      if (!authorized && msg.xi_api_key !== undefined && msg.xi_api_key !== (o.apiKey as unknown)) return ws.close(1008, 'Invalid API key');
      if (!authorized && msg.xi_api_key === undefined) return ws.close(1008, 'You must be authenticated to use this endpoint.');
      initialized = true;
      schedule = msg.generation_config?.chunk_length_schedule ?? SCHEDULE;
      return;
    }
    if (typeof msg.text !== 'string') return ws.close(1008, 'text is required');
    if (msg.text === '') {
      generate(buffer);
      buffer = '';
      void chain.then(() => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(JSON.stringify({ isFinal: true }));
        ws.close(1000);
      });
      return;
    }
    buffer += msg.text;
    const threshold = schedule[Math.min(step, schedule.length - 1)];
    if (msg.flush || (msg.try_trigger_generation && buffer.length >= 50) || buffer.length >= threshold) {
      generate(buffer);
      buffer = '';
      step++;
    }
  });
}

function alignment(text: string) {
  const chars = [...text];
  return { chars, charStartTimesMs: chars.map((_, i) => i * 25), charsDurationsMs: chars.map(() => 25) };
}

function tone(samples: number, rate: number): Buffer {
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 180 * i) / rate)), i * 2);
  return out;
}

function refuseHandshake(socket: Duplex, status: number): void {
  const d = DETAIL[status] ?? { status: 'error', message: 'Request refused' };
  const body = JSON.stringify({ detail: d });
  socket.end(`HTTP/1.1 ${status} ${d.status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function detail(res: ServerResponse, status: number, code?: string, message?: string): void {
  const d = DETAIL[status];
  json(res, status, { detail: { status: code ?? d?.status ?? 'error', message: message ?? d?.message ?? 'error' } });
}
