import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks (standardwebhooks.com) signatures: HMAC-SHA256 over `<id>.<timestamp>.<body>`
// with the secret's bytes (base64 after the `whsec_` prefix), sent as `v1,<base64>` in
// `webhook-signature`, next to `webhook-id` and `webhook-timestamp` (Unix seconds).

/** A secret in the Standard Webhooks form, for `parley events secret` and the docs. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The key bytes of a `whsec_<base64>` secret; throws (naming no value) when it is not one. */
export function secretKey(secret: string): Buffer {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret.trim());
  const key = m ? Buffer.from(m[1], 'base64') : Buffer.alloc(0);
  if (key.length < 16) throw new Error('the webhook secret must look like whsec_<base64 of 16 to 64 random bytes> (make one: parley events secret)');
  return key;
}

/**
 * The key bytes of a signing secret that may also be plain text: `whsec_<base64>` is decoded as
 * Standard Webhooks do; anything else is used as its UTF-8 bytes, which is what the HMAC steps of
 * Make, Zapier and n8n take as their key.
 */
export function signingKey(secret: string): Buffer {
  if (secret.trim().startsWith('whsec_')) return secretKey(secret);
  if (!secret) throw new Error('the signing secret is empty');
  return Buffer.from(secret, 'utf8');
}

/** The three headers that sign one delivery of `body`; `secret` must be whsec_<base64> unless `key` (from signingKey) is given. */
export function signedHeaders(o: { id: string; timestamp: number; body: string; secret?: string; key?: Buffer }): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const key = o.key ?? secretKey(o.secret ?? '');
  const mac = createHmac('sha256', key).update(`${o.id}.${o.timestamp}.${o.body}`).digest('base64');
  return { 'webhook-id': o.id, 'webhook-timestamp': String(o.timestamp), 'webhook-signature': `v1,${mac}` };
}
