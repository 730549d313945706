import { soundsLikeVoicemail } from '../channels/twilio/answering-machine.ts';
import type { ConversationEvent, EventSink } from '../session/events.ts';
import { OutboundCalls } from '../store/outbound-calls.ts';
import { errorText } from '../util/error-text.ts';
import type { LoadedAgent } from './agents.ts';
import { asksNotToBeCalled } from './campaigns/do-not-call-words.ts';
import type { ServerContext } from './context.ts';
import { onVoicemailHeard } from './outbound-calls.ts';

// What a phone call's own words decide, from its conversation events: on an outbound call, the
// link to the call's row (campaign, outcome `human` once answered) and a voicemail greeting heard
// in the first seconds; on any call with a known number, a caller asking never to be called again
// goes on the do-not-call list.

/** How long into an outbound call the recogniser's words may still reveal a voicemail greeting. */
const GREETING_WINDOW_MS = 15_000;

/** The listener to give a phone call's conversation, and `settled` for when what it started is written. */
export function watchPhoneCall(ctx: ServerContext, loaded: LoadedAgent, call: { callSid: string; direction: 'inbound' | 'outbound'; caller: string | null }): { onEvent: EventSink; settled(): Promise<void> } {
  const calls = new OutboundCalls(ctx.store);
  let startedAt: number | undefined;
  let voicemail = false;
  let listed = false;
  const pending = new Set<Promise<void>>();
  const run = (what: string, work: () => Promise<void>) => {
    const p = work().catch((e: unknown) => ctx.warn(`call ${call.callSid}: ${what}: ${errorText(e)}`));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const onEvent = (conversationId: string, e: ConversationEvent) => {
    if (e.type === 'conversation.started') {
      startedAt = Date.parse(e.at);
      if (call.direction === 'outbound') {
        run('could not link the conversation to its call', async () => {
          await calls.linkConversation(call.callSid, conversationId);
          await calls.setOutcome(call.callSid, 'human');
        });
      }
      return;
    }
    if (e.type !== 'turn.caller') return;
    const text = e.turn.text;
    if (call.direction === 'outbound' && !voicemail && loaded.agent.config.outbound.machineDetection && startedAt !== undefined && Date.parse(e.at) - startedAt <= GREETING_WINDOW_MS && soundsLikeVoicemail(text)) {
      voicemail = true;
      ctx.log(`twilio: call ${call.callSid} sounds like voicemail`);
      run('voicemail', () => onVoicemailHeard(ctx, loaded, call.callSid));
    }
    if (call.caller && !listed && asksNotToBeCalled(text)) {
      listed = true;
      ctx.log(`do-not-call: the callee of conversation ${conversationId} asked not to be called again`);
      run('could not add the number to the do-not-call list', () => calls.addDoNotCall({ phone: call.caller!, source: 'caller', reason: text.slice(0, 300), conversationId, now: new Date(ctx.now()).toISOString() }));
    }
  };
  return { onEvent, settled: async () => void (await Promise.all([...pending])) };
}
