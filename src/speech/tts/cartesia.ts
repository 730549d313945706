import { Pcm16Decoder } from '../../audio/frame.ts';
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AsyncQueue } from '../../util/async-queue.ts';
import type { TextToSpeech, VoiceConfig, VoiceInfo } from '../types.ts';

// Cartesia Sonic over its TTS WebSocket (https://docs.cartesia.ai/api-reference/tts/websocket):
// one context per utterance; each clause goes out as a generation request on that `context_id`
// with `continue: true` (prosody carries across), then an empty transcript with `continue: false`
// ends it. Audio comes back as base64 raw pcm_s16le in `chunk` messages; `done` ends the context,
// `error` fails it. Auth is the documented `api_key` + `cartesia_version` query, so the key is in
// the URL: it never appears in logs from here, and the URL is never printed.
// Text is gathered into clauses locally and `max_buffer_delay_ms: 0` asks Cartesia to speak each
// one at once (their docs warn against client-side clauses *and* server-side buffering).

/** The API version these messages follow. */
export const CARTESIA_VERSION = '2025-04-16';

/** Settings shared by Cartesia calls. */
export interface CartesiaAccess {
  apiKey: string;
  /** Defaults to https://api.cartesia.ai (the socket uses its wss:// twin). */
  baseURL?: string;
  fetch?: typeof fetch;
}

/** Settings for Cartesia speech. */
export interface CartesiaOptions extends CartesiaAccess {
  /** sonic-2, sonic-turbo, sonic-3, … */
  model: string;
  /** 8000–44100; default 24000. */
  sampleRate?: number;
}

/** The stock voice Cartesia's realtime quickstart uses; spoken when agent.yaml names none. */
export const CARTESIA_DEFAULT_VOICE = 'f786b574-daa5-4673-aa0c-cbe3e8534c02';

/** `cartesia:<model>`: streaming speech with continuations on one context. */
export class CartesiaTts implements TextToSpeech {
  readonly id: string;
  readonly sampleRate: number;
  /** Tokens are welcome: they are gathered into clauses here, all continuing one context (one socket per turn). */
  readonly streamingInput = true;
  readonly #o: CartesiaOptions;

  constructor(o: CartesiaOptions) {
    this.id = `cartesia:${o.model}`;
    this.sampleRate = o.sampleRate ?? 24_000;
    this.#o = o;
  }

  /** The documented socket URL (it carries the key: don't print it). */
  url(): URL {
    const url = new URL('/tts/websocket', origin(this.#o.baseURL).replace(/^http(s?):/, 'ws$1:'));
    url.searchParams.set('api_key', this.#o.apiKey);
    url.searchParams.set('cartesia_version', CARTESIA_VERSION);
    return url;
  }

  async *speak(text: AsyncIterable<string>, o: { voice: VoiceConfig; signal: AbortSignal }): AsyncGenerator<Int16Array> {
    if (o.signal.aborted) return;
    const contextId = randomUUID();
    const audio = new AsyncQueue<Int16Array>();
    const ws = new WebSocket(this.url());
    const pcm = new Pcm16Decoder();
    const pieces = clauses(text)[Symbol.asyncIterator]();
    let done = false;
    let cancel = false;
    const stop = (e?: Error) => {
      if (done) return;
      done = true;
      void pieces.return?.(undefined)?.catch(() => {}); // the text's producer stops too, as after a for-await
      // Cancelling the context tells Cartesia to stop generating what nobody will hear.
      if (cancel && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ context_id: contextId, cancel: true }));
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      if (e && !o.signal.aborted) audio.fail(e);
      else audio.end();
    };
    const onAbort = () => {
      cancel = true;
      stop();
    };
    o.signal.addEventListener('abort', onAbort, { once: true });

    ws.on('unexpected-response', (_req, res) => void handshakeError(res).then(stop));
    ws.on('error', (e) => stop(new Error(`cartesia: ${e.message}`)));
    ws.on('close', (code, reason) => {
      if (code === 1000 || code === 1005) stop();
      else stop(new Error(`cartesia closed the stream: ${code} ${reason.toString() || 'no reason given'}`));
    });
    ws.on('message', (data) => {
      let msg: { type?: string; data?: string; context_id?: string; error?: string; status_code?: number; done?: boolean };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (msg.context_id && msg.context_id !== contextId) return;
      if (msg.type === 'chunk' && msg.data) {
        const samples = pcm.decode(Buffer.from(msg.data, 'base64'));
        if (samples.length) audio.push(samples);
      } else if (msg.type === 'error') {
        stop(Object.assign(new Error(`cartesia: ${msg.error ?? 'generation failed'} (status ${msg.status_code ?? '?'})${hintFor(msg.status_code ?? 0)}`), { status: msg.status_code }));
      } else if (msg.type === 'done' || msg.done) stop();
    });
    const request = (transcript: string, more: boolean) => ({
      model_id: this.#o.model,
      transcript,
      voice: { mode: 'id', id: o.voice.voiceId ?? CARTESIA_DEFAULT_VOICE },
      ...(o.voice.language ? { language: o.voice.language.split('-')[0].toLowerCase() } : {}),
      context_id: contextId,
      output_format: { container: 'raw', encoding: 'pcm_s16le', sample_rate: this.sampleRate },
      ...speed(this.#o.model, o.voice.speed),
      max_buffer_delay_ms: 0,
      continue: more,
    });
    ws.on('open', () => {
      void (async () => {
        let sent = 0;
        for (let r = await pieces.next(); !r.done; r = await pieces.next()) {
          const clause = r.value;
          if (done) return;
          ws.send(JSON.stringify(request(`${clause} `, true))); // transcripts join verbatim: keep the space
          sent++;
        }
        if (!sent) stop(); // nothing to say: no context to open
        else if (!done) ws.send(JSON.stringify(request('', false)));
      })().catch((e: Error) => stop(e));
    });

    try {
      for await (const samples of audio) {
        if (o.signal.aborted) return;
        yield samples;
      }
    } finally {
      o.signal.removeEventListener('abort', onAbort);
      if (!done) cancel = true; // the consumer stopped early
      stop();
    }
  }
}

/** Sonic 3 takes a numeric speed in generation_config; earlier models take slow/normal/fast. */
function speed(model: string, value: number): object {
  if (value === 1) return {};
  if (/^sonic-3/.test(model)) return { generation_config: { speed: Math.min(1.5, Math.max(0.6, value)) } };
  return { speed: value < 0.9 ? 'slow' : value > 1.1 ? 'fast' : 'normal' };
}

/** The voices the key can use (Cartesia's library and the account's own), following pagination. */
export async function cartesiaVoices(o: CartesiaAccess & { signal?: AbortSignal; maxPages?: number }): Promise<VoiceInfo[]> {
  const out: VoiceInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < (o.maxPages ?? 20); page++) {
    const url = new URL('/voices', origin(o.baseURL));
    url.searchParams.set('limit', '100');
    if (after) url.searchParams.set('starting_after', after);
    const res = await (o.fetch ?? fetch)(url, { headers: { Authorization: `Bearer ${o.apiKey}`, 'Cartesia-Version': CARTESIA_VERSION }, signal: o.signal });
    if (!res.ok) throw await restError(res);
    const body = (await res.json()) as CartesiaVoice[] | { data: CartesiaVoice[]; has_more?: boolean };
    const data = Array.isArray(body) ? body : body.data;
    for (const v of data) {
      out.push({ id: v.id, name: v.name, ...(v.language ? { language: v.language } : {}), ...(v.gender ? { gender: v.gender } : {}), kind: v.is_owner ? 'cloned' : 'stock' });
    }
    if (Array.isArray(body) || !body.has_more || !data.length) break;
    after = data[data.length - 1].id;
  }
  return out;
}

interface CartesiaVoice {
  id: string;
  name: string;
  language?: string;
  gender?: string;
  is_owner?: boolean;
}

/** Gathers text pieces (clauses already, or raw tokens) into clauses. */
async function* clauses(text: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of text) {
    buffer += piece;
    if (/[.!?…,;:—–]["')\]]?\s*$/.test(buffer) && buffer.trim()) {
      yield buffer.trim();
      buffer = '';
    }
  }
  if (buffer.trim()) yield buffer.trim();
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' — check CARTESIA_API_KEY';
  if (status === 429) return ' — rate limited or over the concurrency limit; retry later';
  return '';
}

async function restError(res: Response): Promise<Error> {
  const raw = await res.text().catch(() => '');
  let message = raw.slice(0, 300);
  try {
    const j = JSON.parse(raw) as { error?: string; message?: string; title?: string };
    message = j.message ?? j.error ?? j.title ?? message;
  } catch {
    // not JSON: keep the text
  }
  return Object.assign(new Error(`cartesia voice list failed: HTTP ${res.status} ${message}${hintFor(res.status)}`), { status: res.status });
}

async function handshakeError(res: IncomingMessage): Promise<Error> {
  let raw = '';
  for await (const chunk of res) raw += chunk;
  let message = raw.slice(0, 300) || res.statusMessage || '';
  try {
    const j = JSON.parse(raw) as { error?: string; message?: string };
    message = j.message ?? j.error ?? message;
  } catch {
    // not JSON: keep the text
  }
  const status = res.statusCode ?? 0;
  return Object.assign(new Error(`cartesia refused the stream: HTTP ${status} ${message}${hintFor(status)}`), { status });
}

function origin(base = 'https://api.cartesia.ai'): string {
  return base.replace(/\/+$/, '');
}
