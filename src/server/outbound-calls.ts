import { randomUUID } from 'node:crypto';
import { E164 } from '../agent/phone-number.ts';
import { fillVariables } from '../agent/variables.ts';
import { answeredByKind, machineDetectionFields, statusCallbackFields, voicemailTwiml, type FinalCallStatus } from '../channels/twilio/answering-machine.ts';
import { fetchCall, phoneAccount, placeCall, updateCall, type PlacedCall } from '../channels/twilio/calls.ts';
import type { CallOutcome } from '../store/campaign-types.ts';
import { Campaigns, type AttemptResult } from '../store/campaigns.ts';
import { OutboundCalls } from '../store/outbound-calls.ts';
import { Records } from '../store/records.ts';
import type { EndReason } from '../store/record-types.ts';
import { errorText } from '../util/error-text.ts';
import type { LoadedAgent } from './agents.ts';
import type { ServerContext } from './context.ts';

// Outbound calls end to end (docs/phone.md): placing one (do-not-call list first, with Twilio's
// asynchronous answering-machine detection and a status callback), acting on what answered
// (leave the agent's voicemail message after the beep, or hang up), and recording the outcome —
// `human`, `voicemail`, `no-answer`, `busy` or `failed` — on the call's conversation, creating one
// for a call nobody answered. Any node may receive any callback: everything goes through the store.

/** The number is on the do-not-call list. */
export class DoNotCallError extends Error {
  constructor(to: string) {
    super(`${to} is on the do-not-call list`);
  }
}

/** The number is not one Twilio can call (not E.164). */
export class InvalidNumberError extends Error {
  constructor(to: string) {
    super(`"${to}" is not a phone number in E.164 form (+14155550123)`);
  }
}

/** Throws InvalidNumberError or DoNotCallError when `to` may not be called. */
export async function checkDestination(ctx: ServerContext, to: string): Promise<void> {
  if (!E164.test(to)) throw new InvalidNumberError(to);
  if (await new OutboundCalls(ctx.store).onDoNotCall(to)) throw new DoNotCallError(to);
}

/** Places an outbound call for `loaded`; `base` is the public URL Twilio reaches this server at. */
export async function dialOut(ctx: ServerContext, o: { loaded: LoadedAgent; to: string; base: string; campaignId?: string; contactId?: string; admitted?: boolean; signal?: AbortSignal }): Promise<PlacedCall> {
  const calls = new OutboundCalls(ctx.store);
  // Checked here, at dial time, whatever list or import the number came from.
  await checkDestination(ctx, o.to);
  const account = phoneAccount(o.loaded.agent, ctx.env);
  const agent = encodeURIComponent(o.loaded.agent.name);
  const { outbound } = o.loaded.agent.config;
  const placed = await placeCall({
    account,
    to: o.to,
    // admitted=1: the callee's place in the hourly window is already taken; Twilio signs this URL, so it cannot be forged.
    webhookUrl: `${o.base}/v1/twilio/voice?agent=${agent}&direction=outbound${o.admitted ? '&admitted=1' : ''}`,
    apiBase: ctx.env.PARLEY_TWILIO_API_URL,
    fetch: ctx.fetch,
    signal: o.signal,
    extra: [...(outbound.machineDetection ? machineDetectionFields(`${o.base}/v1/twilio/amd?agent=${agent}`) : []), ...statusCallbackFields(`${o.base}/v1/twilio/call-status?agent=${agent}`)],
  });
  await calls.record({ callSid: placed.sid, agent: o.loaded.agent.name, to: o.to, campaignId: o.campaignId, contactId: o.contactId, now: new Date(ctx.now()).toISOString() });
  return placed;
}

/** Twilio's answering-machine verdict for a call (AsyncAmdStatusCallback). */
export async function onAnsweredBy(ctx: ServerContext, loaded: LoadedAgent, callSid: string, answeredBy: string): Promise<void> {
  const calls = new OutboundCalls(ctx.store);
  const call = await calls.get(callSid);
  if (!call || call.agent !== loaded.agent.name) return ctx.warn(`twilio: answering-machine result for a call this server did not place (${callSid})`);
  await calls.noteAnsweredBy(callSid, answeredBy);
  const kind = answeredByKind(answeredBy);
  // A person, says Twilio; but if the recogniser already heard a greeting, it was a machine whose end came now.
  if (kind === 'human' && call.outcome !== 'voicemail') return calls.setOutcome(callSid, 'human');
  if (kind === 'fax') {
    await calls.setOutcome(callSid, 'failed', 'amd');
    if (await calls.claimVoicemail(callSid, null, 'hung up')) await control(ctx, loaded, callSid, { hangUp: true });
    return;
  }
  // `unknown` decides nothing, unless the greeting was heard: then the beep is as past as it will get.
  if (kind === 'unknown' && call.outcome !== 'voicemail') return;
  if (kind === 'machine' || kind === 'machine-greeting-over') await calls.setOutcome(callSid, 'voicemail', 'amd');
  // machine_start (MachineDetection=Enable) comes while the greeting still plays; machine_end_* once it is over.
  await actOnVoicemail(ctx, loaded, callSid, { greetingOver: kind !== 'machine' });
}

/** The recogniser heard a voicemail greeting in the first seconds of an outbound call. */
export async function onVoicemailHeard(ctx: ServerContext, loaded: LoadedAgent, callSid: string): Promise<void> {
  const calls = new OutboundCalls(ctx.store);
  await calls.setOutcome(callSid, 'voicemail', 'speech');
  const call = await calls.get(callSid);
  // Twilio's verdict already came (and found no beep to wait for): act now; else wait for it.
  await actOnVoicemail(ctx, loaded, callSid, { greetingOver: !!call?.answeredBy });
}

/**
 * Leaves the voicemail message or hangs up, once per call. Leaving waits for the end of the
 * greeting (Twilio's machine_end_* callback); when the recogniser heard the greeting first, the
 * agent falls silent at once (the call leaves the stream for a pause) and the message follows
 * Twilio's callback, or the pause's end if none comes.
 */
async function actOnVoicemail(ctx: ServerContext, loaded: LoadedAgent, callSid: string, o: { greetingOver: boolean }): Promise<void> {
  const calls = new OutboundCalls(ctx.store);
  const { outbound, persona } = loaded.agent.config;
  if (outbound.voicemail === 'hangup' || !outbound.voicemailMessage) {
    if ((await calls.claimVoicemail(callSid, null, 'hung up')) || (await calls.claimVoicemail(callSid, 'waiting', 'hung up'))) await control(ctx, loaded, callSid, { hangUp: true });
    return;
  }
  const message = fillVariables(outbound.voicemailMessage, await contactVariables(ctx, callSid));
  if (o.greetingOver) {
    if ((await calls.claimVoicemail(callSid, null, 'left')) || (await calls.claimVoicemail(callSid, 'waiting', 'left'))) {
      await control(ctx, loaded, callSid, { twiml: voicemailTwiml(message, { language: persona.language }) });
    }
    return;
  }
  if (await calls.claimVoicemail(callSid, null, 'waiting')) {
    await control(ctx, loaded, callSid, { twiml: voicemailTwiml(message, { pauseSec: VOICEMAIL_WAIT_SEC, language: persona.language }) });
  }
}

/** How long a call heard to be voicemail waits in silence for Twilio's end-of-greeting callback before the message is left anyway. */
export const VOICEMAIL_WAIT_SEC = 20;

async function control(ctx: ServerContext, loaded: LoadedAgent, callSid: string, what: { twiml?: string; hangUp?: boolean }): Promise<void> {
  try {
    await updateCall({ account: phoneAccount(loaded.agent, ctx.env), callSid, twiml: what.twiml, status: what.hangUp ? 'completed' : undefined, apiBase: ctx.env.PARLEY_TWILIO_API_URL, fetch: ctx.fetch });
    ctx.log(`twilio: call ${callSid}: ${what.hangUp ? 'hung up on an answering machine' : 'voicemail message sent'}`);
  } catch (e) {
    ctx.warn(`twilio: call ${callSid} could not be ${what.hangUp ? 'hung up' : 'given the voicemail message'}: ${errorText(e)}`);
  }
}

async function contactVariables(ctx: ServerContext, callSid: string): Promise<Record<string, string>> {
  const call = await new OutboundCalls(ctx.store).get(callSid);
  const contact = call?.contactId ? await new Campaigns(ctx.store).contact(call.contactId) : undefined;
  return contact?.variables ?? {};
}

/** What a campaign call's conversation needs before it starts: the contact's variables. */
export async function outboundCallLink(ctx: ServerContext, callSid: string): Promise<{ variables: Record<string, string>; campaignId: string | null } | undefined> {
  const call = await new OutboundCalls(ctx.store).get(callSid);
  if (!call) return undefined;
  return { variables: await contactVariables(ctx, callSid), campaignId: call.campaignId };
}

/** A call's final status (StatusCallback): the outcome, a record for a call nobody answered, the campaign's next step. */
export async function onCallStatus(ctx: ServerContext, loaded: LoadedAgent, callSid: string, status: FinalCallStatus, o: { answeredBy?: string } = {}): Promise<void> {
  const calls = new OutboundCalls(ctx.store);
  const call = await calls.get(callSid);
  if (!call || call.agent !== loaded.agent.name) return ctx.warn(`twilio: status of a call this server did not place (${callSid})`);
  await calls.setStatus(callSid, status);
  if (o.answeredBy && !call.answeredBy) await calls.noteAnsweredBy(callSid, o.answeredBy);
  const outcome = outcomeOfStatus(status, (await calls.get(callSid))!.outcome, o.answeredBy ?? call.answeredBy);
  await calls.setOutcome(callSid, outcome);
  const now = new Date(ctx.now()).toISOString();
  // A call that never reached our stream still gets its record, linked like any other.
  const id = randomUUID();
  if (await calls.linkConversation(callSid, id)) {
    const records = new Records(ctx.store.db);
    await records.startConversation({ id, agent: loaded.agent.name, agent_version: loaded.agent.version, channel: 'phone', direction: 'outbound', caller: call.to, started_at: call.createdAt });
    await records.endConversation(id, now, endReasonOf(outcome), { durationSec: 0 });
    void ctx.events.conversationEnded(id); // out as conversation.ended, like every other call
  }
  if (call.campaignId && call.contactId) await finishCampaignAttempt(ctx, call.campaignId, call.contactId, callSid, { status, outcome });
}

/** Applies a campaign contact's attempt result and wakes the runner (a line is free). */
export async function finishCampaignAttempt(ctx: ServerContext, campaignId: string, contactId: string, callSid: string | null, result: AttemptResult): Promise<void> {
  const campaigns = new Campaigns(ctx.store);
  const campaign = await campaigns.get(campaignId);
  if (!campaign) return;
  const state = await campaigns.finishAttempt(contactId, callSid, result, campaign.settings, new Date(ctx.now()).toISOString());
  if (state) ctx.campaignRunner?.wake();
}

/** The outcome once Twilio says how the call ended. */
export function outcomeOfStatus(status: FinalCallStatus | 'unknown', known: CallOutcome | null, answeredBy: string | null): CallOutcome {
  if (status === 'busy') return 'busy';
  if (status === 'no-answer') return 'no-answer';
  if (status === 'failed') return 'failed';
  if (status === 'canceled') return known ?? 'no-answer';
  if (known) return known;
  const kind = answeredBy ? answeredByKind(answeredBy) : 'unknown';
  return kind === 'machine' || kind === 'machine-greeting-over' ? 'voicemail' : kind === 'fax' ? 'failed' : 'human';
}

function endReasonOf(outcome: CallOutcome): EndReason {
  return outcome === 'busy' ? 'busy' : outcome === 'no-answer' ? 'no answer' : outcome === 'failed' ? 'call failed' : outcome === 'voicemail' ? 'voicemail' : 'caller hung up';
}

/** Asks Twilio how a call whose callbacks never arrived stands: still live, or over and how. */
export async function callStatusFromTwilio(ctx: ServerContext, loaded: LoadedAgent, callSid: string): Promise<{ live: boolean; status: FinalCallStatus | 'unknown'; answeredBy: string | null }> {
  const state = await fetchCall({ account: phoneAccount(loaded.agent, ctx.env), callSid, apiBase: ctx.env.PARLEY_TWILIO_API_URL, fetch: ctx.fetch });
  const live = ['queued', 'ringing', 'in-progress'].includes(state.status);
  const status = (['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const).find((s) => s === state.status) ?? 'unknown';
  return { live, status, answeredBy: state.answeredBy };
}
