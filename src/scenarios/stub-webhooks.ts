import type { Agent } from '../agent/load.ts';
import type { WebhookToolConfig } from '../agent/schema.ts';
import { resolveSecrets, secretRefs } from '../agent/secrets.ts';
import type { WebhookAnswerData } from './format.ts';

// Webhooks in a scenario: the tool still builds its real request (URL, headers, body,
// idempotency key) and records it, but the `fetch` it is given answers from the scenario
// instead of the network. A scenario never reaches the network: a request no stub answers
// fails like an unreachable endpoint and is reported.

/** A request a scenario's webhook made that no stub answered. */
export interface UnstubbedRequest {
  /** The webhook tool it came from, when the URL is one of the agent's. */
  tool?: string;
  method: string;
  host: string;
}

/** The fetch and environment a scenario's conversation runs with. */
export interface WebhookStubs {
  fetch: typeof fetch;
  env: NodeJS.ProcessEnv;
  readonly unstubbed: UnstubbedRequest[];
}

/**
 * A fetch answering each stubbed webhook from `answers` (in order; the last one repeats) and
 * refusing everything else. Secrets the webhooks need but the environment lacks get
 * placeholders, so a scenario runs in CI with no CRM credentials.
 */
export function stubWebhooks(agent: Agent, answers: Record<string, WebhookAnswerData[]>, baseEnv: NodeJS.ProcessEnv): WebhookStubs {
  const webhooks = agent.config.tools.filter((t): t is WebhookToolConfig => t.type === 'webhook');
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const w of webhooks) {
    // A URL that is, or starts with, a secret (`${CRM_URL}`, `${LEDGER_API}/accounts/{email}`) gets a URL.
    const base = /^\$\{([A-Z_][A-Z0-9_]*)\}/.exec(w.url.trim())?.[1];
    const whole = w.url.trim() === `\${${base}}`;
    for (const name of [...secretRefs(w.url), ...Object.values(w.headers).flatMap(secretRefs), ...(w.signingSecret ? secretRefs(w.signingSecret) : [])]) {
      if (env[name]) continue;
      env[name] = name === base ? `https://${w.name.toLowerCase()}.stub.invalid${whole ? '/' : ''}` : `stub-${name.toLowerCase()}`;
    }
  }
  const routes = webhooks.map((w) => ({ name: w.name, method: w.method, endpoint: target(w, env) }));
  const matches = (r: (typeof routes)[number], url: URL) => (typeof r.endpoint === 'string' ? r.endpoint === endpoint(url) : !!r.endpoint?.test(endpoint(url)));
  const exact = (r: (typeof routes)[number]) => typeof r.endpoint === 'string';
  const used = new Map<string, number>();
  const unstubbed: UnstubbedRequest[] = [];

  const stubFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    init?.signal?.throwIfAborted();
    // A literal URL before a path template it also fits (`/accounts/search` before `/accounts/{email}`), the same method first.
    const found = routes.filter((r) => matches(r, url)).sort((a, b) => Number(exact(b)) - Number(exact(a)) || Number(b.method === method) - Number(a.method === method));
    const route = found[0];
    const list = route && answers[route.name];
    if (!route || !list) {
      unstubbed.push({ tool: route?.name, method, host: url.host });
      const what = route ? `webhook "${route.name}"` : `${method} ${url.host}`;
      throw new TypeError(`no stub for ${what}: a scenario never reaches the network${route ? ` (add stubs.tools.${route.name})` : ''}`);
    }
    const n = used.get(route.name) ?? 0;
    used.set(route.name, n + 1);
    return answer(list[Math.min(n, list.length - 1)]);
  };
  return { fetch: stubFetch as typeof fetch, env, unstubbed };
}

function answer(a: WebhookAnswerData): Response {
  const text = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  const type = typeof a.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  // A Response with a null-body status (204, 304) must have no body at all.
  const empty = a.status === 204 || a.status === 205 || a.status === 304;
  return new Response(empty ? null : text, { status: a.status, headers: { 'content-type': type, ...a.headers } });
}

/**
 * What requests of webhook `w` look like: its origin and path, or a pattern when the path has
 * `{name}` parameters (each fills one segment, URL-encoded); undefined when the URL cannot be parsed.
 */
function target(w: WebhookToolConfig, env: NodeJS.ProcessEnv): string | RegExp | undefined {
  const slot = 'parleyparam';
  try {
    const url = resolveSecrets(w.url, w.name, env).replace(/(?<!\$)\{[A-Za-z_][A-Za-z0-9_]*\}/g, slot);
    const path = endpoint(new URL(url));
    if (!path.includes(slot)) return path;
    return new RegExp(`^${path.split(slot).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
  } catch {
    return undefined;
  }
}

/** Origin and path: how a request is matched to the webhook that built it (query strings carry arguments). */
function endpoint(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
