import { secretRefs } from './secrets.ts';

// One place knows which values are secret and hides them wherever text leaves Parley: records,
// the dashboard, tool results the model reads, error events and log lines. An endpoint that
// echoes a request (many do, in error bodies) sends a secret back URL-encoded, JSON-escaped or
// inside a Basic auth header's base64, so each of those forms is hidden too.

/** A value that must never leave, and what is shown in its place. */
export interface KnownSecret {
  value: string;
  shownAs: string;
}

/** Environment variables that hold keys or tokens whatever the agent file says: providers, the server's own. */
export const SERVER_SECRET_NAMES = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GOOGLE_GENERATIVE_AI_API_KEY',
  'GROQ_API_KEY',
  'DEEPGRAM_API_KEY',
  'ELEVENLABS_API_KEY',
  'CARTESIA_API_KEY',
  'TWILIO_AUTH_TOKEN',
  'PARLEY_LLM_API_KEY',
  'CALCOM_API_KEY',
  'CALENDLY_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'PARLEY_ADMIN_TOKEN',
  'PARLEY_SESSION_SECRET',
  'PARLEY_EVENTS_SECRET',
  'PARLEY_LINK_SECRET',
] as const;

/** Names that say "this is a credential" for variables not listed above (a new provider, a CRM). */
const SECRET_NAME = /(?:^|_)(?:API_KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH_TOKEN|ACCESS_KEY)$/;
/** A value shorter than this is not hidden: masking "abc" would mangle ordinary words. */
const MIN_REFERENCED = 4;
/** Variables picked by name alone need a longer value ("true", "1234" are settings, not keys). */
const MIN_BY_NAME = 8;
/**
 * Default passwords of local setups (postgres://postgres:postgres@…) are public knowledge, not
 * secrets; masking them would turn every "postgres" in a tool result into a placeholder and make
 * the disclosure guard cut an agent that mentions Postgres.
 */
const WELL_KNOWN_PASSWORDS = new Set(['postgres', 'password', 'secret', 'admin', 'root', 'test', 'redis', 'mysql', 'parley', 'changeme']);
/** A run that might be base64 (standard or URL-safe) of something holding a secret. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

/** Every secret a conversation of this agent must hide: its `${NAME}` values, then the environment's. */
export function knownSecrets(config: unknown, env: NodeJS.ProcessEnv): KnownSecret[] {
  const out = new Map<string, KnownSecret>();
  const add = (value: string | undefined, shownAs: string, min: number): void => {
    if (value && value.length >= min && !out.has(value)) out.set(value, { value, shownAs });
  };
  for (const name of referencedNames(config)) add(env[name], `\${${name}}`, MIN_REFERENCED);
  for (const name of SERVER_SECRET_NAMES) add(env[name], `\${${name}}`, MIN_REFERENCED);
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_NAME.test(name)) add(value, `\${${name}}`, MIN_BY_NAME);
    // Service URLs (PARLEY_DATABASE_URL, PARLEY_REDIS_URL, …) carry a password.
    if (value && /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i.test(value)) {
      const password = passwordOf(value);
      if (password && !WELL_KNOWN_PASSWORDS.has(password.toLowerCase())) add(password, `\${${name} password}`, MIN_REFERENCED);
    }
  }
  return [...out.values()];
}

/** Hides known secrets in text and in any JSON-like value. */
export class SecretMask {
  /** The secret values, longest first; the disclosure guard watches for them. */
  readonly values: readonly string[];
  #forms: { form: RegExp | string; shownAs: string }[];
  /** Each value's UTF-8 bytes as latin1 text, to compare with decoded base64. */
  #latin1: string[];

  constructor(secrets: readonly KnownSecret[]) {
    const sorted = [...secrets].sort((a, b) => b.value.length - a.value.length);
    this.values = sorted.map((s) => s.value);
    this.#latin1 = this.values.map((v) => Buffer.from(v).toString('latin1'));
    this.#forms = sorted.flatMap((s) => encodedForms(s.value).map((form) => ({ form, shownAs: s.shownAs })));
  }

  /** The text with every secret (and its URL-encoded, JSON-escaped and base64 forms) replaced by its name. */
  text(text: string): string {
    if (!this.values.length || !text) return text;
    let out = text;
    for (const { form, shownAs } of this.#forms) {
      if (typeof form === 'string') {
        if (out.includes(form)) out = out.split(form).join(shownAs);
      } else out = out.replace(form, shownAs);
    }
    return out.replace(BASE64_RUN, (run) => (this.#hidesSecret(run) ? '[secret]' : run));
  }

  /** A copy of a JSON-like value with every string (and key) masked; own `__proto__` keys stay plain data. */
  value<T>(v: T): T {
    if (!this.values.length) return v;
    return this.#walk(v, 0) as T;
  }

  #walk(v: unknown, depth: number): unknown {
    if (typeof v === 'string') return this.text(v);
    if (depth > 64 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.#walk(x, depth + 1));
    // A Date, a Temporal value, a URL: what it becomes in JSON is what is recorded and sent.
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.#walk(toJSON.call(v), depth + 1);
    // fromEntries defines properties, so a key named __proto__ stays a key and sets no prototype.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), this.#walk(x, depth + 1)]));
  }

  #hidesSecret(run: string): boolean {
    const standard = run.replace(/-/g, '+').replace(/_/g, '/');
    // The run may start mid-token ("Basic%20dXNl…" gives "20dXNl…"): try each alignment.
    for (let skip = 0; skip < 4; skip++) {
      const decoded = Buffer.from(standard.slice(skip), 'base64').toString('latin1');
      if (this.#latin1.some((s) => decoded.includes(s))) return true;
    }
    return false;
  }
}

/** The mask for one agent in one environment. */
export function secretMask(config: unknown, env: NodeJS.ProcessEnv): SecretMask {
  return new SecretMask(knownSecrets(config, env));
}

/** The forms a value takes when echoed: as is, URL-encoded (either style, any hex case), JSON-escaped. */
function encodedForms(value: string): (string | RegExp)[] {
  const forms = new Set<string>([value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), JSON.stringify(value).slice(1, -1), asciiJson(value)]);
  return [...forms].map((f) => (/%[0-9A-F]{2}/.test(f) ? new RegExp(escapeRegExp(f).replace(/%([0-9A-F]{2})/g, (_, hex: string) => `%(?:${hex}|${hex.toLowerCase()})`), 'g') : f));
}

/** JSON as ASCII-only encoders (Python's json.dumps) write it: non-ASCII as \uXXXX. */
function asciiJson(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Fields whose `${NAME}` holds something meant to be said or shown (the meeting's link, the
 * agent's own phone number), not a secret: masking it would hand the model "${MEET_LINK}" to read
 * aloud. A variable also used elsewhere, or named like a key, is still hidden.
 */
export const PUBLIC_VALUE_FIELDS = ['calendar.location', 'channels.phone.number'] as const;

function referencedNames(config: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      if (!(PUBLIC_VALUE_FIELDS as readonly string[]).includes(path)) for (const n of secretRefs(v)) names.add(n);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(config, '');
  return names;
}

function passwordOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    // A password equal to the user name is a local default too.
    return u.password && u.password !== u.username ? decodeURIComponent(u.password) : undefined;
  } catch {
    return undefined;
  }
}
