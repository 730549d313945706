import { randomBytes } from 'node:crypto';
import type { CallLine } from '../channels/twilio/call-line.ts';
import { createCall, updateCall, type TwilioApi } from '../channels/twilio/calls.ts';
import { briefAndJoinTwiml, dialTwiml, holdInConferenceTwiml, playDigits, streamTwiml } from '../channels/twilio/twiml.ts';
import type { PhoneLine, TransferOutcome, TransferRequest } from '../tools/phone-line.ts';
import { errorText } from '../util/error-text.ts';

// The phone tools on a Twilio call (docs/phone.md). Everything is Twilio's REST API and TwiML:
// - press_keys: the call runs <Play digits> then a new <Connect><Stream> of the same conversation.
// - cold transfer: the call runs <Say> + <Dial><Number>; the stream ends and the agent has left.
// - warm transfer: the caller runs <Say> + <Dial><Conference startConferenceOnEnter=false> (hold
//   music from waitUrl); the person is called (Calls API, Timeout) with TwiML that says the brief
//   and joins the same conference, which starts it and connects the caller. Their call's status
//   callbacks (answered / completed with busy, no-answer, failed) say how it went; the caller's
//   conference callbacks say if they hung up while holding. Nobody answering in time: the
//   person's call is cancelled and the caller is put back on a stream to the agent.
// Status callbacks reach this process through `TransferCallbacks` (the routes check signatures).

/** How long after the ring timeout Parley stops waiting for Twilio's word and gives up itself. */
const CALLBACK_GRACE_MS = 20_000;
/** How long a stream may take to come back after new TwiML. */
const STREAM_BACK_MS = 20_000;

/** A Twilio status callback's form fields. */
export type TwilioCallback = Record<string, string>;

/** How long a finished transfer's late callbacks (the conference ending, the person hanging up) are still accepted. */
const LATE_CALLBACKS_MS = 3_600_000;

/** Transfers waiting for Twilio's callbacks, by id (one process: callbacks must reach the node holding the call). */
export class TransferCallbacks {
  #pending = new Map<string, { agent: string; on?: (kind: 'status' | 'conference', form: TwilioCallback) => void; doneAt?: number }>();

  add(id: string, agent: string, on: (kind: 'status' | 'conference', form: TwilioCallback) => void): () => void {
    const now = Date.now();
    for (const [k, v] of this.#pending) if (v.doneAt !== undefined && now - v.doneAt > LATE_CALLBACKS_MS) this.#pending.delete(k);
    this.#pending.set(id, { agent, on });
    // Over, the transfer still answers Twilio's late callbacks (accepted, ignored) for a while.
    return () => this.#pending.set(id, { agent, doneAt: Date.now() });
  }

  /** The agent a transfer belongs to (whose auth token signs its callbacks); undefined when unknown. */
  agentOf(id: string): string | undefined {
    return this.#pending.get(id)?.agent;
  }

  deliver(id: string, kind: 'status' | 'conference', form: TwilioCallback): boolean {
    const p = this.#pending.get(id);
    p?.on?.(kind, form);
    return Boolean(p?.on);
  }
}

export interface TwilioPhoneLineOptions {
  line: CallLine;
  callSid: string;
  agent: string;
  api: TwilioApi;
  /** Public base URL (https://…) that Twilio reaches us at. */
  baseUrl: string;
  /** <Parameter>s for a stream that resumes this conversation (a fresh single-use token each time). */
  resumeParameters(): Record<string, string>;
  callbacks: TransferCallbacks;
  log(line: string): void;
}

export class TwilioPhoneLine implements PhoneLine {
  #o: TwilioPhoneLineOptions;
  /** One hand-off or key press at a time: both replace the call's TwiML. */
  #busy = false;

  constructor(o: TwilioPhoneLineOptions) {
    this.#o = o;
  }

  async pressKeys(digits: string, signal: AbortSignal): Promise<void> {
    if (this.#busy) throw new Error('the call is busy with another key press or a transfer');
    this.#busy = true;
    try {
      await this.#replaceStream(playDigits(digits), signal);
    } finally {
      this.#busy = false;
    }
  }

  async transfer(r: TransferRequest, signal: AbortSignal): Promise<{ outcome: TransferOutcome; detail?: string }> {
    if (this.#busy) return { outcome: 'failed', detail: 'a transfer or key press is already under way' };
    this.#busy = true;
    try {
      return r.mode === 'cold' ? await this.#cold(r, signal) : await this.#warm(r, signal);
    } finally {
      this.#busy = false;
    }
  }

  async #cold(r: TransferRequest, _signal: AbortSignal): Promise<{ outcome: TransferOutcome; detail?: string }> {
    const { line, api, callSid } = this.#o;
    line.leave();
    try {
      // Not the turn's signal: the stream (and with it the turn) may end before Twilio answers the request.
      await updateCall({ ...api, callSid, twiml: dialTwiml({ say: r.holdMessage, number: r.number, callerId: api.account.number, timeoutSec: r.timeoutSec }), signal: AbortSignal.timeout(15_000) });
    } catch (e) {
      line.stayOnCall();
      return { outcome: 'failed', detail: errorText(e) };
    }
    this.#o.log(`twilio: call ${callSid} handed to ${r.number} (cold)`);
    return { outcome: 'connected' };
  }

  async #warm(r: TransferRequest, signal: AbortSignal): Promise<{ outcome: TransferOutcome; detail?: string }> {
    const { line, api, callSid, baseUrl, callbacks } = this.#o;
    const id = randomBytes(12).toString('hex');
    const room = `parley-${id}`;
    const callbackUrl = (kind: string) => `${baseUrl}/v1/twilio/transfers/${id}/${kind}`;
    let settle!: (o: { outcome: TransferOutcome | 'caller left'; detail?: string }) => void;
    const settled = new Promise<{ outcome: TransferOutcome | 'caller left'; detail?: string }>((r) => (settle = r));
    let personSid: string | undefined;
    const forget = callbacks.add(id, this.#o.agent, (kind, form) => {
      if (kind === 'status' && (!personSid || form.CallSid === personSid)) {
        personSid ??= form.CallSid;
        const status = form.CallStatus;
        if (status === 'in-progress') settle({ outcome: 'connected' });
        else if (status === 'busy') settle({ outcome: 'busy' });
        else if (status === 'no-answer' || status === 'canceled') settle({ outcome: 'no answer' });
        else if (status === 'failed') settle({ outcome: 'failed', detail: 'Twilio could not place the call' });
        else if (status === 'completed') settle({ outcome: 'no answer' }); // ended before being answered
      } else if (kind === 'conference' && form.CallSid === callSid && form.StatusCallbackEvent === 'participant-leave') {
        settle({ outcome: 'caller left' });
      }
    });
    const back = line.expectStream((r.timeoutSec + 5) * 1000 + CALLBACK_GRACE_MS + STREAM_BACK_MS);
    back.catch(() => {});
    try {
      try {
        await updateCall({ ...api, callSid, twiml: holdInConferenceTwiml({ say: r.holdMessage, room, waitUrl: r.holdMusic, statusCallback: callbackUrl('conference') }), signal });
      } catch (e) {
        line.stay();
        return { outcome: 'failed', detail: errorText(e) };
      }
      try {
        const person = await createCall({ ...api, to: r.number, answer: { twiml: briefAndJoinTwiml({ summary: r.brief, room }) }, timeoutSec: r.timeoutSec, statusCallback: callbackUrl('status'), statusEvents: ['initiated', 'ringing', 'answered', 'completed'], signal });
        personSid ??= person.sid;
      } catch (e) {
        settle({ outcome: 'failed', detail: errorText(e) });
      }
      // Twilio adds 5 s to the ring timeout; past that and a grace, its callback is taken as lost.
      const giveUp = setTimeout(() => settle({ outcome: 'no answer', detail: 'no word from Twilio' }), (r.timeoutSec + 5) * 1000 + CALLBACK_GRACE_MS);
      const onAbort = () => settle({ outcome: 'failed', detail: 'the turn was stopped' });
      signal.addEventListener('abort', onAbort, { once: true });
      const result = await settled;
      clearTimeout(giveUp);
      signal.removeEventListener('abort', onAbort);
      if (result.outcome === 'connected') {
        line.leave(); // the caller's conference leg is theirs now
        this.#o.log(`twilio: call ${callSid} handed to ${r.number} (warm)`);
        return { outcome: 'connected' };
      }
      if (personSid) await updateCall({ ...api, callSid: personSid, status: 'canceled', signal: AbortSignal.timeout(10_000) }).catch(() => {});
      if (result.outcome === 'caller left') {
        line.close('caller hung up');
        return { outcome: 'failed', detail: 'the caller hung up while on hold' };
      }
      // Back to the agent: the same conversation on a new stream.
      await updateCall({ ...api, callSid, twiml: streamTwiml(this.#streamUrl(), this.#o.resumeParameters()), signal: AbortSignal.timeout(15_000) });
      await back;
      return { outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) };
    } finally {
      forget();
    }
  }

  /** New TwiML (`before`, then the stream again): resolves when the call is back on a stream. */
  async #replaceStream(before: string, signal: AbortSignal): Promise<void> {
    const { line, api, callSid } = this.#o;
    const back = line.expectStream(STREAM_BACK_MS);
    back.catch(() => {});
    try {
      await updateCall({ ...api, callSid, twiml: streamTwiml(this.#streamUrl(), this.#o.resumeParameters(), before), signal });
    } catch (e) {
      line.stay();
      throw e;
    }
    await back;
  }

  #streamUrl(): string {
    return `${this.#o.baseUrl.replace(/^http/, 'ws')}/v1/twilio/stream`;
  }
}
