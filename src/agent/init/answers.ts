import { z } from 'zod';
import { AgentFile, Brain, Calendar, Channels, Knowledge, Limits, Listen, Persona, Voice } from '../schema.ts';

// The answers to `parley init`'s planning questions: what the wizard asks, and what
// `parley init --answers answers.json` reads instead. One schema for both, so a coding agent
// that writes the JSON gets exactly the checks a person at the wizard gets. Every setting the
// agent file also has goes by agent.yaml's own name and reuses its schema piece, so an answers
// file reads like the agent.yaml it becomes; the older names still work (aliases.ts).

/** The agent templates `parley init` can start from. */
export const TEMPLATE_IDS = ['sales-booking', 'support', 'faq'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** Calendars a booking agent can use; `none` gives no booking tools. */
export const CALENDAR_PROVIDERS = ['builtin', 'calcom', 'calendly', 'none'] as const;

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name in capitals, like CALCOM_API_KEY');
const envRef = z.string().regex(/^\$\{[A-Z_][A-Z0-9_]*\}$/, 'the secret stays in the environment: write ${ENV_NAME}, e.g. ${CALCOM_API_KEY}');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM-HH:MM');
const WEEKDAY = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** A host that may embed the widget: example.com, *.example.com, localhost:8080. */
const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
const hosts = z.array(z.string().regex(HOST, 'a host name like example.com, *.example.com or localhost:8080 (no https://, no path)'));
type Provider = (typeof CALENDAR_PROVIDERS)[number];
type Field = z.ZodType;

// Every field of agent.yaml's calendar (any provider) is an answer too, read from the agent
// schema so a field added there cannot be forgotten here; a default becomes "unset".
// The few below are stricter, or read older spellings, than agent.yaml's own.
const STRICTER = {
  eventTypeId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)], { error: 'the numeric id of the cal.com event type, e.g. 1234567' }),
  apiKey: envRef.describe('cal.com: ${ENV_NAME} of the API key (default ${CALCOM_API_KEY}).'),
  eventType: z.string().regex(/^https:\/\/\S+\/event_types\/\S+$/, 'the Calendly event type URI, https://api.calendly.com/event_types/…'),
  token: envRef.describe('Calendly: ${ENV_NAME} of the personal access token (default ${CALENDLY_TOKEN}).'),
  baseURL: z.string().regex(/^(https?:\/\/|\$\{[A-Z_][A-Z0-9_]*\})/, 'an http(s) URL, or ${ENV_NAME} holding one').describe('cal.com or Calendly: a self-hosted server or proxy.'),
  hours: z.partialRecord(WEEKDAY, z.array(hhmm)).describe('builtin: bookable hours per weekday in the business time zone.'),
} satisfies Record<string, Field>;
/** Older names kept readable (aliases.ts), and the provider they belong to. */
const OLDER = {
  apiKeyEnv: [envName.describe('Deprecated: use apiKey: ${NAME}.'), 'calcom'],
  tokenEnv: [envName.describe('Deprecated: use token: ${NAME}.'), 'calendly'],
} satisfies Record<string, [Field, Provider]>;

// The shape's static type, so code reading the answers sees every field by name.
type CalendarShapes = (typeof Calendar.options)[number]['shape'];
type KeysOf<U> = U extends unknown ? keyof U : never;
type FieldOf<K extends PropertyKey> = CalendarShapes extends infer U ? (U extends Record<K, infer F extends Field> ? F : never) : never;
type Answered<T> = z.ZodOptional<z.ZodType<NonNullable<T>, NonNullable<T>>>;
type CalendarFields = { [K in Exclude<KeysOf<CalendarShapes>, 'provider' | keyof typeof STRICTER>]: Answered<z.output<FieldOf<K>>> } & {
  [K in keyof typeof STRICTER]: z.ZodOptional<(typeof STRICTER)[K]>;
} & { [K in keyof typeof OLDER]: z.ZodOptional<z.ZodString> };
const unset = (s: Field): Field => {
  const d = (s as unknown as { _zod: { def: { type: string; innerType?: Field } } })._zod.def;
  return (d.type === 'default' || d.type === 'optional') && d.innerType ? unset(d.innerType) : s;
};
const calendarFields: Record<string, Field> = {};
/** For each calendar field, the providers whose agent.yaml calendar has it. */
export const CALENDAR_FIELD_PROVIDERS: Record<string, Provider[]> = {};
for (const option of Calendar.options) {
  const provider = option.shape.provider.value as Provider;
  for (const [key, field] of Object.entries(option.shape as Record<string, Field>)) {
    if (key === 'provider') continue;
    calendarFields[key] ??= ((STRICTER as Record<string, Field>)[key] ?? unset(field)).optional();
    (CALENDAR_FIELD_PROVIDERS[key] ??= []).push(provider);
  }
}
for (const [key, [field, provider]] of Object.entries(OLDER)) {
  calendarFields[key] = field.optional();
  CALENDAR_FIELD_PROVIDERS[key] = [provider];
}

/** Which calendar, and what it needs; fields of other providers are refused so a typo cannot pass silently. */
export const CalendarAnswer = z
  .strictObject({
    provider: z.enum(CALENDAR_PROVIDERS, { error: `one of ${CALENDAR_PROVIDERS.join(', ')}` }),
    ...(calendarFields as CalendarFields),
  })
  .superRefine((c, ctx) => {
    for (const [field, providers] of Object.entries(CALENDAR_FIELD_PROVIDERS)) {
      if (c[field as keyof typeof c] !== undefined && !providers.includes(c.provider)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `only for ${providers.join(' or ')} calendars, not ${c.provider}` });
      }
    }
    if (c.provider === 'calcom' && c.eventTypeId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['eventTypeId'], message: 'cal.com needs the numeric id of the event type to book (the number in the event type’s URL on cal.com)' });
    }
    if (c.provider === 'calendly' && c.eventType === undefined) {
      ctx.addIssue({ code: 'custom', path: ['eventType'], message: 'Calendly needs the event type URI, https://api.calendly.com/event_types/… (GET /event_types lists them)' });
    }
  });

const WebChannel = Channels.shape.web.unwrap();

/**
 * Everything `parley init` asks; only the template and the business are required. The blocks
 * named like agent.yaml's take that block's fields (as agent.yaml has them); the last group are
 * the older names, read with a warning that names the new one.
 */
export const InitAnswers = z.strictObject({
  template: z.enum(TEMPLATE_IDS, { error: `what the agent is for: one of ${TEMPLATE_IDS.join(', ')}` }),
  business: z.strictObject({
    name: z.string().trim().min(1, 'the business name is required'),
    description: z.string().trim().min(1, 'one line on what the business does is required').refine((s) => !s.includes('\n'), 'one line, please'),
  }),
  documents: z.array(z.string().trim().min(1)).optional().describe('Files, folders (copied into knowledge/) and http(s) URLs (listed in knowledge.sources).'),
  // agent.yaml's own names
  name: AgentFile.shape.name,
  persona: Persona.pick({ firstMessage: true, language: true, tone: true }).partial().optional(),
  voice: Voice.optional(),
  listen: Listen.optional(),
  brain: Brain.optional(),
  knowledge: Knowledge.omit({ sources: true }).optional().describe('knowledge.sources is written from documents.'),
  collect: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case, e.g. order_number')).optional(),
  calendar: CalendarAnswer.optional().describe('Default: builtin for sales-booking, none otherwise.'),
  timeZone: z
    .string()
    .superRefine((zone, ctx) => {
      const problem = timeZoneProblem(zone);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .describe('IANA zone of the business; default: this machine’s zone.'),
  channels: Channels.extend({ web: WebChannel.extend({ allowedOrigins: hosts.optional() }).optional() }).optional(),
  limits: Limits.extend({ maxMinutes: z.number().positive().max(1440).optional().describe('Deprecated: use maxDurationSec.') }).optional(),
  guardrails: AgentFile.shape.guardrails.optional(),
  // the older names (deprecated)
  language: Persona.shape.language.optional(),
  tone: z.string().trim().min(1).optional(),
  firstMessage: z.string().trim().min(1).optional(),
  strictKnowledge: z.boolean().optional(),
  widget: WebChannel.shape.widget.unwrap().optional(),
  allowedOrigins: hosts.optional(),
  model: z.string().regex(/^[a-z][a-z0-9-]*:\S+$/, 'provider:model, e.g. openai:gpt-4.1-mini').optional(),
  modelBaseURL: z.string().regex(/^(https?:\/\/|\$\{[A-Z_][A-Z0-9_]*\})/, 'an http(s) URL, or ${ENV_NAME} holding one').optional().describe('Server of an OpenAI-compatible model (Ollama, vLLM, llama.cpp).'),
});

export type InitAnswersInput = z.input<typeof InitAnswers>;
export type CalendarAnswerData = z.output<typeof CalendarAnswer>;

/** Why a time zone is not usable, with the agent file's own rule; undefined when it is fine. */
export function timeZoneProblem(zone: string): string | undefined {
  const r = AgentFile.shape.timeZone.safeParse(zone);
  return r.success ? undefined : r.error.issues[0].message;
}

/** Splits a comma- or newline-separated answer ("name, email, company") into its items. */
export function listAnswer(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A host from what someone pasted: "https://www.example.com/pricing" → "www.example.com". */
export function hostOf(text: string): string {
  return text.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}
