import { readCallerQuery } from '../knowledge/index.ts';
import { vocabularyOf } from '../session/grounding.ts';
import type { DeclinedQuestion } from '../store/unanswered.ts';
import type { KnownLanguage } from '../util/language.ts';

// What callers asked that the documents could not answer, grouped so the owner reads a to-do
// list for the knowledge folder rather than a log: "do you take bitcoin" and "can i pay in
// bitcoin?" are one entry. Questions group by the stems of what they ask about (filler, asking
// verbs and word order aside), read in the asking agent's language ("Gdzie mogę zaparkować
// rower?" and "A gdzie zaparkować rower?" are one entry); the entry shows the latest wording.
// Questions turned away as a guarded topic are listed too, apart, marked with the topic: the
// owner follows them up by hand rather than with a document.

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
  /** The guarded topic these were turned away as ("financial"); absent for questions the documents did not answer. */
  turnedAway?: string;
}

/**
 * Groups declined and turned-away questions (newest first) into gaps, most asked first, then most
 * recent; `languageOf` names the language each agent's callers speak (English when it is not given).
 */
export function knowledgeGaps(questions: readonly DeclinedQuestion[], languageOf: (agent: string) => KnownLanguage = () => 'en'): KnowledgeGap[] {
  const groups = new Map<string, KnowledgeGap>();
  for (const q of questions) {
    const text = q.text.trim();
    if (!text) continue;
    const language = languageOf(q.agent);
    const key = `${q.guardedTopic ?? ''}\n${language}\n${groupKey(text, language)}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { text, variants: [], count: 1, lastAt: q.at, conversationIds: [q.conversationId], ...(q.guardedTopic ? { turnedAway: q.guardedTopic } : {}) });
      continue;
    }
    g.count++;
    if (text.toLowerCase() !== g.text.toLowerCase() && g.variants.length < 5 && !g.variants.some((v) => v.toLowerCase() === text.toLowerCase())) g.variants.push(text);
    if (g.conversationIds.length < 10 && !g.conversationIds.includes(q.conversationId)) g.conversationIds.push(q.conversationId);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

function groupKey(text: string, language: KnownLanguage): string {
  const stems = readCallerQuery(text, vocabularyOf(undefined, language)).slots.map((s) => s.stems[0]);
  return stems.length ? [...new Set(stems)].sort().join(' ') : text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
