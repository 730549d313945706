// The caller's key presses (Media Streams `dtmf`, one digit a message) gathered into inputs: keys
// pressed within `interDigitMs` of each other are one input ("1 2 3 #" arrives as "123#"); `#`
// ends an input at once. A hostile or stuck keypad is capped: at most `maxDigits` keys an input
// (the rest are dropped), and at most MAX_INPUTS_PER_MINUTE inputs reach the agent.

/** Inputs per rolling minute; past it keys are dropped until the minute has passed. */
export const MAX_INPUTS_PER_MINUTE = 12;
const DIGIT = /^[0-9*#A-D]$/;

export interface KeypadOptions {
  interDigitMs: number;
  maxDigits: number;
  /** One whole input. */
  onInput(keys: string): void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export class KeypadInput {
  #o: KeypadOptions;
  #keys = '';
  #timer: unknown;
  #sent: number[] = [];
  /** Keys dropped by the caps, for the record. */
  dropped = 0;

  constructor(o: KeypadOptions) {
    this.#o = o;
  }

  /** One key; anything but 0-9 * # A-D is refused (false). */
  press(digit: string): boolean {
    if (!DIGIT.test(digit)) return false;
    const now = (this.#o.now ?? Date.now)();
    this.#sent = this.#sent.filter((t) => now - t < 60_000);
    if (this.#sent.length >= MAX_INPUTS_PER_MINUTE || this.#keys.length >= this.#o.maxDigits) {
      this.dropped++;
      return true;
    }
    this.#keys += digit;
    this.#stopTimer();
    if (digit === '#') this.flush();
    else this.#timer = (this.#o.setTimer ?? setTimeout)(() => this.flush(), this.#o.interDigitMs);
    return true;
  }

  /** Hands over what was pressed so far as one input. */
  flush(): void {
    this.#stopTimer();
    if (!this.#keys) return;
    const keys = this.#keys;
    this.#keys = '';
    this.#sent.push((this.#o.now ?? Date.now)());
    this.#o.onInput(keys);
  }

  /** Drops what is pending; nothing more is handed over. */
  close(): void {
    this.#stopTimer();
    this.#keys = '';
    this.#o = { ...this.#o, onInput: () => {} };
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) (this.#o.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout)))(this.#timer);
    this.#timer = undefined;
  }
}
