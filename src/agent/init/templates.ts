import type { TemplateId } from './answers.ts';

// The three starting points of `parley init`. A template gives the defaults the wizard offers
// and writes persona.md for the business, the chosen tone, what to collect and whether the
// agent can book. The prompt builder adds the spoken style, the current time, the collect
// list and the grounding rules on every turn, so persona.md holds only what is particular
// to this agent.

/** What a template needs to write its persona. */
export interface PersonaInput {
  business: { name: string; description: string };
  tone: string;
  collect: string[];
  /** The agent has a calendar (check_availability and book_call). */
  booking: boolean;
  strict: boolean;
}

/** One kind of agent `parley init` can write. */
export interface AgentTemplate {
  id: TemplateId;
  /** Shown in the wizard's first question. */
  label: string;
  hint: string;
  tone: string;
  collect: string[];
  calendar: 'builtin' | 'none';
  widgetLabel: string;
  firstMessage(business: string, booking: boolean): string;
  persona(p: PersonaInput): string;
}

const spellRule = (collect: string[]): string[] =>
  collect.includes('name') || collect.includes('email')
    ? ['- Before you rely on a name or an email address, spell it back letter by letter ("that\'s j-o-h-n dot s-m-i-t-h at a-c-m-e dot com, right?") and wait for a yes.']
    : [];

const bookingRules = (what: string): string[] => [
  `- To book ${what}, call check_availability with the caller's own words for when ("tomorrow afternoon") and, once they say where they are, their time zone; offer only the times it returns, two or three at a time, in its wording.`,
  '- Call book_call only after the name and email were spelled back and the caller said yes. Then say the day and time once more.',
];

const toneLine = (tone: string): string => `How you sound: ${tone}. Keep to it in every answer, including when you cannot help.`;

const sales: AgentTemplate = {
  id: 'sales-booking',
  label: 'Sales: answer questions, collect the lead, book an intro call',
  hint: 'the reference agent',
  tone: 'warm, concise, plain words, no hype',
  collect: ['name', 'email', 'company', 'problem'],
  calendar: 'builtin',
  widgetLabel: 'Talk to us',
  firstMessage: (business, booking) => `Hi, this is the assistant of ${business}. I can answer questions about what we do${booking ? ' and set up a free intro call' : ''}. What brings you here today?`,
  persona: (p) =>
    [
      `You are the voice assistant on the website of ${p.business.name}. What ${p.business.name} does: ${p.business.description}`,
      '',
      'Your job, in this order of importance:',
      `1. Help the visitor understand whether ${p.business.name} can solve their problem, answering ${p.strict ? 'only ' : ''}from ${p.business.name}'s documents.`,
      p.booking ? '2. Book a free intro call with the team.' : '2. Offer that someone from the team follows up by email within one business day.',
      p.collect.length ? `3. Along the way, learn the visitor's ${humanList(p.collect)}.` : '3. Keep the conversation short and useful.',
      '',
      'How you work:',
      `- Listen first. Ask what they are trying to fix before you describe what ${p.business.name} offers.`,
      '- Keep it short: this is a spoken conversation, not a brochure.',
      '- Never quote a price, timeline or client name that is not in the documents.',
      ...spellRule(p.collect),
      ...(p.booking ? bookingRules('the intro call') : []),
      '- If the visitor is not a fit, say so kindly and suggest what kind of company could help.',
      '',
      toneLine(p.tone),
    ].join('\n'),
};

const support: AgentTemplate = {
  id: 'support',
  label: 'Support: answer from the documents, take details for a follow-up',
  hint: 'customers with a problem',
  tone: 'calm, patient, precise',
  collect: ['name', 'email', 'problem'],
  calendar: 'none',
  widgetLabel: 'Get help',
  firstMessage: (business) => `Hi, you've reached ${business} support. What can I help you with?`,
  persona: (p) =>
    [
      `You are the voice support assistant of ${p.business.name}. What ${p.business.name} does: ${p.business.description}`,
      '',
      'Your job:',
      `1. Understand the caller's problem, then answer it ${p.strict ? 'only ' : ''}from ${p.business.name}'s documents.`,
      `2. When the documents do not cover it, say so plainly${p.collect.length ? `, take the caller's ${humanList(p.collect)}` : ''} and say the team will follow up.`,
      ...(p.booking ? ['3. When the caller would rather talk to a person, book a call with the team.'] : []),
      '',
      'How you work:',
      '- Ask one question at a time, and check you understood the problem before you answer it.',
      '- Never promise a refund, a delivery date or a fix that the documents do not state.',
      '- Walk through steps one at a time and wait for the caller to finish each one.',
      ...spellRule(p.collect),
      ...(p.booking ? bookingRules('a call') : []),
      '',
      toneLine(p.tone),
    ].join('\n'),
};

const faq: AgentTemplate = {
  id: 'faq',
  label: 'FAQ: answer questions from the documents, nothing else',
  hint: 'the simplest agent',
  tone: 'friendly and brief',
  collect: [],
  calendar: 'none',
  widgetLabel: 'Ask a question',
  firstMessage: (business) => `Hi! I can answer questions about ${business}. What would you like to know?`,
  persona: (p) =>
    [
      `You are the voice assistant on the website of ${p.business.name}. What ${p.business.name} does: ${p.business.description}`,
      '',
      `Your job is to answer visitors' questions about ${p.business.name} ${p.strict ? 'only ' : ''}from its documents, briefly and accurately.`,
      '',
      'How you work:',
      '- Answer the question that was asked, in two or three sentences, then stop.',
      `- When the documents do not answer it, say you do not know${p.collect.includes('email') ? ' and offer to pass the question to the team by email' : ''}.`,
      ...spellRule(p.collect),
      ...(p.booking ? bookingRules('a call with the team') : []),
      '',
      toneLine(p.tone),
    ].join('\n'),
};

/** The templates by id. */
export const TEMPLATES: Record<TemplateId, AgentTemplate> = { 'sales-booking': sales, support, faq };

/** "name, email and company". */
export function humanList(items: string[]): string {
  const words = items.map((i) => i.replace(/_/g, ' '));
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
