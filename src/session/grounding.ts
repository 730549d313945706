// Strict knowledge, enforced in code: a question about something the documents do not
// cover is answered with the agent's configured "I don't know" line, and the model is
// never asked, so it cannot answer from thin air. Small talk and the agent's own tasks
// (booking, giving a name or an email) still go to the model.

const QUESTION_START = /^(what|what's|whats|who|whom|whose|which|when|where|why|how|do|does|did|is|are|was|were|can|could|will|would|should|shall|may|might|have|has|tell me|i wonder)\b/i;

// Words that point at what the agent itself does rather than at facts in the documents.
const OWN_TASK = /\b(book|booking|schedule|reschedule|call|calls|meeting|appointment|slot|slots|availab\w*|calendar|time|times|today|tomorrow|tonight|morning|afternoon|evening|week|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|my name|my email|spell|repeat|again|you there|hear me|bye|goodbye|thanks|thank you|help me|your name|real person|human|person|robot|bot|machine|recording|ai|artificial)\b/i;

/** Whether a caller's words read as a question (by punctuation or by how they start). */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  return t.endsWith('?') || QUESTION_START.test(t);
}

/**
 * Share of the question's content terms found in the retrieved chunks. BM25 ranks a chunk that
 * shares one incidental word ("support") with the question; coverage tells that apart from a
 * chunk that is about the question. Terms match by a crude prefix stem, like the index's stemmer.
 */
export function termCoverage(terms: string[], texts: string[]): number {
  if (!terms.length) return 1;
  const haystack = texts.join(' ').toLowerCase();
  const found = terms.filter((t) => haystack.includes(t.length > 5 ? t.slice(0, t.length - 2) : t));
  return found.length / terms.length;
}

/** Below this coverage a strict agent treats the documents as not answering the question. */
export const MIN_COVERAGE = 0.5;

/**
 * Whether a strict agent must answer "I don't know" without asking the model: a question with
 * real content words, about no task of the agent's, that the documents do not cover.
 */
export function mustDeclineUngrounded(text: string, contentTerms: string[], chunkTexts: string[]): boolean {
  if (!contentTerms.length || !looksLikeQuestion(text) || OWN_TASK.test(text)) return false;
  return termCoverage(contentTerms, chunkTexts) < MIN_COVERAGE;
}
