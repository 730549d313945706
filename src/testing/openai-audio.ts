// A protocol-faithful fake of OpenAI's audio endpoints for tests:
// - POST /v1/audio/transcriptions: a real multipart/form-data parse (boundary, part headers,
//   binary file), the WAV header checked, the scripted text returned as `{ text }` (or plain text
//   for response_format=text);
// - POST /v1/audio/speech: JSON body checked against the documented fields and voices; with
//   `response_format: "pcm"` it streams headerless 24 kHz PCM16 in several chunks, like the API.
// Both check `Authorization: Bearer <key>` and answer errors with OpenAI's error body.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A transcription request as the fake parsed it. */
export interface FakeTranscriptionRequest {
  headers: IncomingHttpHeaders;
  fields: Record<string, string>;
  file?: { filename: string; contentType?: string; bytes: number; sampleRate?: number; channels?: number; bitsPerSample?: number; samples?: number };
}

/** A speech request as the fake parsed it. */
export interface FakeSpeechRequest {
  headers: IncomingHttpHeaders;
  body: { model?: string; input?: string; voice?: string; response_format?: string; speed?: number; instructions?: string; [k: string]: unknown };
}

/** An error the fake answers with instead. */
export interface FakeAudioError {
  status: number;
  message: string;
  type?: string;
  code?: string;
}

/** What to answer a transcription with: text, an error, or a function of the request. */
export type FakeTranscript = string | { error: FakeAudioError } | ((r: FakeTranscriptionRequest) => string | { error: FakeAudioError });

/** Options for startFakeOpenAIAudio. */
export interface FakeOpenAIAudioOptions {
  apiKey: string;
  /** Answers for successive transcription requests, in order. */
  transcripts?: FakeTranscript[];
  /** The answer once `transcripts` is used up (default ""). */
  fallback?: FakeTranscript;
  /** Samples of speech per input character (24 kHz); default 1560 (65 ms, about speaking pace). */
  samplesPerChar?: number;
  /** Bytes per streamed speech chunk; default 4801 (odd on purpose: real chunks split samples). */
  chunkBytes?: number;
  /** Wait between streamed speech chunks. */
  chunkDelayMs?: number;
}

/** A running fake. */
export interface FakeOpenAIAudio {
  /** Base URL ending in /v1. */
  url: string;
  transcriptions: FakeTranscriptionRequest[];
  speech: FakeSpeechRequest[];
  push(...t: FakeTranscript[]): void;
  /** Answers the next speech request with this error. */
  failNextSpeech(e: FakeAudioError): void;
  close(): Promise<void>;
}

const VOICES = new Set(['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar']);
const FORMATS = new Set(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']);

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeOpenAIAudio(o: FakeOpenAIAudioOptions): Promise<FakeOpenAIAudio> {
  const queue = [...(o.transcripts ?? [])];
  const transcriptions: FakeTranscriptionRequest[] = [];
  const speech: FakeSpeechRequest[] = [];
  let speechError: FakeAudioError | undefined;

  async function transcribe(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(req.headers['content-type']));
    if (!/^multipart\/form-data/i.test(String(req.headers['content-type'])) || !boundary) {
      return error(res, { status: 400, message: "Could not parse multipart form. Send the request as multipart/form-data.", code: 'invalid_multipart' });
    }
    const parts = parseMultipart(await readBody(req), boundary[1] ?? boundary[2]);
    const fields = Object.fromEntries(parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')]));
    const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
    const r: FakeTranscriptionRequest = { headers: req.headers, fields, file: file && { filename: file.filename!, contentType: file.contentType, bytes: file.data.length, ...wavInfo(file.data) } };
    transcriptions.push(r);
    if (!file) return error(res, { status: 400, message: "you must provide a 'file' field", type: 'invalid_request_error', code: 'missing_required_parameter' });
    if (!fields.model) return error(res, { status: 400, message: "you must provide a 'model' field", type: 'invalid_request_error', code: 'missing_required_parameter' });
    if (/\.wav$/i.test(file.filename!) && r.file?.sampleRate === undefined) {
      return error(res, { status: 400, message: 'Audio file might be corrupted or unsupported', type: 'invalid_request_error', code: 'invalid_value' });
    }
    const step = queue.shift() ?? o.fallback ?? '';
    const answer = typeof step === 'function' ? step(r) : step;
    if (typeof answer !== 'string') return error(res, answer.error);
    if (fields.response_format === 'text') return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`${answer}\n`);
    json(res, 200, { text: answer, usage: { type: 'duration', seconds: Math.ceil((r.file?.samples ?? 0) / (r.file?.sampleRate ?? 16000)) } });
  }

  async function speak(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    let body: FakeSpeechRequest['body'];
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      return error(res, { status: 400, message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error' });
    }
    speech.push({ headers: req.headers, body });
    if (speechError) {
      const e = speechError;
      speechError = undefined;
      return error(res, e);
    }
    for (const f of ['model', 'input', 'voice'] as const) {
      if (!body[f]) return error(res, { status: 400, message: `Missing required parameter: '${f}'.`, type: 'invalid_request_error', code: 'missing_required_parameter' });
    }
    if (!VOICES.has(String(body.voice))) return error(res, { status: 400, message: `Invalid value for 'voice': '${body.voice}'.`, type: 'invalid_request_error', code: 'invalid_value' });
    const format = body.response_format ?? 'mp3';
    if (!FORMATS.has(format)) return error(res, { status: 400, message: `Invalid value for 'response_format': '${format}'.`, type: 'invalid_request_error', code: 'invalid_value' });
    if (body.speed !== undefined && (body.speed < 0.25 || body.speed > 4)) return error(res, { status: 400, message: 'speed must be between 0.25 and 4.0', type: 'invalid_request_error', code: 'invalid_value' });
    if (String(body.input).length > 4096) return error(res, { status: 400, message: 'input is longer than 4096 characters', type: 'invalid_request_error', code: 'string_above_max_length' });
    if (format !== 'pcm') return error(res, { status: 400, message: `fake-openai-audio only produces pcm, not ${format}`, type: 'invalid_request_error' });

    const pcm = tone(String(body.input).length * (o.samplesPerChar ?? 1560));
    res.writeHead(200, { 'content-type': 'audio/pcm', 'transfer-encoding': 'chunked' });
    const step = o.chunkBytes ?? 4801;
    for (let at = 0; at < pcm.length; at += step) {
      if (signal.aborted) return;
      res.write(pcm.subarray(at, at + step));
      if (o.chunkDelayMs) await sleep(o.chunkDelayMs).catch(() => {});
    }
    res.end();
  }

  const server = createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const path = (req.url ?? '/').split('?')[0];
    if (req.headers.authorization !== `Bearer ${o.apiKey}`) {
      const shown = String(req.headers.authorization ?? '').replace(/^Bearer\s*/, '');
      return error(res, { status: 401, message: shown ? `Incorrect API key provided: ${mask(shown)}. You can find your API key at https://platform.openai.com/account/api-keys.` : "You didn't provide an API key.", type: 'invalid_request_error', code: 'invalid_api_key' });
    }
    let handled: Promise<void>;
    if (req.method === 'POST' && path === '/v1/audio/transcriptions') handled = transcribe(req, res);
    else if (req.method === 'POST' && path === '/v1/audio/speech') handled = speak(req, res, controller.signal);
    else handled = Promise.resolve(error(res, { status: 404, message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error' }));
    handled.catch((e: unknown) => (res.headersSent ? res.destroy() : error(res, { status: 500, message: `fake-openai-audio: ${String(e)}`, type: 'server_error' })));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    transcriptions,
    speech,
    push: (...t) => void queue.push(...t),
    failNextSpeech: (e) => void (speechError = e),
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Splits a multipart/form-data body into its parts (RFC 7578). */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const chunk = body.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const split = chunk.indexOf('\r\n\r\n');
    const head = chunk.subarray(0, split).toString('utf8');
    const headers = Object.fromEntries(head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const disposition = headers['content-disposition'] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    parts.push({ name, filename, contentType: headers['content-type'], data: Buffer.from(chunk.subarray(split + 4)) });
    at = next;
  }
  return parts;
}

/** The fmt and data chunk of a WAV file, if it is one. */
function wavInfo(data: Buffer): { sampleRate?: number; channels?: number; bitsPerSample?: number; samples?: number } {
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') return {};
  const info: { sampleRate?: number; channels?: number; bitsPerSample?: number; samples?: number } = {};
  for (let at = 12; at + 8 <= data.length; ) {
    const id = data.toString('ascii', at, at + 4);
    const size = data.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      info.channels = data.readUInt16LE(at + 10);
      info.sampleRate = data.readUInt32LE(at + 12);
      info.bitsPerSample = data.readUInt16LE(at + 22);
    } else if (id === 'data' && info.bitsPerSample) info.samples = size / (info.bitsPerSample / 8) / (info.channels ?? 1);
    at += 8 + size + (size % 2);
  }
  return info;
}

/** A quiet 220 Hz tone as little-endian PCM16 bytes. */
function tone(samples: number): Buffer {
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 220 * i) / 24000)), i * 2);
  return out;
}

function mask(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '****';
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function error(res: ServerResponse, e: FakeAudioError): void {
  json(res, e.status, { error: { message: e.message, type: e.type ?? (e.status === 429 ? 'requests' : 'invalid_request_error'), param: null, code: e.code ?? (e.status === 429 ? 'rate_limit_exceeded' : null) } });
}
