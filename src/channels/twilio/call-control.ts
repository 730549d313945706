import type { PhoneAccount } from './calls.ts';

// A call in progress, through Twilio's REST API: POST /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json
// with `Twiml` (the call leaves what it was doing — our Media Stream — and runs it) or
// `Status=completed` (hang up); GET the same URL for the call's status and AnsweredBy.

/** What Twilio says about a call now. */
export interface CallState {
  sid: string;
  status: string;
  answeredBy: string | null;
}

/** Sends the call new TwiML, or hangs it up; throws with Twilio's message when refused. */
export async function updateCall(o: { account: PhoneAccount; sid: string; twiml?: string; hangUp?: boolean; apiBase?: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<CallState> {
  const body = new URLSearchParams(o.hangUp ? { Status: 'completed' } : { Twiml: o.twiml ?? '' });
  return callRequest(o, 'POST', body);
}

/** The call's status as Twilio has it (queued, ringing, in-progress, completed, busy, no-answer, failed, canceled). */
export async function fetchCall(o: { account: PhoneAccount; sid: string; apiBase?: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<CallState> {
  return callRequest(o, 'GET');
}

async function callRequest(o: { account: PhoneAccount; sid: string; apiBase?: string; fetch?: typeof fetch; signal?: AbortSignal }, method: 'GET' | 'POST', body?: URLSearchParams): Promise<CallState> {
  if (!/^CA[0-9a-f]{32}$/i.test(o.sid)) throw new Error(`"${o.sid}" is not a Twilio call sid`);
  const base = (o.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const res = await (o.fetch ?? fetch)(`${base}/2010-04-01/Accounts/${encodeURIComponent(o.account.accountSid)}/Calls/${o.sid}.json`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${o.account.accountSid}:${o.account.authToken}`).toString('base64')}`,
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body,
    signal: o.signal ?? AbortSignal.timeout(15_000),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(`Twilio refused (HTTP ${res.status}${json.code ? `, error ${json.code}` : ''}): ${String(json.message ?? res.statusText)}`);
  return { sid: String(json.sid ?? o.sid), status: String(json.status ?? ''), answeredBy: json.answered_by == null ? null : String(json.answered_by) };
}
