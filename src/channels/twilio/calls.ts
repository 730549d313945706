import { resolveSecrets } from '../../agent/secrets.ts';
import type { Agent } from '../../agent/load.ts';
import { phoneNumber } from '../../agent/phone-number.ts';

// Outbound calls through Twilio's REST API: POST /2010-04-01/Accounts/{AccountSid}/Calls.json
// with basic auth (AccountSid:AuthToken) and form fields To, From and Url. When the callee
// answers, Twilio requests Url — our voice webhook, with ?agent=NAME&direction=outbound — and the
// call continues exactly like an inbound one, over a Media Stream.

/** The agent's Twilio account and number, with secrets resolved from the environment. */
export interface PhoneAccount {
  accountSid: string;
  authToken: string;
  number: string;
}

/** channels.phone of an agent, resolved; throws naming what is missing. */
export function phoneAccount(agent: Agent, env: NodeJS.ProcessEnv): PhoneAccount {
  const phone = agent.config.channels.phone;
  if (!phone?.number) throw new Error(`"${agent.name}" has no channels.phone.number in agent.yaml: set the Twilio number it calls from`);
  const neededBy = `channels.phone of ${agent.name}`;
  return { accountSid: resolveSecrets(phone.accountSid, neededBy, env), authToken: resolveSecrets(phone.authToken, neededBy, env), number: phoneNumber(agent.config, env)! };
}

/** The Twilio auth token the agent's webhooks are signed with, or undefined when it cannot be resolved. */
export function phoneAuthToken(agent: Agent, env: NodeJS.ProcessEnv): string | undefined {
  const phone = agent.config.channels.phone;
  try {
    return phone ? resolveSecrets(phone.authToken, 'channels.phone.authToken', env) : env.TWILIO_AUTH_TOKEN || undefined;
  } catch {
    return undefined;
  }
}

/** What Twilio says about a call it has queued. */
export interface PlacedCall {
  sid: string;
  status: string;
  to: string;
  from: string;
}

/** Where the REST API is and how it is reached (tests point it at a fake). */
export interface TwilioApi {
  account: PhoneAccount;
  apiBase?: string;
  fetch?: typeof fetch;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** Asks Twilio to call `to` from the account's number; Twilio fetches `webhookUrl` when it is answered. */
export async function placeCall(o: TwilioApi & { to: string; webhookUrl: string; signal?: AbortSignal; /** More form fields: answering-machine detection, status callbacks (see answering-machine.ts). */ extra?: [string, string][] }): Promise<PlacedCall> {
  return createCall({ ...o, answer: { url: o.webhookUrl } });
}

/**
 * POST /Calls.json: a call from the account's number to `to`, running `answer` (a TwiML URL or the
 * TwiML itself) when answered. `timeoutSec` is how long it rings; `statusCallback` hears the
 * `statusEvents` (initiated, ringing, answered, completed), each with CallStatus.
 */
export async function createCall(o: TwilioApi & { to: string; answer: { url: string } | { twiml: string }; timeoutSec?: number; statusCallback?: string; statusEvents?: string[]; extra?: [string, string][]; signal?: AbortSignal }): Promise<PlacedCall> {
  if (!E164.test(o.to)) throw new Error(`"${o.to}" is not a phone number in E.164 form (+14155550123)`);
  const form = new URLSearchParams({ To: o.to, From: o.account.number });
  if ('url' in o.answer) form.set('Url', o.answer.url), form.set('Method', 'POST');
  else form.set('Twiml', o.answer.twiml);
  if (o.timeoutSec !== undefined) form.set('Timeout', String(o.timeoutSec));
  if (o.statusCallback) {
    form.set('StatusCallback', o.statusCallback);
    form.set('StatusCallbackMethod', 'POST');
    // A list parameter is sent once per value, as Twilio's own helper libraries do.
    for (const e of o.statusEvents ?? []) form.append('StatusCallbackEvent', e);
  }
  for (const [k, v] of o.extra ?? []) form.append(k, v);
  const body = await twilioPost(o, 'Calls.json', form, 'Twilio refused the call', o.signal);
  return { sid: String(body.sid), status: String(body.status), to: String(body.to ?? o.to), from: String(body.from ?? o.account.number) };
}

/**
 * POST /Calls/{CallSid}.json: a live call runs new TwiML at once (whatever it was doing — a Media
 * Stream — ends), or is ended: `canceled` while it rings, `completed` once answered.
 */
export async function updateCall(o: TwilioApi & { callSid: string; twiml?: string; status?: 'canceled' | 'completed'; signal?: AbortSignal }): Promise<{ sid: string; status: string }> {
  if (!/^CA[0-9a-fA-F]{32}$/.test(o.callSid)) throw new Error(`"${o.callSid}" is not a Twilio call SID`);
  const form = new URLSearchParams();
  if (o.twiml !== undefined) form.set('Twiml', o.twiml);
  if (o.status) form.set('Status', o.status);
  const body = await twilioPost(o, `Calls/${o.callSid}.json`, form, 'Twilio refused to change the call', o.signal);
  return { sid: String(body.sid), status: String(body.status) };
}

/** What Twilio says about a call now. */
export interface CallState {
  sid: string;
  status: string;
  answeredBy: string | null;
}

/** GET /Calls/{CallSid}.json: the call's status (queued, ringing, in-progress, completed, busy, no-answer, failed, canceled) and AnsweredBy. */
export async function fetchCall(o: TwilioApi & { callSid: string; signal?: AbortSignal }): Promise<CallState> {
  if (!/^CA[0-9a-fA-F]{32}$/.test(o.callSid)) throw new Error(`"${o.callSid}" is not a Twilio call SID`);
  const body = await twilioPost(o, `Calls/${o.callSid}.json`, undefined, 'Twilio refused to say how the call stands', o.signal);
  return { sid: String(body.sid ?? o.callSid), status: String(body.status ?? ''), answeredBy: body.answered_by == null ? null : String(body.answered_by) };
}

/**
 * Twilio answered with a 4xx: it refused the request, so nothing was done (no call exists). A
 * timeout, a dropped connection or a 5xx leaves it unknown whether the call was created.
 */
export function refusedByTwilio(e: unknown): boolean {
  return e instanceof Error && /\(HTTP 4\d\d[,)]/.test(e.message);
}

/** A request to the account's REST resources: POST with a form, or GET without one. */
async function twilioPost(o: TwilioApi, path: string, form: URLSearchParams | undefined, refused: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const base = (o.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const res = await (o.fetch ?? fetch)(`${base}/2010-04-01/Accounts/${encodeURIComponent(o.account.accountSid)}/${path}`, {
    method: form ? 'POST' : 'GET',
    headers: {
      authorization: `Basic ${Buffer.from(`${o.account.accountSid}:${o.account.authToken}`).toString('base64')}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      accept: 'application/json',
    },
    body: form,
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${refused} (HTTP ${res.status}${body.code ? `, error ${body.code}` : ''}): ${String(body.message ?? res.statusText)}`);
  return body;
}
