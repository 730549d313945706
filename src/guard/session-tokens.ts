import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Session tokens for the web door: HMAC-SHA256 over a small JSON payload (agent, origin, expiry,
// nonce), base64url-encoded as `<payload>.<signature>`. Short-lived and single use: the nonce of a
// spent token is remembered until the token would have expired anyway.

/** What a token grants: one socket to one agent, from one origin, before `exp` (ms since epoch). */
export interface TokenClaims {
  agent: string;
  origin: string;
  exp: number;
  nonce: string;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

export const TOKEN_TTL_MS = 60_000;

export class SessionTokens {
  #secret: Buffer;
  #now: () => number;
  #ttlMs: number;
  /** Spent nonces, with the expiry after which they no longer need remembering. */
  #spent = new Map<string, number>();

  constructor(o: { secret: string | Buffer; now?: () => number; ttlMs?: number }) {
    this.#secret = Buffer.isBuffer(o.secret) ? o.secret : Buffer.from(o.secret, 'utf8');
    this.#now = o.now ?? Date.now;
    this.#ttlMs = o.ttlMs ?? TOKEN_TTL_MS;
  }

  issue(agent: string, origin: string): string {
    const claims: TokenClaims = { agent, origin, exp: this.#now() + this.#ttlMs, nonce: randomBytes(12).toString('base64url') };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.#sign(payload)}`;
  }

  /** Checks signature, expiry, single use, agent and origin; a valid token is spent by checking it. */
  redeem(token: string, expect: { agent?: string; origin: string }): TokenCheck {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed token' };
    const want = Buffer.from(this.#sign(payload));
    const got = Buffer.from(signature);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'bad token signature' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'malformed token' };
    }
    const now = this.#now();
    this.#prune(now);
    if (typeof claims.exp !== 'number' || now >= claims.exp) return { ok: false, reason: 'token expired' };
    if (this.#spent.has(claims.nonce)) return { ok: false, reason: 'token already used' };
    if (expect.agent !== undefined && claims.agent !== expect.agent) return { ok: false, reason: 'token is for another agent' };
    if (claims.origin !== expect.origin) return { ok: false, reason: 'token was issued to another origin' };
    this.#spent.set(claims.nonce, claims.exp);
    return { ok: true, claims };
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }

  #prune(now: number): void {
    for (const [nonce, exp] of this.#spent) if (exp <= now) this.#spent.delete(nonce);
  }
}
