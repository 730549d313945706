import type { Channel, ClientEvent } from '../channel.ts';
import { AsyncQueue } from '../../util/async-queue.ts';
import { KeypadInput } from './keypad.ts';
import type { TwilioChannel } from './media-stream.ts';

// One phone call as the session's door, across Media Streams. New TwiML on a live call (keys
// played with <Play digits>, a warm transfer nobody answered) ends its stream; Parley then puts
// the call back on a new <Connect><Stream> of the same conversation. The line hides that: the
// session sees one door whose caller audio pauses, and keeps its turns, history and seat. A stream
// that ends while no new one is expected is the end of the call.

/** What the line is doing: on a stream, between streams (expecting the next), or over. */
type LineState = { on: 'stream'; stream: TwilioChannel } | { on: 'between'; previous: TwilioChannel; arrived: () => void; gaveUp: (e: Error) => void; timer: NodeJS.Timeout } | { on: 'over' };

export interface CallLineOptions {
  keypad: { interDigitMs: number; maxDigits: number };
  /** The line is over (the call ended, or no stream came back in time), with why. */
  onOver?: (reason: string) => void;
}

export class CallLine implements Channel {
  readonly inputSampleRate = 8000;
  readonly outputSampleRate = 8000;
  #state: LineState;
  #frames = new AsyncQueue<Int16Array>();
  /** Audio heard on streams that have ended: what the door reports is this plus the current stream's. */
  #heardBefore = 0;
  #keypad: KeypadInput;
  #keysTo: ((keys: string) => void) | undefined;
  #leaving = false;
  #o: CallLineOptions;

  constructor(first: TwilioChannel, o: CallLineOptions) {
    this.#o = o;
    this.#state = { on: 'stream', stream: first };
    this.#keypad = new KeypadInput({ ...o.keypad, onInput: (keys) => this.#keysTo?.(keys) });
    void this.#pump(first);
  }

  /** Whether the line has ended. */
  get over(): boolean {
    return this.#state.on === 'over';
  }

  /** Whether the line waits for a stream (the caller is on hold, or keys are playing). */
  get between(): boolean {
    return this.#state.on === 'between';
  }

  /** A key the caller pressed on the current stream. */
  press(digit: string): void {
    this.#keypad.press(digit);
  }

  /**
   * The current stream is about to be replaced (new TwiML is being sent): its end will not end the
   * call. Resolves when the next stream is attached; rejects when none comes within `timeoutMs`
   * (the line is then over).
   */
  expectStream(timeoutMs: number): Promise<void> {
    if (this.#state.on !== 'stream') return Promise.reject(new Error(this.#state.on === 'over' ? 'the call has ended' : 'the call is already between streams'));
    const stream = this.#state.stream;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.#end(`no stream came back within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
      this.#keypad.flush();
      this.#heardBefore += stream.sentMs(); // what was sent and not yet played is dropped by Twilio: it is over either way
      this.#state = { on: 'between', previous: stream, arrived: () => (clearTimeout(timer), resolve()), gaveUp: reject, timer };
    });
  }

  /** The new TwiML was never sent (Twilio refused it): back on the stream, if it is still open; false if not. */
  stay(): boolean {
    if (this.#state.on !== 'between') return this.#state.on === 'stream';
    const { previous, timer, gaveUp } = this.#state;
    clearTimeout(timer);
    gaveUp(new Error('the call stayed on its stream'));
    if (previous.closed) {
      this.#end('caller hung up');
      return false;
    }
    this.#heardBefore -= previous.sentMs();
    // Its pump still reads it: frames flow to the session again from here.
    this.#state = { on: 'stream', stream: previous };
    return true;
  }

  /** The agent leaves the call for good (a person took it): the current stream's end ends the line. */
  leave(): void {
    this.#leaving = true;
    if (this.#state.on === 'between') this.#end('transferred');
  }

  /** The hand-off did not happen after all (Twilio refused it): the agent stays. */
  stayOnCall(): void {
    this.#leaving = false;
  }

  /** A new stream of this call; false when none was expected (the caller of attach closes it). */
  attach(stream: TwilioChannel): boolean {
    if (this.#state.on !== 'between' || this.#leaving) return false;
    const { arrived } = this.#state;
    this.#state = { on: 'stream', stream };
    void this.#pump(stream);
    arrived();
    return true;
  }

  audio(): AsyncIterable<Int16Array> {
    return this.#frames;
  }

  play(pcm: Int16Array): void {
    if (this.#state.on === 'stream') this.#state.stream.play(pcm);
  }

  clear(): void {
    if (this.#state.on === 'stream') this.#state.stream.clear();
  }

  heardMs(): number {
    return this.#heardBefore + (this.#state.on === 'stream' ? this.#state.stream.heardMs() : 0);
  }

  send(_event: ClientEvent): void {
    // A phone has no screen.
  }

  onKeys(listener: (keys: string) => void): void {
    this.#keysTo = listener;
  }

  close(reason: string): void {
    const state = this.#state;
    this.#end(reason);
    if (state.on === 'stream') state.stream.close(reason);
  }

  /** Ends the call for a fault: the current stream closes with `code`. */
  fail(code: number, reason: string): void {
    const state = this.#state;
    this.#end(reason);
    if (state.on === 'stream') state.stream.fail(code, reason);
  }

  /** Whether the line ended because a person took the call (the session records `transferred`). */
  transferred(): boolean {
    return this.#leaving && this.#state.on === 'over';
  }

  async #pump(stream: TwilioChannel): Promise<void> {
    for await (const frame of stream.audio()) if (this.#state.on === 'stream' && this.#state.stream === stream) this.#frames.push(frame);
    // The stream ended: expected (between streams) or the end of the call.
    if (this.#state.on === 'stream' && this.#state.stream === stream) this.#end(this.#leaving ? 'transferred' : 'caller hung up');
  }

  #end(reason: string): void {
    if (this.#state.on === 'over') return;
    if (this.#state.on === 'between') {
      clearTimeout(this.#state.timer);
      this.#state.gaveUp(new Error(`the call ended (${reason})`));
    }
    this.#state = { on: 'over' };
    this.#keypad.close();
    this.#frames.end();
    this.#o.onOver?.(reason);
  }
}
