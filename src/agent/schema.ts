import { z } from 'zod';
import { EVENT_TYPES } from '../util/event-types.ts';
import { readClosedDates } from './closed-dates.ts';
import { WIDGET_TEXT_NAMES } from './widget-text-names.ts';
import { parameterSchemaProblems } from './parameters-schema.ts';

// One schema describes the whole agent folder, including blocks that later parts of
// Parley implement, so the file format is designed once and validated everywhere.
// Strings may hold `${ENV_NAME}` references; they are resolved where they are used.

const duration = (d: number) => z.number().nonnegative().default(d);
const line = (what: string) => z.string().trim().min(1).max(300).optional().describe(what);

/** listen.turn.quickEndpointingDelayMs's default, chosen by bench/end-of-turn. */
export const QUICK_ENDPOINTING_MS = 150;

/** Who the agent is and how it opens the conversation. */
export const Persona = z.strictObject({
  prompt: z.string().optional().describe('System prompt. Use this or promptFile.'),
  promptFile: z.string().optional().describe('Path (relative to the agent folder) of a Markdown file holding the system prompt.'),
  firstMessage: z.string().min(1).describe('Spoken as soon as a conversation starts, before the caller says anything.'),
  language: z.string().default('en').describe('BCP-47 language of the conversation, e.g. en, en-US, pl.'),
  tone: z.string().optional().describe('A few words on tone, added to the prompt, e.g. "warm, brief, no jargon".'),
});

/** A text-to-speech voice: provider:model plus a voice id. */
export const VoiceChoice = z.strictObject({
  tts: z.string().default('local:flite').describe('provider:model (or just provider, for the latency preset\'s model), e.g. elevenlabs:eleven_flash_v2_5, openai:gpt-4o-mini-tts, cartesia:sonic-2, local:flite.'),
  voiceId: z.string().optional().describe('Stock or cloned voice id of that provider.'),
  speed: z.number().min(0.5).max(2).default(1),
});

export const Voice = VoiceChoice.extend({
  fallback: z.array(VoiceChoice).default([]).describe('Voices to try in order when the main one fails.'),
});

/** Turn-taking settings: when the caller has finished, and when they really interrupt. */
export const TurnSettings = z.strictObject({
  minEndpointingDelayMs: duration(500).describe('Silence after speech before the turn may end.'),
  maxEndpointingDelayMs: duration(3000).describe('Longest wait for an unfinished-sounding turn.'),
  minInterruptionMs: duration(500).describe('Caller speech needed before the agent yields.'),
  minInterruptionWords: z.number().int().nonnegative().default(1),
  backchannels: z.array(z.string()).default(['mm-hmm', 'uh-huh', 'yeah', 'okay', 'right', 'yes', 'mhm']),
  falseInterruptionTimeoutMs: duration(1500).describe('Resume the agent if an interruption brings no words within this time.'),
  detector: z.enum(['auto', 'fixed', 'text', 'flux']).default('auto').describe('Who decides that the caller has finished: fixed (the delays alone), text (what the recogniser heard: done-sounding words end sooner, unfinished ones wait longer; English), flux (the recogniser, deepgram:flux-general-en). auto: flux with a Flux recogniser, else text. See docs/turn-taking.md.'),
  flux: z
    .strictObject({
      eotThreshold: z.number().min(0.5).max(1).optional().describe('Flux\'s end-of-turn confidence for EndOfTurn (its default 0.7); higher waits for more certainty.'),
      eagerEotThreshold: z.number().min(0.3).max(0.9).optional().describe('Flux\'s confidence for EagerEndOfTurn; set, the turn ends quickEndpointingDelayMs after an eager end unless Flux says TurnResumed.'),
    })
    .optional()
    .describe('Deepgram Flux\'s own end-of-turn settings (listen.stt: deepgram:flux-general-en).'),
  quickEndpointingDelayMs: duration(QUICK_ENDPOINTING_MS).describe('Silence after done-sounding words (a question, "yes", "Tuesday at 3 works") before the turn ends, with detector text; after a Flux EagerEndOfTurn, with detector flux.'),
});

export const Listen = z.strictObject({
  stt: z.string().default('local:pocketsphinx').describe('provider:model, e.g. deepgram:nova-3, openai:gpt-4o-mini-transcribe, local:pocketsphinx.'),
  turn: TurnSettings.prefault({}),
  silenceReprompt: z.number().positive().max(3600).default(8).describe('Seconds of caller silence before a gentle reprompt.'),
  silenceEnd: z.number().positive().max(3600).default(20).describe('Seconds of caller silence before the agent ends politely.'),
  noiseGateDb: z.number().max(0).default(-55).describe('Caller audio quieter than this (dBFS) is not shown to the VAD, which saves CPU and memory per call; the gate also rises to 6 dB above the caller\'s steady background noise (a café, a fan). -100 or lower shows the VAD every frame.'),
});

/** `allowPrivateUrls`: true (any host), false (none), or the host names that alone may reach private addresses. */
const privateHosts = z.union([
  z.boolean(),
  z.array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.:_-]+)$/, 'a host name or address as in the URL (no scheme, port or path), e.g. accounts.internal or 10.0.0.7')).min(1),
]);

/** The language model and its tool loop. */
export const Brain = z.strictObject({
  llm: z.string().default('openai:gpt-4.1-mini').describe('provider:model — openai, anthropic, google, groq, ollama, vllm, llamacpp, openai-compatible, or local:default (the built-in model, run inside Parley; local:/path/to/model.gguf for another GGUF).'),
  baseURL: z.string().optional().describe('Base URL of an OpenAI-compatible server (Ollama, vLLM, llama.cpp, Groq), ending in /v1 (e.g. http://gpu-box:8000/v1); ${ENV_NAME} allowed.'),
  apiKey: z.string().optional().describe('Usually ${ENV_NAME}; defaults to the provider’s standard env var.'),
  temperature: z.number().min(0).max(2).default(0.4),
  maxToolRounds: z.number().int().min(1).max(20).default(4).describe('Most model→tool→model rounds in one agent turn.'),
  fallback: z.array(z.string()).default([]).describe('Models to try in order when the main one fails.'),
  responseTimeoutMs: z.number().int().min(500).default(10_000).describe('Longest wait for a model\'s first words or tool call before the next model is tried (or the agent apologises).'),
  maxInputTokens: z.number().int().min(1000).default(16_000).describe('Most input tokens one model call may read (estimated from characters); the oldest turns of history are left out to fit.'),
});

/** A web page as a knowledge source, with a stand-in file for tests and a refresh interval. */
export const UrlSource = z.strictObject({
  url: z.string().regex(/^https?:\/\/\S+$/i, 'an http(s) URL').describe('The page or file to read.'),
  offline: z
    .string()
    .min(1)
    .optional()
    .describe('A file in the agent folder standing in for the page: `parley test` indexes it under the URL and never fetches the page; elsewhere it is indexed when the page cannot be fetched and no earlier copy is.'),
  refreshMinutes: z.number().int().min(1).max(10_080).optional().describe('A server re-reads the page this often (one refresh at a time; a failed one keeps the last copy and is logged).'),
});

export const Knowledge = z.strictObject({
  sources: z
    .array(z.union([z.string(), UrlSource]))
    .default(['knowledge/'])
    .describe('Files or folders (relative to the agent folder) and http(s) URLs; a URL may be { url, offline, refreshMinutes }.'),
  strict: z.boolean().default(true).describe('Answer only from the documents; otherwise say so and offer the intro call.'),
  topK: z.number().int().min(1).max(20).default(4).describe('Chunks retrieved for each caller turn.'),
  unknownAnswer: z
    .string()
    .default("I don't have that in our materials, so I won't guess. I can set up a short intro call with someone who can answer it. Would that help?")
    .describe('What a strict agent says to a question its documents do not answer; unset, a line in persona.language (English where Parley has none).'),
  synonyms: z
    .array(z.array(z.string().min(1).max(60)).min(2).max(30))
    .max(200)
    .optional()
    .describe('Groups of words or short phrases your callers use for the same thing, e.g. [[physio, physiotherapy, physical therapy]]; a word of a group finds passages that use any other.'),
  embeddings: z
    .strictObject({
      model: z.string().regex(/^[a-z][a-z0-9-]*:.+$/, 'use provider:model, e.g. openai:text-embedding-3-small').describe('Embedding model as provider:model (openai, google, ollama, openai-compatible…).'),
      dimensions: z.number().int().min(16).max(4096).optional().describe('Shorter vectors where the model supports it (OpenAI text-embedding-3-*): less memory, faster search.'),
      baseURL: z.string().regex(/^(https?:\/\/\S+|\$\{[A-Z_][A-Z0-9_]*\}\S*)$/, 'an http(s) URL, or ${ENV_NAME} holding one').optional().describe('Server URL for ollama / openai-compatible providers; ${ENV_NAME} allowed.'),
      minSimilarity: z.number().min(0).max(1).default(0.5).describe('Cosine similarity at which the nearest passage counts as answering a question the words alone do not match.'),
      timeoutMs: z.number().int().min(50).max(5000).default(400).describe('Longest wait for a caller turn\'s embedding; after it, retrieval goes on with words alone.'),
    })
    .optional()
    .describe('Hybrid retrieval: passages found by meaning as well as by words. Chunks are embedded at ingest; each caller turn is embedded once.'),
  allowPrivateUrls: privateHosts.default(false).describe('Let URL sources (and their redirects) reach loopback, private and link-local addresses: true any host, false none, a list of host names only those; the rest are refused.'),
  maxUrlBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024).describe('Largest page or file read from a URL source, in bytes.'),
});

/** What a collected value is; it decides how the value is checked, normalised and read back. */
export const CollectType = z.enum(['name', 'email', 'phone', 'company', 'text', 'choice', 'date', 'number', 'money']);
/** How the agent reads a value back before it is used: letter by letter, digit by digit, word for word, or not at all. */
export const ReadBack = z.enum(['spell', 'digits', 'repeat', 'none']);

/** A field the agent collects from the caller. */
export const CollectField = z.union([
  z.string(),
  z
    .strictObject({
      field: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case'),
      description: z.string().optional(),
      required: z.boolean().default(true),
      type: CollectType.optional().describe('Default from the field name: name, email, phone (also phone_number, mobile) and company are their own type; any other field is text. See docs/collect.md.'),
      options: z.array(z.string().min(1).max(200)).min(1).max(50).optional().describe('The allowed answers of a choice field (and only of one).'),
      confirm: ReadBack.optional().describe('Read-back before the value is booked (book_call) or sent (a webhook tool whose collectFields lists it), checked in code: spell (default for name and email), digits (phone), repeat (date), none (company, text, choice).'),
      country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code, e.g. GB').optional().describe('phone only: the country a number said without its country code is in; default: the country of timeZone.'),
      question: z.string().min(1).max(200).optional().describe("The calendar's own booking question this field answers: a cal.com booking field's slug, or the text of a Calendly event type question."),
      min: z.number().optional().describe('number and money only: the smallest value accepted.'),
      max: z.number().optional().describe('number and money only: the largest value accepted.'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code, e.g. USD').optional().describe('money only: the currency (ISO 4217); default: the one of timeZone\'s country, else USD.'),
      pattern: z.string().min(1).max(500).optional().describe('A regular expression the value must match, checked on its normal form with spaces and dashes removed, e.g. "^[0-9]{10}$" for a Polish NIP; the value is kept in that form.'),
      patternHint: z.string().min(1).max(120).optional().describe('The rule in words for the model\'s error message, e.g. "10 digits".'),
    })
    .refine((f) => (f.min === undefined && f.max === undefined && f.currency === undefined) || f.type === 'number' || f.type === 'money', { message: 'min, max and currency are for number and money fields only', path: ['type'] })
    .refine((f) => f.currency === undefined || f.type === 'money', { message: 'currency is for money fields only', path: ['currency'] })
    .refine((f) => f.patternHint === undefined || f.pattern !== undefined, { message: 'patternHint describes a pattern; give the pattern too', path: ['patternHint'] })
    .refine((f) => (f.type === 'choice') === Boolean(f.options), { message: 'options is required for type choice, and only for it', path: ['options'] })
    .refine((f) => f.country === undefined || f.type === 'phone' || (f.type === undefined && /^(phone|phone_number|mobile)$/.test(f.field)), { message: 'country is for phone fields only', path: ['country'] }),
]);

const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const toolName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, 'letters, digits, _ and - only, starting with a letter');

const SecretHeaders = z
  .record(z.string(), z.string())
  .superRefine((headers, ctx) => {
    for (const [h, v] of Object.entries(headers)) {
      if (/^(authorization|x-api-key|api-key|x-auth-token)$/i.test(h) && !v.includes('${')) {
        ctx.addIssue({ code: 'custom', path: [h], message: 'put the secret in the environment and write ${ENV_NAME} here' });
      }
    }
  })
  .default({})
  .describe('Use ${ENV_NAME} for secrets.');

/** An external endpoint the agent may call: CRM, n8n/Zapier/Make automation, order lookup. */
export const WebhookTool = z
  .strictObject({
    type: z.literal('webhook'),
    name: toolName,
    description: z.string().min(1).describe('Tells the model when to use the tool.'),
    method: HttpMethod.default('POST'),
    url: z
      .string()
      .regex(/^(https?:\/\/|\$\{)/, 'must be an http:// or https:// URL')
      .describe('Fixed in the file; the model can never change it. {name} in the path is filled (URL-encoded) from the argument of that name.'),
    headers: SecretHeaders,
    parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }).describe('JSON Schema of the arguments the model fills in.'),
    timeoutMs: z.number().int().positive().default(8000),
    retries: z.number().int().min(0).max(3).default(1).describe('Retries on network errors, 5xx and 429, with the same Idempotency-Key header.'),
    allowPrivateUrls: privateHosts.default(true).describe('Which hosts may reach loopback, private and link-local addresses, checked on the address connected to and at every redirect: true (default) any, false none, a list of host names only those.'),
    signingSecret: z
      .string()
      .regex(/^\$\{[A-Z_][A-Z0-9_]*\}$/, 'put the signing secret in the environment and write ${ENV_NAME} here')
      .optional()
      .describe('Signs each request as Standard Webhooks do (webhook-id, webhook-timestamp, webhook-signature headers); whsec_<base64> or any text, from the environment.'),
    collectFields: z
      .union([z.array(z.string()), z.record(z.string(), z.string())])
      .optional()
      .describe('Arguments that carry collected values, which must have been read back (the field\'s confirm) and confirmed before the call: a list of arguments named like their collect field ([email]), or argument: field (account_email: email).'),
  })
  .superRefine((t, ctx) => {
    for (const p of parameterSchemaProblems(t.parameters)) {
      ctx.addIssue({ code: 'custom', path: ['parameters', ...p.path], message: p.message, params: { atKey: p.atKey } });
    }
    const names = urlPlaceholders(t.url);
    if (!names.length) return;
    // The host is the owner's choice alone: a placeholder must come after the first "/" of the path.
    const authorityEnd = t.url.startsWith('$') ? t.url.indexOf('}') + 1 : t.url.indexOf('/', t.url.indexOf('//') + 2);
    const first = t.url.search(PLACEHOLDER_AT);
    if (authorityEnd <= 0 || first < authorityEnd || t.url[authorityEnd] !== '/') {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `{${names[0]}} is in the host part of the URL; placeholders may only fill the path or query` });
    }
    const props = (t.parameters.properties ?? {}) as Record<string, unknown>;
    for (const name of names) {
      if (!Object.hasOwn(props, name)) ctx.addIssue({ code: 'custom', path: ['url'], message: `{${name}} in the URL is not a property of parameters; add "${name}" to parameters.properties` });
    }
  });

// `{name}` but not the `{NAME}` of a `${NAME}` secret reference.
const PLACEHOLDER_AT = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/;

/** Names of the `{name}` placeholders in a webhook URL template, in order, each once. */
export function urlPlaceholders(url: string): string[] {
  return [...new Set([...url.matchAll(new RegExp(PLACEHOLDER_AT, 'g'))].map((m) => m[1]))];
}

/**
 * An MCP server whose tools the agent may call: over Streamable HTTP (`url`) or a local
 * process speaking stdio (`command`). Only the tools named in `allow` reach the model.
 */
export const McpTool = z
  .strictObject({
    type: z.literal('mcp'),
    name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,31}$/, 'letters, digits, _ and - only, starting with a letter, at most 32').describe('Names the server; the model sees its tools as <name>_<tool>.'),
    url: z.string().regex(/^(https?:\/\/|\$\{)/, 'must be an http:// or https:// URL').optional().describe('Streamable HTTP endpoint of the server.'),
    headers: SecretHeaders,
    command: z.string().min(1).optional().describe('A local server started as a child process, spoken to over stdio.'),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}).describe('The only environment the command gets besides PATH, HOME and the like; use ${ENV_NAME} for secrets.'),
    allow: z.array(z.string().min(1)).default([]).describe('The server tools the agent may use; none by default.'),
    descriptions: z.record(z.string(), z.string().min(1)).default({}).describe('Descriptions the model reads instead of the server\'s, by tool name.'),
    connectTimeoutMs: z.number().int().positive().default(5000).describe('Longest wait to connect and list the server\'s tools.'),
    timeoutMs: z.number().int().positive().default(8000).describe('Longest wait for one tool call.'),
    retries: z.number().int().min(0).max(3).default(0).describe('Times a timed-out call is sent again; only for tools safe to repeat (a call lost to a dropped connection is resent once on a new one regardless).'),
  })
  .refine((t) => (t.url === undefined) !== (t.command === undefined), { message: 'give either url (Streamable HTTP) or command (stdio), not both' });

export const BuiltinTool = z.strictObject({
  type: z.enum(['end_call', 'save_lead', 'search_knowledge', 'press_keys']),
  description: z.string().optional().describe('What the model is told about the tool, instead of the built-in text.'),
});

/** An email address, or `${ENV_NAME}` holding one (resolved where it is used). */
const emailOrEnv = z.union([z.email(), z.string().regex(/^\$\{[A-Z_][A-Z0-9_]*\}$/)], { error: 'an email address, or ${ENV_NAME} holding one' });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM-HH:MM');
/** Opening hours of a week, in the agent's timeZone: `mon: ['09:00-17:00']`; a day left out is closed. */
const WeeklyHours = z.partialRecord(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), z.array(hhmm));
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'use E.164, e.g. +14155550123');

/** A person or team a call can be handed to. */
export const TransferDestination = z.strictObject({
  number: e164.describe('Their phone number in E.164, e.g. +14155550123.'),
  label: z.string().min(1).max(60).regex(/^[^\n]+$/, 'one line').describe('How the model names them, e.g. "sales" or "Anna (billing)".'),
  when: z.string().max(500).optional().describe('When to hand the caller to them, told to the model.'),
  hours: WeeklyHours.optional().describe('When someone answers, in the agent\'s timeZone: mon: [\'09:00-17:00\']. Unset: always.'),
  sayNumber: z.boolean().optional().describe('On the web (where nobody can be put through): the agent may give the visitor this number to call (with its hours). Default: the tool\'s sayNumber.'),
});

/** What the agent can offer when nobody can be put through. */
export const TransferOffer = z.enum(['callBack', 'booking', 'message']);

/** Hand-off to a human on phone calls (docs/phone.md#hand-off-to-a-human). */
export const TransferTool = z
  .strictObject({
    type: z.literal('transfer'),
    description: z.string().max(1000).optional().describe('When the model should hand the caller to a person, e.g. "the caller asks for a human or has a billing dispute".'),
    mode: z.enum(['warm', 'cold']).default('warm').describe('warm: the caller holds while Parley calls the person and tells them a summary, then connects them (or comes back if nobody answers); cold: the caller is connected straight to the number and the agent leaves.'),
    destinations: z.array(TransferDestination).min(1).max(20).optional(),
    number: e164.optional().describe('Shorthand for one destination, always staffed, labelled "a person".'),
    timeoutSec: z.number().int().min(5).max(600).default(30).describe('How long the person\'s phone rings before the agent comes back (warm) or the call gives up (cold).'),
    holdMusic: z.string().regex(/^https:\/\//, 'an https:// URL').optional().describe('What the caller hears while waiting (an MP3/WAV file or TwiML, Twilio\'s waitUrl); unset: Twilio\'s standard hold music.'),
    holdMessage: z.string().min(1).max(300).default('Please hold while I connect you.').describe('Said to the caller by Twilio as the hand-off starts.'),
    key: z.string().regex(/^[0-9*#]$/, 'one key: 0-9, * or #').optional().describe('A key that asks for a person at any time, e.g. "0".'),
    sayNumber: z.boolean().default(false).describe('On the web: the agent may give visitors the destinations\' numbers to call (a destination\'s own sayNumber wins). Off: the numbers stay private.'),
    callBack: z.boolean().optional().describe('Default true. When nobody can be put through (outside hours, no answer, busy, failed, on the web): offer a call back, taking the caller\'s phone number with save_lead when collect has a phone field. The shorthand of offer: write one or the other.'),
    offer: z
      .array(TransferOffer)
      .min(1)
      .max(3)
      .optional()
      .describe('What the agent offers when nobody can be put through, in order of preference: callBack (needs a phone field in collect), booking (the calendar\'s meeting; needs a calendar), message. Default: from callBack, a phone field and a calendar (docs/phone.md › What the agent offers instead).'),
  })
  .refine((t) => !(t.offer && t.callBack !== undefined), { message: 'give offer (which lists callBack or not) or callBack, not both', path: ['callBack'] })
  .refine((t) => !t.offer || new Set(t.offer).size === t.offer.length, { message: 'list each offer once', path: ['offer'] })
  .refine((t) => (t.destinations === undefined) !== (t.number === undefined), { message: 'give destinations, or number for a single one (not both)' })
  .refine((t) => !t.destinations || new Set(t.destinations.map((d) => d.label.toLowerCase())).size === t.destinations.length, { message: 'each destination needs its own label', path: ['destinations'] });

export const Tool = z.preprocess(
  (v) => (typeof v === 'string' ? { type: v } : v),
  z.discriminatedUnion('type', [WebhookTool, McpTool, TransferTool, BuiltinTool]),
);

/** What the booked meeting is called in the booking tools' wording (all providers). */
const meetingName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[^\n]+$/, 'one line')
  .optional()
  .describe('What the meeting is called where the booking tools say "the intro call", e.g. "free 30-minute home-energy consultation" (without "the").');

export const Calendar = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('builtin'),
    hours: WeeklyHours.default({ mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] }),
    slotMinutes: z.number().int().min(5).default(30),
    bufferMinutes: z.number().int().min(0).default(0),
    closedDates: z
      .array(z.string().superRefine((d, ctx) => {
        const read = readClosedDates(d);
        if (typeof read === 'string') ctx.addIssue({ code: 'custom', message: read });
      }))
      .default([])
      .describe('Days with no slots: YYYY-MM-DD, MM-DD (every year), or a range of either, e.g. 12-24..12-26, 12-31..01-01.'),
    horizonDays: z.number().int().min(1).default(14),
    minNoticeMinutes: z.number().int().min(0).default(120),
    ownerEmail: emailOrEnv.optional().describe('The owner\'s address: ORGANIZER of the invitations callers get by email (PARLEY_SMTP_URL), and where new-booking notices go.'),
    location: z.string().min(1).max(500).regex(/^[^\n]+$/, 'one line').optional().describe('Where the meeting happens: an address, a phone number, or a fixed video-call link (https://meet.google.com/…, ${ENV_NAME} allowed); put in the invitation (LOCATION, and CONFERENCE for a link) and told to the caller when booked.'),
    meetingName,
  }),
  z.strictObject({
    provider: z.literal('calcom'),
    apiKey: z.string().default('${CALCOM_API_KEY}'),
    eventTypeId: z.number().int(),
    baseURL: z.string().default('https://api.cal.com').describe('The cal.com API (a proxy or a self-hosted cal.com); ${ENV_NAME} allowed.'),
    meetingName,
  }),
  z.strictObject({
    provider: z.literal('calendly'),
    token: z.string().default('${CALENDLY_TOKEN}'),
    eventType: z.string().describe('Event type URI, https://api.calendly.com/event_types/…'),
    baseURL: z.string().default('https://api.calendly.com').describe('The Calendly API (a proxy); ${ENV_NAME} allowed.'),
    meetingName,
  }),
]);

export const Widget = z.strictObject({
  color: z.string().regex(/^#[0-9a-fA-F]{3,8}$/, 'use a hex colour like #4f46e5').default('#4f46e5'),
  position: z.enum(['bottom-right', 'bottom-left']).default('bottom-right'),
  label: z.string().min(1).max(60).optional().describe('Text on the launcher button and the panel header. Unset: "Talk to us" in persona.language.'),
  avatar: z
    .string()
    .max(100_000)
    .regex(/^(https:\/\/[^\s"'<>]+|data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+)$/, 'use an https:// URL or a data:image/…;base64, URL')
    .optional()
    .describe('Picture on the button and in the panel header: an https:// URL or a base64 data:image URL.'),
  notice: z
    .union([z.string().min(1).max(200), z.literal(false)])
    .optional()
    .describe('Short notice shown when the visitor opens the widget. Unset: says the conversation is transcribed (and recorded when the server keeps recordings); false: none.'),
  texts: z
    .partialRecord(z.enum(WIDGET_TEXT_NAMES), z.string().trim().min(1).max(200))
    .optional()
    .describe("Your own words for the widget's states, buttons and errors, by name (see docs/widget.md); unset ones follow persona.language."),
});

export const Channels = z.strictObject({
  web: z
    .strictObject({
      enabled: z.boolean().default(true),
      allowedOrigins: z.array(z.string()).default([]).describe('Hosts allowed to embed the widget: example.com, *.example.com, localhost:8080.'),
      widget: Widget.prefault({}),
    })
    .prefault({}),
  phone: z
    .strictObject({
      number: z
        .string()
        .regex(/^(\+[1-9]\d{6,14}|\$\{[A-Z_][A-Z0-9_]*\})$/, 'use E.164, e.g. +14155550123, or ${ENV_NAME} holding one')
        .optional()
        .describe('The Twilio number this agent answers and calls from, in E.164 (+14155550123), or ${ENV_NAME} holding one.'),
      accountSid: z.string().default('${TWILIO_ACCOUNT_SID}'),
      authToken: z.string().default('${TWILIO_AUTH_TOKEN}'),
      keypad: z
        .strictObject({
          interDigitMs: z.number().int().min(300).max(10_000).default(1500).describe('Keys pressed within this of each other reach the agent as one input ("1 2 3 #"); # ends an input at once.'),
          maxDigits: z.number().int().min(1).max(64).default(20).describe('Most keys in one input; more are dropped.'),
        })
        .prefault({})
        .describe('The caller\'s key presses, passed to the agent as part of its turn.'),
    })
    .optional(),
});

/** Outbound calls: what to do when an answering machine picks up (docs/phone.md). */
export const Outbound = z
  .strictObject({
    machineDetection: z.boolean().default(true).describe('Ask Twilio to tell a person from an answering machine (asynchronous AMD) and listen to the first seconds for a voicemail greeting.'),
    voicemail: z.enum(['leave', 'hangup']).default('hangup').describe('On an answering machine: leave voicemailMessage after the beep, or hang up.'),
    voicemailMessage: z.string().min(1).max(1000).optional().describe('Said after the beep when voicemail is leave; may use the contact\'s {{variables}}.'),
  })
  .superRefine((o, ctx) => {
    if (o.voicemail === 'leave' && !o.voicemailMessage) ctx.addIssue({ code: 'custom', path: ['voicemailMessage'], message: 'voicemail: leave needs the message to leave after the beep' });
  });

export const Limits = z.strictObject({
  maxDurationSec: z.number().int().positive().max(86_400).default(600).describe('Longest a conversation may last, in seconds (at most a day); the agent wraps up shortly before and ends at it.'),
  conversationsPerIpPerHour: z.number().int().positive().default(10),
  maxConcurrent: z.number().int().positive().default(5),
  dailyBudgetUsd: z.number().nonnegative().default(10),
  dailyBudget: z
    .strictObject({
      amount: z.number().nonnegative(),
      currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code, e.g. GBP'),
      usdPerUnit: z
        .union([z.number().positive(), z.string().regex(/^\$\{[A-Z_][A-Z0-9_]*\}$/, 'a number, or ${ENV_NAME} holding one')])
        .optional()
        .describe('What one unit of the currency is worth in US dollars (costs are estimated in dollars), or ${ENV_NAME} holding it.'),
    })
    .superRefine((b, ctx) => {
      if (b.currency !== 'USD' && b.usdPerUnit === undefined) ctx.addIssue({ code: 'custom', path: ['usdPerUnit'], message: `the value of one ${b.currency} in US dollars, e.g. 1.27, or \${ENV_NAME} holding it` });
    })
    .optional()
    .describe('The daily budget in the owner\'s currency, e.g. { amount: 3, currency: GBP, usdPerUnit: 1.27 }; when set it replaces dailyBudgetUsd.'),
  dailyMinutes: z.number().nonnegative().default(300),
  maxBookingsPerConversation: z.number().int().min(0).default(1),
  maxTurnChars: z.number().int().min(100).max(60_000).default(2000).describe('Longest typed caller turn, in characters; a longer one is refused with an error and never reaches the model.'),
  maxCostPerConversationUsd: z.number().positive().default(1).describe('Estimated cost at which one conversation is ended (reason "cost limit"), checked before every model call.'),
  prices: z
    .strictObject({
      llm: z.record(z.string(), z.strictObject({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() })).optional(),
      sttPerMinute: z.record(z.string(), z.number().nonnegative()).optional(),
      ttsPer1kChars: z.record(z.string(), z.number().nonnegative()).optional(),
      phonePerMinute: z.strictObject({ inbound: z.number().nonnegative(), outbound: z.number().nonnegative() }).optional(),
    })
    .optional()
    .describe('Prices (USD) for the cost estimate and dailyBudgetUsd, over the built-in list prices; keys are provider or provider:model.'),
});

/** A topic the agent must not handle: answered with a fixed line before the model is asked. */
export const Guardrail = z
  .strictObject({
    topic: z.string().min(1).max(60).describe('medical, legal or financial (built in: advice on them is turned away), or a name of your own with its words.'),
    words: z.array(z.string().min(1).max(80)).max(300).optional().describe('Words or short phrases that name the topic (added to a built-in topic\'s own).'),
    asking: z.enum(['any', 'advice']).optional().describe('advice: only when the caller asks for advice ("should I", "is it normal"); any: whenever the words come up. Built-in topics: advice; your own: any.'),
    say: z.string().min(1).max(500).optional().describe('What the agent says instead (built-in topics have a default).'),
    examples: z
      .array(z.string().min(1).max(300))
      .max(50)
      .optional()
      .describe('Things callers say on the topic, in their words; with knowledge.embeddings a turn this close in meaning is turned away too, whatever its words (built-in topics have their own).'),
    minSimilarity: z.number().min(0).max(1).optional().describe('Cosine similarity to the nearest example at which a turn counts as the topic (default 0.6).'),
  })
  .superRefine((g, ctx) => {
    if (!['medical', 'legal', 'financial'].includes(g.topic) && !g.words?.length) ctx.addIssue({ code: 'custom', path: ['words'], message: `"${g.topic}" is not a built-in topic (medical, legal, financial): list the words that name it` });
  });
/** A receiver of the agent's events, signed as Standard Webhooks when it has a secret. */
export const EventWebhook = z.strictObject({
  url: z.string().regex(/^(https?:\/\/|\$\{)/, 'must be an http:// or https:// URL').describe('Where events are POSTed; ${ENV_NAME} allowed.'),
  events: z.array(z.enum(EVENT_TYPES)).min(1).optional().describe('Which events it gets; default all.'),
  secret: z.string().regex(/^\$\{[A-Z_][A-Z0-9_]*\}$/, 'put the secret (whsec_…) in the environment and write ${ENV_NAME} here').optional().describe('The signing secret, whsec_<base64>, from the environment; without it deliveries go unsigned (for receivers such as Make or Zapier hooks that verify nothing).'),
});

/** Events out: webhooks and the owner's emails (docs/events.md). */
export const Events = z.strictObject({
  webhooks: z.array(EventWebhook).default([]),
  allowPrivateUrls: privateHosts.default(false).describe('Let webhook URLs reach loopback, private and link-local addresses: true any host, false none, a list of host names only those; the rest are refused.'),
  email: z
    .strictObject({
      to: emailOrEnv.optional().describe('The owner\'s address for notices; default calendar.ownerEmail.'),
      bookings: z.boolean().default(true).describe('Email the owner each new booking (and cancellation).'),
      leads: z.boolean().default(false).describe('Email the owner once per caller who left details, after the call, with every field saved (none when the call booked and the booking notice went out).'),
    })
    .prefault({}),
});
/** One piece of structured data the post-call analysis extracts. */
export const AnalysisField = z
  .strictObject({
    field: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case'),
    type: z.enum(['string', 'number', 'boolean', 'enum']),
    values: z.array(z.string().min(1)).min(1).optional().describe('The allowed values of an enum field.'),
    description: z.string().min(1).describe('What the field means, for the analysis model.'),
    required: z.boolean().default(false).describe('The analysis fails validation without it; otherwise it may be null.'),
  })
  .refine((f) => (f.type === 'enum') === Boolean(f.values), { message: 'values is required for type enum, and only for it', path: ['values'] });

/** What is worked out from a conversation after it ended: a summary, structured data, success criteria. */
export const Analysis = z
  .strictObject({
    summary: z.boolean().default(true).describe('Write a two- or three-sentence summary.'),
    data: z.array(AnalysisField).default([]),
    criteria: z.array(z.string().min(1)).default([]).describe('Success criteria in plain words, each judged pass or fail with a reason.'),
    model: z.string().optional().describe('provider:model for the analysis (e.g. a cheaper one); default brain.llm.'),
    baseURL: z.string().optional().describe('Server of an OpenAI-compatible analysis model; ${ENV_NAME} allowed.'),
    apiKey: z.string().optional().describe('Usually ${ENV_NAME}; defaults to the provider’s standard env var.'),
    maxTranscriptChars: z.number().int().min(1000).max(200_000).default(24_000).describe('Longer transcripts are cut in the middle before the model reads them.'),
  })
  .refine((a) => new Set(a.data.map((f) => f.field)).size === a.data.length, { message: 'each data field needs its own name', path: ['data'] });

export const Privacy = z.strictObject({
  retentionDays: z.number().positive().optional().describe('Delete conversations (transcripts, tool calls, lead, recording) older than this many days. Unset: keep them.'),
});

/** The fixed lines the agent says without the model; each unset one follows persona.language (see docs/safeguards.md). */
export const FixedLinesOverride = z
  .strictObject({
    stillThere: line('Asked after the caller has been silent a while (voice). English: "Are you still there?"'),
    silenceGoodbye: line('Said when the caller stays silent until the call ends (voice).'),
    cannotHear: line('Said when speech recognition fails twice and the call ends (voice).'),
    wrapUp: line('Said shortly before limits.maxDurationSec.'),
    timeUp: line('Said at limits.maxDurationSec, ending the conversation.'),
    costLimit: line('Said when the conversation reaches limits.maxCostPerConversationUsd.'),
    overBudget: line("Said when the agent's day reaches limits.dailyBudgetUsd or limits.dailyMinutes."),
    troubleAnswering: line('Said when no model could answer a turn.'),
    cannotShareSetup: line('Said when the agent began to recite its instructions or secrets and was cut off.'),
    notTakingCalls: line('Said to a phone caller refused at the door (busy, rate or budget limits) before hanging up.'),
    oneMoment: line('Filler said while a slow tool runs (voice).'),
    checkingCalendar: line('Filler while check_availability runs (voice).'),
    bookingCall: line('Filler while book_call runs (voice).'),
    lookingUp: line('Filler while search_knowledge runs (voice).'),
  })
  .describe('Your own words for the fixed lines; unset ones are said in persona.language (en, pl, de, fr, es, it, pt, nl), else English.');

/** The whole `agent.yaml`. */
export const AgentFile = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and -').optional().describe('Defaults to the folder name.'),
  description: z.string().optional(),
  persona: Persona,
  voice: Voice.prefault({}),
  listen: Listen.prefault({}),
  latency: z.enum(['fast', 'balanced', 'quality']).default('balanced').describe('Preset for models and turn settings the file does not set itself; see docs/latency.md.'),
  brain: Brain.prefault({}),
  knowledge: Knowledge.prefault({}),
  collect: z.array(CollectField).default([]),
  tools: z.array(Tool).default([]),
  calendar: Calendar.optional(),
  timeZone: z.string().default('UTC').refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Warsaw, America/New_York)').describe('IANA zone of the business, e.g. Europe/Warsaw.'),
  channels: Channels.prefault({}),
  outbound: Outbound.prefault({}).describe('Outbound calls (parley call, campaigns): answering machines and voicemail.'),
  limits: Limits.prefault({}),
  privacy: Privacy.prefault({}),
  guardrails: z.array(Guardrail).max(50).default([]).describe('Topics the agent must not handle, recognised in code before the model answers; see docs/knowledge.md.'),
  events: Events.prefault({}),
  analysis: Analysis.optional().describe('Post-call analysis, run after a conversation ends; see docs/agent-file.md.'),
  lines: FixedLinesOverride.prefault({}),
});

export type AgentFileInput = z.input<typeof AgentFile>;
export type AgentFileData = z.output<typeof AgentFile>;
export type WebhookToolConfig = z.output<typeof WebhookTool>;
export type McpToolConfig = z.output<typeof McpTool>;
export type TransferToolConfig = z.output<typeof TransferTool>;
export type UrlSourceConfig = z.output<typeof UrlSource>;
export type KnowledgeSourceConfig = string | UrlSourceConfig;
export type TransferDestinationConfig = z.output<typeof TransferDestination>;
export type WeeklyHoursConfig = z.output<typeof WeeklyHours>;
export type ToolConfig = z.output<typeof Tool>;
export type CalendarConfig = z.output<typeof Calendar>;
export type GuardrailConfig = z.output<typeof Guardrail>;
/** A guardrail as written (defaults not yet applied). */
export type GuardrailInput = z.input<typeof Guardrail>;
export type EventsConfig = z.output<typeof Events>;
export type AnalysisConfig = z.output<typeof Analysis>;
export type OutboundConfig = z.output<typeof Outbound>;
export type AnalysisFieldConfig = z.output<typeof AnalysisField>;
/** The fixed lines an owner may set, by name. */
export type FixedLineName = keyof z.output<typeof FixedLinesOverride>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
