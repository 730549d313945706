import { Document, isMap, isPair, isScalar, isSeq, visit, type YAMLMap } from 'yaml';
import type { AgentFileInput } from '../schema.ts';
import { firstTests } from './first-tests.ts';
import type { InitPlan } from './plan.ts';
import { TEMPLATES } from './templates.ts';

// The approved plan as the files of an agent folder. Nothing here touches the disk: the CLI
// writes these into a scratch folder, validates them with the loader `parley check` uses, and
// only then copies them to the real one.

/** One file of the agent folder: written from text, or copied from a document the owner named. */
export type FolderFile = { path: string; text: string } | { path: string; copyFrom: string };

/** Every file `parley init` writes for a plan, in the order they are listed to the owner. */
export function renderAgentFolder(plan: InitPlan): FolderFile[] {
  return [
    { path: 'agent.yaml', text: agentYaml(plan) },
    { path: 'persona.md', text: personaMarkdown(plan) },
    { path: 'knowledge/about.md', text: aboutPage(plan) },
    ...plan.copies.map((c) => ({ path: c.to, copyFrom: c.from })),
    { path: '.env.example', text: envExample(plan) },
    ...firstTests(plan),
  ];
}

/** agent.yaml's content as data, in the shape of the agent schema's input. */
export function agentConfig(plan: InitPlan): AgentFileInput {
  const c = plan.calendar;
  const more = plan.more ?? {};
  const named = c.provider !== 'none' && c.meetingName ? { meetingName: c.meetingName } : {};
  const calendar: AgentFileInput['calendar'] =
    c.provider === 'builtin'
      ? {
          provider: 'builtin',
          hours: c.hours ?? { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] },
          slotMinutes: c.slotMinutes ?? 30,
          ...(c.bufferMinutes !== undefined ? { bufferMinutes: c.bufferMinutes } : {}),
          minNoticeMinutes: c.minNoticeMinutes ?? 120,
          ...(c.closedDates ? { closedDates: c.closedDates } : {}),
          ...(c.horizonDays !== undefined ? { horizonDays: c.horizonDays } : {}),
          ...(c.ownerEmail ? { ownerEmail: c.ownerEmail } : {}),
          ...(c.location ? { location: c.location } : {}),
          ...named,
        }
      : c.provider === 'calcom'
        ? { provider: 'calcom', apiKey: `\${${c.apiKeyEnv}}`, eventTypeId: c.eventTypeId, ...(c.baseURL ? { baseURL: c.baseURL } : {}), ...named }
        : c.provider === 'calendly'
          ? { provider: 'calendly', token: `\${${c.tokenEnv}}`, eventType: c.eventType, ...(c.baseURL ? { baseURL: c.baseURL } : {}), ...named }
          : undefined;
  return {
    name: plan.name,
    // The business's name as callers and the owner read it (e-mail subjects, invitations, the cancel page).
    description: plan.business.name,
    persona: { promptFile: 'persona.md', firstMessage: plan.firstMessage, language: plan.language, tone: plan.tone },
    voice: { ...plan.voice, ...(plan.voice.speed === 1 ? { speed: undefined } : {}) },
    ...(more.listen ? { listen: more.listen } : {}),
    brain: { llm: plan.model, ...(plan.modelBaseURL ? { baseURL: plan.modelBaseURL } : {}), ...more.brain },
    knowledge: { sources: ['knowledge/', ...plan.urls], strict: plan.strictKnowledge, ...more.knowledge },
    collect: plan.collect,
    tools: ['end_call', ...(plan.collect.length ? ['save_lead' as const] : [])],
    ...(calendar ? { calendar } : {}),
    timeZone: plan.timeZone,
    channels: { web: { ...(more.webEnabled !== undefined ? { enabled: more.webEnabled } : {}), allowedOrigins: plan.allowedOrigins, widget: plan.widget }, ...(more.phone ? { phone: more.phone } : {}) },
    limits: plan.limits,
    ...(more.guardrails ? { guardrails: more.guardrails } : {}),
  };
}

/** Why each block is there, for the owner reading the file later. */
const BLOCK_NOTES: Record<string, string | ((plan: InitPlan) => string)> = {
  persona: ' Who the agent is. The first message is said from this file as soon as a conversation\n starts — it is never generated, so it always fires.',
  voice: ' How it sounds: provider:model and a voice id (used by the voice loop).',
  brain: ' The language model. PARLEY_LLM overrides it for every agent (tests, local models).',
  knowledge: (p) => ` Answers come from these documents.${p.strictKnowledge ? ' strict: a question they do not answer is declined\n in code with knowledge.unknownAnswer, without asking the model.' : ''}`,
  collect: ' Asked for one at a time; save_lead stores them as soon as any is known.',
  tools: ' search_knowledge is always there; check_availability and book_call come with a calendar.',
  calendar: (p) =>
    p.calendar.provider === 'builtin'
      ? ' Bookable hours, in the business time zone. Bookings are kept in Parley’s store.'
      : p.calendar.provider === 'calcom'
        ? ' cal.com API v2. The key comes from the environment, never from this file.'
        : ' Calendly API v2. Booking directly needs a paid plan; otherwise the agent offers a scheduling link.',
  timeZone: ' The business’s zone: the model is told the time in it, and slots are offered and booked in it.',
  channels: ' Which sites may embed the widget (hosts), and how the widget looks.',
  limits: ' Caps on what the agent may cost: seconds per conversation, conversations per IP per hour, budget per day.',
  guardrails: ' Topics the agent turns away in code, with a fixed line, before the model is asked.',
};

/** agent.yaml, with the editor's schema header and a short note on each block. */
export function agentYaml(plan: InitPlan): string {
  const doc = new Document(agentConfig(plan));
  doc.commentBefore = [
    ` yaml-language-server: $schema=${plan.schemaRef}`,
    ` Written by \`parley init\` (${plan.template} template). Check it with \`parley check <this folder>\`;`,
    ' every field is described in docs/agent-file.md.',
  ].join('\n');
  // Short lists of plain values read best on one line: collect: [name, email].
  visit(doc, {
    Seq(_, seq) {
      if (seq.items.every((i) => isScalar(i))) seq.flow = true;
    },
  });
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const note = BLOCK_NOTES[key];
      if (key !== 'name' && key !== 'description') pair.key.spaceBefore = true;
      if (note) pair.key.commentBefore = typeof note === 'string' ? note : note(plan);
      if (key === 'calendar' && isMap(pair.value)) quoteHours(pair.value);
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Opening hours quoted, as people write times in YAML: mon: ["09:00-17:00"]. */
function quoteHours(calendar: YAMLMap): void {
  const hours = calendar.get('hours', true);
  if (!isMap(hours)) return;
  for (const day of hours.items) {
    if (!isPair(day) || !isSeq(day.value)) continue;
    for (const range of day.value.items) if (isScalar(range)) range.type = 'QUOTE_DOUBLE';
  }
}

/** persona.md: the system prompt, written by the chosen template for this business and tone. */
export function personaMarkdown(plan: InitPlan): string {
  const text = TEMPLATES[plan.template].persona({
    business: plan.business,
    tone: plan.tone,
    collect: plan.collect,
    booking: plan.calendar.provider !== 'none',
    strict: plan.strictKnowledge,
  });
  return `${text}\n`;
}

/** knowledge/about.md: a first page, from the one-line description, for the owner to grow. */
export function aboutPage(plan: InitPlan): string {
  const { name, description } = plan.business;
  return [
    `# About ${name}`,
    '',
    `${name}: ${description}`,
    '',
    '<!-- Written by parley init from your one-line description (Parley does not read HTML comments).',
    '     Add what callers ask about: what you offer and for whom, prices, how you work, hours.',
    '     The agent answers only from the files in this folder and the URLs in agent.yaml. -->',
    '',
  ].join('\n');
}

/** .env.example: exactly the environment variables this agent uses, each with what it is for. */
export function envExample(plan: InitPlan): string {
  const head = ['# Environment variables this agent uses. Set them in the environment (or a .env your', '# process manager loads); secrets never go in the agent folder.'];
  if (!plan.env.length) return [...head, '# This agent needs none.', ''].join('\n');
  return [...head, ...plan.env.flatMap((e) => [`# ${cap(e.why)}.`, `${e.name}=`]), ''].join('\n');
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
