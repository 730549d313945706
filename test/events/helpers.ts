import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AgentFileData } from '../../src/agent/schema.ts';
import { Deliverer, type DelivererOptions } from '../../src/events/deliverer.ts';
import { sendWebhook } from '../../src/events/webhooks.ts';
import type { Destination } from '../../src/store/outbox.ts';
import type { Store } from '../../src/store/store.ts';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** A receiver's own check, written from the Standard Webhooks text, sharing no code with Parley's signer. */
export function verifyStandardWebhook(headers: IncomingHttpHeaders, body: string, secret: string): boolean {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sig = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return sig.split(' ').some((s) => {
    const [version, value] = s.split(',');
    const got = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/** One webhook destination to `url`, its secret in env var TEST_EVENTS_SECRET. */
export function webhookTo(url: string, allowPrivate = true): Destination {
  return { key: `webhook:${url}`, target: { kind: 'webhook', url, secret: '${TEST_EVENTS_SECRET}', allowPrivate } };
}

/** A deliverer sending every event to `destinations`, with a clock the test moves. */
export function testDeliverer(store: Store, destinations: Destination[], o: Partial<DelivererOptions> & { clock: { now: number }; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Deliverer {
  const env = o.env ?? { TEST_EVENTS_SECRET: SECRET };
  return new Deliverer({
    store,
    destinations: () => destinations,
    send: (d, signal) => sendWebhook(d, { env, now: () => o.clock.now, timeoutMs: o.timeoutMs ?? 2000, signal }),
    now: () => o.clock.now,
    ...o,
  });
}

export type { AgentFileData };
