import crypto from 'node:crypto';
import { MemoryRateWindow, type RateWindow } from './rate-window.ts';

// Admin access (PARLEY_ADMIN_TOKEN) for anything that is not a caller: the admin API, the
// dashboard, scripts. Scripts send `Authorization: Bearer <token>`; a browser logs in once and
// then carries a cookie holding a signed expiry (`<exp>.<HMAC(token, exp)>`), never the token
// itself, so a rotated token logs every browser out. Comparisons are constant-time, and failed
// attempts are limited per client address (a RateWindow, shared by a cluster). Framework-free:
// headers in, a verdict out.

/** Cookie that carries a browser's admin session. */
export const ADMIN_COOKIE = 'parley_admin';

/** A verdict on one request: allowed, or the HTTP status and reason to refuse it with. */
export type AdminVerdict = { ok: true; via: 'bearer' | 'cookie' } | Refusal;

/** True when `given` equals `expected`, in time that depends on neither (both are hashed to one length first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given, 'utf8').digest();
  const b = crypto.createHash('sha256').update(expected, 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** One cookie's value from a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True for a loopback client address (IPv4, IPv6, IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}

export interface AdminAuthOptions {
  /** PARLEY_ADMIN_TOKEN; without it nothing is admitted (except `open` requests). */
  token: string | undefined;
  now?: () => number;
  /** Failed attempts allowed per client address per window (default 10 a minute); more get 429 until the window frees up. */
  maxFailures?: number;
  windowMs?: number;
  /** Where failures are counted (default: this process's memory). */
  failures?: RateWindow;
  /** How long a browser login lasts (default 12 hours). */
  sessionMs?: number;
}

/** Checks admin credentials (bearer or login cookie) and issues login cookies; see the file comment. */
export class AdminAuth {
  #token: string | undefined;
  #now: () => number;
  #failures: RateWindow;
  #maxFailures: number;
  #windowMs: number;
  /** Clients that used up their failures, until when. */
  #blocked = new Map<string, number>();
  readonly sessionMs: number;

  constructor(o: AdminAuthOptions) {
    this.#token = o.token || undefined;
    this.#now = o.now ?? Date.now;
    this.#failures = o.failures ?? new MemoryRateWindow({ now: this.#now });
    this.#maxFailures = o.maxFailures ?? 10;
    this.#windowMs = o.windowMs ?? 60_000;
    this.sessionMs = o.sessionMs ?? 12 * 60 * 60 * 1000;
  }

  /** Whether a request may pass: a valid bearer token or login cookie; wrong tokens count against `client`. */
  async check(req: { authorization?: string; cookie?: string; client: string }): Promise<AdminVerdict> {
    if (!this.#token) return NOT_SET;
    if (this.#isBlocked(req.client)) return TOO_MANY;
    const bearer = bearerToken(req.authorization);
    if (bearer !== undefined) return sameSecret(bearer, this.#token) ? { ok: true, via: 'bearer' } : this.#failed(req.client);
    const session = cookieValue(req.cookie, ADMIN_COOKIE);
    if (session !== undefined && this.#validSession(session)) return { ok: true, via: 'cookie' };
    // No credentials (or an expired login) is not a guess: it does not count as a failure.
    return { ok: false, status: 401, error: 'admin token required: send Authorization: Bearer <PARLEY_ADMIN_TOKEN>, or log in at /dashboard/login' };
  }

  /** A login attempt with `given` as the token: the session cookie's value on success. */
  async login(given: string, client: string): Promise<{ ok: true; session: string } | Refusal> {
    if (!this.#token) return NOT_SET;
    if (this.#isBlocked(client)) return TOO_MANY;
    if (!sameSecret(given, this.#token)) return this.#failed(client);
    const exp = String(this.#now() + this.sessionMs);
    return { ok: true, session: `${exp}.${this.#sign(exp)}` };
  }

  async #failed(client: string): Promise<Refusal> {
    const r = await this.#failures.take(`admin-auth:${client}`, this.#maxFailures, this.#windowMs);
    if (r.ok) return { ok: false, status: 401, error: 'wrong admin token' };
    if (this.#blocked.size > 10_000) for (const [k, until] of this.#blocked) if (until <= this.#now()) this.#blocked.delete(k);
    this.#blocked.set(client, this.#now() + r.retryAfterMs);
    return TOO_MANY;
  }

  #isBlocked(client: string): boolean {
    const until = this.#blocked.get(client);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#blocked.delete(client);
    return false;
  }

  #validSession(value: string): boolean {
    const dot = value.indexOf('.');
    if (dot <= 0 || !this.#token) return false;
    const exp = value.slice(0, dot);
    if (!sameSecret(value.slice(dot + 1), this.#sign(exp))) return false;
    return /^\d+$/.test(exp) && Number(exp) > this.#now();
  }

  #sign(exp: string): string {
    return crypto.createHmac('sha256', this.#token!).update(`parley-admin-session:${exp}`).digest('base64url');
  }
}

type Refusal = { ok: false; status: 401 | 429 | 503; error: string };
const NOT_SET: Refusal = { ok: false, status: 503, error: 'PARLEY_ADMIN_TOKEN is not set on this server' };
const TOO_MANY: Refusal = { ok: false, status: 429, error: 'too many failed attempts; try again in a minute' };
