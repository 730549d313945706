import { resolveSecrets } from '../../agent/secrets.ts';
import type { Agent } from '../../agent/load.ts';

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
  return { accountSid: resolveSecrets(phone.accountSid, neededBy, env), authToken: resolveSecrets(phone.authToken, neededBy, env), number: phone.number };
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

/** Asks Twilio to call `to` from the account's number; Twilio fetches `webhookUrl` when it is answered. */
export async function placeCall(o: { account: PhoneAccount; to: string; webhookUrl: string; apiBase?: string; fetch?: typeof fetch; signal?: AbortSignal; /** More form fields: answering-machine detection, status callbacks (see answering-machine.ts). */ extra?: [string, string][] }): Promise<PlacedCall> {
  if (!/^\+[1-9]\d{6,14}$/.test(o.to)) throw new Error(`"${o.to}" is not a phone number in E.164 form (+14155550123)`);
  const base = (o.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const res = await (o.fetch ?? fetch)(`${base}/2010-04-01/Accounts/${encodeURIComponent(o.account.accountSid)}/Calls.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${o.account.accountSid}:${o.account.authToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams([['To', o.to], ['From', o.account.number], ['Url', o.webhookUrl], ['Method', 'POST'], ...(o.extra ?? [])]),
    signal: o.signal ?? AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(`Twilio refused the call (HTTP ${res.status}${body.code ? `, error ${body.code}` : ''}): ${String(body.message ?? res.statusText)}`);
  return { sid: String(body.sid), status: String(body.status), to: String(body.to ?? o.to), from: String(body.from ?? o.account.number) };
}
