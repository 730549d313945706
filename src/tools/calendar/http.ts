import { timeoutSignal } from '../../util/timeout-signal.ts';
import { resolveSecrets, secretRefs } from '../../agent/secrets.ts';
import type { CalendarCall, HttpExchange } from './types.ts';
import { errorText } from '../../util/error-text.ts';

// The one way calendar providers talk to their vendor: every exchange is traced exactly as
// sent and received, with each secret shown as the `${NAME}` it came from, never its value.

/** A value that may come from `${NAME}` templates: what is sent, what the record shows, and what to scrub. */
export interface Secret {
  value: string;
  shown: string;
  /** Each secret value inside `value`, with what the record shows instead. */
  hides: [value: string, shown: string][];
}

/** A config string that may reference secrets (a base URL): shown as written, each `${NAME}` kept. */
export function templated(template: string, neededBy: string, env: NodeJS.ProcessEnv): Secret {
  const value = resolveSecrets(template, neededBy, env);
  return { value, shown: template, hides: refsHidden(template, env) };
}

/** `Authorization: Bearer <token>` from a token template; a token written literally in the file is shown redacted. */
export function bearer(template: string, neededBy: string, env: NodeJS.ProcessEnv): Secret {
  const token = resolveSecrets(template, neededBy, env);
  const literal = secretRefs(template).length === 0;
  return {
    value: `Bearer ${token}`,
    shown: `Bearer ${literal ? '[redacted]' : template}`,
    hides: literal ? [[token, '[redacted]']] : refsHidden(template, env),
  };
}

function refsHidden(template: string, env: NodeJS.ProcessEnv): [string, string][] {
  return secretRefs(template)
    .map((name): [string, string] => [env[name] ?? '', `\${${name}}`])
    .filter(([v]) => v.length >= 4); // scrubbing a 1–3 character value would mangle ordinary text
}

/** A request to a vendor, with the secret-bearing parts given as Secrets. */
export interface VendorRequest {
  method: 'GET' | 'POST';
  /** Base URL (may itself be a template) and the path + query appended to it. */
  base: Secret;
  path: string;
  headers: Record<string, string | Secret>;
  body?: unknown;
}

/** The vendor's answer, body parsed as JSON when it is JSON. */
export interface VendorResponse {
  status: number;
  ok: boolean;
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Sends one request, traces it on `call`, and returns the parsed answer; network failures throw after tracing. */
export async function exchange(fetchFn: typeof fetch, req: VendorRequest, call: CalendarCall, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<VendorResponse> {
  const join = (base: string) => `${base.replace(/\/+$/, '')}${req.path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  const shownHeaders: Record<string, string> = { accept: 'application/json' };
  for (const [name, h] of Object.entries(req.headers)) {
    headers[name] = typeof h === 'string' ? h : h.value;
    shownHeaders[name] = typeof h === 'string' ? h : h.shown;
  }
  if (req.body !== undefined) headers['content-type'] = shownHeaders['content-type'] = 'application/json';
  // Anything secret that slipped into a header value or the URL is put back as its template.
  const secrets = [req.base, ...Object.values(req.headers).filter((h): h is Secret => typeof h !== 'string')];
  const scrub = <T>(v: T): T => scrubSecrets(v, secrets);
  const request: HttpExchange['request'] = { method: req.method, url: scrub(join(req.base.shown)), headers: scrub(shownHeaders), ...(req.body !== undefined ? { body: scrub(req.body) } : {}) };

  let res: Response;
  let text: string;
  try {
    res = await fetchFn(join(req.base.value), {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.any([call.signal, timeoutSignal(timeoutMs)]),
    });
    text = await res.text();
  } catch (e) {
    const message = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : errorText(e);
    call.trace({ request, response: { error: scrub(message) } });
    if (call.signal.aborted) throw e;
    throw new Error(`could not reach ${new URL(join(req.base.value)).host}: ${scrub(message)}`, { cause: e });
  }
  const body = parseBody(text);
  call.trace({ request, response: { status: res.status, headers: { 'content-type': res.headers.get('content-type') }, body: scrub(body) } });
  return { status: res.status, ok: res.ok, body };
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A copy of `value` with every secret value (and its URL-encoded form) replaced by what the record shows. */
function scrubSecrets<T>(value: T, secrets: Secret[]): T {
  const pairs = secrets.flatMap((s) => s.hides).flatMap(([v, shown]) => [[v, shown], [encodeURIComponent(v), shown]] as const);
  if (!pairs.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return pairs.reduce((t, [from, to]) => t.split(from).join(to), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** The vendor's own words for a failed response, for error messages. */
export function vendorMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (!body || typeof body !== 'object') return 'no details';
  const b = body as { message?: unknown; title?: unknown; error?: unknown; details?: unknown };
  const parts: string[] = [];
  const err = b.error as { message?: unknown; code?: unknown } | string | undefined;
  if (typeof err === 'string') parts.push(err);
  else if (err && typeof err === 'object') parts.push(...[err.code, err.message].filter((x): x is string => typeof x === 'string'));
  for (const x of [b.title, b.message]) if (typeof x === 'string' && !parts.includes(x)) parts.push(x);
  if (Array.isArray(b.details)) {
    for (const d of b.details as { parameter?: unknown; message?: unknown }[]) {
      if (typeof d?.message === 'string') parts.push(typeof d.parameter === 'string' ? `${d.parameter}: ${d.message}` : d.message);
    }
  }
  return parts.length ? parts.join(' — ') : JSON.stringify(body).slice(0, 300);
}
