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
    const whole = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(w.url.trim())?.[1];
    for (const name of [...secretRefs(w.url), ...Object.values(w.headers).flatMap(secretRefs)]) {
      if (env[name]) continue;
      env[name] = name === whole ? `https://${w.name.toLowerCase()}.stub.invalid/` : `stub-${name.toLowerCase()}`;
    }
  }
  const target = (w: WebhookToolConfig) => {
    try {
      return endpoint(new URL(resolveSecrets(w.url, w.name, env)));
    } catch {
      return undefined;
    }
  };
  const routes = webhooks.map((w) => ({ name: w.name, method: w.method, endpoint: target(w) }));
  const used = new Map<string, number>();
  const unstubbed: UnstubbedRequest[] = [];

  const stubFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    init?.signal?.throwIfAborted();
    const route = routes.find((r) => r.method === method && r.endpoint === endpoint(url)) ?? routes.find((r) => r.endpoint === endpoint(url));
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

/** Origin and path: how a request is matched to the webhook that built it (query strings carry arguments). */
function endpoint(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
