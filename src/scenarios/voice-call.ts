import { concat } from '../audio/frame.ts';
import { createResampler } from '../audio/resample.ts';
import type { ClientEvent } from '../channels/channel.ts';
import type { Conversation } from '../session/conversation.ts';
import { VoiceSession } from '../session/voice/voice-session.ts';
import { CallerLine } from './caller-line.ts';
import type { Patience, ScenarioSpeech } from './voice-speech.ts';
import { errorText } from '../util/error-text.ts';

// A scenario in voice mode: the real VoiceSession (VAD, speech-to-text, turn-taking, the
// Conversation, text-to-speech) runs on a CallerLine, and the caller speaks its turns into it
// with a local voice, one at a time, each after the agent has finished speaking.

/**
 * How long the caller waits: for the first message to be spoken; after it stops speaking, for the
 * agent to take the turn (endpointing + speech-to-text, up to maxEndpointingDelayMs on a trailing
 * word); for the answer to a taken turn (model, tools, voice).
 */
const PATIENCE: Patience = { greetingMs: 30_000, takeTurnMs: 15_000, answerMs: 120_000 };

/** Something went wrong on the line: the message says what, for the caller turn `turn`. */
export class VoiceCallError extends Error {
  readonly turn: number | undefined;
  constructor(message: string, turn?: number) {
    super(message);
    this.name = 'VoiceCallError';
    this.turn = turn;
  }
}

/** One voice conversation between a scripted (or simulated) caller and the agent. */
export class VoiceCall {
  readonly line: CallerLine;
  /** What the caller said, line by line. */
  readonly said: string[] = [];
  /** For each turn the agent took, in order: the index in `said` of the line the caller was on. */
  readonly taken: number[] = [];
  #speech: ScenarioSpeech;
  #patience: Patience;
  #vad: ReturnType<ScenarioSpeech['vad']>;
  #abort = new AbortController();
  #signal: AbortSignal;
  #running: Promise<void>;
  #crashed: Promise<never>;
  /** Why the session ended the call (its `end` event): 'agent ended', 'caller hung up', 'speech failed'… */
  endReason: string | undefined;
  #state: string | undefined;
  #ended = false;

  constructor(o: { conversation: Conversation; speech: ScenarioSpeech; signal: AbortSignal }) {
    const { config } = o.conversation.agent;
    this.#speech = o.speech;
    this.#patience = { ...PATIENCE, ...o.speech.patience };
    this.#signal = AbortSignal.any([o.signal, this.#abort.signal]);
    this.#vad = o.speech.vad();
    this.line = new CallerLine({ onEvent: (e) => this.#see(e) });
    const session = new VoiceSession({
      conversation: o.conversation,
      channel: this.line,
      stt: o.speech.stt,
      tts: o.speech.tts,
      vad: this.#vad,
      resampler: createResampler,
      voice: { voiceId: o.speech.voiceId, speed: config.voice.speed, language: config.persona.language },
      language: config.persona.language,
      turn: config.listen.turn,
      silenceReprompt: config.listen.silenceReprompt,
      silenceEnd: config.listen.silenceEnd,
      maxDurationSec: config.limits.maxDurationSec,
    });
    this.#running = session.run(this.#signal);
    // A session that fails (no recogniser, a voice that errors) fails whatever the caller waits for.
    this.#crashed = this.#running.then(
      () => new Promise<never>(() => {}),
      (e: unknown) => {
        throw new VoiceCallError(`the voice session failed: ${errorText(e)}`);
      },
    );
    this.#crashed.catch(() => {});
  }

  /** Waits until the first message has been spoken (or the agent ended the call). */
  async start(): Promise<void> {
    const ok = await this.#wait(() => this.#state === 'listening' || this.#ended, this.#patience.greetingMs);
    if (!ok) throw new VoiceCallError(`the agent's first message was not spoken within ${seconds(this.#patience.greetingMs)} (voice: ${this.#speech.tts.id})`);
  }

  /** The caller says `text` and waits until the agent has answered it (or ended the call). */
  async say(text: string): Promise<void> {
    const index = this.said.push(text) - 1;
    const k = index + 1;
    const pcm = await this.#voice(text, k);
    const takenBefore = this.taken.length;
    const heardFrom = this.line.events.length;
    await Promise.race([this.line.say(pcm), this.#crashed]);
    if (this.#ended) return;
    // A turn taken while the caller was still speaking means a pause inside the line ended it
    // early: the rest of the line will be taken as a turn of its own, so wait for that one too.
    const early = this.taken.length - takenBefore;
    const took = await this.#wait(() => this.taken.length > takenBefore + early || this.#ended, this.#patience.takeTurnMs);
    if (!took && !early) {
      const heard = this.line.events.slice(heardFrom).flatMap((e) => (e.type === 'transcript' && e.final ? [e.text] : []));
      throw new VoiceCallError(
        `the agent never took caller turn ${k} ("${text}"): its speech-to-text (${this.#speech.stt.id}) heard ${heard.length ? `only "${heard.join(' ')}"` : 'nothing'} within ${seconds(this.#patience.takeTurnMs)} of the caller stopping`,
        k,
      );
    }
    const answered = await this.#wait(() => this.#state === 'listening' || this.#ended, this.#patience.answerMs);
    if (!answered) throw new VoiceCallError(`the agent did not finish answering caller turn ${k} within ${seconds(this.#patience.answerMs)}`, k);
  }

  /** The caller hangs up and the session winds down (ending the conversation, if the agent has not). */
  async hangUp(): Promise<void> {
    this.line.hangUp();
    await Promise.race([this.#running, this.#crashed]);
  }

  /** Stops everything, whatever state it is in; safe to call twice. */
  async close(): Promise<void> {
    this.line.hangUp();
    this.#abort.abort(new Error('the scenario run is over'));
    await this.#running.catch(() => {});
    this.#vad.close?.();
  }

  /** The caller's words as 16 kHz audio in the caller's voice. */
  async #voice(text: string, k: number): Promise<Int16Array> {
    const { tts, voiceId, label } = this.#speech.caller;
    const chunks: Int16Array[] = [];
    try {
      for await (const c of tts.speak(once(text), { voice: { voiceId, speed: 1 }, signal: this.#signal })) chunks.push(c);
    } catch (e) {
      if (this.#signal.aborted) throw e;
      throw new VoiceCallError(`the caller's voice (${label}) could not say turn ${k}: ${errorText(e)}`, k);
    }
    const pcm = concat(chunks);
    return tts.sampleRate === this.line.inputSampleRate ? pcm : createResampler(tts.sampleRate, this.line.inputSampleRate)(pcm);
  }

  #wait(holds: () => boolean, timeoutMs: number): Promise<boolean> {
    return Promise.race([this.line.until(holds, timeoutMs, this.#signal), this.#crashed]);
  }

  #see(e: ClientEvent): void {
    if (e.type === 'state') {
      this.#state = e.state;
      // The session says "thinking" as it commits a caller turn, right before the Conversation records it.
      if (e.state === 'thinking') this.taken.push(Math.max(0, this.said.length - 1));
    } else if (e.type === 'end') {
      this.#ended = true;
      this.endReason = e.reason;
    }
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}
