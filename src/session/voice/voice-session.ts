import type { ClientEvent } from '../../channels/channel.ts';
import { keypadTurn } from '../keypad-turn.ts';
import type { SttEvent } from '../../speech/types.ts';
import type { EndReason } from '../../store/record-types.ts';
import { errorText } from '../../util/error-text.ts';
import { AgentVoice } from './agent-voice.ts';
import type { VoiceSessionOptions } from './voice-options.ts';
import { realClock, type SessionClock } from './clock.ts';
import { Saying, type SayingEnd, type SayingKind } from './saying.ts';
import { SessionTimers } from './session-timers.ts';
import { writeReply } from './reply-writer.ts';
import { TextQueue } from './text-queue.ts';
import { TurnTaking } from './turn-taking.ts';
import { Ears } from './ears.ts';
import { stages, type LatencyMarks } from './latency.ts';
import { withoutFiller } from './lines.ts';

export type { SpeechDetector, VoiceSessionOptions } from './voice-options.ts';

/** What the agent is doing, as the door and turn-taking see it; set only by `#setState`. */
export type AgentState = 'listening' | 'thinking' | 'speaking' | 'ending';

/** After the time limit (or any closing line) the session ends within this, whatever still hangs. */
export const CLOSING_GRACE_MS = 8000;
/** Audio left to play below which a fixed line counts as heard whole (door reports come every 60 ms or so). */
const PLAYED_OUT_MS = 150;

/**
 * One voice conversation: caller audio → VAD + STT → turn-taking → Conversation (model, tools)
 * → clause chunker → TTS → door, with barge-in, false-interruption resume, fillers during slow
 * tools, silence handling, the time limit and per-turn latency. The session is the only place
 * that knows turns. Whatever the agent says is one `Saying`; all timers live in `SessionTimers`.
 */
export class VoiceSession {
  #o: VoiceSessionOptions;
  #clock: SessionClock;
  #voice: AgentVoice;
  #turns: TurnTaking;
  #timers: SessionTimers;
  /** 'thinking' until the greeting starts: no fixed line may jump ahead of it. */
  #state: AgentState = 'thinking';
  #saying: Saying | undefined;
  /** A fixed line due while the agent was speaking (the wrap-up): said when the current speech is over. */
  #pendingLine: string | undefined;
  #endReason: EndReason | undefined;
  #ears!: Ears;
  #earFailures = 0;
  #finalAtMs: number | null = null;
  #t0: number;
  #responding: Promise<void> = Promise.resolve();
  /** Caller turns decided but whose answer has not started yet: no fixed line may start meanwhile. */
  #answering = 0;
  #interrupting: Promise<void> = Promise.resolve();
  /** Cut-backs of interrupted turns not yet applied to the conversation: no fixed line may be recorded before them. */
  #cutBacks = 0;
  /** Aborted at the end: whatever the session started (model replies, tools) stops with it. */
  #life = new AbortController();
  #finished!: () => void;
  #done = new Promise<void>((r) => (this.#finished = r));

  constructor(o: VoiceSessionOptions) {
    this.#o = o;
    this.#clock = o.clock ?? { now: o.now ?? realClock.now, set: o.timers?.set ?? realClock.set, clear: o.timers?.clear ?? realClock.clear };
    this.#t0 = this.#clock.now();
    this.#timers = new SessionTimers(this.#clock);
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
        turn: (text, timing) => this.#queueResponse(text, timing.speechEndMs),
        pause: () => this.#voice.pause(),
        resume: () => this.#voice.resume(),
        interrupt: () => void this.#interrupt(),
      },
      this.#clock,
      { language: o.language, recogniserEndsTurns: o.stt.endsTurns ?? false },
    );
  }

  /** The agent's fixed lines, in its language. */
  get #lines() {
    return this.#o.conversation.lines;
  }

  /** Session time in ms since the session started. */
  get clockMs(): number {
    return this.#clock.now() - this.#t0;
  }

  /** What the agent is doing now. */
  get state(): AgentState {
    return this.#state;
  }

  /** Why the session ended (undefined while it runs). */
  get endReason(): EndReason | undefined {
    return this.#endReason;
  }

  /** Timers still pending: 0 once the session has ended. */
  get pendingTimers(): number {
    return this.#timers.pending;
  }

  /** Runs the conversation until the agent ends it, a limit ends it or the caller hangs up. */
  async run(signal: AbortSignal): Promise<void> {
    const { conversation, channel } = this.#o;
    // The limit runs from the door's opening, not from when the record is written.
    this.#armDeadline();
    let first: string | null;
    try {
      first = await Promise.race([conversation.start(), this.#done.then(() => null)]);
    } catch (e) {
      this.#timers.close(); // the session never ran: nothing of it may fire later
      this.#turns.close();
      throw e;
    }
    if (first === null) return channel.close(this.#endReason ?? 'closed');
    this.#ears = new Ears({ stt: this.#o.stt, language: this.#o.language, sampleRate: this.#earsRate(), signal, onWords: (e) => this.#heard(e), onLost: (e) => this.#earsLost(e) });
    const hearing = this.#ears.run();
    channel.onTyped?.((text) => this.#typed(text));
    channel.onKeys?.((keys) => this.#keys(keys));
    const listening = this.#listen(signal);
    const onAbort = () => void this.#end('server stopped');
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    // The greeting comes from the file and goes out at once: it cannot fail to fire.
    else if (!this.#isEnding()) this.#say('greeting', first);
    else conversation.greetingUnheard().catch((e: unknown) => conversation.noteError('session', e)); // a limit came first
    await Promise.race([this.#done, listening.then(() => this.#end(channel.transferred?.() ? 'transferred' : 'caller hung up'))]);
    signal.removeEventListener('abort', onAbort);
    this.#ears.stop();
    await hearing;
    channel.close(this.#endReason ?? 'closed');
  }

  /** Everything the session tells the door goes through here: after `end`, nothing does. */
  #send(event: ClientEvent): void {
    if (this.#endReason && event.type !== 'end') return;
    this.#o.channel.send(event);
  }

  /** The one place the agent's state changes: turn-taking and the door learn it here. */
  #setState(next: AgentState): void {
    if (this.#state === next || this.#state === 'ending') return;
    this.#state = next;
    this.#turns.agentSpeaking(next === 'speaking');
    if (next !== 'ending') this.#send({ type: 'state', state: next });
  }

  /** The recogniser hears the door's own rate when it takes it (8 kHz phone audio, not upsampled); else 16 kHz. */
  #earsRate(): number {
    const rate = this.#o.channel.inputSampleRate;
    return rate !== 16000 && this.#o.stt.acceptsSampleRates?.includes(rate) ? rate : 16000;
  }

  async #listen(signal: AbortSignal): Promise<void> {
    const { channel, vad, resampler, onAudio } = this.#o;
    const to16k = channel.inputSampleRate === 16000 ? (pcm: Int16Array) => pcm : resampler(channel.inputSampleRate, 16000);
    const native = this.#earsRate() !== 16000;
    for await (const frame of channel.audio()) {
      if (signal.aborted || this.#endReason) break;
      const pcm = to16k(frame);
      onAudio?.('caller', pcm, 16000, this.clockMs);
      for (const e of vad.push(pcm)) this.#voiceActivity(e.type);
      this.#ears.push(native ? frame : pcm);
      this.#o.conversation.usage.addSpeechIn(this.#o.stt.id, pcm.length / 16000);
    }
  }

  #voiceActivity(type: 'speech-start' | 'speech-end'): void {
    if (this.#state === 'ending') return;
    const at = this.clockMs;
    if (type === 'speech-start') {
      this.#timers.cancel('reprompt', 'silence-end');
      this.#turns.speechStart(at);
      this.#o.conversation.prepare(); // the turn's word-independent reads go while the caller talks
      return;
    }
    this.#turns.speechEnd(at);
    // Noise that makes no turn must not leave the caller without a reprompt.
    if (this.#state === 'listening' && !this.#saying) this.#armSilence();
    this.#ears.speechEnded(at);
  }

  /** What the recogniser heard: captions, and words for turn-taking. */
  #heard(e: SttEvent): void {
    if (this.#state === 'ending') return;
    this.#send({ type: 'transcript', role: 'caller', text: e.text, final: e.type === 'final' });
    this.#finalAtMs = e.type === 'final' ? this.clockMs : this.#finalAtMs;
    this.#turns.transcript({ ...e, atMs: this.clockMs });
  }

  /** A turn the caller typed (the widget's text box): shown as their words and answered aloud, like a spoken turn. */
  #typed(text: string): void {
    if (this.#isEnding() || this.#endReason) return;
    // One answer running and one waiting at most, as in text mode: a typist cannot queue up the model.
    if (this.#answering > 1) return this.#send({ type: 'error', message: 'the agent is still answering an earlier message; wait for its reply before sending more' });
    this.#send({ type: 'transcript', role: 'caller', text, final: true });
    this.#finalAtMs = this.clockMs;
    this.#queueResponse(text, null);
  }

  /**
   * Keys the caller pressed (one input, "123#"): a turn of their own, "(the caller pressed 1 2 3 #)",
   * recorded as the caller's words. A transfer tool's `key` alone asks for a person: the model must
   * call transfer first.
   */
  #keys(keys: string): void {
    if (this.#isEnding() || this.#endReason) return;
    // As with typing: one answer running and one waiting at most; a flood of keys cannot queue up the model.
    if (this.#answering > 1) return;
    const { text, firstTool } = keypadTurn(this.#o.conversation.agent, keys);
    this.#send({ type: 'transcript', role: 'caller', text, final: true });
    this.#finalAtMs = this.clockMs;
    this.#queueResponse(text, null, firstTool);
  }

  /** The recogniser was lost: reopened once (a dropped vendor socket); lost again, the agent says it cannot hear and ends. */
  #earsLost(e: unknown): void {
    this.#o.conversation.noteError(`stt:${this.#o.stt.id}`, e);
    if (++this.#earFailures > 1) return this.#close(this.#lines.cannotHear, 'speech recognition failed');
    this.#ears.reopen();
  }

  /** Turn-taking decided the caller finished a turn: answer it, one answer at a time. */
  #queueResponse(text: string, speechEndMs: number | null, firstTool?: string): void {
    this.#answering++;
    const next = this.#responding.then(() => this.#respond(text, speechEndMs, firstTool)).finally(() => this.#answering--);
    this.#responding = next.catch((e: unknown) => this.#o.conversation.noteError('session', e));
  }

  /** Answers a caller turn, streaming the model's words into speech. */
  async #respond(text: string, speechEndMs: number | null, firstTool?: string): Promise<void> {
    if (this.#state === 'ending') return;
    this.#timers.cancel('reprompt', 'silence-end');
    // The cut-back of an interrupted turn must land before the next turn starts.
    await this.#interrupt();
    if (this.#isEnding() || this.#o.conversation.ended) return;
    const lat = { speechEndMs, sttFinalMs: this.#finalAtMs, committedMs: this.clockMs, llmFirstTokenMs: null as number | null, ttsFirstAudioMs: null as number | null };
    this.#setState('thinking');
    const abort = new AbortController();
    const words = new TextQueue();
    const filler = { said: '' };
    const writer = writeReply(text, {
      conversation: this.#o.conversation,
      words,
      signal: AbortSignal.any([abort.signal, this.#life.signal]),
      timers: this.#timers,
      filler,
      send: (e) => this.#send(e),
      onFirstText: () => (lat.llmFirstTokenMs ??= this.clockMs),
      firstTool,
    });
    this.#say('reply', words, { abort, writer, filler, onFirstAudio: () => (lat.ttsFirstAudioMs = this.clockMs), lat });
  }

  /** Starts saying something; whatever the agent says goes through here, one saying at a time. */
  #say(kind: SayingKind, words: string | AsyncIterable<string>, o: { abort?: AbortController; writer?: Promise<void>; filler?: { said: string }; onFirstAudio?: () => void; lat?: LatencyMarks; thenEnd?: EndReason; rearmSilence?: boolean } = {}): void {
    if (this.#saying) {
      // One saying at a time, whatever raced: the one before is cut (kept to what was heard unless closing).
      if (this.#isEnding()) (this.#voice.stop(), this.#saying.cut(), (this.#saying = undefined));
      else void this.#interrupt();
    }
    const fixed = typeof words === 'string' ? words : undefined;
    // A fixed line's caption shows at once; the final caption follows when it has been played or cut.
    if (fixed) this.#send({ type: 'agent_text', text: fixed, final: false });
    const saying = new Saying({
      kind,
      words: fixed === undefined ? (words as AsyncIterable<string>) : single(fixed),
      voice: this.#voice,
      timers: this.#timers,
      writer: o.writer,
      abort: o.abort,
      thenEnd: o.thenEnd,
      rearmSilence: o.rearmSilence,
      filler: o.filler,
      onFirstAudio: () => {
        o.onFirstAudio?.();
        if (this.#saying === saying) this.#setState('speaking');
      },
    });
    this.#saying = saying;
    void saying.done.then((end) => this.#afterSaying(saying, end, o.lat));
  }

  /** A saying is over: caption, usage and latency, then what comes next (listen, a due line, or the end). */
  async #afterSaying(saying: Saying, end: SayingEnd, lat: LatencyMarks | undefined): Promise<void> {
    const { conversation, channel, tts } = this.#o;
    const current = this.#saying === saying;
    if (current) this.#saying = undefined;
    if (end.how === 'failed' && (current || saying.thenEnd)) {
      conversation.noteError('voice', new Error(`no voice could speak: ${errorText(end.error)}`));
      // The words still reach the captions and the record, then the call ends.
      this.#send({ type: 'agent_text', text: this.#voice.fullText(), final: true });
      return this.#end('speech failed');
    }
    if (end.how !== 'failed') conversation.usage.addSpeechOut(tts.id, saying.text.length);
    if (end.how === 'played') {
      // Heard whole: its one final caption, and its latency, whatever is being said by now.
      if (lat) conversation.noteLatency(stages(lat));
      this.#send({ type: 'agent_text', text: saying.text, final: true });
    }
    if (saying.thenEnd) return this.#end(saying.thenEnd);
    if (!current || end.how === 'cut') return; // the interruption, the end or the next saying took it from here
    if (conversation.ended) return this.#end(conversation.endReason ?? 'agent ended');
    if (this.#state === 'ending') return;
    this.#setState('listening');
    const line = this.#pendingLine;
    this.#pendingLine = undefined;
    if (line) return this.#sayLine(line);
    if (saying.rearmSilence) this.#armSilence();
  }

  /** The caller really interrupted: stop speaking at once and keep only what was heard. */
  #interrupt(then: 'listen' | 'close' = 'listen'): Promise<void> {
    const saying = this.#saying;
    // A saying that is already over was heard whole; what comes after it is `#afterSaying`'s.
    if (!saying || saying.over || this.#state === 'ending') return this.#interrupting;
    this.#saying = undefined;
    // A fixed line with no more than a door's playout report left (a Twilio mark is 60 ms) was
    // heard to its end: the caller spoke after it, not over it.
    const whole = saying.kind !== 'reply' && !this.#voice.paused && this.#voice.remainingMs() <= PLAYED_OUT_MS;
    const heard = whole ? saying.text : this.#voice.stop(); // stop clears the door's queue: silence within a frame
    if (whole) this.#voice.stop();
    saying.cut();
    // Captions end where the caller stopped hearing, as the record does.
    this.#send({ type: 'agent_text', text: heard, final: true });
    if (then === 'listen') this.#setState('listening');
    const previous = this.#interrupting;
    this.#cutBacks++;
    this.#interrupting = (async () => {
      await previous;
      await saying.done;
      if (whole) return;
      // The filler was the session's, not the model's: the record and history keep the model's words.
      await this.#o.conversation.interrupted(withoutFiller(heard, saying.filler?.said));
    })().finally(() => this.#cutBacks--);
    return this.#interrupting;
  }

  /** A fixed line said in the conversation (reprompt, wrap-up): recorded, interruptible. */
  #sayLine(text: string): void {
    if (this.#state !== 'listening' || this.#saying || this.#answering || this.#o.conversation.ended) return;
    // The cut-back of an interrupted turn lands on the conversation's last agent turn: the line waits for it.
    if (this.#cutBacks) return void this.#interrupting.then(() => this.#sayLine(text), (e: unknown) => this.#o.conversation.noteError('session', e));
    this.#timers.cancel('reprompt');
    // Recorded and spoken in the same tick: nothing can slip in between the record and the voice.
    this.#recordLine(text);
    this.#say('line', text, { rearmSilence: text !== this.#lines.stillThere });
  }

  /**
   * The last thing the agent says (goodbye after silence, the time limit, cannot hear): from here
   * nothing the caller does starts a turn, and the session ends when the line is over — or at the
   * latest CLOSING_GRACE_MS later, whatever hangs.
   */
  #close(line: string, reason: EndReason): void {
    if (this.#state === 'ending') return;
    if (this.#o.conversation.ended) {
      // The agent already said goodbye (end_call): let it finish, bounded like any closing line.
      this.#setState('ending');
      this.#timers.cancel('reprompt', 'silence-end', 'wrap-up', 'filler');
      if (!this.#saying) return void this.#end(reason);
      this.#timers.start('hard-stop', CLOSING_GRACE_MS, () => void this.#end(reason));
      return;
    }
    const cut = this.#interrupt('close');
    this.#setState('ending');
    this.#timers.cancel('reprompt', 'silence-end', 'wrap-up', 'filler');
    this.#timers.start('hard-stop', CLOSING_GRACE_MS, () => void this.#end(reason));
    void (async () => {
      await cut; // the cut-back lands on the interrupted turn before the closing line is recorded
      if (this.#endReason) return;
      this.#recordLine(line);
      this.#say('line', line, { thenEnd: reason });
    })().catch((e: unknown) => {
      this.#o.conversation.noteError('session', e);
      void this.#end(reason);
    });
  }

  /** A method, so TypeScript does not narrow the state across awaits. */
  #isEnding(): boolean {
    return this.#state === 'ending';
  }

  /** Records a fixed line as an agent turn; the history has it at once, the store soon after. */
  #recordLine(text: string): void {
    this.#o.conversation.say(text).catch((e: unknown) => this.#o.conversation.noteError('session', e));
  }

  #armSilence(): void {
    const { silenceReprompt, silenceEnd } = this.#o;
    this.#timers.start('reprompt', silenceReprompt * 1000, () => this.#sayLine(this.#lines.stillThere));
    this.#timers.start('silence-end', silenceEnd * 1000, () => this.#close(this.#lines.silenceGoodbye, 'silence'));
  }

  /**
   * limits.maxDurationSec: shortly before the limit the agent says it must wrap up (after the turn
   * it is speaking, never over it); at the limit it cuts in, says goodbye and ends the call.
   */
  #armDeadline(): void {
    const max = this.#o.maxDurationSec;
    if (!max) return;
    const lead = Math.min(30, max * 0.1);
    this.#timers.start('wrap-up', (max - lead) * 1000, () => {
      if (this.#saying || this.#answering || this.#state !== 'listening') this.#pendingLine = this.#lines.wrapUp;
      else this.#sayLine(this.#lines.wrapUp);
    });
    this.#timers.start('time-limit', max * 1000, () => this.#close(this.#lines.timeUp, 'time limit'));
  }

  async #end(reason: EndReason): Promise<void> {
    if (this.#endReason) return;
    // A conversation that ended itself (end_call, a spending cap) keeps its own reason.
    reason = this.#o.conversation.endReason ?? reason;
    this.#endReason = reason;
    this.#setState('ending');
    this.#timers.close();
    this.#turns.close();
    this.#saying?.cut();
    this.#life.abort();
    // The caller hears the end now; a slow store must not keep the line open.
    this.#send({ type: 'end', reason });
    try {
      await this.#o.conversation.end(reason);
    } catch (e) {
      this.#o.conversation.noteError('session', e);
    }
    this.#finished();
  }
}

async function* single(text: string): AsyncGenerator<string> {
  yield text;
}
