import type { SttEvent } from '../../speech/types.ts';
import { realClock, type Timers } from './clock.ts';

export type { Timers } from './clock.ts';

// When has the caller finished, and when are they really interrupting? One state machine fed
// by the VAD, the recogniser and whether the agent is speaking; it decides, the session acts.
//
// - Endpointing: a turn ends `minEndpointingDelayMs` after speech stops when the words look
//   finished, `maxEndpointingDelayMs` when they trail off ("…and", "so um").
// - Interruption: while the agent speaks, caller speech longer than `minInterruptionMs` pauses
//   the agent; `minInterruptionWords` real words (not backchannels like "mm-hmm") confirm it.
// - False interruption: a pause that brings no words within `falseInterruptionTimeoutMs` of the
//   noise ending resumes the agent where it stopped.

/** The turn settings from agent.yaml `listen.turn`. */
export interface TurnSettings {
  minEndpointingDelayMs: number;
  maxEndpointingDelayMs: number;
  minInterruptionMs: number;
  minInterruptionWords: number;
  backchannels: string[];
  falseInterruptionTimeoutMs: number;
}

/** What the state machine decides; the session carries it out. */
export interface TurnDecisions {
  /** The caller finished a turn. */
  turn(text: string, timing: { speechEndMs: number | null; finalMs: number }): void;
  /** Caller speech while the agent talks: stop playing for now, remember where. */
  pause(): void;
  /** It was only noise: play on from where the agent paused. */
  resume(): void;
  /** Real words: the agent yields; the caller's words become the next turn. */
  interrupt(): void;
}


const TRAILING = /\b(and|but|or|so|because|um|uh|er|like|the|a|to|with|of|for|my|is|if|then)\s*$/i;

/** Decides turn ends and interruptions from speech events. */
export class TurnTaking {
  #s: TurnSettings;
  #d: TurnDecisions;
  #t: Timers;
  #backchannels: Set<string>;
  #text = '';
  /** The caller, per the VAD. */
  #caller: 'silent' | 'speaking' = 'silent';
  /** The agent: quiet, speaking, or paused by caller speech that may yet prove to be noise. */
  #agent: 'quiet' | 'speaking' | 'paused' = 'quiet';
  #speechStartMs = 0;
  #speechEndMs: number | null = null;
  #timers = new Map<'end' | 'pause' | 'resume', unknown>();

  constructor(settings: TurnSettings, decisions: TurnDecisions, timers: Timers = realClock) {
    this.#s = settings;
    this.#d = decisions;
    this.#t = timers;
    this.#backchannels = new Set(settings.backchannels.map(normalize));
  }

  /** The agent started or stopped playing audio. */
  agentSpeaking(on: boolean): void {
    if (on) {
      if (this.#agent === 'quiet') this.#agent = 'speaking';
      return;
    }
    this.#agent = 'quiet';
    this.#cancel('pause', 'resume');
  }

  speechStart(atMs: number): void {
    this.#caller = 'speaking';
    this.#speechStartMs = atMs;
    this.#cancel('end', 'resume');
    if (this.#agent === 'speaking') {
      this.#start('pause', () => {
        if (this.#caller === 'speaking' && this.#agent === 'speaking') {
          this.#agent = 'paused';
          this.#d.pause();
        }
      }, this.#s.minInterruptionMs);
    }
  }

  speechEnd(atMs: number): void {
    this.#caller = 'silent';
    this.#speechEndMs = atMs;
    this.#cancel('pause');
    if (this.#agent === 'paused') {
      this.#start('resume', () => {
        if (this.#agent === 'paused' && this.#caller === 'silent') {
          this.#agent = 'speaking';
          this.#text = '';
          this.#d.resume();
        }
      }, this.#s.falseInterruptionTimeoutMs);
      return;
    }
    this.#scheduleEnd();
  }

  /** A recogniser event; interim words can confirm an interruption, final words make the turn. */
  transcript(e: SttEvent): void {
    const words = e.text.trim();
    if (!words) return;
    if (this.#agent !== 'quiet') {
      if (this.#isBackchannel(words)) return; // "mm-hmm" while the agent talks is not a turn
      const heardEnough = this.#agent === 'paused' || e.atMs - this.#speechStartMs >= this.#s.minInterruptionMs || this.#caller === 'silent';
      if (wordCount(words) >= this.#s.minInterruptionWords && heardEnough) {
        this.#cancel('pause', 'resume');
        this.#agent = 'quiet';
        this.#d.interrupt();
      } else return;
    }
    if (e.type !== 'final') return;
    this.#text = this.#text ? `${this.#text} ${words}` : words;
    if (this.#caller === 'silent') this.#scheduleEnd(e.atMs);
  }

  /** Drops pending timers (conversation over). */
  close(): void {
    this.#cancel('end', 'pause', 'resume');
  }

  #scheduleEnd(finalMs = this.#speechEndMs ?? 0): void {
    if (!this.#text) return;
    const delay = TRAILING.test(this.#text) ? this.#s.maxEndpointingDelayMs : this.#s.minEndpointingDelayMs;
    this.#start('end', () => {
      const text = this.#text;
      this.#text = '';
      if (text) this.#d.turn(text, { speechEndMs: this.#speechEndMs, finalMs });
    }, delay);
  }

  #isBackchannel(text: string): boolean {
    const n = normalize(text);
    return this.#backchannels.has(n) || n.split(' ').every((w) => this.#backchannels.has(w));
  }

  #start(which: 'end' | 'pause' | 'resume', fn: () => void, ms: number): void {
    this.#cancel(which);
    if (ms <= 0) return fn(); // a timer would still cost a millisecond or more
    this.#timers.set(which, this.#t.set(() => {
      this.#timers.delete(which);
      fn();
    }, ms));
  }

  #cancel(...which: ('end' | 'pause' | 'resume')[]): void {
    for (const w of which) {
      if (this.#timers.has(w)) this.#t.clear(this.#timers.get(w));
      this.#timers.delete(w);
    }
  }
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s+/g, ' ').trim();
}

function wordCount(text: string): number {
  return normalize(text).split(' ').filter(Boolean).length;
}
