// Turning a caller's free text into search terms. Shared by search (to build the FTS query) and
// by the session (to tell a real question from small talk when nothing matched).

// English function words, plus the filler of spoken requests ("can you tell me…"), which would
// otherwise match every document a little and none of them well.
const STOP_WORDS = new Set(
  `able about above after again against all almost also although always among and any anybody anyone anything anyway are aren
  around because been before being below between both but can cannot could couldn curious did didn does doesn doing done don down during
  each either else enough even ever every everything few for from further get gets getting give given goes going gone got
  had hadn has hasn have haven having hello her here hers herself hey him himself his how however into isn its itself just
  kind know let like likely lot lots made make many may maybe might mine more most much must mustn myself need needs neither
  never nor not now off okay once one only other others ought our ours ourselves out over own per perhaps please question questions quite
  rather really said same say says see shall shan she should shouldn since some somebody someone something sometimes sort
  still such sure tell than thank thanks that the their theirs them themselves then there these they thing things this those
  though through thus too under until upon very want wants was wasn way well were weren what whatever when whenever where
  whether which while who whoever whom whose why will with within without won wonder wondering would wouldn yeah yes yet you your yours
  yourself yourselves`.split(/\s+/),
);

const MAX_TERMS = 24; // a long caller turn still makes a query FTS5 answers in well under a millisecond or two

/**
 * The words of a text that can carry meaning in a search: lowercased, without stop words and
 * words of one or two letters, each once, in order of appearance.
 */
export function contentTerms(text: string): string[] {
  const terms: string[] = [];
  for (const [word] of text.normalize('NFC').toLowerCase().matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (word.length < 3 || STOP_WORDS.has(word) || terms.includes(word)) continue;
    terms.push(word);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/**
 * An FTS5 MATCH expression that finds chunks with any of the text's content terms, or null when it
 * has none. Every term is a quoted string of letters and digits, so no caller's words (quotes,
 * `*`, `NEAR`, `-`, parentheses, column filters) can change the query's meaning or break it.
 */
export function ftsQuery(text: string): string | null {
  const terms = contentTerms(text);
  return terms.length ? terms.map((t) => `"${t}"`).join(' OR ') : null;
}

/** Whether a word would be ignored by search. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}
