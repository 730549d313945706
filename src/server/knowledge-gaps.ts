import { readCallerQuery, vocabulary } from '../knowledge/index.ts';
import type { DeclinedQuestion } from '../store/unanswered.ts';

// What callers asked that the documents could not answer, grouped so the owner reads a to-do
// list for the knowledge folder rather than a log: "do you take bitcoin" and "can i pay in
// bitcoin?" are one entry. Questions group by the stems of what they ask about (filler, asking
// verbs and word order aside); the entry shows the latest wording.

/** One thing callers asked that the documents did not answer. */
export interface KnowledgeGap {
  /** The latest caller wording of it. */
  text: string;
  /** Other wordings seen, newest first (at most 5). */
  variants: string[];
  count: number;
  lastAt: string;
  /** Conversations it was asked in, newest first (at most 10). */
  conversationIds: string[];
}

const BUILT_IN = vocabulary();

/** Groups declined questions (newest first) into gaps, most asked first, then most recent. */
export function knowledgeGaps(questions: readonly DeclinedQuestion[]): KnowledgeGap[] {
  const groups = new Map<string, KnowledgeGap>();
  for (const q of questions) {
    const text = q.text.trim();
    if (!text) continue;
    const key = groupKey(text);
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { text, variants: [], count: 1, lastAt: q.at, conversationIds: [q.conversationId] });
      continue;
    }
    g.count++;
    if (text.toLowerCase() !== g.text.toLowerCase() && g.variants.length < 5 && !g.variants.some((v) => v.toLowerCase() === text.toLowerCase())) g.variants.push(text);
    if (g.conversationIds.length < 10 && !g.conversationIds.includes(q.conversationId)) g.conversationIds.push(q.conversationId);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

function groupKey(text: string): string {
  const stems = readCallerQuery(text, BUILT_IN).slots.map((s) => s.stems[0]);
  return stems.length ? [...new Set(stems)].sort().join(' ') : text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
