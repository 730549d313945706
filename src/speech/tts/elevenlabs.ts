import { Pcm16Decoder } from '../../audio/frame.ts';
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AsyncQueue } from '../../util/async-queue.ts';
import type { TextToSpeech, VoiceConfig, VoiceInfo } from '../types.ts';

// ElevenLabs streaming speech over the stream-input WebSocket
// (https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-stream-input):
// a first message of " " with the voice settings, then text as it arrives, then "" to finish;
// audio comes back as base64 PCM in `audio`, and `isFinal` ends it. The key goes in the documented
// `xi-api-key` handshake header (the `ws` client can set it; Node's WebSocket cannot), so it is
// never part of a message body, and a refused handshake shows its HTTP status.
// Also here: the voice list (GET /v1/voices) and instant voice cloning (POST /v1/voices/add).

/** PCM rates ElevenLabs can stream (`output_format=pcm_<rate>`; 44.1 kHz needs a Pro plan). */
export type ElevenLabsRate = 16000 | 22050 | 24000 | 44100;

/** A premade voice ("George"), used when agent.yaml names none. */
export const ELEVENLABS_DEFAULT_VOICE = 'JBFqnCBsd6RMkjVDRZzb';

/** Settings shared by ElevenLabs calls. */
export interface ElevenLabsAccess {
  apiKey: string;
  /** Defaults to https://api.elevenlabs.io (the socket uses its wss:// twin). */
  baseURL?: string;
  fetch?: typeof fetch;
}

/** Settings for ElevenLabs speech. */
export interface ElevenLabsOptions extends ElevenLabsAccess {
  /** eleven_flash_v2_5, eleven_turbo_v2_5, eleven_multilingual_v2, … */
  model: string;
  sampleRate?: ElevenLabsRate;
  stability?: number;
  similarityBoost?: number;
}

/** `elevenlabs:<model_id>`: streaming speech, text in and audio out on one socket. */
export class ElevenLabsTts implements TextToSpeech {
  readonly id: string;
  readonly sampleRate: ElevenLabsRate;
  /** ElevenLabs buffers the text itself: the session may stream tokens straight in. */
  readonly streamingInput = true;
  readonly #o: ElevenLabsOptions;

  constructor(o: ElevenLabsOptions) {
    this.id = `elevenlabs:${o.model}`;
    this.sampleRate = o.sampleRate ?? 16000;
    this.#o = o;
  }

  /** The documented stream-input URL for a voice. */
  url(voiceId: string): URL {
    const url = new URL(`/v1/text-to-speech/${encodeURIComponent(voiceId)}/stream-input`, wsOrigin(this.#o.baseURL));
    url.searchParams.set('model_id', this.#o.model);
    url.searchParams.set('output_format', `pcm_${this.sampleRate}`);
    return url;
  }

  async *speak(text: AsyncIterable<string>, o: { voice: VoiceConfig; signal: AbortSignal }): AsyncGenerator<Int16Array> {
    if (o.signal.aborted) return;
    const audio = new AsyncQueue<Int16Array>();
    const ws = new WebSocket(this.url(o.voice.voiceId ?? ELEVENLABS_DEFAULT_VOICE), { headers: { 'xi-api-key': this.#o.apiKey } });
    const pcm = new Pcm16Decoder();
    const pieces = text[Symbol.asyncIterator]();
    let done = false;
    const stop = (e?: Error) => {
      if (done) return;
      done = true;
      void pieces.return?.(undefined)?.catch(() => {}); // the text's producer stops too, as after a for-await
      ws.on('error', () => {}); // late socket errors after we stopped are not news
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      if (e && !o.signal.aborted) audio.fail(e);
      else audio.end();
    };
    const onAbort = () => stop();
    o.signal.addEventListener('abort', onAbort, { once: true });

    ws.on('unexpected-response', (_req, res) => void handshakeError(res).then(stop));
    ws.on('error', (e) => stop(new Error(`elevenlabs: ${e.message}`)));
    ws.on('close', (code, reason) => {
      if (code === 1000 || code === 1005) stop();
      else stop(new Error(`elevenlabs closed the stream: ${code} ${reason.toString() || 'no reason given'}${code === 1008 ? ' — check ELEVENLABS_API_KEY and the voice id' : ''}`));
    });
    ws.on('message', (data) => {
      let msg: { audio?: string | null; isFinal?: boolean | null; error?: string; message?: string };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (msg.error) return stop(new Error(`elevenlabs: ${msg.message ?? msg.error}`));
      if (msg.audio) {
        const samples = pcm.decode(Buffer.from(msg.audio, 'base64'));
        if (samples.length) audio.push(samples);
      }
      if (msg.isFinal) stop();
    });
    ws.on('open', () => void this.#sendText(ws, pieces, o.voice, () => done).catch((e: Error) => stop(e)));

    try {
      for await (const samples of audio) {
        if (o.signal.aborted) return; // barge-in: drop what is still queued
        yield samples;
      }
    } finally {
      o.signal.removeEventListener('abort', onAbort);
      stop(); // the consumer stopped early (or we finished): don't leave the socket open
    }
  }

  /**
   * First the settings, then each piece, then "". The first clause is flushed so audio starts
   * early; after that only sentence ends are, so ElevenLabs has whole sentences to phrase.
   */
  async #sendText(ws: WebSocket, pieces: AsyncIterator<string>, voice: VoiceConfig, stopped: () => boolean): Promise<void> {
    const send = (msg: object) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg));
    send({
      text: ' ',
      voice_settings: {
        stability: this.#o.stability ?? 0.5,
        similarity_boost: this.#o.similarityBoost ?? 0.75,
        speed: Math.min(1.2, Math.max(0.7, voice.speed)), // the documented range
      },
    });
    let flushed = false;
    for (let r = await pieces.next(); !r.done; r = await pieces.next()) {
      const piece = r.value;
      if (stopped()) return;
      if (!piece) continue;
      const boundary = CLAUSE_END.test(piece);
      const flushNow: boolean = flushed ? SENTENCE_END.test(piece) : boundary;
      flushed ||= flushNow;
      // Text "should always end with a single space" — but only add one where a word ends, never inside a token.
      send({ text: boundary && !/\s$/.test(piece) ? `${piece} ` : piece, ...(flushNow ? { flush: true } : {}) });
    }
    if (!stopped()) send({ text: '' });
  }
}

const CLAUSE_END = /[.!?…,;:—–]["')\]]?\s*$/;
const SENTENCE_END = /[.!?…]["')\]]?\s*$/;

/** The voices on the account: premade ("stock") and cloned. */
export async function elevenLabsVoices(o: ElevenLabsAccess & { signal?: AbortSignal }): Promise<VoiceInfo[]> {
  const res = await (o.fetch ?? fetch)(`${httpOrigin(o.baseURL)}/v1/voices`, { headers: { 'xi-api-key': o.apiKey }, signal: o.signal });
  if (!res.ok) throw await restError(res, 'voice list');
  const body = (await res.json()) as { voices?: Array<{ voice_id: string; name: string; category?: string; description?: string | null; labels?: Record<string, string> }> };
  return (body.voices ?? []).map((v) => ({
    id: v.voice_id,
    name: v.name,
    ...(v.labels?.language ? { language: v.labels.language } : {}),
    ...(v.labels?.gender ? { gender: v.labels.gender } : {}),
    ...(v.labels?.accent ? { accent: v.labels.accent.toLowerCase() } : {}),
    ...(v.labels?.age ? { age: v.labels.age.replace(/[_ ]/g, '-') } : {}),
    ...(v.description ? { description: v.description } : {}),
    kind: v.category === 'premade' ? 'stock' : 'cloned',
  }));
}

/** Instant voice cloning from audio files; returns the new voice id. */
export async function cloneElevenLabsVoice(
  o: ElevenLabsAccess & { name: string; files: string[]; description?: string; signal?: AbortSignal },
): Promise<{ voiceId: string; requiresVerification: boolean }> {
  const form = new FormData();
  form.append('name', o.name);
  if (o.description) form.append('description', o.description);
  for (const file of o.files) form.append('files', new Blob([await readFile(file)], { type: audioType(file) }), basename(file));
  const res = await (o.fetch ?? fetch)(`${httpOrigin(o.baseURL)}/v1/voices/add`, { method: 'POST', headers: { 'xi-api-key': o.apiKey }, body: form, signal: o.signal });
  if (!res.ok) throw await restError(res, 'voice cloning');
  const body = (await res.json()) as { voice_id: string; requires_verification?: boolean };
  return { voiceId: body.voice_id, requiresVerification: body.requires_verification ?? false };
}

function audioType(file: string): string {
  const ext = file.toLowerCase().split('.').pop();
  return ({ wav: 'audio/wav', mp3: 'audio/mpeg', m4a: 'audio/mp4', ogg: 'audio/ogg', flac: 'audio/flac', webm: 'audio/webm' } as Record<string, string>)[ext ?? ''] ?? 'application/octet-stream';
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' — check ELEVENLABS_API_KEY';
  if (status === 429) return ' — rate limited or too many concurrent requests; retry later';
  return '';
}

/** ElevenLabs REST errors come as `{ detail: { status, message } }` (or a plain `detail` string). */
async function restError(res: Response, what: string): Promise<Error> {
  const raw = await res.text().catch(() => '');
  let message = raw.slice(0, 300);
  try {
    const d = (JSON.parse(raw) as { detail?: string | { message?: string; status?: string } }).detail;
    message = typeof d === 'string' ? d : (d?.message ?? d?.status ?? message);
  } catch {
    // not JSON: keep the text
  }
  return Object.assign(new Error(`elevenlabs ${what} failed: HTTP ${res.status} ${message}${hintFor(res.status)}`), { status: res.status });
}

async function handshakeError(res: IncomingMessage): Promise<Error> {
  let raw = '';
  for await (const chunk of res) raw += chunk;
  let message = raw.slice(0, 300) || res.statusMessage || '';
  try {
    const d = (JSON.parse(raw) as { detail?: string | { message?: string } }).detail;
    message = typeof d === 'string' ? d : (d?.message ?? message);
  } catch {
    // not JSON: keep the text
  }
  const status = res.statusCode ?? 0;
  return Object.assign(new Error(`elevenlabs refused the stream: HTTP ${status} ${message}${hintFor(status)}`), { status });
}

function httpOrigin(base = 'https://api.elevenlabs.io'): string {
  return base.replace(/\/+$/, '');
}

function wsOrigin(base = 'https://api.elevenlabs.io'): string {
  return httpOrigin(base).replace(/^http(s?):/, 'ws$1:');
}
