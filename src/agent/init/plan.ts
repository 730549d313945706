import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { AgentProblem } from '../problems.ts';
import type { AgentFileInput } from '../schema.ts';
import { secretRefs } from '../secrets.ts';
import { parseYamlSource } from '../yaml-problems.ts';
import { keepGiven, renameDeprecated, type Answers } from './aliases.ts';
import { InitAnswers, timeZoneProblem, type TemplateId } from './answers.ts';
import { humanList, TEMPLATES } from './templates.ts';
import { templateLines } from './template-lines.ts';
import { knownLanguage } from '../../util/language.ts';
import { speechKeyOf } from '../../util/speech-vendors.ts';
import { fieldsAt } from '../schema-fields.ts';

// Plan first, build second: the answers become a plan — every decision `parley init` will
// write, with the defaults filled in and the documents found on disk — which is shown to the
// owner for approval before a single file is written.

/** What `parley init` needs to know about where it runs. */
export interface InitContext {
  /** Relative document paths are read from here. */
  cwd: string;
  /** The agent folder to write (absolute). */
  dir: string;
  /** `$schema` of agent.yaml's editor header: a path relative to the agent folder, or a URL. */
  schemaRef: string;
  /** Model providers by name, with the environment variable holding each one's key. */
  providers: Record<string, { keyEnv?: string; keyRequired: boolean }>;
  /** The zone used when the answers name none (this machine's). */
  defaultTimeZone: string;
  /** Whether Parley can read a document of this name (md, txt, html, pdf). */
  readable(path: string): boolean;
}

/** The calendar as it will be written. */
export type PlannedCalendar =
  | { provider: 'none' }
  | { provider: 'builtin'; hours?: Record<string, string[]>; slotMinutes?: number; bufferMinutes?: number; minNoticeMinutes?: number; closedDates?: string[]; horizonDays?: number; ownerEmail?: string; location?: string; meetingName?: string }
  | { provider: 'calcom'; eventTypeId: number; apiKeyEnv: string; baseURL?: string; meetingName?: string }
  | { provider: 'calendly'; eventType: string; tokenEnv: string; baseURL?: string; meetingName?: string };

/** Every decision `parley init` will write, defaults filled in. */
export interface InitPlan {
  dir: string;
  name: string;
  template: TemplateId;
  business: { name: string; description: string };
  /** Documents copied into the folder: absolute source path → path inside the agent folder. */
  copies: { from: string; to: string }[];
  /** Files inside given folders that Parley cannot read, left out. */
  skipped: string[];
  urls: string[];
  strictKnowledge: boolean;
  calendar: PlannedCalendar;
  timeZone: string;
  language: string;
  voice: NonNullable<AgentFileInput['voice']> & { tts: string; speed: number };
  tone: string;
  firstMessage: string;
  collect: string[];
  widget: NonNullable<NonNullable<NonNullable<AgentFileInput['channels']>['web']>['widget']> & { color: string; position: 'bottom-right' | 'bottom-left'; label: string };
  allowedOrigins: string[];
  /** What the answers gave, with the three limits init always writes filled in. */
  limits: NonNullable<AgentFileInput['limits']> & { maxDurationSec: number; conversationsPerIpPerHour: number };
  model: string;
  modelBaseURL?: string;
  /** Further agent.yaml settings the answers gave, written as given. */
  more: {
    listen?: AgentFileInput['listen'];
    brain?: Omit<NonNullable<AgentFileInput['brain']>, 'llm' | 'baseURL'>;
    knowledge?: Omit<NonNullable<AgentFileInput['knowledge']>, 'sources' | 'strict'>;
    webEnabled?: boolean;
    phone?: NonNullable<AgentFileInput['channels']>['phone'];
    guardrails?: AgentFileInput['guardrails'];
  };
  /** Environment variables the agent uses, with what for: exactly what .env.example lists. */
  env: { name: string; why: string }[];
  schemaRef: string;
}

/**
 * The plan for an answers file's text (JSON), or every problem in it as `file:line:column field: message`;
 * `warnings` name the older field names it used and their agent.yaml names.
 */
export function planFromAnswers(source: string, file: string, ctx: InitContext): { plan?: InitPlan; problems: AgentProblem[]; warnings: AgentProblem[] } {
  const yaml = parseYamlSource(source, file); // JSON is YAML: problems get their line and column
  if (yaml.syntaxProblems.length) return { problems: yaml.syntaxProblems, warnings: [] };
  const raw: unknown = yaml.doc.toJS() ?? {};
  const parsed = InitAnswers.safeParse(raw);
  if (!parsed.success) return { problems: sortProblems(yaml.issues(parsed.error.issues, (path) => fieldsAt(InitAnswers, path))), warnings: [] };
  const problems: AgentProblem[] = [];
  const warnings: AgentProblem[] = [];
  const { answers: renamed, sourcePath } = renameDeprecated(raw as Record<string, unknown>, {
    warning: (path, message) => warnings.push(yaml.problem(path, message, true)),
    problem: (path, message) => problems.push(yaml.problem(path, message, true)),
  });
  if (problems.length) return { problems: sortProblems(problems), warnings: sortProblems(warnings) };
  // Parsed again in the new names, so a converted value meets the new name's rules.
  const again = InitAnswers.safeParse(renamed);
  if (!again.success) return { problems: sortProblems(again.error.issues.map((i) => yaml.problem(sourcePath(i.path as (string | number)[]), i.message))), warnings: sortProblems(warnings) };
  const answers = keepGiven(renamed, again.data) as Answers;
  const plan = buildPlan(answers, ctx, (path, message) => problems.push(yaml.problem(sourcePath(path), message)));
  return problems.length ? { problems: sortProblems(problems), warnings: sortProblems(warnings) } : { plan, problems: [], warnings: sortProblems(warnings) };
}

/** The plan for validated answers; `problem` is told what the file system or the provider list contradicts. */
export function buildPlan(a: Answers, ctx: InitContext, problem: (path: (string | number)[], message: string) => void): InitPlan {
  const template = TEMPLATES[a.template];
  const calendar = planCalendar(a.calendar ?? { provider: template.calendar });
  const booking = calendar.provider !== 'none';

  // The answers' zone is checked by the schema; this machine's may be something Temporal does not know.
  const timeZone = a.timeZone ?? (timeZoneProblem(ctx.defaultTimeZone) ? 'UTC' : ctx.defaultTimeZone);

  const collect = a.collect ?? template.collect;
  collect.forEach((field, i) => {
    if (collect.indexOf(field) !== i) problem(['collect', i], `"${field}" is listed twice`);
  });

  const { llm: model = 'openai:gpt-4.1-mini', baseURL: modelBaseURL, ...brain } = a.brain ?? {};
  const provider = model.includes(':') ? model.slice(0, model.indexOf(':')) : '';
  const info = ctx.providers[provider];
  if (!provider) problem(['brain', 'llm'], 'use provider:model, e.g. openai:gpt-4.1-mini');
  else if (!info) problem(['brain', 'llm'], `unknown model provider "${provider}"; use one of ${Object.keys(ctx.providers).join(', ')}`);

  const docs = planDocuments(a.documents ?? [], ctx, problem);
  const env: InitPlan['env'] = [];
  const explicitKey = brain.apiKey ? secretRefs(brain.apiKey) : [];
  if (info?.keyRequired && info.keyEnv && !explicitKey.length) env.push({ name: info.keyEnv, why: `the API key of the language model (${model})` });
  const voiceKey = speechKeyOf(a.voice?.tts ?? 'local:flite');
  if (voiceKey && !env.some((e) => e.name === voiceKey)) env.push({ name: voiceKey, why: `the API key of the voice (${a.voice?.tts})` });
  if (calendar.provider === 'calcom') env.push({ name: calendar.apiKeyEnv, why: 'the cal.com API key (cal.com → Settings → Developer → API keys)' });
  if (calendar.provider === 'calendly') env.push({ name: calendar.tokenEnv, why: 'the Calendly personal access token (Integrations & apps → API and webhooks)' });

  const { strict = true, ...knowledge } = a.knowledge ?? {};
  const { allowedOrigins = [], widget = {}, enabled } = a.channels?.web ?? {};
  const limits = a.limits ?? {};
  const more: InitPlan['more'] = {
    ...(a.listen ? { listen: a.listen } : {}),
    ...(Object.keys(brain).length ? { brain } : {}),
    ...(Object.keys(knowledge).length ? { knowledge } : {}),
    ...(enabled !== undefined ? { webEnabled: enabled } : {}),
    ...(a.channels?.phone ? { phone: a.channels.phone } : {}),
    ...(a.guardrails?.length ? { guardrails: a.guardrails } : {}),
  };
  const listenKey = a.listen?.stt ? speechKeyOf(a.listen.stt) : undefined;
  if (listenKey && !env.some((e) => e.name === listenKey)) env.push({ name: listenKey, why: `the API key of the recogniser (${a.listen!.stt})` });
  // Every ${NAME} the answers use (brain.baseURL and .apiKey, a phone's number and Twilio keys, a
  // budget's rate…) goes to .env.example too: the whole answers are scanned, so none is missed.
  const phone = a.channels?.phone ? { accountSid: '${TWILIO_ACCOUNT_SID}', authToken: '${TWILIO_AUTH_TOKEN}', ...a.channels.phone } : undefined;
  for (const name of secretRefs(JSON.stringify({ ...a, phone }))) {
    if (!env.some((e) => e.name === name)) env.push({ name, why: `named as \${${name}} in agent.yaml` });
  }
  const persona = a.persona ?? {};
  // The opening and the button label are said and shown: in the agent's language where Parley has one.
  const lines = templateLines(template, knownLanguage(persona.language));

  return {
    dir: ctx.dir,
    name: a.name ?? (slug(basename(ctx.dir)) || slug(a.business.name) || 'agent'),
    template: a.template,
    business: a.business,
    ...docs,
    strictKnowledge: strict,
    calendar,
    timeZone,
    language: persona.language ?? 'en',
    voice: { ...a.voice, tts: a.voice?.tts ?? 'local:flite', speed: a.voice?.speed ?? 1 },
    tone: persona.tone ?? template.tone,
    firstMessage: persona.firstMessage ?? lines.firstMessage(a.business.name, booking),
    collect,
    widget: { ...widget, color: widget.color ?? '#4f46e5', position: widget.position ?? 'bottom-right', label: widget.label ?? lines.widgetLabel },
    allowedOrigins: allowedOrigins.map((h) => h.toLowerCase()),
    limits: {
      maxDurationSec: 600,
      conversationsPerIpPerHour: 10,
      ...(limits.dailyBudget ? {} : { dailyBudgetUsd: 10 }),
      ...limits,
    },
    model,
    ...(modelBaseURL ? { modelBaseURL } : {}),
    more,
    env,
    schemaRef: ctx.schemaRef,
  };
}

function planCalendar(c: NonNullable<Answers['calendar']>): PlannedCalendar {
  const envOf = (ref: string | undefined, fallback: string) => (ref ? ref.slice(2, -1) : fallback);
  const named = c.meetingName ? { meetingName: c.meetingName } : {};
  switch (c.provider) {
    case 'none':
      return { provider: 'none' };
    case 'builtin': {
      const { provider: _, eventTypeId: _e, apiKey: _a, eventType: _t, token: _k, baseURL: _b, ...builtin } = c;
      return { provider: 'builtin', ...builtin };
    }
    case 'calcom':
      return { provider: 'calcom', eventTypeId: c.eventTypeId!, apiKeyEnv: envOf(c.apiKey, 'CALCOM_API_KEY'), ...(c.baseURL ? { baseURL: c.baseURL } : {}), ...named };
    case 'calendly':
      return { provider: 'calendly', eventType: c.eventType!, tokenEnv: envOf(c.token, 'CALENDLY_TOKEN'), ...(c.baseURL ? { baseURL: c.baseURL } : {}), ...named };
  }
}

/** Files and folders to copy into knowledge/, and URLs to list in knowledge.sources. */
function planDocuments(entries: string[], ctx: InitContext, problem: (path: (string | number)[], message: string) => void): Pick<InitPlan, 'copies' | 'skipped' | 'urls'> {
  const copies: InitPlan['copies'] = [];
  const skipped: string[] = [];
  const urls: string[] = [];
  const taken = new Map<string, number>([['knowledge/about.md', -1]]);
  const add = (i: number, from: string, to: string) => {
    const earlier = taken.get(to);
    if (earlier !== undefined) {
      problem(['documents', i], earlier < 0 ? `${to} is the starter page parley init writes; rename this file` : `documents.${earlier} is also copied to ${to}; rename one of them`);
      return;
    }
    taken.set(to, i);
    copies.push({ from, to });
  };
  entries.forEach((entry, i) => {
    if (/^https?:\/\//i.test(entry)) {
      if (!URL.canParse(entry)) problem(['documents', i], 'not a valid URL');
      else if (!urls.includes(entry)) urls.push(entry);
      return;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return problem(['documents', i], 'only http(s) URLs can be ingested');
    const path = resolve(ctx.cwd, entry);
    if (!existsSync(path)) return problem(['documents', i], `no such file or folder: ${path}`);
    if (statSync(path).isDirectory()) {
      const files = walk(path);
      const readable = files.filter((f) => ctx.readable(f));
      skipped.push(...files.filter((f) => !ctx.readable(f)));
      if (!readable.length) return problem(['documents', i], `no Markdown, text, HTML or PDF files in ${path}`);
      // A folder keeps its name inside knowledge/, unless it is itself a knowledge folder.
      const under = basename(path) === 'knowledge' ? 'knowledge' : `knowledge/${slugPath(basename(path))}`;
      for (const f of readable) add(i, f, `${under}/${relative(path, f).split(/[\\/]/).join('/')}`);
    } else if (!ctx.readable(path)) {
      problem(['documents', i], 'Parley reads Markdown, text, HTML and PDF files (.md, .txt, .html, .pdf); convert this one first');
    } else add(i, path, `knowledge/${basename(path)}`);
  });
  return { copies, skipped, urls };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** "Acme Plumbing & Heating" → "acme-plumbing-heating": a valid agent name. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

const slugPath = (name: string): string => slug(name) || 'documents';

function sortProblems(problems: AgentProblem[]): AgentProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The plan as a person reads it before approving: one line per decision, then the files. */
export function planSummary(plan: InitPlan, files: string[], o: { cwd: string }): string {
  const c = plan.calendar;
  const calendar =
    c.provider === 'none'
      ? 'none — the agent cannot book; it takes details for a follow-up'
      : c.provider === 'builtin'
        ? `built-in: ${hoursText(c.hours)}, ${c.slotMinutes ?? 30}-minute slots, bookings kept by Parley`
        : c.provider === 'calcom'
          ? `cal.com event type ${c.eventTypeId}, API key from $${c.apiKeyEnv}`
          : `Calendly ${c.eventType}, token from $${c.tokenEnv}`;
  const docs = [
    plan.copies.length ? `${plan.copies.length} file${plan.copies.length === 1 ? '' : 's'} copied into knowledge/` : '',
    plan.urls.length ? `${plan.urls.length} URL${plan.urls.length === 1 ? '' : 's'} (${plan.urls.join(', ')})` : '',
    'knowledge/about.md from your description',
  ].filter(Boolean);
  const minutes = plan.limits.maxDurationSec / 60;
  const rows: [string, string][] = [
    ['Agent', `${plan.name} — ${TEMPLATES[plan.template].label}`],
    ['Business', `${plan.business.name}: ${plan.business.description}`],
    ['Knowledge', `${humanList(docs)}; ${plan.strictKnowledge ? 'strict: questions they do not answer are declined' : 'not strict: the model may answer beyond them'}`],
    ...(plan.skipped.length ? ([['Left out', `${plan.skipped.map((f) => relative(o.cwd, f) || f).join(', ')} (not Markdown, text, HTML or PDF)`]] as [string, string][]) : []),
    ['Calendar', calendar],
    ['Time zone', `${plan.timeZone}: times are offered and booked in it`],
    ['Voice', `${plan.voice.tts}${plan.voice.voiceId ? `, voice ${plan.voice.voiceId}` : ''}${plan.voice.speed !== 1 ? `, speed ${plan.voice.speed}` : ''}; tone: ${plan.tone}`],
    ['First message', `"${plan.firstMessage}"`],
    ['Collects', plan.collect.length ? humanList(plan.collect) : 'nothing'],
    ['Model', `${plan.model}${plan.modelBaseURL ? ` at ${plan.modelBaseURL}` : ''}`],
    ['Widget', `${plan.widget.color}, ${plan.widget.position}, "${plan.widget.label}"`],
    ['Embeds on', plan.allowedOrigins.length ? plan.allowedOrigins.join(', ') : 'no site yet — add your domain to channels.web.allowedOrigins before going public'],
    ['Limits', `${minutes} min per conversation, ${plan.limits.conversationsPerIpPerHour} conversations per IP per hour, ${budgetText(plan.limits)}${plan.limits.maxConcurrent ? `, ${plan.limits.maxConcurrent} at once` : ''}`],
    ['Secrets', plan.env.length ? `${plan.env.map((e) => e.name).join(', ')} — from the environment (.env.example lists them), never in the folder` : 'none needed'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const rel = relative(o.cwd, plan.dir);
  const where = !rel ? '.' : rel.startsWith('..') ? plan.dir : `./${rel}`;
  return [
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
    '',
    `Files to write in ${where}:`,
    ...files.map((f) => `  ${f}`),
  ].join('\n');
}

function budgetText(l: InitPlan['limits']): string {
  return l.dailyBudget ? `${l.dailyBudget.amount} ${l.dailyBudget.currency} a day` : `$${l.dailyBudgetUsd ?? 10} a day`;
}

function hoursText(hours: Record<string, string[]> | undefined): string {
  if (!hours) return 'Mon–Fri 09:00–17:00';
  const days = Object.entries(hours).filter(([, ranges]) => ranges.length);
  return days.length ? days.map(([d, ranges]) => `${d[0].toUpperCase()}${d.slice(1)} ${ranges.join(', ')}`).join('; ') : 'no open hours';
}
