import crypto from 'node:crypto';
import { MemoryRateWindow, type RateWindow } from './rate-window.ts';
import { MemoryRevokedLogins, type RevokedLogins } from './revoked-logins.ts';

// Admin access (PARLEY_ADMIN_TOKEN) for anything that is not a caller: the admin API, the
// dashboard, scripts. Scripts send `Authorization: Bearer <token>`; a browser logs in once and
// then carries a cookie holding a login id and its expiry signed (`<id>.<exp>.<HMAC(token, id.exp)>`),
// never the token itself, so a rotated token logs every browser out, and logging out puts the id
// on a revocation list (RevokedLogins, shared by a cluster). Prometheus may read with its own
// PARLEY_METRICS_TOKEN. Comparisons are constant-time, and failed attempts are limited per client
// address (a RateWindow, shared by a cluster). Framework-free: headers in, a verdict out.

/** Cookie that carries a browser's admin session. */
export const ADMIN_COOKIE = 'parley_admin';

/** A verdict on one request: allowed, or the HTTP status and reason to refuse it with. */
export type AdminVerdict = { ok: true; via: 'bearer' | 'cookie' } | Refusal;

/** A verdict on a metrics reader: the metrics or the admin token, or the refusal. */
export type ReaderVerdict = { ok: true; via: 'metrics-token' | 'admin-token' } | Refusal;

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

/** True for a Host header naming this machine: localhost, 127.x.x.x or [::1], with any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host?.trim() ?? '');
  if (!m) return false;
  const name = m[1]!.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Whether a request to `parley dev`'s token-free admin API comes from this machine's own dashboard or scripts, or why not. */
export type LocalAccess = { local: true } | { local: false; reason: string };

/** Headers that a proxy or tunnel adds: a request carrying one did not come straight from this machine. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'forwarded'];

/**
 * A request is local when it arrives over loopback, came through no proxy, names this machine in
 * its Host header (a tunnel or a DNS-rebinding page names its own host), and, from a browser,
 * comes from the dashboard's own origin. `ip` is the client address the server took (after
 * PARLEY_TRUST_PROXY); `headers` are the request's own.
 */
export function localAccess(req: { ip: string; protocol: string; headers: Record<string, string | string[] | undefined> }): LocalAccess {
  const host = one(req.headers.host);
  const origin = one(req.headers.origin);
  if (!isLoopback(req.ip)) return { local: false, reason: `the request came from ${req.ip}, not this machine` };
  if (FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)) return { local: false, reason: 'the request came through a proxy or tunnel (it carries X-Forwarded-For or Forwarded)' };
  if (!isLoopbackHost(host)) return { local: false, reason: `its Host ${JSON.stringify(host ?? '')} is not localhost, 127.0.0.1 or [::1] (a tunnel or a DNS-rebinding page sends its own)` };
  const own = `${req.protocol}://${host}`;
  if (origin !== undefined && !sameOrigin(origin, own)) return { local: false, reason: `its Origin ${JSON.stringify(origin)} is not the dashboard's own (${own})` };
  return { local: true };
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin && new URL(a).origin !== 'null';
  } catch {
    return false;
  }
}

export interface AdminAuthOptions {
  /** PARLEY_ADMIN_TOKEN; without it nothing is admitted (except `open` requests). */
  token: string | undefined;
  /** PARLEY_METRICS_TOKEN: reads /metrics and /healthz details, nothing else. */
  metricsToken?: string;
  /** Logged-out logins (default: this process's memory). */
  revoked?: RevokedLogins;
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
  #metricsToken: string | undefined;
  #revoked: RevokedLogins;
  #now: () => number;
  #failures: RateWindow;
  #maxFailures: number;
  #windowMs: number;
  /** Clients that used up their failures, until when. */
  #blocked = new Map<string, number>();
  readonly sessionMs: number;

  constructor(o: AdminAuthOptions) {
    this.#token = o.token || undefined;
    this.#metricsToken = o.metricsToken || undefined;
    this.#now = o.now ?? Date.now;
    this.#revoked = o.revoked ?? new MemoryRevokedLogins({ now: this.#now });
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
    const login = this.#login(cookieValue(req.cookie, ADMIN_COOKIE));
    if (login) {
      try {
        if (!(await this.#revoked.isRevoked(login.id))) return { ok: true, via: 'cookie' };
      } catch (e) {
        return { ok: false, status: 503, error: `logins cannot be checked right now (${(e as Error).message}); use the bearer token or try again` };
      }
      return { ok: false, status: 401, error: 'this login was logged out; log in again at /dashboard/login' };
    }
    // No credentials (or an expired login) is not a guess: it does not count as a failure.
    return { ok: false, status: 401, error: 'admin token required: send Authorization: Bearer <PARLEY_ADMIN_TOKEN>, or log in at /dashboard/login' };
  }

  /** Whether a request may read metrics: `Authorization: Bearer` with PARLEY_METRICS_TOKEN or PARLEY_ADMIN_TOKEN; wrong tokens count against `client`. */
  async checkReader(req: { authorization?: string; client: string }): Promise<ReaderVerdict> {
    if (!this.#token && !this.#metricsToken) return NOT_SET;
    if (this.#isBlocked(req.client)) return TOO_MANY;
    const bearer = bearerToken(req.authorization);
    if (bearer === undefined) return { ok: false, status: 401, error: 'metrics token required: send Authorization: Bearer <PARLEY_METRICS_TOKEN>' };
    // Both compared every time, so the answer's timing does not tell which token was nearly right.
    const metrics = sameSecret(bearer, this.#metricsToken ?? '');
    const admin = sameSecret(bearer, this.#token ?? '');
    if (this.#metricsToken && metrics) return { ok: true, via: 'metrics-token' };
    if (this.#token && admin) return { ok: true, via: 'admin-token' };
    return this.#failed(req.client);
  }

  /** Logging out: the login in `cookie` (a Cookie header), if valid, is refused from now on, on every node sharing the list. */
  async logout(cookie: string | undefined): Promise<void> {
    const login = this.#login(cookieValue(cookie, ADMIN_COOKIE));
    if (login) await this.#revoked.revoke(login.id, login.exp);
  }

  /** A login attempt with `given` as the token: the session cookie's value on success. */
  async login(given: string, client: string): Promise<{ ok: true; session: string } | Refusal> {
    if (!this.#token) return NOT_SET;
    if (this.#isBlocked(client)) return TOO_MANY;
    if (!sameSecret(given, this.#token)) return this.#failed(client);
    const payload = `${crypto.randomBytes(12).toString('base64url')}.${this.#now() + this.sessionMs}`;
    return { ok: true, session: `${payload}.${this.#sign(payload)}` };
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

  /** The login a cookie value holds, when its signature is ours and it has not expired. */
  #login(value: string | undefined): { id: string; exp: number } | undefined {
    const m = /^([A-Za-z0-9_-]{16})\.(\d{1,15})\.([A-Za-z0-9_-]+)$/.exec(value ?? '');
    if (!m || !this.#token) return undefined;
    if (!sameSecret(m[3]!, this.#sign(`${m[1]}.${m[2]}`))) return undefined;
    const exp = Number(m[2]);
    return exp > this.#now() ? { id: m[1]!, exp } : undefined;
  }

  #sign(payload: string): string {
    return crypto.createHmac('sha256', this.#token!).update(`parley-admin-session:${payload}`).digest('base64url');
  }
}

type Refusal = { ok: false; status: 401 | 429 | 503; error: string };
const NOT_SET: Refusal = { ok: false, status: 503, error: 'PARLEY_ADMIN_TOKEN is not set on this server' };
const TOO_MANY: Refusal = { ok: false, status: 429, error: 'too many failed attempts; try again in a minute' };
