import { createHmac, timingSafeEqual } from 'node:crypto';

// The link in a booking email that lets the caller cancel: /v1/bookings/<id>/cancel?sig=<HMAC>.
// The signature is HMAC-SHA256 over the purpose and the booking id with PARLEY_LINK_SECRET, so a
// link works for its own booking only and nobody can make one. Without the secret there are no
// links: one derived from another secret would break whenever that secret is rotated, and
// rotating the link secret is how every link ever sent is revoked.

/** The signature of the cancel link of one booking. */
export function cancelSignature(secret: string, bookingId: string): string {
  return createHmac('sha256', secret).update(`parley.booking.cancel:${bookingId}`).digest('base64url');
}

/** Whether `sig` is this booking's cancel signature (compared in constant time). */
export function validCancelSignature(secret: string, bookingId: string, sig: string | undefined): boolean {
  if (!sig) return false;
  const want = Buffer.from(cancelSignature(secret, bookingId));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The cancel page's URL, or undefined without a public URL or a link secret. */
export function cancelLink(env: NodeJS.ProcessEnv, bookingId: string): string | undefined {
  const secret = env.PARLEY_LINK_SECRET;
  const base = env.PARLEY_PUBLIC_URL?.replace(/\/+$/, '');
  if (!secret || !base) return undefined;
  return `${base}/v1/bookings/${encodeURIComponent(bookingId)}/cancel?sig=${cancelSignature(secret, bookingId)}`;
}
