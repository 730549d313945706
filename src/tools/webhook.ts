import { timeoutSignal } from '../util/timeout-signal.ts';
import { jsonSchema } from 'ai';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebhookToolConfig } from '../agent/schema.ts';
import { resolveSecrets, secretRefs } from '../agent/secrets.ts';
import { clip, MAX_RECORDED_CHARS, MAX_RESULT_CHARS } from './clip.ts';
import type { ToolContext, ToolOutcome } from './context.ts';
import { secretMaskOf, type ToolSpec } from './traced.ts';
import { fillUrl } from './url-template.ts';
import { unconfirmedArgument } from './collect/confirmed.ts';
import { signedHeaders, signingKey } from '../util/webhook-signature.ts';
import { UrlRefusedError } from '../util/url-policy.ts';
import { guardedFetch } from './guarded-fetch.ts';

// A webhook tool calls an endpoint declared in agent.yaml: a CRM, an order lookup,
// an n8n/Zapier/Make automation. The URL and headers come from the file, never
// from the model; the model only fills in the arguments its JSON Schema allows.
// Only declared properties are sent (others are dropped; with `additionalProperties: false`
// the call is refused so the model learns), a property with `const` always carries its
// fixed value, and an argument can neither replace nor add to the URL's fixed query.


/** The webhook declared in agent.yaml as a tool the model can call. */
export function webhookTool(ctx: ToolContext, cfg: WebhookToolConfig): ToolSpec<Record<string, unknown>> {
  return {
    name: cfg.name,
    description: cfg.description,
    inputSchema: jsonSchema<Record<string, unknown>>(cfg.parameters as never),
    run: (input, signal, callId) => callWebhook(ctx, cfg, input, signal, callId),
  };
}

/** Checks the model's arguments against the declared schema's required fields and simple types. */
export function argumentProblems(schema: Record<string, unknown>, args: unknown): string[] {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return ['arguments must be an object'];
  const problems: string[] = [];
  const props = (schema.properties ?? {}) as Record<string, { type?: string; enum?: unknown[]; const?: unknown }>;
  const fixed = (key: string): boolean => Object.hasOwn(props, key) && !!props[key] && typeof props[key] === 'object' && 'const' in props[key];
  for (const key of (schema.required ?? []) as string[]) if (!fixed(key) && (!Object.hasOwn(args, key) || (args as Record<string, unknown>)[key] === undefined)) problems.push(`missing "${key}"`);
  for (const [key, value] of Object.entries(args)) {
    const p = Object.hasOwn(props, key) ? props[key] : undefined; // not "constructor" from Object.prototype
    if (p && fixed(key)) continue; // the file's value is sent whatever the model wrote
    if (!p) {
      if (schema.additionalProperties === false) problems.push(`unexpected "${key}"`);
      continue;
    }
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    const expected = p.type === 'integer' ? 'number' : p.type;
    if (expected && actual !== expected) problems.push(`"${key}" should be ${p.type}, got ${actual}`);
    if (p.enum && !p.enum.includes(value)) problems.push(`"${key}" must be one of ${p.enum.map(String).join(', ')}`);
  }
  return problems;
}

/** The arguments that go out: declared properties only (nested objects and arrays of them too), each `const` with its fixed value. */
export function declaredArguments(schema: Record<string, unknown>, args: Record<string, unknown>): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const out: [string, unknown][] = [];
  for (const [key, p] of Object.entries(props)) {
    if (p && typeof p === 'object' && 'const' in p) out.push([key, p.const]);
    else if (Object.hasOwn(args, key) && args[key] !== undefined) out.push([key, declaredValue(p, args[key])]);
  }
  // fromEntries defines properties: an argument named __proto__ stays data.
  return Object.fromEntries(out);
}

/** A value kept to what its schema declares, when the schema says what an object holds. */
function declaredValue(schema: Record<string, unknown> | undefined, value: unknown): unknown {
  if (!schema || typeof schema !== 'object') return value;
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object') return value.map((v) => declaredValue(schema.items as Record<string, unknown>, v));
  if (value && typeof value === 'object' && !Array.isArray(value) && schema.properties && typeof schema.properties === 'object') return declaredArguments(schema, value as Record<string, unknown>);
  return value;
}

async function callWebhook(ctx: ToolContext, cfg: WebhookToolConfig, args: Record<string, unknown>, signal: AbortSignal, callId: string): Promise<ToolOutcome> {
  const problems = argumentProblems(cfg.parameters, args);
  if (problems.length) return { result: { error: `invalid arguments: ${problems.join('; ')}` }, error: `invalid arguments: ${problems.join('; ')}` };

  const waiting = unconfirmedArgument(ctx, cfg.name, args, cfg.collectFields);
  if (waiting) return { result: { error: waiting }, error: `refused: ${waiting}` };

  const where = `tools.${cfg.name}`;
  const hasBody = cfg.method !== 'GET' && cfg.method !== 'DELETE';
  const filled = fillUrl(cfg.url, declaredArguments(cfg.parameters, args));
  if ('problems' in filled) return { result: { error: `invalid arguments: ${filled.problems.join('; ')}` }, error: `invalid arguments: ${filled.problems.join('; ')}` };
  // Values used in the path are sent there only, not again in the query or body.
  const { template, rest: sent } = filled;
  const resolved = new URL(resolveSecrets(template, `${where}.url`, ctx.env));
  const fixedQuery = new Set(resolved.searchParams.keys());
  const withArgs = (u: URL): URL => {
    if (!hasBody) for (const [k, v] of Object.entries(sent)) if (!fixedQuery.has(k)) u.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    return u;
  };
  const url = withArgs(resolved);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'parley-webhook/0.1' };
  for (const [k, v] of Object.entries(cfg.headers)) headers[k] = resolveSecrets(v, `${where}.headers.${k}`, ctx.env);
  if (hasBody) headers['content-type'] = 'application/json';
  // Receivers can drop a retried delivery they have already handled.
  headers['idempotency-key'] = `${ctx.conversationId}:${callId}`;
  const body = hasBody ? JSON.stringify(sent) : undefined;
  // Resolved before anything is sent, so a missing or malformed secret fails the call, not a retry.
  const key = cfg.signingSecret ? signingKeyOf(cfg.signingSecret, `${where}.signingSecret`, ctx.env) : undefined;

  // The record shows the request exactly as sent, except secret values, which stay as ${NAME}.
  const request = {
    method: cfg.method,
    url: redactUrl(url, template, ctx.env, withArgs),
    headers: {
      ...headers,
      ...Object.fromEntries(Object.entries(cfg.headers).filter(([, v]) => secretRefs(v).length)),
      // The signature changes with each attempt's timestamp; the record names the secret, not a value.
      ...(cfg.signingSecret ? { 'webhook-id': headers['idempotency-key'], 'webhook-signature': `v1,(signed with ${cfg.signingSecret})` } : {}),
    } as Record<string, string>,
    body: hasBody ? sent : undefined,
  };

  // tools[].allowPrivateUrls (default true, any host) binds the connections Parley opens itself; an
  // injected fetch (a scenario's stubs, a test's fake) opens none of them and is used as it is.
  const send = cfg.allowPrivateUrls !== true && ctx.fetch === globalThis.fetch ? guardedFetch(cfg.allowPrivateUrls, `${where}.allowPrivateUrls`) : ctx.fetch;
  let attempt = 0;
  for (;;) {
    attempt++;
    try {
      // A retry keeps the webhook-id (receivers drop duplicates by it) and is signed afresh with its own timestamp.
      const signature = key ? signedHeaders({ id: headers['idempotency-key'], timestamp: Math.floor(ctx.now().getTime() / 1000), body: body ?? '', key }) : undefined;
      const signed = signature ? { ...headers, ...signature } : headers;
      // The record carries the timestamp of the attempt it ends with, as sent (the signature stays named, not shown).
      if (signature) request.headers['webhook-timestamp'] = signature['webhook-timestamp'];
      const res = await send(url, { method: cfg.method, headers: signed, body, signal: AbortSignal.any([signal, timeoutSignal(cfg.timeoutMs)]) });
      // Masked before anything is clipped: a cut must not leave half a secret behind.
      const text = secretMaskOf(ctx).text(await res.text());
      const parsed = parseBody(text, res.headers.get('content-type'));
      const response = { status: res.status, headers: { 'content-type': res.headers.get('content-type') }, body: clip(parsed, MAX_RECORDED_CHARS), attempts: attempt };
      if ((res.status >= 500 || res.status === 429) && attempt <= cfg.retries) {
        await sleep(backoffMs(attempt), undefined, { signal });
        continue;
      }
      if (!res.ok) return { request, response, result: { error: `the endpoint answered HTTP ${res.status}`, body: clip(parsed, MAX_RESULT_CHARS) }, error: `HTTP ${res.status}` };
      return { request, response, result: clip(parsed, MAX_RESULT_CHARS) };
    } catch (e) {
      if (signal.aborted) throw e;
      const message = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${cfg.timeoutMs} ms` : (e as Error).message;
      // A refused address is refused again: no retry.
      if (attempt <= cfg.retries && !(e instanceof UrlRefusedError)) {
        await sleep(backoffMs(attempt), undefined, { signal });
        continue;
      }
      return { request, response: { error: message, attempts: attempt }, result: { error: `the endpoint could not be reached (${message})` }, error: message };
    }
  }
}

/** The key bytes of the tool's signing secret; errors name the variable, never its value. */
function signingKeyOf(ref: string, neededBy: string, env: NodeJS.ProcessEnv): Buffer {
  const secret = resolveSecrets(ref, neededBy, env);
  try {
    return signingKey(secret);
  } catch (e) {
    throw new Error(`${ref} (${neededBy}): ${(e as Error).message}`);
  }
}

function backoffMs(attempt: number): number {
  return 200 * 2 ** (attempt - 1);
}

function parseBody(text: string, contentType: string | null): unknown {
  if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      /* not JSON after all: keep the text */
    }
  }
  return text;
}

/** The URL with any secret value that came from `${NAME}` put back as `${NAME}`. */
function redactUrl(url: URL, template: string, env: NodeJS.ProcessEnv, withArgs: (u: URL) => URL): string {
  // Build the same URL with a plain marker where each secret goes: adding arguments re-encodes the
  // whole query (a value's "+", "~" or space changes form), so searching for the value can miss it.
  const names = [...new Set(secretRefs(template))];
  const marker = (i: number) => `parleysecret${i}x`;
  const shadow = names.reduce((t, n, i) => t.split(`\${${n}}`).join(marker(i)), template);
  if (names.length && URL.canParse(shadow)) return names.reduce((t, n, i) => t.split(marker(i)).join(`\${${n}}`), withArgs(new URL(shadow)).toString());
  // The whole URL is a secret (url: ${CRM_WEBHOOK_URL}): put the name back wherever the value shows.
  let text = url.toString();
  for (const name of secretRefs(template)) {
    const value = env[name];
    if (value) text = text.split(encodeURIComponent(value)).join(`\${${name}}`).split(value).join(`\${${name}}`);
  }
  return text;
}
