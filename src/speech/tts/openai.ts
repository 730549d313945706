import { openAIError } from '../openai-error.ts';
import { Pcm16Decoder } from '../../audio/frame.ts';
import type { TextToSpeech, VoiceConfig, VoiceInfo } from '../types.ts';

// OpenAI speech (POST /v1/audio/speech, https://platform.openai.com/docs/api-reference/audio/createSpeech)
// takes whole text, not a stream of it, so text is gathered into clauses and each clause is one
// request. `response_format: "pcm"` streams raw 24 kHz 16-bit little-endian samples with no header,
// so audio is yielded as the response body arrives rather than when the clause is done.

const SAMPLE_RATE = 24_000;

/** The built-in voices the API documents (marin and cedar are for gpt-4o-mini-tts; tts-1 has the older nine). */
export const OPENAI_VOICES: readonly string[] = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

/** Settings for OpenAI speech. */
export interface OpenAITtsOptions {
  /** gpt-4o-mini-tts, tts-1, tts-1-hd, … */
  model: string;
  apiKey: string;
  /** Defaults to https://api.openai.com/v1. */
  baseURL?: string;
  fetch?: typeof fetch;
}

/** `openai:<model>`: one speech request per clause, PCM streamed back. */
export class OpenAITts implements TextToSpeech {
  readonly id: string;
  readonly sampleRate = SAMPLE_RATE;
  readonly #o: OpenAITtsOptions;

  constructor(o: OpenAITtsOptions) {
    this.id = `openai:${o.model}`;
    this.#o = o;
  }

  async *speak(text: AsyncIterable<string>, o: { voice: VoiceConfig; signal: AbortSignal }): AsyncGenerator<Int16Array> {
    for await (const clause of clauses(text)) {
      if (o.signal.aborted) return;
      try {
        yield* this.#clause(clause, o.voice, o.signal);
      } catch (e) {
        if (o.signal.aborted) return; // barge-in: stop quietly
        throw e;
      }
    }
  }

  async *#clause(input: string, voice: VoiceConfig, signal: AbortSignal): AsyncGenerator<Int16Array> {
    const res = await (this.#o.fetch ?? fetch)(`${(this.#o.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/audio/speech`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.#o.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: this.#o.model,
        input,
        voice: voice.voiceId ?? 'alloy',
        response_format: 'pcm',
        speed: Math.min(4, Math.max(0.25, voice.speed)),
      }),
      signal,
    });
    if (!res.ok || !res.body) throw await openAIError(res, 'speech');
    const pcm = new Pcm16Decoder();
    for await (const bytes of res.body) {
      const samples = pcm.decode(bytes);
      if (samples.length) yield samples;
    }
  }
}

/** OpenAI's stock voices (the API has no list endpoint; the set is documented). */
export function openAIVoices(): VoiceInfo[] {
  return OPENAI_VOICES.map((id) => ({ id, name: id, kind: 'stock' }));
}

const CLAUSE_END = /[.!?…,;:—–]["')\]]?\s*$/;

/** Gathers text pieces (clauses already, or raw tokens) into clauses, so each request has something to say. */
async function* clauses(text: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of text) {
    buffer += piece;
    if (CLAUSE_END.test(buffer) && buffer.trim()) {
      yield buffer.trim();
      buffer = '';
    }
  }
  if (buffer.trim()) yield buffer.trim();
}
