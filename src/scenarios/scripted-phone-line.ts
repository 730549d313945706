import type { PhoneLine, TransferOutcome, TransferRequest } from '../tools/phone-line.ts';

// The phone line of a scenario run as a phone call (`door: phone`): what the real line would
// answer, scripted. A hand-off gets the scenario's `stubs.transfer` outcomes in order (the last
// repeats), and keys the agent presses are only recorded. Nothing is dialled.

/** The outcomes a scenario may script for a hand-off; `outside hours` comes from the tool itself (the destination's hours against the scenario's clock). */
export const SCRIPTED_TRANSFER_OUTCOMES = ['connected', 'no answer', 'busy', 'failed'] as const satisfies readonly TransferOutcome[];

/** A PhoneLine that answers from a script and remembers what was asked of it. */
export class ScriptedPhoneLine implements PhoneLine {
  /** Every hand-off the agent started, in order. */
  readonly transfers: TransferRequest[] = [];
  /** Every key sequence the agent pressed, in order. */
  readonly pressed: string[] = [];
  readonly #outcomes: readonly TransferOutcome[];

  constructor(outcomes: readonly TransferOutcome[] = ['connected']) {
    this.#outcomes = outcomes.length ? outcomes : ['connected'];
  }

  async transfer(request: TransferRequest, signal: AbortSignal): Promise<{ outcome: TransferOutcome; detail?: string }> {
    signal.throwIfAborted();
    const outcome = this.#outcomes[Math.min(this.transfers.length, this.#outcomes.length - 1)]!;
    this.transfers.push(request);
    return outcome === 'failed' ? { outcome, detail: 'scripted failure (stubs.transfer)' } : { outcome };
  }

  async pressKeys(digits: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.pressed.push(digits);
  }
}
