import type { SttEvent } from '../../speech/types.ts';
import { realClock, type Timers } from './clock.ts';
import { delayFor, type EndOfTurnDetector } from './end-of-turn.ts';
import { TextEndOfTurn } from './text-end-of-turn.ts';

export type { Timers } from './clock.ts';

// When has the caller finished, and when are they really interrupting? One state machine fed
// by the VAD, the recogniser and whether the agent is speaking; it decides, the session acts.
//
// - Endpointing, by `detector`:
//   fixed — a turn ends `minEndpointingDelayMs` after the last final when the words look finished,
//           `maxEndpointingDelayMs` when they trail off ("…and", "so um");
//   text  — an end-of-turn detector reads what was heard: done-sounding words end the turn
//           `quickEndpointingDelayMs` after speech stopped, unfinished ones wait up to the max,
//           the rest the min (counted from when speech stopped, so a slow final adds nothing);
//   flux  — the recogniser decides (Deepgram Flux): its EndOfTurn ends the turn at once, an
//           EagerEndOfTurn ends it after `quickEndpointingDelayMs` unless TurnResumed comes first.
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
  /** Who decides the end of a turn; `auto` is `flux` with a recogniser that ends turns, else `text`. Default `fixed`. */
  detector?: TurnDetector;
  /** Silence after done-sounding words (text) or after an eager end (flux) before the turn ends. */
  quickEndpointingDelayMs?: number;
}

/** `listen.turn.detector`. */
export type TurnDetector = 'auto' | 'fixed' | 'text' | 'flux';

/** What turn-taking knows beyond its settings: the language, the recogniser's kind, a detector to use. */
export interface TurnContext {
  language?: string;
  /** The recogniser reports end of turn itself (SttEvent.endOfTurn). */
  recogniserEndsTurns?: boolean;
  /** Replaces the built-in text detector (an audio model, a test double). */
  endOfTurn?: EndOfTurnDetector;
}

/** The detector a setting resolves to for a recogniser. */
export function resolveDetector(setting: TurnDetector | undefined, recogniserEndsTurns: boolean): 'fixed' | 'text' | 'flux' {
  if (setting === 'auto') return recogniserEndsTurns ? 'flux' : 'text';
  if (setting === 'flux' && !recogniserEndsTurns) return 'text'; // `parley check` refuses this; at run time, the next best
  return setting ?? 'fixed';
}

/** Wait this long past the max for a Flux end of turn before ending on what was heard (a lost socket, a silent vendor). */
const FLUX_SAFETY_MS = 1500;

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
  #mode: 'fixed' | 'text' | 'flux';
  #detector: EndOfTurnDetector;
  #language: string;
  /** Flux: the part of the recogniser's running turn transcript already handed on as a turn (after an eager end). */
  #committed = '';

  constructor(settings: TurnSettings, decisions: TurnDecisions, timers: Timers = realClock, context: TurnContext = {}) {
    this.#s = settings;
    this.#d = decisions;
    this.#t = timers;
    this.#backchannels = new Set(settings.backchannels.map(normalize));
    this.#mode = resolveDetector(settings.detector, context.recogniserEndsTurns ?? false);
    this.#detector = context.endOfTurn ?? new TextEndOfTurn();
    this.#language = context.language ?? 'en';
  }

  /** The detector in use: fixed, text or flux. */
  get detector(): 'fixed' | 'text' | 'flux' {
    return this.#mode;
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
    if (this.#mode === 'flux' && e.endOfTurn === 'resumed') {
      this.#cancel('end'); // not done after all: the eager end is off
      if (!e.text.trim()) return;
    }
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
    if (this.#mode === 'flux') return this.#fluxWords(e, words);
    if (e.type !== 'final') return;
    this.#text = this.#text ? `${this.#text} ${words}` : words;
    if (this.#caller === 'silent') this.#scheduleEnd(e.atMs);
  }

  /** Drops pending timers (conversation over). */
  close(): void {
    this.#cancel('end', 'pause', 'resume');
  }

  /** Flux: the recogniser's running transcript of the turn, and its calls on when the turn ends. */
  #fluxWords(e: SttEvent, words: string): void {
    const fresh = this.#committed && words.startsWith(this.#committed) ? words.slice(this.#committed.length).trim() : words;
    this.#text = fresh;
    if (e.endOfTurn === 'end') {
      this.#cancel('end');
      this.#committed = '';
      return this.#endTurn(e.atMs);
    }
    if (e.endOfTurn === 'eager') {
      this.#start('end', () => {
        this.#committed = words;
        this.#endTurn(e.atMs);
      }, this.#quick());
      return;
    }
    // Words that came after the VAD's speech end still need the safety net.
    if (this.#caller === 'silent' && !this.#timers.has('end')) this.#scheduleEnd(e.atMs);
  }

  #scheduleEnd(finalMs = this.#speechEndMs ?? 0): void {
    if (!this.#text) return;
    let delay: number;
    if (this.#mode === 'flux') {
      // The recogniser ends the turn; this only catches a recogniser that never does.
      delay = this.#s.maxEndpointingDelayMs + FLUX_SAFETY_MS;
    } else if (this.#mode === 'text') {
      const p = this.#detector.probability({ text: this.#text, language: this.#language });
      const fixed = TRAILING.test(this.#text) ? this.#s.maxEndpointingDelayMs : this.#s.minEndpointingDelayMs;
      const wanted = delayFor(p, { quickEndpointingDelayMs: this.#quick(), minEndpointingDelayMs: this.#s.minEndpointingDelayMs, maxEndpointingDelayMs: this.#s.maxEndpointingDelayMs }, fixed);
      // Counted from when speech stopped: a final that came late has already used part of it.
      delay = p === undefined ? fixed : Math.max(0, wanted - Math.max(0, finalMs - (this.#speechEndMs ?? finalMs)));
    } else {
      delay = TRAILING.test(this.#text) ? this.#s.maxEndpointingDelayMs : this.#s.minEndpointingDelayMs;
    }
    this.#start('end', () => this.#endTurn(finalMs), delay);
  }

  #endTurn(finalMs: number): void {
    const text = this.#text;
    this.#text = '';
    if (text) this.#d.turn(text, { speechEndMs: this.#speechEndMs, finalMs });
  }

  #quick(): number {
    return Math.min(this.#s.quickEndpointingDelayMs ?? 0, this.#s.minEndpointingDelayMs);
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
