import type { EndReason } from '../../store/record-types.ts';
import type { Channel } from '../../channels/channel.ts';
import type { SpeechToText, SttStream, TextToSpeech, VoiceConfig } from '../../speech/types.ts';
import type { Conversation } from '../conversation.ts';
import { AgentVoice, type ResamplerFactory } from './agent-voice.ts';
import { TextQueue } from './text-queue.ts';
import { TurnTaking, type Timers, type TurnSettings } from './turn-taking.ts';
import { errorText } from '../../util/error-text.ts';

/** Finds where speech starts and ends in 16 kHz caller audio. */
export interface SpeechDetector {
  push(pcm16k: Int16Array): { type: 'speech-start' | 'speech-end'; atMs: number }[];
}

/** Everything a voice conversation needs; the door, the ears, the mouth and the brain. */
export interface VoiceSessionOptions {
  conversation: Conversation;
  channel: Channel;
  stt: SpeechToText;
  tts: TextToSpeech;
  vad: SpeechDetector;
  resampler: ResamplerFactory;
  voice: VoiceConfig;
  language: string;
  turn: TurnSettings;
  /** Seconds of caller silence before a reprompt, and before ending politely. */
  silenceReprompt: number;
  silenceEnd: number;
  /** Hard limit on the conversation's length (limits.maxDurationSec); the agent wraps up shortly before. */
  maxDurationSec?: number;
  /** Receives caller and agent audio with their session time, for the stereo recording. */
  onAudio?: (who: 'caller' | 'agent', pcm: Int16Array, sampleRate: number, atMs: number) => void;
  timers?: Timers;
  now?: () => number;
}

const FILLER_AFTER_MS = 1500;
const FILLERS: Record<string, string> = {
  check_availability: "One moment, I'm checking the calendar. ",
  book_call: "One moment, I'm booking that for you. ",
  search_knowledge: 'Let me look that up. ',
};
const REPROMPT = 'Are you still there?';
const CANNOT_HEAR = "Sorry, I'm having trouble hearing you right now. Please try again a little later. Goodbye!";
const WRAP_UP = "We're almost out of time for this call, so let's wrap up.";
const TIME_UP = "We've reached the time limit for this call. Thank you for calling, goodbye!";
const GOODBYE = "I haven't heard anything for a while, so I'll end the call here. Thanks for calling, goodbye!";

/** A turn the agent is answering: its cancel switch and when it is fully queued. */
interface AgentTurn {
  abort: AbortController;
  done: Promise<void>;
}

/**
 * One voice conversation: caller audio → VAD + STT → turn-taking → Conversation (model, tools)
 * → clause chunker → TTS → door, with barge-in, false-interruption resume, fillers during slow
 * tools, silence handling and per-turn latency. The session is the only place that knows turns.
 */
export class VoiceSession {
  #o: VoiceSessionOptions;
  #voice: AgentVoice;
  #turns: TurnTaking;
  #current: AgentTurn | undefined;
  #ended = false;
  #silence: unknown[] = [];
  #timers: Timers;
  #now: () => number;
  #t0: number;
  #finished!: () => void;
  #done = new Promise<void>((r) => (this.#finished = r));

  constructor(o: VoiceSessionOptions) {
    this.#o = o;
    this.#timers = o.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.#now = o.now ?? (() => performance.now());
    this.#t0 = this.#now();
    this.#voice = new AgentVoice({
      channel: o.channel,
      tts: o.tts,
      voice: o.voice,
      resampler: o.resampler,
      onQueued: (pcm, rate, inMs) => o.onAudio?.('agent', pcm, rate, this.clockMs + inMs),
    });
    this.#turns = new TurnTaking(
      o.turn,
      {
        turn: (text, timing) => void this.#respond(text, timing.speechEndMs),
        pause: () => this.#voice.pause(),
        resume: () => this.#voice.resume(),
        interrupt: () => void this.#interrupt(),
      },
      this.#timers,
    );
  }

  /** Session time in ms since the session started. */
  get clockMs(): number {
    return this.#now() - this.#t0;
  }

  /** Runs the conversation until the agent ends it or the caller hangs up. */
  async run(signal: AbortSignal): Promise<void> {
    const { conversation, channel } = this.#o;
    const first = await conversation.start();
    // The greeting comes from the file and goes out at once: it cannot fail to fire.
    this.#current = this.#speakTurn(single(first), null);
    this.#ears = this.#openEars(signal);
    const hearing = this.#hear(signal);
    const listening = this.#listen(signal);
    signal.addEventListener('abort', () => void this.#end('server stopped'), { once: true });
    this.#armDeadline();
    await Promise.race([this.#done, listening.then(() => this.#end('caller hung up'))]);
    this.#ears.end();
    await hearing.catch(() => {});
    channel.close(this.#ended ? 'ended' : 'closed');
  }

  #ears!: SttStream;

  #openEars(signal: AbortSignal): SttStream {
    return this.#o.stt.stream({ language: this.#o.language, signal });
  }

  async #listen(signal: AbortSignal): Promise<void> {
    const { channel, vad, resampler, onAudio } = this.#o;
    const to16k = channel.inputSampleRate === 16000 ? (pcm: Int16Array) => pcm : resampler(channel.inputSampleRate, 16000);
    for await (const frame of channel.audio()) {
      if (signal.aborted || this.#ended) break;
      const pcm = to16k(frame);
      onAudio?.('caller', pcm, 16000, this.clockMs);
      for (const e of vad.push(pcm)) {
        if (e.type === 'speech-start') {
          this.#clearSilence();
          this.#turns.speechStart(this.clockMs);
        } else this.#turns.speechEnd(this.clockMs);
      }
      this.#ears.push(pcm);
      this.#o.conversation.usage.addSpeechIn(this.#o.stt.id, pcm.length / 16000);
    }
  }

  /**
   * Reads the recogniser. A stream that fails is recorded and reopened once (a dropped vendor
   * socket); a second failure means the agent cannot hear, so it says so and ends the call.
   */
  async #hear(signal: AbortSignal): Promise<void> {
    for (let failures = 0; ; ) {
      try {
        for await (const e of this.#ears) {
          if (this.#ended) return;
          this.#o.channel.send({ type: 'transcript', role: 'caller', text: e.text, final: e.type === 'final' });
          this.#finalAtMs = e.type === 'final' ? this.clockMs : this.#finalAtMs;
          this.#turns.transcript({ ...e, atMs: this.clockMs });
        }
        return;
      } catch (e) {
        if (this.#ended || signal.aborted) return;
        this.#o.conversation.noteError(`stt:${this.#o.stt.id}`, e);
        if (++failures > 1) return void this.#cannotGoOn(CANNOT_HEAR, 'speech recognition failed');
        this.#ears = this.#openEars(signal);
      }
    }
  }

  #finalAtMs: number | null = null;

  /** The caller finished a turn: answer it, streaming words into speech. */
  async #respond(text: string, speechEndMs: number | null): Promise<void> {
    if (this.#ended) return;
    this.#clearSilence();
    if (this.#current) void this.#interrupt();
    // The cut-back of an interrupted turn must land before the next turn starts.
    await this.#interrupting;
    const committedMs = this.clockMs;
    const lat: Record<string, number | null> = { speechEndMs, sttFinalMs: this.#finalAtMs, committedMs, llmFirstTokenMs: null, ttsFirstAudioMs: null };
    this.#o.channel.send({ type: 'state', state: 'thinking' });
    const abort = new AbortController();
    const words = new TextQueue();
    let filler: unknown;
    let fillerUsed = false;
    const produce = (async () => {
      try {
        for await (const out of this.#o.conversation.reply(text, { signal: abort.signal })) {
          if (out.type === 'text') {
            lat.llmFirstTokenMs ??= this.clockMs;
            this.#timers.clear(filler);
            words.push(out.text);
            this.#o.channel.send({ type: 'agent_text', text: out.text, final: false });
          } else if (out.type === 'tool-start' && !fillerUsed) {
            filler = this.#timers.set(() => {
              fillerUsed = true;
              words.push(FILLERS[out.name] ?? 'One moment. ');
            }, FILLER_AFTER_MS);
          } else if (out.type === 'tool') {
            this.#timers.clear(filler);
            this.#o.channel.send({ type: 'tool', name: out.name });
          }
        }
      } finally {
        this.#timers.clear(filler);
        words.close();
      }
    })();
    const turn = this.#speakTurn(words, lat, abort, produce);
    this.#current = turn;
    await turn.done;
  }

  #speakTurn(words: AsyncIterable<string>, lat: Record<string, number | null> | null, abort = new AbortController(), produce: Promise<void> = Promise.resolve()): AgentTurn {
    const done = (async () => {
      try {
        await this.#voice.speak(words, {
          signal: abort.signal,
          onFirstAudio: () => {
            if (lat) lat.ttsFirstAudioMs = this.clockMs;
            this.#turns.agentSpeaking(true);
            this.#o.channel.send({ type: 'state', state: 'speaking' });
          },
        });
      } catch (e) {
        // Every voice failed: the words still reach the captions and the record, then the call ends.
        abort.abort();
        await produce.catch(() => {});
        this.#o.conversation.noteError('voice', new Error(`no voice could speak: ${errorText(e)}`));
        this.#o.channel.send({ type: 'agent_text', text: this.#voice.fullText(), final: true });
        this.#current = undefined;
        return void this.#end('speech failed');
      }
      await produce.catch(() => {});
      this.#o.conversation.usage.addSpeechOut(this.#o.tts.id, this.#voice.fullText().length);
      if (abort.signal.aborted) return;
      if (lat) this.#o.conversation.noteLatency(stages(lat));
      this.#o.channel.send({ type: 'agent_text', text: this.#voice.fullText(), final: true });
      await this.#playedOut(abort.signal);
      if (abort.signal.aborted) return;
      this.#turns.agentSpeaking(false);
      this.#current = undefined;
      if (this.#o.conversation.ended) return this.#end('agent ended');
      this.#o.channel.send({ type: 'state', state: 'listening' });
      this.#armSilence();
    })();
    return { abort, done };
  }

  /** Resolves when the door has played everything queued (or the turn was cancelled). */
  #playedOut(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const left = this.#voice.remainingMs();
        if (signal.aborted || (left <= 0 && !this.#voice.paused)) resolve();
        else this.#timers.set(check, this.#voice.paused ? 50 : Math.min(left + 5, 200));
      };
      check();
    });
  }

  #interrupting: Promise<void> = Promise.resolve();

  /** The caller really interrupted: stop speaking at once and keep only what was heard. */
  #interrupt(): Promise<void> {
    const turn = this.#current;
    if (!turn) return this.#interrupting;
    this.#current = undefined;
    this.#interrupting = this.#cutBack(turn);
    return this.#interrupting;
  }

  async #cutBack(turn: AgentTurn): Promise<void> {
    const heard = this.#voice.stop(); // clears the door's queue: silence within a frame
    turn.abort.abort();
    this.#turns.agentSpeaking(false);
    // Captions end where the caller stopped hearing, as the record does.
    this.#o.channel.send({ type: 'agent_text', text: heard, final: true });
    this.#o.channel.send({ type: 'state', state: 'listening' });
    await turn.done;
    await this.#o.conversation.interrupted(heard);
  }

  #armSilence(): void {
    this.#clearSilence();
    const { silenceReprompt, silenceEnd } = this.#o;
    this.#silence.push(
      this.#timers.set(() => void this.#sayFixed(REPROMPT, false), silenceReprompt * 1000),
      this.#timers.set(() => void this.#sayFixed(GOODBYE, true), silenceEnd * 1000),
    );
  }

  #clearSilence(): void {
    for (const h of this.#silence) this.#timers.clear(h);
    this.#silence = [];
  }

  async #sayFixed(text: string, thenEnd: boolean): Promise<void> {
    if (this.#ended || this.#current) return;
    await this.#o.conversation.say(text);
    const abort = new AbortController();
    this.#current = { abort, done: Promise.resolve() };
    try {
      await this.#voice.speak(single(text), { signal: abort.signal, onFirstAudio: () => this.#turns.agentSpeaking(true) });
    } catch (e) {
      this.#current = undefined;
      this.#o.conversation.noteError('voice', new Error(`no voice could speak: ${errorText(e)}`));
      this.#o.channel.send({ type: 'agent_text', text, final: true });
      return void (await this.#end('speech failed'));
    }
    this.#o.conversation.usage.addSpeechOut(this.#o.tts.id, text.length);
    await this.#playedOut(abort.signal);
    this.#turns.agentSpeaking(false);
    this.#current = undefined;
    if (thenEnd) await this.#end('silence');
  }

  /**
   * limits.maxDurationSec: shortly before the limit the agent says it must wrap up (after the turn
   * it is speaking, never over it); at the limit it cuts in, says goodbye and ends the call.
   */
  #armDeadline(): void {
    const max = this.#o.maxDurationSec;
    if (!max) return;
    const lead = Math.min(30, max * 0.1);
    this.#deadline.push(
      this.#timers.set(() => void this.#wrapUp(), (max - lead) * 1000),
      this.#timers.set(() => void this.#timeUp(), max * 1000),
    );
  }

  #deadline: unknown[] = [];

  async #wrapUp(): Promise<void> {
    while (this.#current && !this.#ended) await this.#current.done;
    await this.#sayFixed(WRAP_UP, false);
  }

  async #timeUp(): Promise<void> {
    if (this.#ended) return;
    await this.#interrupt();
    this.#clearSilence();
    await this.#sayFixed(TIME_UP, false);
    await this.#end('time limit');
  }

  /** Something the call cannot do without (hearing): say so, if the voice still works, and end. */
  async #cannotGoOn(words: string, reason: EndReason): Promise<void> {
    await this.#interrupt();
    this.#clearSilence();
    await this.#sayFixed(words, false);
    await this.#end(reason);
  }

  async #end(reason: EndReason): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    for (const h of this.#deadline) this.#timers.clear(h);
    this.#clearSilence();
    this.#turns.close();
    this.#current?.abort.abort();
    await this.#o.conversation.end(reason);
    this.#o.channel.send({ type: 'end', reason });
    this.#finished();
  }
}

/** Stage-to-stage latencies of a turn from its timestamps (null where a stage did not happen). */
function stages(t: Record<string, number | null>): Record<string, number | null> {
  const d = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((b - a) * 10) / 10);
  const end = t.speechEndMs ?? t.committedMs;
  return {
    endpointingMs: d(end, t.committedMs),
    sttFinalMs: d(end, t.sttFinalMs),
    llmFirstTokenMs: d(t.committedMs, t.llmFirstTokenMs),
    ttsFirstAudioMs: d(t.llmFirstTokenMs, t.ttsFirstAudioMs),
    voiceToVoiceMs: d(end, t.ttsFirstAudioMs),
  };
}

async function* single(text: string): AsyncGenerator<string> {
  yield text;
}
