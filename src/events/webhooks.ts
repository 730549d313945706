import { resolveSecrets } from '../agent/secrets.ts';
import type { ClaimedDelivery, OutboxEvent } from '../store/outbox.ts';
import type { SendOutcome } from './deliverer.ts';
import { signedHeaders } from './signature.ts';
import { postEvent } from './webhook-post.ts';

/** The JSON body of an event, the same for every attempt: `{ type, timestamp, agent, data }` (Standard Webhooks' payload shape). */
export function eventBody(e: OutboxEvent): string {
  return JSON.stringify({ type: e.type, timestamp: e.createdAt, agent: e.agent, ...(e.conversationId ? { conversationId: e.conversationId } : {}), data: e.data });
}

/** One POST of a webhook delivery, signed when it has a secret; a missing secret or URL variable is a failed attempt naming it. */
export async function sendWebhook(d: ClaimedDelivery, o: { env: NodeJS.ProcessEnv; now: () => number; timeoutMs: number; signal: AbortSignal }): Promise<SendOutcome> {
  if (d.target.kind !== 'webhook') throw new Error(`not a webhook delivery: ${d.destination}`);
  let url: string;
  let headers: Record<string, string>;
  const body = eventBody(d.event);
  try {
    url = resolveSecrets(d.target.url, `${d.destination} url`, o.env);
    const timestamp = Math.floor(o.now() / 1000);
    // Unsigned (no secret in the file): the id and time still go, so a receiver can drop a retried delivery.
    const stamp = d.target.secret
      ? signedHeaders({ id: d.event.id, timestamp, body, secret: resolveSecrets(d.target.secret, `${d.destination} secret`, o.env) })
      : { 'webhook-id': d.event.id, 'webhook-timestamp': String(timestamp) };
    headers = { 'content-type': 'application/json', 'user-agent': 'parley-events/0.1', ...stamp };
  } catch (e) {
    return { ok: false, status: null, error: (e as Error).message };
  }
  const r = await postEvent(url, { body, headers, allowPrivate: d.target.allowPrivate, timeoutMs: o.timeoutMs, signal: o.signal });
  // The attempt log shows the URL as written: a token inside a ${NAME} URL stays out of it.
  if (r.status === null) return { ok: false, status: null, error: hideUrl(r.error, url, d.target.url) };
  return { ok: r.ok, status: r.status, error: r.ok ? null : `HTTP ${r.status}${r.answer ? `: ${r.answer.slice(0, 300)}` : ''}` };
}

function hideUrl(text: string, url: string, template: string): string {
  if (url === template) return text;
  const forms = [url, URL.canParse(url) ? new URL(url).href : url].sort((a, b) => b.length - a.length);
  return forms.reduce((t, f) => t.split(f).join(template), text);
}
