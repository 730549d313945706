// A deterministic, realistic-ish corpus for the knowledge benchmark: business words plus a long
// tail of invented ones, drawn with a Zipf-like distribution as in real text, so common terms
// match thousands of chunks and rare ones a handful.

export { seededRandom as seeded } from '../../src/testing/seeded-random.ts';

const DOMAIN = `account accounting agreement analysis appointment approval assistant audit automation availability backup
  billing booking budget calendar call cancellation capacity care change charity client cloud code compliance configuration
  consultant contract cost credit customer dashboard data deadline delivery demo deposit design development discount document
  email emergency engineer estimate expense feature fee fixed form guarantee hosting hour incident infrastructure installation
  insurance integration invoice kickoff language launch licence maintenance manager meeting migration milestone monitoring month
  notice onboarding outage owner partner payment phone plan platform policy portal price pricing priority privacy process
  product project proposal quote refund release renewal report request response retainer review risk roadmap salary schedule
  security server service session setup signature software sprint staff subscription supplier support system task team
  template term testing ticket timeline tool training transfer trial upgrade usage user vendor warranty website week workflow
  workshop hubspot salesforce pipedrive slack xero quickbooks calendly spreadsheet backup database archive export import sync`
  .trim()
  .split(/\s+/);

// Function words make up about half of real prose; they are in the index too.
const FUNCTION_WORDS = 'the of and to in for is on that with as by at from or are be this an will it we you our your can not all has have within after before per each'.split(' ');

const SYLLABLES = 'ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo za ze zi zo'.split(' ');

/**
 * Zipf–Mandelbrot, offset by the ~100 most frequent English words, which are function words
 * (drawn separately in `prose`): the commonest content word is ~0.3% of content tokens and
 * a query term is typically found in 1–10% of chunks.
 */
export const REALISTIC = { offset: 100, exponent: 1.05 };

/** Plain Zipf over content words: a handful of them are in nearly every chunk, so queries match most of the corpus. */
export const HEAVY = { offset: 0, exponent: 1.07 };

/** A vocabulary of `size` content words, most frequent first, with a sampler following Zipf's law. */
export function vocabulary(size: number, random: () => number, shape: { offset: number; exponent: number } = REALISTIC): { words: string[]; sample(): string } {
  const words = [...DOMAIN];
  const seen = new Set(words);
  while (words.length < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  // Shuffle lightly so domain words spread over the frequency ranks instead of all being the most common.
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [words[i], words[j]] = [words[j], words[i]];
  }
  const cdf: number[] = [];
  let total = 0;
  for (let r = 1; r <= words.length; r++) cdf.push((total += 1 / (r + shape.offset) ** shape.exponent));
  return {
    words,
    sample() {
      const x = random() * total;
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      return words[lo];
    },
  };
}

/** Prose of about `words` words (and at most `maxChars` characters), in sentences of 6–16 words. */
export function prose(vocab: { sample(): string }, random: () => number, words: number, maxChars: number): string {
  let text = '';
  let count = 0;
  while (count < words) {
    const length = 6 + Math.floor(random() * 11);
    const sentence: string[] = [];
    for (let i = 0; i < length; i++) sentence.push(random() < 0.45 ? FUNCTION_WORDS[Math.floor(random() * FUNCTION_WORDS.length)] : vocab.sample());
    const s = `${sentence.join(' ')}.`;
    const next = text ? `${text} ${s[0].toUpperCase()}${s.slice(1)}` : `${s[0].toUpperCase()}${s.slice(1)}`;
    if (next.length > maxChars) break;
    text = next;
    count += length;
  }
  return text;
}

/** A caller-like question of 3–8 words: a few spoken function words around content words. */
export function question(vocab: { sample(): string }, random: () => number): string {
  const openers = ['how much is the', 'do you offer', 'what about', 'can I get a', 'tell me about the', 'is there a', 'when does the', ''];
  const opener = openers[Math.floor(random() * openers.length)];
  const want = 3 + Math.floor(random() * 6) - (opener ? opener.split(' ').length : 0);
  const content: string[] = [];
  for (let i = 0; i < Math.max(1, want); i++) content.push(vocab.sample());
  return `${opener} ${content.join(' ')}?`.trim();
}
