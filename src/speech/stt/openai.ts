import { openAIError } from '../openai-error.ts';
import { openaiLanguage } from '../stt-language.ts';
import { concat } from '../../audio/frame.ts';
import { createEnergyVad } from '../../audio/energy-vad.ts';
import { GatedVoiceActivity, sharedSileroPool } from '../../audio/gated-vad.ts';
import { DEFAULT_VOICE_ACTIVITY, type VoiceActivity } from '../../audio/vad.ts';
import { encodeWav } from '../../audio/wav.ts';
import { AsyncQueue } from '../../util/async-queue.ts';
import type { SpeechToText, SttEvent, SttStream } from '../types.ts';

// OpenAI transcription (POST /v1/audio/transcriptions, https://platform.openai.com/docs/api-reference/audio/createTranscription)
// takes a whole file, not a stream. The voice session keeps one recognition stream open for the
// whole conversation, so this cuts the caller's audio into utterances itself: a voice activity
// detector finds where speech ends, and each utterance goes out as a WAV file in one multipart
// request whose reply becomes one `final`. `end()` sends whatever speech is still open. No
// interim words: latency is the pause the detector waits for plus one request.

const SAMPLE_RATE = 16_000;
/** Audio kept from before the detector decided speech started (it decides ~250 ms late). */
const PRE_ROLL_MS = 500;

/** Settings for an OpenAI recogniser. */
export interface OpenAISttOptions {
  /** gpt-4o-mini-transcribe, gpt-4o-transcribe, whisper-1, … */
  model: string;
  apiKey: string;
  /** Defaults to https://api.openai.com/v1 (any OpenAI-compatible server works). */
  baseURL?: string;
  fetch?: typeof fetch;
  /** Cuts utterances; default Silero (falls back to the energy detector where it cannot load). */
  vad?: () => VoiceActivity;
}

/** `openai:<model>`: one transcription request per utterance. */
export class OpenAIStt implements SpeechToText {
  readonly id: string;
  readonly sampleRate = SAMPLE_RATE;
  readonly #o: OpenAISttOptions;

  constructor(o: OpenAISttOptions) {
    this.id = `openai:${o.model}`;
    this.#o = o;
  }

  stream(o: { language: string; signal: AbortSignal }): SttStream {
    return new UtteranceStream((pcm, signal) => this.transcribe(pcm, o.language, signal), this.#o.vad ?? defaultVad, o.signal);
  }

  /** Transcribes one utterance of 16 kHz PCM16; returns the text. */
  async transcribe(pcm: Int16Array, language: string, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([encodeWav(pcm, { sampleRate: SAMPLE_RATE })], { type: 'audio/wav' }), 'utterance.wav');
    form.append('model', this.#o.model);
    const lang = openaiLanguage(language); // the API takes ISO-639-1, agent files say BCP-47
    if (lang) form.append('language', lang);
    form.append('response_format', 'json');
    const res = await (this.#o.fetch ?? fetch)(`${(this.#o.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/audio/transcriptions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.#o.apiKey}` },
      body: form,
      signal,
    });
    if (!res.ok) throw await openAIError(res, 'transcription');
    const body = (await res.json()) as { text?: string };
    return (body.text ?? '').trim();
  }
}

function defaultVad(): VoiceActivity {
  try {
    // Behind the noise gate and from the shared pool, like the session's own VAD: a caller holds a detector only while making sound.
    return new GatedVoiceActivity(sharedSileroPool({ ...DEFAULT_VOICE_ACTIVITY, minSilenceMs: 500 }));
  } catch {
    return createEnergyVad({ minSilenceMs: 500 });
  }
}

/** Audio in, one final per utterance out; transcriptions run one at a time, in order. */
class UtteranceStream implements SttStream {
  readonly #events: AsyncQueue<SttEvent>;
  readonly #transcribe: (pcm: Int16Array, signal: AbortSignal) => Promise<string>;
  readonly #stop = new AbortController();
  #vad: VoiceActivity | undefined;
  #buffer: Int16Array[] = [];
  #buffered = 0;
  #speaking = false;
  #samples = 0;
  #ended = false;
  #requests: Promise<void> = Promise.resolve();

  constructor(transcribe: (pcm: Int16Array, signal: AbortSignal) => Promise<string>, vad: () => VoiceActivity, signal: AbortSignal) {
    this.#transcribe = transcribe;
    this.#events = new AsyncQueue<SttEvent>(() => this.#close()); // the reader stopped early
    if (signal.aborted) {
      this.#ended = true;
      this.#events.end();
      return;
    }
    signal.addEventListener('abort', () => this.#close(), { once: true });
    this.#vad = vad();
  }

  push(pcm: Int16Array): void {
    if (this.#ended || !this.#vad) return;
    const copy = pcm.slice(); // callers reuse buffers
    this.#samples += copy.length;
    this.#buffer.push(copy);
    this.#buffered += copy.length;
    for (const e of this.#vad.push(copy)) this.#boundary(e.type);
    if (!this.#speaking && !this.#vad.speaking) this.#trimToPreRoll();
  }

  end(): void {
    if (this.#ended || !this.#vad) return;
    this.#ended = true;
    for (const e of this.#vad.flush()) this.#boundary(e.type);
    this.#vad.close();
    this.#vad = undefined;
    void this.#requests.then(() => this.#events.end());
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#events[Symbol.asyncIterator]();
  }

  #boundary(type: 'speech-start' | 'speech-end'): void {
    if (type === 'speech-start') {
      this.#speaking = true;
      return;
    }
    this.#speaking = false;
    const utterance = concat(this.#buffer);
    this.#buffer = [];
    this.#buffered = 0;
    const signal = this.#stop.signal;
    this.#requests = this.#requests.then(async () => {
      if (signal.aborted) return;
      try {
        const text = await this.#transcribe(utterance, signal);
        if (text && !signal.aborted) this.#events.push({ type: 'final', text, atMs: Math.round((this.#samples * 1000) / SAMPLE_RATE) });
      } catch (e) {
        if (!signal.aborted) this.#events.fail(e);
      }
    });
  }

  /** Outside speech only the last moments are kept, for the next utterance's onset. */
  #trimToPreRoll(): void {
    const keep = (PRE_ROLL_MS * SAMPLE_RATE) / 1000;
    if (this.#buffered <= keep) return;
    this.#buffer = [concat(this.#buffer).slice(this.#buffered - keep)];
    this.#buffered = keep;
  }

  /** Abort or an early stop: drop everything, cancel requests in flight. */
  #close(): void {
    this.#ended = true;
    this.#stop.abort();
    this.#vad?.close();
    this.#vad = undefined;
    this.#buffer = [];
    this.#events.end();
  }
}
