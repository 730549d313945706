import type { EndReason } from '../../store/record-types.ts';
import type { AgentVoice } from './agent-voice.ts';
import type { SessionTimers } from './session-timers.ts';

/** What the agent is saying: the greeting, a model reply, or a fixed line (reprompt, wrap-up, goodbye…). */
export type SayingKind = 'greeting' | 'reply' | 'line';

/** How a saying ended: played out to the caller, cut off (barge-in, time limit, hang-up), or no voice could speak it. */
export type SayingEnd = { how: 'played' } | { how: 'cut' } | { how: 'failed'; error: unknown };

export interface SayingOptions {
  kind: SayingKind;
  words: AsyncIterable<string>;
  voice: AgentVoice;
  timers: SessionTimers;
  /** Whatever writes `words` (the model reply); the saying is over only when it is. */
  writer?: Promise<void>;
  /** The conversation ends with this reason once the saying is over, however it ends (a closing line). */
  thenEnd?: EndReason;
  /** The filler the session slipped into a reply while a tool ran (not the model's words). */
  filler?: { said: string };
  /** Whether the silence timers start again once it has played (not after a reprompt). */
  rearmSilence?: boolean;
  onFirstAudio: () => void;
  /** Cancels it from outside as well (the reply's own abort, shared with the model call). */
  abort?: AbortController;
}

/**
 * One thing the agent says, from the first word queued to the last sample played. `done` always
 * resolves (never rejects), exactly once, when the speech is over — so whoever waits on it can
 * never wait on a promise that is already settled in a loop, and never waits forever.
 */
export class Saying {
  readonly kind: SayingKind;
  readonly thenEnd: EndReason | undefined;
  readonly rearmSilence: boolean;
  readonly abort: AbortController;
  readonly filler: { said: string } | undefined;
  readonly done: Promise<SayingEnd>;
  #voice: AgentVoice;
  #timers: SessionTimers;
  #text = '';
  #over = false;

  constructor(o: SayingOptions) {
    this.kind = o.kind;
    this.thenEnd = o.thenEnd;
    this.rearmSilence = o.rearmSilence ?? true;
    this.abort = o.abort ?? new AbortController();
    this.filler = o.filler;
    this.#voice = o.voice;
    this.#timers = o.timers;
    this.done = this.#run(o).then((end) => ((this.#over = true), end));
  }

  /** True from the moment it ended (before whoever awaits `done` has run): there is nothing left to cut. */
  get over(): boolean {
    return this.#over;
  }

  /** Everything handed to the voice so far (what was said, heard or not). */
  get text(): string {
    return this.#text;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Stops it now (the door's queue is the caller of `AgentVoice.stop`'s business). */
  cut(): void {
    this.abort.abort();
  }

  async #run(o: SayingOptions): Promise<SayingEnd> {
    const signal = this.abort.signal;
    try {
      await this.#voice.speak(this.#tap(o.words), { signal, onFirstAudio: o.onFirstAudio });
    } catch (error) {
      const cut = signal.aborted; // a voice stopped mid-word throws too: that is a cut, not a failure
      this.abort.abort();
      await o.writer;
      return cut ? { how: 'cut' } : { how: 'failed', error };
    }
    await o.writer; // the writer records its own errors; it never rejects
    if (signal.aborted) return { how: 'cut' };
    await this.#playedOut(signal);
    return signal.aborted ? { how: 'cut' } : { how: 'played' };
  }

  async *#tap(words: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const w of words) {
      this.#text += w;
      yield w;
    }
  }

  /** Resolves when the door has played everything queued, or when the saying is cut. */
  #playedOut(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let cancel = () => {};
      const finish = () => {
        cancel();
        signal.removeEventListener('abort', finish);
        resolve();
      };
      signal.addEventListener('abort', finish, { once: true });
      const check = () => {
        const left = this.#voice.remainingMs();
        if (signal.aborted || (left <= 0 && !this.#voice.paused)) return finish();
        cancel = this.#timers.once(this.#voice.paused ? 50 : Math.min(left + 5, 200), check);
      };
      check();
    });
  }
}
