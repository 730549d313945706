// What the widget shows a visitor, in words they understand. The widget's state is one of these,
// decided in one place (`visibleState`) from what the session reports and whether the visitor muted.

export type WidgetState = 'idle' | 'connecting' | 'listening' | 'thinking' | 'speaking' | 'muted' | 'ended' | 'error';

/** What the session reports; the widget adds 'idle' (nothing started) and 'muted' (the visitor's own choice). */
export type SessionState = 'connecting' | 'listening' | 'thinking' | 'speaking' | 'ended' | 'error';

/** Muted shows while the assistant waits for the visitor: then it is what they most need to know. */
export function visibleState(session: SessionState | undefined, muted: boolean): WidgetState {
  if (!session) return 'idle';
  return muted && session === 'listening' ? 'muted' : session;
}

export function stateWords(state: WidgetState, reason?: string): string {
  switch (state) {
    case 'idle':
      return '';
    case 'connecting':
      return reason ? 'Reconnecting…' : 'Connecting…';
    case 'listening':
      return 'Listening…';
    case 'thinking':
      return 'Thinking…';
    case 'speaking':
      return 'Speaking';
    case 'muted':
      return "Muted — the assistant can't hear you";
    case 'ended':
      return 'Call ended';
    case 'error':
      return plainReason(reason);
  }
}

/** The server's reasons are written for owners; a visitor gets what it means for them. */
export function plainReason(reason: string | undefined): string {
  const r = (reason ?? '').toLowerCase();
  if (!r || r.includes('could not reach')) return "Can't reach the assistant. Check your connection and try again.";
  if (r.includes('allowedorigins') || r.includes('origin')) return 'This assistant is not available on this site.';
  if (r.includes('conversations already') || r.includes('busy') || r.includes('try again')) return 'The assistant is busy right now. Please try again in a minute.';
  if (r.includes('per hour') || r.includes('too many')) return 'Too many conversations from here for now. Please try again later.';
  if (r.includes('budget') || r.includes('cost')) return 'The assistant is not taking calls right now.';
  if (r.includes('voice session failed')) return "The assistant's voice could not start. Please try again.";
  return 'Something went wrong. Please try again.';
}

/** A problem the conversation survives: the server's refusals of a typed message are already plain; anything else is not. */
export function visitorNote(message: string): string {
  return /^(a message may be|the agent is still answering|an empty message|the conversation has|the assistant is not listening)/.test(message) ? capitalise(message) + '.' : plainReason(message);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
