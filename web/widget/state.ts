// What the widget shows a visitor, in words they understand. The widget's state is one of these,
// decided in one place (`visibleState`) from what the session reports and whether the visitor muted.
import type { WidgetTextName, WidgetTexts } from '../../src/agent/widget-text-names.ts';

export type WidgetState = 'idle' | 'connecting' | 'listening' | 'thinking' | 'speaking' | 'muted' | 'ended' | 'error';

/** What the session reports; the widget adds 'idle' (nothing started) and 'muted' (the visitor's own choice). */
export type SessionState = 'connecting' | 'listening' | 'thinking' | 'speaking' | 'ended' | 'error';

/** Muted shows while the assistant waits for the visitor: then it is what they most need to know. */
export function visibleState(session: SessionState | undefined, muted: boolean): WidgetState {
  if (!session) return 'idle';
  return muted && session === 'listening' ? 'muted' : session;
}

/** The state as the visitor reads it, in the agent's language (`t`, sent with the widget's config). */
export function stateWords(state: WidgetState, t: WidgetTexts, reason?: string): string {
  switch (state) {
    case 'idle':
      return '';
    case 'connecting':
      return reason ? t.reconnecting : t.connecting;
    case 'error':
      return plainReason(reason, t);
    default:
      return t[state];
  }
}

/** The server's reasons are written for owners; a visitor gets what it means for them. */
export function plainReason(reason: string | undefined, t: WidgetTexts): string {
  const r = (reason ?? '').toLowerCase();
  if (!r || r.includes('could not reach')) return t.unreachable;
  if (r.includes('allowedorigins') || r.includes('origin')) return t.notOnThisSite;
  if (r.includes('conversations already') || r.includes('busy') || r.includes('try again')) return t.busy;
  if (r.includes('per hour') || r.includes('too many')) return t.tooMany;
  if (r.includes('budget') || r.includes('cost')) return t.notTaking;
  if (r.includes('voice session failed')) return t.voiceFailed;
  return t.failed;
}

// The server's refusals of a typed message (src/session/text-session.ts, src/server/web-session.ts), by how they begin.
const REFUSALS: [RegExp, WidgetTextName][] = [
  [/^a message may be/, 'tooLong'],
  [/^the agent is still answering/, 'stillAnswering'],
  [/^(the assistant is not listening|the conversation has not started)/, 'notListening'],
  [/^an empty message/, 'emptyIgnored'],
  [/^the conversation has ended/, 'conversationEnded'],
];

/** A problem the conversation survives: a refused typed message in the visitor's words; anything else made plain. */
export function visitorNote(message: string, t: WidgetTexts): string {
  const refusal = REFUSALS.find(([re]) => re.test(message));
  return refusal ? t[refusal[1]] : plainReason(message, t);
}
