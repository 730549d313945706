import type { EndReason } from '../store/record-types.ts';
import { errorText } from '../util/error-text.ts';
import type { AgentOutput, Conversation } from './conversation.ts';

// One typed conversation, whoever types: `parley chat`, the web door's text mode and the scenario
// runner all drive a Conversation through this. It takes caller lines, streams the agent's
// outputs to a sink, and ends with the same reasons, limits and wrap-up as a voice call.


/** Timers the session runs on; tests pass a manual clock (the same shape as the voice session's). */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

/** Why a typed line was not taken. */
export type TextRefusal = 'empty' | 'too long' | 'busy' | 'not started' | 'ended';

/** What the session tells its door, in order. */
export type TextSessionEvent =
  | Exclude<AgentOutput, { type: 'end' }>
  /** A caller line was taken: it is being answered now. */
  | { type: 'caller'; text: string }
  | { type: 'state'; state: 'thinking' | 'listening' }
  /** The agent finished a turn (a reply, possibly cut, or a fixed line): its whole text. */
  | { type: 'agent-done'; text: string }
  /** A line refused, or a turn that failed; the session goes on (it ends with its own event). */
  | { type: 'error'; code: TextRefusal | 'failed'; message: string }
  | { type: 'end'; reason: EndReason };

export interface TextSessionOptions {
  conversation: Conversation;
  sink: (e: TextSessionEvent) => void;
  /** limits.maxDurationSec; 0 or absent: no limit. */
  maxDurationSec?: number;
  /** limits.maxTurnChars: the longest typed line taken. */
  maxTurnChars: number;
  timers?: Timers;
}

/** What a turn is doing: a reply the caller may wait behind, or a fixed line. */
interface Work {
  abort: AbortController;
  done: Promise<void>;
}

/** A line waiting behind the turn in flight (at most one), and whoever waits for it to be answered. */
interface Waiting {
  text: string;
  /** A tool the model must call first (a keypad shortcut). */
  firstTool?: string;
  settle: (r: 'answered' | TextRefusal) => void;
}

type Phase =
  | { name: 'not started' }
  | { name: 'listening' }
  | { name: 'busy'; work: Work; waiting: Waiting | null }
  | { name: 'ending' }
  | { name: 'ended'; reason: EndReason };

/**
 * A typed conversation. At most one line waits behind the one being answered; more are refused
 * with an `error` event, not queued, so a flood costs neither memory nor model calls.
 */
export class TextSession {
  /** Resolves with the end reason once the conversation is over and recorded. */
  readonly done: Promise<EndReason>;
  #o: TextSessionOptions;
  #timers: Timers;
  #phase: Phase = { name: 'not started' };
  #deadline: unknown[] = [];
  #wrapUp: 'not yet' | 'due' | 'said' = 'not yet';
  #resolveDone!: (r: EndReason) => void;

  constructor(o: TextSessionOptions) {
    this.#o = o;
    this.#timers = o.timers ?? realTimers;
    this.done = new Promise((r) => (this.#resolveDone = r));
  }

  /** Where the session is: not started, listening, busy (answering), ending or ended. */
  get phase(): Phase['name'] {
    return this.#phase.name;
  }

  /** Says the first message and starts the clock of limits.maxDurationSec. */
  async start(): Promise<void> {
    if (this.#phase.name !== 'not started') return;
    const { conversation } = this.#o;
    await this.#busy(async () => {
      try {
        const first = await conversation.start();
        this.#o.sink({ type: 'agent-done', text: first });
      } catch (e) {
        this.#fail(e);
        const p = this.#phase;
        if (p.name === 'busy') p.waiting?.settle('ended');
        this.#phase = { name: 'ending' };
        await this.#finish('error');
        return;
      }
      this.#armDeadline();
    });
  }

  /**
   * A typed caller line. Resolves when it has been answered (or cut), or at once with why it was
   * refused — too long, empty, or a line already waiting — which the sink hears as an `error`.
   * `firstTool`: the model must call that tool first (a keypad shortcut, see keypad-turn.ts).
   */
  say(text: string, o: { firstTool?: string } = {}): Promise<'answered' | TextRefusal> {
    const line = text.trim();
    const max = this.#o.maxTurnChars;
    const p = this.#phase;
    if (p.name === 'ending' || p.name === 'ended') return this.#refuse('ended', 'the conversation has ended');
    if (p.name === 'not started') return this.#refuse('not started', 'the conversation has not started');
    if (!line) return this.#refuse('empty', 'an empty message was ignored');
    if (line.length > max) return this.#refuse('too long', `a message may be at most ${max} characters (this one has ${line.length}); it was not sent`);
    if (p.name === 'listening') return this.#answer(line, o.firstTool);
    if (p.waiting) return this.#refuse('busy', 'the agent is still answering an earlier message; wait for its reply before sending more');
    return new Promise((settle) => (p.waiting = { text: line, firstTool: o.firstTool, settle }));
  }

  /** Ends the session (the caller left, the server stops): the turn in flight is cut. Safe to call twice. */
  async end(reason: EndReason): Promise<void> {
    const p = this.#phase;
    if (p.name === 'ending' || p.name === 'ended') return void (await this.done);
    this.#phase = { name: 'ending' };
    this.#clearDeadline();
    if (p.name === 'busy') {
      p.waiting?.settle('ended');
      p.work.abort.abort();
      await p.work.done;
    }
    await this.#finish(reason);
  }

  #answer(line: string, firstTool?: string): Promise<'answered'> {
    const { conversation, sink } = this.#o;
    return this.#busy(async (signal) => {
      sink({ type: 'caller', text: line });
      sink({ type: 'state', state: 'thinking' });
      let reply = '';
      try {
        for await (const out of conversation.reply(line, { signal, firstTool })) {
          if (out.type === 'end') continue; // the conversation has ended itself; its reason is read below
          if (out.type === 'text') reply += out.text;
          sink(out);
        }
      } catch (e) {
        if (!signal.aborted) this.#fail(e);
      }
      sink({ type: 'agent-done', text: reply });
    }).then(() => 'answered' as const);
  }

  /**
   * Runs one piece of work (a reply, a fixed line) as the turn in flight, then what is due after
   * it: a conversation that ended itself ends the session, the wrap-up line, the waiting line.
   */
  async #busy(run: (abort: AbortSignal) => Promise<void>): Promise<void> {
    const abort = new AbortController();
    let finished!: () => void;
    const work: Work = { abort, done: new Promise((r) => (finished = r)) };
    const before = this.#phase;
    this.#phase = { name: 'busy', work, waiting: before.name === 'busy' ? before.waiting : null };
    try {
      await run(abort.signal);
    } finally {
      finished();
    }
    if (this.#phase.name !== 'busy' || this.#phase.work !== work) return; // end() or the time limit took over
    const waiting = this.#phase.waiting;
    const reason = this.#o.conversation.endReason;
    if (reason) {
      this.#phase = { name: 'ending' };
      this.#clearDeadline();
      waiting?.settle('ended');
      return this.#finish(reason);
    }
    if (this.#wrapUp === 'due') {
      this.#wrapUp = 'said';
      return this.#busy(() => this.#sayFixed(this.#o.conversation.lines.wrapUp));
    }
    this.#phase = { name: 'listening' };
    if (waiting) {
      // Answered in the background; whoever sent it is told when it is done.
      void this.#answer(waiting.text, waiting.firstTool).then(waiting.settle);
      return;
    }
    this.#o.sink({ type: 'state', state: 'listening' });
  }

  #armDeadline(): void {
    const max = this.#o.maxDurationSec;
    if (!max) return;
    const lead = Math.min(30, max * 0.1);
    this.#deadline.push(
      this.#timers.set(() => this.#wrapUpDue(), (max - lead) * 1000),
      this.#timers.set(() => void this.#timeUp(), max * 1000),
    );
  }

  #clearDeadline(): void {
    for (const h of this.#deadline.splice(0)) this.#timers.clear(h);
  }

  /** Shortly before the limit: the wrap-up line, after the turn in flight, never over it. */
  #wrapUpDue(): void {
    if (this.#wrapUp !== 'not yet') return;
    this.#wrapUp = 'due';
    if (this.#phase.name === 'listening') {
      this.#wrapUp = 'said';
      void this.#busy(() => this.#sayFixed(this.#o.conversation.lines.wrapUp));
    }
  }

  /** At the limit: the turn in flight is cut, the goodbye said, and the conversation ends. */
  async #timeUp(): Promise<void> {
    const p = this.#phase;
    if (p.name === 'ending' || p.name === 'ended' || p.name === 'not started') return;
    this.#phase = { name: 'ending' };
    this.#clearDeadline();
    if (this.#wrapUp === 'due') this.#wrapUp = 'said'; // too late to wrap up: the goodbye says it all
    if (p.name === 'busy') {
      p.waiting?.settle('ended');
      p.work.abort.abort();
      await p.work.done;
    }
    await this.#sayFixed(this.#o.conversation.lines.timeUp);
    await this.#finish('time limit');
  }

  /** A line from the code, not the model (wrap-up, goodbye), recorded like any agent turn. */
  async #sayFixed(text: string): Promise<void> {
    try {
      await this.#o.conversation.say(text);
      this.#o.sink({ type: 'agent-done', text });
    } catch (e) {
      this.#fail(e);
    }
  }

  async #finish(reason: EndReason): Promise<void> {
    this.#clearDeadline();
    try {
      await this.#o.conversation.end(reason);
    } catch (e) {
      this.#fail(e);
    }
    const final = this.#o.conversation.endReason ?? reason; // a conversation that ended itself keeps its reason
    this.#phase = { name: 'ended', reason: final };
    this.#o.sink({ type: 'end', reason: final });
    this.#resolveDone(final);
  }

  #fail(e: unknown): void {
    this.#o.conversation.noteError('session:text', e);
    this.#o.sink({ type: 'error', code: 'failed', message: errorText(e) });
  }

  #refuse(code: TextRefusal, message: string): Promise<TextRefusal> {
    this.#o.sink({ type: 'error', code, message });
    return Promise.resolve(code);
  }
}
