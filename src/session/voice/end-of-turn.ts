// When is a caller done? Voice activity says when they stopped making sound; an end-of-turn
// detector says how likely it is that they stopped *talking* — from the words heard so far, and
// (for an audio model) from how the last second sounded. Turn-taking turns that likelihood into
// how long it waits after speech stops: sure they're done → the quick delay, sure they're not →
// the longest, anything between → the ordinary delay.

/** What a detector sees when the caller goes quiet. */
export interface EndOfTurnInput {
  /** The caller's words of this turn so far, as the recogniser heard them. */
  text: string;
  /** BCP-47 language of the conversation. */
  language: string;
  /** The turn's most recent audio (16 kHz mono PCM16), for detectors that listen; text detectors ignore it. */
  audio?: Int16Array;
}

/**
 * Decides how likely it is that the caller has finished their turn. Must be synchronous and fast
 * (it runs on the audio path); `undefined` means "no opinion" (e.g. a language it does not know),
 * and turn-taking then uses the fixed delays.
 *
 * An audio model (Pipecat's Smart Turn v3) would implement this over the `audio` field; none is
 * shipped — see docs/turn-taking.md for why.
 */
export interface EndOfTurnDetector {
  readonly id: string;
  probability(input: EndOfTurnInput): number | undefined;
}

/** The delays a probability picks between. */
export interface EndpointingDelays {
  quickEndpointingDelayMs: number;
  minEndpointingDelayMs: number;
  maxEndpointingDelayMs: number;
}

/** At or above this the caller is taken to be done; at or below `UNFINISHED` to be mid-thought. */
export const DONE = 0.8;
export const UNFINISHED = 0.2;

/** The silence to wait after speech stops, for a detector's probability. */
export function delayFor(p: number | undefined, d: EndpointingDelays, fallback: number = d.minEndpointingDelayMs): number {
  if (p === undefined || Number.isNaN(p)) return fallback;
  if (p >= DONE) return Math.min(d.quickEndpointingDelayMs, d.minEndpointingDelayMs);
  if (p <= UNFINISHED) return Math.max(d.maxEndpointingDelayMs, d.minEndpointingDelayMs);
  return d.minEndpointingDelayMs;
}
