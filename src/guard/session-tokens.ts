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
  /** A phone call's caller and direction, as the signed webhook said them (the stream's own parameters are not signed). */
  call?: BoundCall;
}

/** What a signed Twilio webhook says about its call, carried to the Media Stream inside the token. */
export interface BoundCall {
  caller: string;
  direction: 'inbound' | 'outbound';
}

/** How long a phone call's CallSid is remembered once its stream started: a replayed webhook gets no second stream within it. */
export const CALL_MEMORY_MS = 24 * 3_600_000;

/** A redeemed token, or why not; `unavailable` when the shared store of used tokens could not be asked (try again). */
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string; unavailable?: true };

export const TOKEN_TTL_MS = 60_000;

/** Where used tokens are remembered until they expire: this process, or Redis for every node. */
export interface SpentTokens {
  /** Marks `nonce` used until `untilMs`; false when it already was. Atomic. */
  spend(nonce: string, untilMs: number): Promise<boolean>;
}

/** SpentTokens in this process's memory; expired nonces are forgotten. */
export class MemorySpentTokens implements SpentTokens {
  #spent = new Map<string, number>();
  #now: () => number;
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }
  #prunedAt = -Infinity;
  async spend(nonce: string, untilMs: number): Promise<boolean> {
    const now = this.#now();
    // Expired entries are swept at most once a second: CallSids stay a day, so the map can be large.
    if (now - this.#prunedAt >= 1000) {
      for (const [n, exp] of this.#spent) if (exp <= now) this.#spent.delete(n);
      this.#prunedAt = now;
    }
    const until = this.#spent.get(nonce);
    if (until !== undefined && until > now) return false;
    this.#spent.set(nonce, untilMs);
    return true;
  }
}

export class SessionTokens {
  #secret: Buffer;
  #now: () => number;
  #ttlMs: number;
  #spent: SpentTokens;

  constructor(o: { secret: string | Buffer; now?: () => number; ttlMs?: number; spent?: SpentTokens }) {
    this.#secret = Buffer.isBuffer(o.secret) ? o.secret : Buffer.from(o.secret, 'utf8');
    this.#now = o.now ?? Date.now;
    this.#ttlMs = o.ttlMs ?? TOKEN_TTL_MS;
    this.#spent = o.spent ?? new MemorySpentTokens(this.#now);
  }

  issue(agent: string, origin: string, call?: BoundCall): string {
    const claims: TokenClaims = { agent, origin, exp: this.#now() + this.#ttlMs, nonce: randomBytes(12).toString('base64url'), ...(call ? { call } : {}) };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.#sign(payload)}`;
  }

  /** Checks signature, expiry, single use, agent and origin; a valid token is spent by checking it. */
  async redeem(token: string, expect: { agent?: string; origin: string }): Promise<TokenCheck> {
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
    if (typeof claims.exp !== 'number' || now >= claims.exp) return { ok: false, reason: 'token expired' };
    if (expect.agent !== undefined && claims.agent !== expect.agent) return { ok: false, reason: 'token is for another agent' };
    if (claims.origin !== expect.origin) return { ok: false, reason: 'token was issued to another origin' };
    // Spent last, so a refused attempt (wrong origin) does not burn the caller's token.
    let fresh: boolean;
    try {
      fresh = await this.#spent.spend(String(claims.nonce), claims.exp);
    } catch {
      // Redis unreachable: refuse (a token must not be usable twice), and say it is worth a retry.
      return { ok: false, reason: 'cannot check the token right now; try again', unavailable: true };
    }
    if (!fresh) return { ok: false, reason: 'token already used' };
    return { ok: true, claims };
  }

  /**
   * Claims `key` once (a phone call's CallSid: one stream per call) for `CALL_MEMORY_MS`, in the
   * same store as spent tokens (every node, with Redis): 'taken' when it already was.
   */
  async claimOnce(key: string): Promise<'claimed' | 'taken' | 'unavailable'> {
    try {
      return (await this.#spent.spend(`once:${key}`, this.#now() + CALL_MEMORY_MS)) ? 'claimed' : 'taken';
    } catch {
      return 'unavailable';
    }
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }
}
