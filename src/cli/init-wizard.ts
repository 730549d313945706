import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { CalendarAnswer, hostOf, InitAnswers, listAnswer, TEMPLATE_IDS, timeZoneProblem, type InitAnswersInput, type TemplateId } from '../agent/init/answers.ts';
import { slug } from '../agent/init/plan.ts';
import { templateLines } from '../agent/init/template-lines.ts';
import { TEMPLATES } from '../agent/init/templates.ts';
import { Limits, Widget } from '../agent/schema.ts';
import { KNOWN_LANGUAGES, knownLanguage } from '../util/language.ts';

// The planning questions of `parley init`, asked one at a time before anything is written.
// Each answer is checked as it is typed with the same schema `--answers` files go through,
// and the result is an answers object like the one a coding agent would write.

/** The prompts the wizard needs; @clack/prompts provides them, tests script them. A symbol answer means cancel. */
export interface Prompter {
  text(o: { message: string; placeholder?: string; initialValue?: string; validate?: (value: string | undefined) => string | undefined }): Promise<string | symbol>;
  select<V extends string>(o: SelectQuestion<V>): Promise<V | symbol>;
}

/** A choice among a few options. */
export interface SelectQuestion<V extends string> {
  message: string;
  options: { value: V; label: string; hint?: string }[];
  initialValue?: V;
}

/** What the wizard knows before it asks. */
export interface WizardContext {
  cwd: string;
  /** The folder named on the command line, if any; otherwise the wizard asks for one. */
  dir?: string;
  defaultTimeZone: string;
  providers: string[];
  /** Why a folder cannot be written to (not empty, no --force), or undefined. */
  folderProblem(dir: string): string | undefined;
}

const CANCELLED = Symbol('cancelled');

/** Asks every planning question; undefined when the owner cancels (nothing has been written). */
export async function askPlanningQuestions(p: Prompter, ctx: WizardContext): Promise<{ answers: InitAnswersInput; dir: string } | undefined> {
  try {
    return await ask(p, ctx);
  } catch (e) {
    if (e === CANCELLED) return undefined;
    throw e;
  }
}

async function ask(p: Prompter, ctx: WizardContext): Promise<{ answers: InitAnswersInput; dir: string }> {
  const answer = async <T>(v: Promise<T | symbol>): Promise<T> => {
    const got = await v;
    if (typeof got === 'symbol') throw CANCELLED;
    return got;
  };
  const text = (message: string, o: { initial?: string; placeholder?: string; check?: (v: string) => string | undefined; optional?: boolean } = {}) =>
    answer(
      p.text({
        message,
        placeholder: o.placeholder,
        initialValue: o.initial,
        validate: (v) => {
          const value = (v ?? '').trim();
          if (!value) return o.optional ? undefined : 'please answer (Ctrl+C cancels; nothing is written)';
          return o.check?.(value);
        },
      }),
    ).then((v) => v.trim());

  const template = await answer(
    p.select<TemplateId>({
      message: 'What is the agent for?',
      options: TEMPLATE_IDS.map((id) => ({ value: id, label: TEMPLATES[id].label, hint: TEMPLATES[id].hint })),
      initialValue: 'sales-booking',
    }),
  );
  const t = TEMPLATES[template];
  const business = {
    name: await text('The business’s name?', { placeholder: 'Acme Plumbing' }),
    description: await text('What does it do, in one line?', { placeholder: 'Emergency plumbing and boiler repairs in Leeds.' }),
  };
  const language = await askLanguage(p, answer, text);
  // The opening and the button label are offered in that language, as the plan would write them unasked.
  const lines = templateLines(t, knownLanguage(language));
  const dir = ctx.dir ?? (await text('Where should the agent folder go?', { initial: `./${slug(business.name) || 'agent'}`, check: (d) => ctx.folderProblem(resolve(ctx.cwd, d)) }));

  const documents = listAnswer(
    await text('Documents or web pages it should answer from? Paths or URLs, comma-separated (empty for none)', {
      optional: true,
      placeholder: 'docs/pricing.md, docs/faq/, https://example.com/about',
      check: (v) => listAnswer(v).map((d) => (/^https?:\/\//i.test(d) || existsSync(resolve(ctx.cwd, d)) ? undefined : `no such file or folder: ${d}`)).find(Boolean),
    }),
  );

  const provider = await answer(
    p.select<'builtin' | 'calcom' | 'calendly' | 'none'>({
      message: 'Which calendar should it book into?',
      options: [
        { value: 'builtin', label: 'Built-in', hint: 'no account: weekly hours, bookings kept by Parley' },
        { value: 'calcom', label: 'cal.com', hint: 'API key and an event type id' },
        { value: 'calendly', label: 'Calendly', hint: 'personal access token and an event type URI' },
        { value: 'none', label: 'None', hint: 'no booking; it takes details for a follow-up' },
      ],
      initialValue: t.calendar,
    }),
  );
  const calendarField = (field: 'eventType') => (v: string) => problem(CalendarAnswer.safeParse({ provider, [field]: v }), field);
  const envNameCheck = (v: string) => (/^[A-Z_][A-Z0-9_]*$/.test(v) ? undefined : 'an environment variable name in capitals, like CALCOM_API_KEY');
  let calendar: InitAnswersInput['calendar'] = { provider };
  if (provider === 'calcom') {
    calendar = {
      provider,
      eventTypeId: Number(await text('The cal.com event type id? (the number in its URL on cal.com)', { placeholder: '1234567', check: (v) => (/^\d+$/.test(v) ? undefined : 'a number, e.g. 1234567') })),
      apiKey: `\${${await text('Which environment variable holds the cal.com API key?', { initial: 'CALCOM_API_KEY', check: envNameCheck })}}`,
    };
  } else if (provider === 'calendly') {
    calendar = {
      provider,
      eventType: await text('The Calendly event type URI?', { placeholder: 'https://api.calendly.com/event_types/…', check: calendarField('eventType') }),
      token: `\${${await text('Which environment variable holds the Calendly token?', { initial: 'CALENDLY_TOKEN', check: envNameCheck })}}`,
    };
  }
  const booking = provider !== 'none';

  const timeZone = await text('The business’s time zone (IANA)? Times are offered and booked in it.', { initial: ctx.defaultTimeZone, check: timeZoneProblem });
  const tts = await text('Voice: text-to-speech provider:model?', { initial: 'local:flite', placeholder: 'elevenlabs:eleven_flash_v2_5', check: fieldCheck(InitAnswers.shape.voice, (v) => ({ tts: v }), 'tts') });
  const voiceId = await text('Voice id (stock or cloned; empty for the default voice)?', { optional: true });
  const tone = await text('Tone of voice?', { initial: t.tone });
  const firstMessage = await text('First message (said the moment a conversation starts)?', { initial: lines.firstMessage(business.name, booking) });
  const collect = listAnswer(
    await text('What should it collect from the caller? comma-separated (empty for nothing)', {
      initial: t.collect.join(', '),
      optional: true,
      check: (v) => fieldCheck(InitAnswers.shape.collect, () => listAnswer(v))(v),
    }),
  );

  const color = await text('Widget colour?', { initial: '#4f46e5', check: fieldCheck(Widget, (v) => ({ color: v }), 'color') });
  const position = await answer(
    p.select<'bottom-right' | 'bottom-left'>({
      message: 'Widget position?',
      options: [
        { value: 'bottom-right', label: 'bottom right' },
        { value: 'bottom-left', label: 'bottom left' },
      ],
      initialValue: 'bottom-right',
    }),
  );
  const label = await text('Widget button label?', { initial: lines.widgetLabel });
  const allowedOrigins = listAnswer(
    await text('Which sites may embed the widget? hosts, comma-separated (a copied snippet will not run elsewhere)', {
      optional: true,
      placeholder: 'example.com, *.example.com',
      check: (v) => fieldCheck(InitAnswers.shape.channels, () => ({ web: { allowedOrigins: listAnswer(v).map(hostOf) } }))(v),
    }),
  ).map(hostOf);

  const limit = (field: 'maxDurationSec' | 'conversationsPerIpPerHour' | 'dailyBudgetUsd', scale = 1) => (v: string) =>
    Number.isFinite(Number(v)) ? fieldCheck(Limits, () => ({ [field]: Math.round(Number(v) * scale) }), field)(v) : 'a number';
  const limits = {
    maxDurationSec: Math.round(Number(await text('Longest conversation, in minutes?', { initial: '10', check: limit('maxDurationSec', 60) })) * 60),
    conversationsPerIpPerHour: Number(await text('Conversations per visitor IP per hour?', { initial: '10', check: limit('conversationsPerIpPerHour') })),
    dailyBudgetUsd: Number(await text('Daily budget, in US dollars?', { initial: '10', check: limit('dailyBudgetUsd') })),
  };
  const model = await text('Language model (provider:model)?', {
    initial: 'openai:gpt-4.1-mini',
    check: (v) => (/^[a-z][a-z0-9-]*:\S+$/.test(v) ? undefined : 'provider:model, e.g. openai:gpt-4.1-mini') ?? (ctx.providers.includes(v.split(':')[0]) ? undefined : `unknown provider; use one of ${ctx.providers.join(', ')}`),
  });

  return {
    dir,
    answers: {
      template,
      business,
      documents,
      calendar,
      timeZone,
      voice: { tts, ...(voiceId ? { voiceId } : {}) },
      persona: { language, tone, firstMessage },
      collect,
      channels: { web: { allowedOrigins, widget: { color, position, label } } },
      limits,
      brain: { llm: model },
    },
  };
}

const OTHER_LANGUAGE = 'other';

/** The agent's language: one Parley has its own words for, or any BCP-47 tag typed in (pl-PL, en-GB, sv). */
async function askLanguage(
  p: Prompter,
  answer: <T>(v: Promise<T | symbol>) => Promise<T>,
  text: (message: string, o: { placeholder?: string; check?: (v: string) => string | undefined }) => Promise<string>,
): Promise<string> {
  const names = new Intl.DisplayNames(['en'], { type: 'language' });
  const chosen = await answer(
    p.select<string>({
      message: 'Which language does the agent speak?',
      options: [
        ...KNOWN_LANGUAGES.map((code) => ({ value: code, label: names.of(code) ?? code, hint: code })),
        { value: OTHER_LANGUAGE, label: 'Another, or a regional tag', hint: 'pl-PL, en-GB, pt-BR, sv; Parley’s own lines fall back to English outside the list' },
      ],
      initialValue: 'en',
    }),
  );
  if (chosen !== OTHER_LANGUAGE) return chosen;
  return text('The language’s BCP-47 tag?', { placeholder: 'pl-PL', check: languageTagProblem });
}

/** Why a typed language is not a BCP-47 tag, or undefined. */
function languageTagProblem(tag: string): string | undefined {
  try {
    Intl.getCanonicalLocales(tag);
    return /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(tag) ? undefined : 'a BCP-47 tag like pl-PL or en-GB';
  } catch {
    return 'a BCP-47 tag like pl-PL or en-GB';
  }
}

/** A validator for one answer through the answers schema: the message of the first issue, if any. */
function fieldCheck<T>(schema: z.ZodType, build: (v: string) => T, field?: string): (v: string) => string | undefined {
  return (v) => problem(schema.safeParse(build(v)), field);
}

function problem(r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, field?: string): string | undefined {
  if (r.success) return undefined;
  const issue = r.error?.issues.find((i) => field === undefined || i.path[0] === field);
  return issue?.message;
}
