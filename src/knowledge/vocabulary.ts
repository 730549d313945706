import type { KnownLanguage } from '../util/language.ts';
import { CONCEPTS_BY_LANGUAGE } from './concepts-by-language.ts';
import { stemOf } from './words.ts';

// Callers do not use the documents' words: they ask what something "would set them back" where
// the page says "price", or whether a studio "works with Shopify" where the FAQ says "anything
// with an API". A concept groups the words people use for one thing; a caller's word that
// belongs to a concept matches a passage holding any word of it. The groups are the vocabulary
// of small businesses' questions (price, time, hours, place, payment, tools, …); an agent adds
// its own trade's words with `knowledge.synonyms`. Spoken phrases that only mean something
// together ("how much", "set me back") are read as one concept before their words are dropped
// as stop words.

/** Built-in concept groups: every word of a group counts as a match for every other. */
export const CONCEPTS: Record<string, string> = {
  price:
    'price prices pricing priced cost costs costing charge charges charged fee fees rate rates tariff expensive cheap cheaper cheapest affordable afford budget quote quotes spend money amount pay paying paid payable euro euros dollar dollars pound pounds zloty pln gbp usd eur',
  duration: 'long duration take takes taking took week weeks day days month months hour hours minute minutes timeline timeframe quickly quick fast soon turnaround',
  start: 'start starts starting started begin begins beginning kickoff kick onboard onboarding commence',
  results: 'results result outcome outcomes impact roi return returns benefit benefits improvement improvements savings save saves',
  hours: 'open opening opens hours close closes closing closed weekend weekends saturday saturdays sunday sundays evening evenings',
  location: 'where located location locations address office offices based situated directions parking park premises',
  support: 'support supports help helpdesk assistance contact reach',
  refund: 'refund refunds refundable refunded reimburse guarantee guaranteed cancel cancels cancellation cancelling canceling cancelled canceled',
  payment: 'payment payments pay paying card cards credit debit cash invoice invoices invoiced transfer financing finance instalment instalments installment installments',
  integration:
    'integrate integrates integrated integration integrations connect connects connected connector connectors plug plugin plugins sync syncs api apis tool tools software app apps platform platforms system systems crm erp ' +
    'shopify woocommerce magento bigcommerce wordpress wix squarespace stripe paypal zapier make airtable notion asana trello jira monday clickup slack teams outlook gmail mailchimp klaviyo zendesk intercom freshdesk hubspot salesforce pipedrive zoho xero quickbooks sage netsuite odoo excel sheets',
  security: 'secure security safe safety data privacy private gdpr encrypted encryption compliant compliance',
  trial: 'trial trials free try demo',
  discount: 'discount discounts deal deals coupon promo promotion cheaper',
  children: 'kid kids children child son daughter family families teen teens teenager teenagers baby babies toddler toddlers',
  contract: 'contract contracts commitment commit lock locked notice minimum term tied',
  language: 'language languages english speak speaks spoken',
  visit: 'visit visits appointment appointments session sessions consultation consultations',
  contact: 'contact phone telephone ring call number email mail reach helpline hotline',
  account: 'account accounts subscription subscriptions signup register registration enrol enroll join membership',
  backup: 'backup backups restore restored copy copies snapshot snapshots',
  reliability: 'reliable reliability uptime downtime outage outages available availability',
  limit: 'limit limits limited cap caps capped maximum max unlimited allowance quota',
  commission: 'commission commissions percentage percent cut fee fees',
  travel: 'train station bus tram car drive driving bike bicycle cycle walk walking directions parking park transport',
  nerves: 'nervous anxious anxiety scared terrified fear afraid phobia worried sedation sedate sleep calm',
  age: 'age ages old older elderly young younger senior seniors student students',
  staff: 'team staff people employees experts engineers specialists consultants',
};

/** Spoken phrases that stand for a concept; matched on the words in order, before stop words go. */
export const PHRASES: [RegExp, string][] = [
  [/\bhow much\b/, 'price'],
  [/\bset (?:me|us|you) back\b/, 'price'],
  [/\b(?:ball ?park|ballpark)\b/, 'price'],
  [/\bwhat do you (?:guys )?(?:charge|ask)\b/, 'price'],
  [/\bhow (?:long|quickly|soon|fast)\b/, 'duration'],
  [/\bhow many (?:weeks|days|months|hours)\b/, 'duration'],
  [/\bwhen (?:are|is) (?:you|it|the \w+) open\b/, 'hours'],
  [/\bwhat time\b/, 'hours'],
  [/\bwhere (?:are|is) (?:you|it|the \w+)\b/, 'location'],
  [/\b(?:find|get to|reach) you\b/, 'location'],
  [/\bmoney back\b/, 'refund'],
  [/\bwork with\b/, 'integration'],
  [/\bhook (?:\w+ )?(?:up|into)\b/, 'integration'],
  [/\bget started\b/, 'start'],
  [/\bsign (?:me |us )?up\b/, 'account'],
  [/\bback (?:it |stuff |things |everything |my \w+ )?up\b/, 'backup'],
  [/\bgo(?:es)? down\b/, 'reliability'],
  [/\bturn up\b|\bshow up\b|\bno show\b/, 'visit'],
];

const AGENT_CONCEPT = 'agent-';

/** Whether a concept is one of an agent's own `knowledge.synonyms` groups. */
export const isAgentConcept = (concept: string) => concept.startsWith(AGENT_CONCEPT);

/** Concepts as stems: concept name → its stems, and stem → the concepts it belongs to. */
export interface Vocabulary {
  stemsOf(concept: string): readonly string[];
  conceptsOf(stem: string): readonly string[];
  /** The agent's own synonym groups (`knowledge.synonyms`), merged in like built-in concepts. */
  readonly phrases: readonly [RegExp, string][];
  /** The agent's language: how its words are stemmed, in the documents and in callers' turns alike. */
  readonly language: KnownLanguage;
}

/** The built-in concepts plus an agent's own groups (each a list of words or short phrases that mean the same to its callers). */
export function vocabulary(synonyms: readonly (readonly string[])[] = [], language: KnownLanguage = 'en'): Vocabulary {
  const stem = (w: string) => stemOf(w, language);
  const byConcept = new Map<string, string[]>();
  const byStem = new Map<string, string[]>();
  const add = (concept: string, words: string[]) => {
    const stems = [...new Set(words.map(stem))];
    byConcept.set(concept, [...(byConcept.get(concept) ?? []), ...stems]);
    for (const s of stems) byStem.set(s, [...new Set([...(byStem.get(s) ?? []), concept])]);
  };
  for (const [concept, words] of Object.entries(CONCEPTS)) add(concept, words.split(/\s+/));
  for (const [concept, words] of Object.entries(CONCEPTS_BY_LANGUAGE[language] ?? {})) add(concept, words.split(/\s+/));
  const phrases = [...PHRASES];
  synonyms.forEach((group, i) => {
    const concept = `${AGENT_CONCEPT}${i}`;
    const single = group.filter((w) => !/\s/.test(w.trim())).map((w) => w.trim().toLowerCase());
    add(concept, single);
    for (const p of group.filter((w) => /\s/.test(w.trim()))) {
      const words = p.trim().toLowerCase().split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
      if (!words.length) continue;
      phrases.push([phraseRegExp(words), concept]);
      // A passage that uses the phrase ("care plan") matches a caller's other word for it ("retainer").
      byConcept.set(concept, [...new Set([...(byConcept.get(concept) ?? []), ...words.map(stem)])]);
    }
  });
  return {
    stemsOf: (c) => byConcept.get(c) ?? [],
    conceptsOf: (s) => byStem.get(s) ?? [],
    phrases,
    language,
  };
}

/**
 * Matches words in order, on words as `wordsOf` writes them. Boundaries are any non-letter, not
 * `\b`: JavaScript's `\b` knows only ASCII letters, so "muszę zapłacić" never ended at a word.
 */
export function phraseRegExp(words: readonly string[]): RegExp {
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])${escaped.join('\\s+')}(?![\\p{L}\\p{N}\\p{M}])`, 'u');
}
