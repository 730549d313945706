import { createHmac } from 'node:crypto';
import { sameSecret } from './admin-auth.ts';

// Twilio signs every webhook: X-Twilio-Signature = base64(HMAC-SHA1(auth token, the full URL it
// called, then each POST parameter's name and value, sorted by name)). The URL must be exactly
// the one Twilio used — behind a proxy that is the public one (PARLEY_PUBLIC_URL), not ours.

/** The signature Twilio would send for a POST to `url` with these form parameters. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((s, k) => s + k + params[k], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether `signature` is Twilio's for this request (constant-time). */
export function validTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, string>): boolean {
  if (!signature) return false;
  return sameSecret(signature, twilioSignature(authToken, url, params));
}
