// The agent.yaml fields that may hold `${NAME}` (filled from the environment where they are used):
// settings of a deployment — keys, URLs, addresses, a phone number. Everywhere else a `${…}` would
// reach a caller, a vendor or a model as written, so `parley check` refuses it. docs/agent-file.md
// § Secrets lists the same fields (test/docs/env-fields.test.ts keeps the three in step: this
// list, the doc's and the schema's).
import { secretRefs } from './secrets.ts';

/** Field paths, `[]` for any list item; a field's sub-fields (a header's name) are included. */
export const ENV_FIELDS = [
  'analysis.apiKey', 'analysis.baseURL', 'brain.apiKey', 'brain.baseURL', 'calendar.apiKey',
  'calendar.baseURL', 'calendar.location', 'calendar.ownerEmail', 'calendar.token',
  'channels.phone.accountSid', 'channels.phone.authToken', 'channels.phone.number',
  'events.email.to', 'events.webhooks[].secret', 'events.webhooks[].url',
  'knowledge.embeddings.baseURL', 'limits.dailyBudget.usdPerUnit', 'tools[].env',
  'tools[].headers', 'tools[].signingSecret', 'tools[].url',
] as const;

/** `tools.3.headers.Authorization` → `tools[].headers.Authorization`. */
const shape = (path: (string | number)[]) => path.map((p) => (typeof p === 'number' ? '[]' : `.${p}`)).join('').replace(/^\./, '').replace(/\.\[\]/g, '[]');

/** Whether a `${NAME}` at this path is filled from the environment. */
export function takesEnv(path: (string | number)[]): boolean {
  const s = shape(path);
  return ENV_FIELDS.some((f) => s === f || s.startsWith(`${f}.`) || s.startsWith(`${f}[]`));
}

/** Every string of `config` holding a `${NAME}` in a field that does not take one (knowledge.sources has its own message). */
export function misplacedEnvRefs(config: unknown): { path: (string | number)[]; names: string[] }[] {
  const out: { path: (string | number)[]; names: string[] }[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string') {
      const names = secretRefs(v);
      if (names.length && !takesEnv(path) && !shape(path).startsWith('knowledge.sources[]')) out.push({ path, names });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(config, []);
  return out;
}
