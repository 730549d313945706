// Campaign and outbound-call shapes shared by the store, the server and the dashboard. No imports,
// so the browser bundle (web/dashboard) can take the types from here.

/** How an outbound call turned out. */
export type CallOutcome = 'human' | 'voicemail' | 'no-answer' | 'busy' | 'failed';
export const CALL_OUTCOMES: readonly CallOutcome[] = ['human', 'voicemail', 'no-answer', 'busy', 'failed'];

/** A campaign dials (`running`), waits (`paused`), or has nobody left to call (`finished`). */
export type CampaignState = 'running' | 'paused' | 'finished';

/**
 * Where a contact stands: waiting to be dialled (maybe for a retry), being called (leased to one
 * node), reached (`done`), given up (`unreachable`: retries spent, or the call failed), or on the
 * do-not-call list.
 */
export type ContactState = 'pending' | 'calling' | 'done' | 'unreachable' | 'do-not-call';
export const CONTACT_STATES: readonly ContactState[] = ['pending', 'calling', 'done', 'unreachable', 'do-not-call'];

/** When and how fast a campaign calls. */
export interface CampaignSettings {
  /** Calling hours in each callee's local time, "HH:MM" (start inclusive, end exclusive). */
  window: { start: string; end: string; days: number[] };
  /** Calls in progress at once, across every node. */
  concurrency: number;
  /** Calls placed in any 60 seconds, across every node. */
  perMinute: number;
  /** Attempts per contact, the first included. */
  maxAttempts: number;
  /** Minutes to wait after a busy or unanswered attempt: the n-th retry waits the n-th (the last repeats). */
  retryMinutes: number[];
}

/** A campaign with its counts. */
export interface CampaignView {
  id: string;
  name: string;
  agent: string;
  state: CampaignState;
  settings: CampaignSettings;
  createdAt: string;
  updatedAt: string;
  contacts: Record<ContactState, number>;
  outcomes: Partial<Record<CallOutcome, number>>;
}

/** One contact as listed. */
export interface ContactView {
  id: string;
  row: number;
  phone: string;
  name: string | null;
  timeZone: string;
  state: ContactState;
  attempts: number;
  nextAttemptAt: string;
  outcome: CallOutcome | null;
  lastError: string | null;
}
