import WebSocket from 'ws';
import { sttLanguage } from '../stt-language.ts';
import type { IncomingMessage } from 'node:http';
import { bytesFromPcm } from '../../audio/frame.ts';
import { AsyncQueue } from '../../util/async-queue.ts';
import type { SpeechToText, SttEvent, SttStream } from '../types.ts';

// Deepgram live transcription (https://developers.deepgram.com/reference/speech-to-text/listen-streaming):
// binary linear16 frames up, JSON `Results` down, `KeepAlive` during silence, `CloseStream` to flush
// and finish. Authenticated with the documented `Authorization: Token <key>` header, which is why
// this uses the `ws` client: Node's global WebSocket could only send the key as the browser-side
// `token` subprotocol, and it hides the handshake's HTTP status, so a bad key (401) or a rate limit
// (429) would look like an anonymous close instead of an error that names the variable to fix.

const SAMPLE_RATE = 16_000;
/** Rates linear16 audio may be sent at as it is: phone audio (8 kHz) goes up unresampled. */
const RATES = [8000, 16_000, 24_000, 48_000] as const;

/** Settings for a Deepgram recogniser. */
export interface DeepgramOptions {
  /** Model name, e.g. nova-3. */
  model: string;
  apiKey: string;
  /** API origin; defaults to https://api.deepgram.com (ws(s):// is derived from it). */
  baseURL?: string;
  /** Silence (ms) after which Deepgram finalizes with `speech_final`. */
  endpointingMs?: number;
  /** Word gap (ms) after which Deepgram sends `UtteranceEnd`; ≥ 1000 is recommended. */
  utteranceEndMs?: number;
  /** Send `KeepAlive` when no audio went out for this long (Deepgram closes after 10 s idle). */
  keepAliveMs?: number;
}

/** `deepgram:<model>`: streaming speech-to-text over Deepgram's live WebSocket. */
export class DeepgramStt implements SpeechToText {
  readonly id: string;
  readonly sampleRate = SAMPLE_RATE;
  readonly acceptsSampleRates = RATES;
  readonly #o: DeepgramOptions;

  constructor(o: DeepgramOptions) {
    this.id = `deepgram:${o.model}`;
    this.#o = o;
  }

  /** The documented listen URL for a persona language (en-GB is sent as en-GB, pl-PL as pl; `en` to a US-English-only model) and the rate of the audio sent. */
  url(language: string, sampleRate: number = SAMPLE_RATE): URL {
    const url = new URL('/v1/listen', wsOrigin(this.#o.baseURL ?? 'https://api.deepgram.com'));
    const q = url.searchParams;
    q.set('model', this.#o.model);
    q.set('encoding', 'linear16');
    q.set('sample_rate', String(sampleRate));
    q.set('channels', '1');
    q.set('interim_results', 'true');
    q.set('endpointing', String(this.#o.endpointingMs ?? 300));
    q.set('utterance_end_ms', String(this.#o.utteranceEndMs ?? 1000));
    q.set('smart_format', 'true');
    q.set('language', sttLanguage(this.id, language).wire!);
    return url;
  }

  stream(o: { language: string; signal: AbortSignal; sampleRate?: number }): SttStream {
    if (o.signal.aborted) return { push() {}, end() {}, async *[Symbol.asyncIterator]() {} }; // connect to nothing
    const rate = o.sampleRate ?? SAMPLE_RATE;
    if (!(RATES as readonly number[]).includes(rate)) throw new Error(`deepgram: cannot send audio at ${rate} Hz; use one of ${RATES.join(', ')}`);
    let interim = ''; // interim words not finalized yet, finalized on UtteranceEnd if Deepgram never does
    return new DeepgramSocket(this.url(o.language, rate), { ...this.#o, sampleRate: rate }, o.signal, (msg, atMs) => {
      if (msg.type === 'Results') {
        const r = msg as unknown as Results;
        const alt = r.channel?.alternatives?.[0];
        const words = (alt?.transcript ?? '').trim();
        if (r.is_final) interim = '';
        if (!words) return [];
        if (!r.is_final) interim = words;
        return [{ type: r.is_final ? 'final' : 'partial', text: words, atMs, ...(alt?.confidence !== undefined ? { confidence: alt.confidence } : {}) }];
      }
      if (msg.type === 'UtteranceEnd' && interim) {
        const text = interim;
        interim = '';
        return [{ type: 'final', text, atMs }];
      }
      if (msg.type === 'Error') return new Error(`deepgram: ${String(msg.description ?? msg.message ?? 'error')}`);
      return [];
    });
  }
}

/** Turns one server message into events (or a failure); `atMs` is the audio sent so far. */
export type DeepgramReader = (msg: { type?: string; [k: string]: unknown }, atMs: number) => SttEvent[] | Error;

/** Deepgram's `Results` message, the fields Parley reads. */
interface Results {
  type: 'Results';
  is_final?: boolean;
  speech_final?: boolean;
  start?: number;
  duration?: number;
  channel?: { alternatives?: Array<{ transcript?: string; confidence?: number }> };
}

/** One Deepgram socket (v1 or v2 listen): audio up, JSON down through `read`, KeepAlive, CloseStream. */
export class DeepgramSocket implements SttStream {
  readonly #events = new AsyncQueue<SttEvent>();
  readonly #ws: WebSocket;
  readonly #signal: AbortSignal;
  readonly #read: DeepgramReader;
  readonly #rate: number;
  #pending: Buffer[] = [];
  #samples = 0;
  #ended = false;
  #finished = false;
  #sentSinceTick = false;
  #keepAlive: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;

  constructor(url: URL, o: { apiKey: string; keepAliveMs?: number; sampleRate: number }, signal: AbortSignal, read: DeepgramReader) {
    this.#signal = signal;
    this.#read = read;
    this.#rate = o.sampleRate;
    this.#ws = new WebSocket(url, { headers: { Authorization: `Token ${o.apiKey}` } });
    this.#ws.on('unexpected-response', (_req, res) => void handshakeError(res).then((e) => this.#finish(e)));
    this.#ws.on('error', (e) => this.#finish(new Error(`deepgram: ${e.message}`)));
    this.#ws.on('open', () => {
      for (const frame of this.#pending) this.#ws.send(frame);
      this.#pending = [];
      if (this.#ended) this.#sendCloseStream();
      this.#keepAlive = setInterval(() => {
        if (!this.#sentSinceTick) this.#ws.send(JSON.stringify({ type: 'KeepAlive' }));
        this.#sentSinceTick = false;
      }, o.keepAliveMs ?? 4000);
    });
    this.#ws.on('message', (data, isBinary) => {
      if (!isBinary) this.#onMessage(data.toString());
    });
    this.#ws.on('close', (code, reason) => {
      // 1000 is Deepgram answering CloseStream; anything else (1008 DATA-…, 1011 NET-…) is a failure.
      if (code === 1000 || code === 1005) this.#finish();
      else this.#finish(new Error(`deepgram closed the stream: ${code} ${reason.toString() || 'no reason given'}`));
    });
    signal.addEventListener('abort', () => this.#finish(), { once: true });
  }

  push(pcm: Int16Array): void {
    if (this.#ended || this.#finished) return;
    this.#samples += pcm.length;
    const frame = Buffer.from(bytesFromPcm(pcm)); // a copy: callers reuse buffers
    if (this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.send(frame);
      this.#sentSinceTick = true;
    } else this.#pending.push(frame);
  }

  end(): void {
    if (this.#ended || this.#finished) return;
    this.#ended = true;
    if (this.#ws.readyState === WebSocket.OPEN) this.#sendCloseStream();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    const events = this.#events[Symbol.asyncIterator]();
    const signal = this.#signal;
    return {
      // After an abort nothing more is delivered, even what had already arrived.
      next: async () => (signal.aborted ? { done: true, value: undefined } : events.next()),
      return: async () => {
        this.#finish();
        return { done: true, value: undefined };
      },
    };
  }

  #sendCloseStream(): void {
    this.#ws.send(JSON.stringify({ type: 'CloseStream' }));
    // Deepgram answers with the last results, Metadata and a close; don't wait forever for it.
    this.#closeTimer = setTimeout(() => this.#finish(), 10_000);
  }

  #onMessage(text: string): void {
    let msg: { type?: string; [k: string]: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const atMs = Math.round((this.#samples / this.#rate) * 1000);
    const out = this.#read(msg, atMs);
    if (out instanceof Error) return this.#finish(out);
    for (const e of out) this.#events.push(e);
  }

  #finish(error?: Error): void {
    if (this.#finished) return;
    this.#finished = true;
    clearInterval(this.#keepAlive);
    clearTimeout(this.#closeTimer);
    this.#ws.removeAllListeners('message');
    this.#ws.on('error', () => {}); // a late socket error after we are done is not news
    if (this.#ws.readyState !== WebSocket.CLOSED) this.#ws.terminate();
    if (error && !this.#signal.aborted) this.#events.fail(error);
    else this.#events.end();
  }
}

/** Why the handshake was refused, from the status, Deepgram's `dg-error` header and body. */
export async function handshakeError(res: IncomingMessage): Promise<Error> {
  let body = '';
  for await (const chunk of res) body += chunk;
  const detail = String(res.headers['dg-error'] ?? '') || errMsg(body) || res.statusMessage || '';
  const status = res.statusCode ?? 0;
  const hint =
    status === 401 || status === 403
      ? ' — check DEEPGRAM_API_KEY'
      : status === 429
        ? ' — rate limited (too many requests or concurrent streams); retry later'
        : '';
  return Object.assign(new Error(`deepgram refused the stream: HTTP ${status} ${detail}${hint}`.trim()), { status });
}

function errMsg(body: string): string {
  try {
    const j = JSON.parse(body) as { err_msg?: string; message?: string };
    return j.err_msg ?? j.message ?? '';
  } catch {
    return body.slice(0, 200);
  }
}

export function wsOrigin(base: string): string {
  return base.replace(/^http(s?):/, 'ws$1:');
}
