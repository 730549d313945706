import { z } from 'zod';
import { EVENT_TYPES } from '../util/event-types.ts';
import { patternProblem } from './match.ts';
import { SCRIPTED_TRANSFER_OUTCOMES } from './scripted-phone-line.ts';

// The scenario file: one conversation to run against an agent, what the caller says (or who
// the caller is), what the world answers (model script, webhook and calendar stubs, clock),
// and what must be true of the agent's side, per turn and for the whole conversation.

/** Text to look for: `/regex/flags`, or plain text matched as a case-insensitive substring. */
const Pattern = z.string().min(1).superRefine((s, ctx) => {
  const problem = patternProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const Patterns = z.union([Pattern, z.array(Pattern).min(1)]).transform((p) => (Array.isArray(p) ? p : [p]));

/** Any YAML value whose strings are patterns (tool arguments, collected fields, requests). */
const ValuePattern = z.unknown().superRefine((value, ctx) => {
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (typeof v === 'string') {
      const problem = patternProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
});

const toolName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, 'a tool name: letters, digits, _ and -');

/** A tool call that must happen: by name, optionally with its arguments, the request it built and its result (partial matches). */
const ToolExpectation = z
  .union([
    toolName,
    z.strictObject({
      name: toolName,
      args: ValuePattern.optional().describe('Arguments the model passed; only the keys given are checked.'),
      request: ValuePattern.optional().describe('The request the tool built (method, url, headers, body); only the keys given are checked.'),
      result: ValuePattern.optional().describe('What the tool gave back to the model, e.g. { booked: false }; only the keys given are checked. A refused call\'s result.error is the reason it was refused.'),
      error: z.union([Pattern, z.boolean()]).optional().describe('The call was refused or failed: a pattern for the reason (e.g. /10 digits/), true for any reason, false for none.'),
    }),
  ])
  .transform((t) => (typeof t === 'string' ? { name: t } : t));
const ToolExpectations = z.union([ToolExpectation, z.array(ToolExpectation)]).transform((t) => (Array.isArray(t) ? t : [t]));
const ToolNames = z.union([toolName, z.array(toolName)]).transform((t) => (Array.isArray(t) ? t : [t]));

/** The voice loop's stages (docs/latency.md), each timed on every agent turn in voice mode. */
export const LATENCY_STAGES = ['endpointingMs', 'sttFinalMs', 'llmFirstTokenMs', 'ttsFirstAudioMs', 'voiceToVoiceMs'] as const;
export type LatencyStage = (typeof LATENCY_STAGES)[number];

const budgetMs = z.number().positive().max(600_000);
/** Most milliseconds each named stage may take on a turn; checked in voice mode only. */
const LatencyBudget = z
  .strictObject({
    endpointingMs: budgetMs.optional().describe('Caller stopped speaking → turn committed.'),
    sttFinalMs: budgetMs.optional().describe('Caller stopped speaking → final transcript.'),
    llmFirstTokenMs: budgetMs.optional().describe('Turn committed → first words from the model.'),
    ttsFirstAudioMs: budgetMs.optional().describe('First words → first audio from the voice.'),
    voiceToVoiceMs: budgetMs.optional().describe('Caller stopped speaking → agent audio starts.'),
  })
  // Only when the keys are known: an unknown one is its own, clearer problem.
  .refine((b) => Object.keys(b).length > 0, { message: `name at least one stage: ${LATENCY_STAGES.join(', ')}`, when: (p) => !p.issues.length });

/** What must be true of the agent's reply to one caller turn. */
export const TurnExpect = z.strictObject({
  heard: Patterns.optional().describe('Every pattern appears in what the agent heard (voice mode: the STT transcript; text mode: the words as written).'),
  latency: LatencyBudget.optional().describe('Voice mode: the most milliseconds each stage of the answer may take.'),
  says: Patterns.optional().describe('Every pattern appears in the reply.'),
  neverSays: Patterns.optional().describe('No pattern appears in the reply.'),
  documents: Patterns.optional().describe('Each pattern matches a document retrieved for this turn ("source › heading").'),
  declined: z.boolean().optional().describe('true: answered with knowledge.unknownAnswer (in code, or by the model\'s NOT_IN_DOCUMENTS); false: not declined.'),
  guarded: z.union([z.boolean(), z.string().min(1)]).optional().describe('A guardrails topic name (or true for any): the turn was answered with that topic\'s fixed line without asking the model; false: no topic was.'),
  toolCalled: ToolExpectations.optional().describe('Tools called on this turn; [] means no tool was.'),
  toolNotCalled: ToolNames.optional(),
});

export const CallerTurn = z
  .strictObject({
    say: z.string().min(1).optional().describe('What the caller says.'),
    keys: z
      .string()
      .regex(/^[0-9*#A-D]{1,32}$/, 'keys: 0-9 * # A-D, one keypad input (e.g. "0" or "123#")')
      .optional()
      .describe('door: phone — keys the caller presses, as one keypad input: the agent gets "(the caller pressed 1 2 3)".'),
    expect: TurnExpect.optional(),
  })
  .refine((t) => (t.say === undefined) !== (t.keys === undefined), 'a caller turn has either say or keys');

/** A language model plays the caller (PARLEY_CALLER_LLM, else the agent's model). */
export const SimulatedCaller = z.strictObject({
  persona: z.string().min(1).describe('Who the caller is.'),
  goal: z.string().min(1).describe('What the caller wants; the caller stops once it is reached.'),
  maxTurns: z.number().int().min(1).max(50).default(8),
});

export const Caller = z
  .strictObject({
    turns: z.array(CallerTurn).min(1).optional(),
    simulate: SimulatedCaller.optional(),
  })
  .refine((c) => Boolean(c.turns) !== Boolean(c.simulate), 'give either caller.turns or caller.simulate');

/** One scripted model response, as the fake OpenAI-compatible server plays it. */
export const ModelStep = z
  .strictObject({
    text: z.string().optional(),
    toolCalls: z.array(z.strictObject({ name: toolName, args: z.record(z.string(), z.unknown()).default({}) })).min(1).optional(),
    error: z.strictObject({ status: z.number().int().min(400).max(599), message: z.string().default('scripted failure') }).optional(),
  })
  .refine((s) => s.text !== undefined || s.toolCalls || s.error, 'a step needs text, toolCalls or error');

/** A webhook's answer: given once, or a list answered in order (the last one repeats). */
const WebhookAnswer = z.strictObject({
  status: z.number().int().min(200).max(599).default(200),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

export const CalendarStub = z.strictObject({
  slots: z
    .array(z.union([z.string(), z.strictObject({ start: z.string(), end: z.string() })]))
    .describe('Open slots: instants ("2026-12-01T14:00:00Z") or local times in the agent’s zone ("2026-12-01 15:00").'),
  slotMinutes: z.number().int().min(5).default(30),
  book: z
    .enum(['confirmed', 'pending', 'link'])
    .default('confirmed')
    .describe('How book_call is answered: confirmed (booked); pending (the team confirms later, cal.com\'s requires-confirmation); link (a single-use scheduling link, https://calendar.stub.invalid/link/N, instead of a booking: Calendly without a paid plan).'),
});

/** How a hand-off ends on a scenario's phone line; `outside hours` needs no stub: stubs.now outside the destination's hours gives it. */
const TransferStub = z.enum(SCRIPTED_TRANSFER_OUTCOMES);

export const Stubs = z.strictObject({
  transfer: z
    .union([TransferStub, z.array(TransferStub).min(1)])
    .transform((t) => (Array.isArray(t) ? t : [t]))
    .optional()
    .describe('door: phone — how each hand-off ends, in order (the last repeats): connected, no answer, busy or failed. Default: connected.'),
  tools: z.record(toolName, z.union([WebhookAnswer, z.array(WebhookAnswer).min(1)]).transform((a) => (Array.isArray(a) ? a : [a]))).default({}),
  calendar: CalendarStub.optional(),
  now: z.string().optional().describe('Fixed clock: an instant with offset, or a local time in the agent’s zone.'),
});

/** What the post-call analysis (agent.yaml `analysis`) must have found once the conversation ended. */
export const AnalysisExpect = z.strictObject({
  status: z.enum(['done', 'failed', 'skipped']).optional().describe('Default: done.'),
  summary: Patterns.optional().describe('Each pattern appears in the summary.'),
  data: z.record(z.string(), ValuePattern).optional().describe('Fields of analysis.data (strings are patterns; numbers and booleans exact).'),
  criteria: z.record(z.string(), z.enum(['pass', 'fail'])).optional().describe('Success criteria, by their words, and the verdict each must get.'),
});

/** An event the conversation must have sent out (docs/events.md): its type, and optionally part of its data. */
const EventExpectation = z.strictObject({
  type: z.enum(EVENT_TYPES).describe('The event type, as delivered to webhooks.'),
  data: ValuePattern.optional().describe('Part of the event\'s data; only the keys given are checked (strings are patterns).'),
});

/** An email the conversation would have sent (captured, never sent): who gets it and what it says. */
const EmailExpectation = z.strictObject({
  message: z.enum(['invitation', 'cancellation', 'owner-booking', 'owner-lead', 'booking-link']).optional().describe('invitation/cancellation/booking-link: to the caller; owner-booking/owner-lead: the owner\'s notices.'),
  to: z.string().optional().describe('The recipient (a pattern).'),
  subject: z.string().optional().describe('The subject (a pattern).'),
  text: z.string().optional().describe('The body text (a pattern).'),
  attachment: z.union([z.string(), z.literal(false)]).optional().describe('The attached calendar file, e.g. invite.ics (a pattern); false: none.'),
  error: z.string().optional().describe('Why the server would not send it (a pattern): matches only an email it would not send; without it, only one it would.'),
});

/** What must be true of the whole conversation. */
export const Expect = z.strictObject({
  says: Patterns.optional().describe('Each pattern appears in some agent turn.'),
  neverSays: Patterns.optional().describe('No agent turn says any pattern.'),
  toolCalled: ToolExpectations.optional().describe('Tools called in the conversation; [] means no tool was.'),
  toolNotCalled: ToolNames.optional(),
  collected: z.record(z.string(), ValuePattern).optional().describe('Lead fields saved by the end (patterns).'),
  booking: z
    .union([
      z.literal(false),
      z.strictObject({
        localTime: z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/, 'use YYYY-MM-DD HH:MM (the agent’s time zone)').optional(),
        start: z.string().optional().describe('The booked instant, e.g. 2026-12-01T14:00:00Z.'),
        attendee: ValuePattern.optional(),
      }),
    ])
    .optional()
    .describe('false: nothing was booked.'),
  events: z.array(EventExpectation).optional().describe('Events the conversation sent out (captured, never delivered): each needs a matching event; [] means none but conversation.ended, which every conversation sends.'),
  emails: z.array(EmailExpectation).optional().describe('Emails the conversation would send (composed, never sent): each needs a matching email; [] means none would be sent (one the server would not send does not count).'),
  endedByAgent: z.boolean().optional(),
  maxTurns: z.number().int().min(1).optional().describe('The conversation was over within this many caller turns.'),
  latency: LatencyBudget.optional().describe('Voice mode: the budget every answer to a caller turn must keep.'),
  rubric: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((r) => (Array.isArray(r) ? r : [r])).optional(),
  analysis: AnalysisExpect.optional(),
});

/** A whole scenario file. */
export const ScenarioFile = z.strictObject({
  name: z.string().min(1).optional().describe('Defaults to the file name.'),
  description: z.string().optional(),
  door: z.enum(['text', 'phone']).default('text').describe('phone: run as a phone call — transfer and press_keys work on a scripted line (stubs.transfer), and caller turns can press keys.'),
  modes: z
    .array(z.enum(['text', 'voice']))
    .min(1)
    .default(['text'])
    .transform((m) => [...new Set(m)])
    .describe('Which runs include it: `parley test` runs the text ones, `parley test --voice` the voice ones.'),
  caller: Caller,
  model: z
    .strictObject({
      script: z.array(ModelStep).optional().describe('Replies of the agent’s model, one per request. [] proves the model is never asked.'),
      analysis: z.union([z.string(), z.record(z.string(), z.unknown())]).optional().describe('What the analysis model answers (an object is sent as JSON); without it the agent’s analysis model is asked.'),
    })
    .optional(),
  stubs: Stubs.prefault({}),
  expect: Expect.prefault({}),
});

export type ScenarioData = z.output<typeof ScenarioFile>;
export type TurnExpectData = z.output<typeof TurnExpect>;
export type ExpectData = z.output<typeof Expect>;
export type AnalysisExpectData = z.output<typeof AnalysisExpect>;
export type EventExpectationData = z.output<typeof EventExpectation>;
export type EmailExpectationData = z.output<typeof EmailExpectation>;
export type ToolExpectationData = z.output<typeof ToolExpectation>;
export type ModelStepData = z.output<typeof ModelStep>;
export type WebhookAnswerData = z.output<typeof WebhookAnswer>;
export type CalendarStubData = z.output<typeof CalendarStub>;
export type SimulatedCallerData = z.output<typeof SimulatedCaller>;
export type LatencyBudgetData = z.output<typeof LatencyBudget>;
/** How a scenario is run: typed text, or speech through the voice loop. */
export type ScenarioMode = 'text' | 'voice';
