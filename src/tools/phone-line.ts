// What a live phone call lets tools do. The phone door implements it (src/server/phone-line.ts);
// on the web and in text there is none, and the phone tools say so.

/** How a hand-off ended: the person took the call, or why not. */
export type TransferOutcome = 'connected' | 'no answer' | 'busy' | 'failed';

/** One hand-off to a person. */
export interface TransferRequest {
  /** E.164. */
  number: string;
  mode: 'warm' | 'cold';
  /** Spoken to the person when they answer (warm). */
  brief: string;
  /** Said to the caller as the hand-off starts. */
  holdMessage: string;
  holdMusic?: string;
  timeoutSec: number;
}

/** The phone call a conversation runs on. */
export interface PhoneLine {
  /** Hands the caller over; resolves when the person answered (the agent has left) or did not (the caller is back with the agent). */
  transfer(request: TransferRequest, signal: AbortSignal): Promise<{ outcome: TransferOutcome; detail?: string }>;
  /** Plays DTMF digits on the call (0-9 * # A-D, `w` a half-second pause); resolves when the agent hears the call again. */
  pressKeys(digits: string, signal: AbortSignal): Promise<void>;
}
