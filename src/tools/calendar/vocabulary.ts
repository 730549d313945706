// The words callers use for time, and how a phrase is cleaned before it is read: lower case,
// spelled-out numbers as digits, "p.m." as "pm". Shared by the phrase reader and the wording
// the agent says aloud, so both sides use one list of weekdays and months.

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
export const WEEKDAY = '(monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)';
export const CLOCK = '(?:noon|midday|midnight|(?:(?:half|quarter|\\d{1,2})\\s+(?:minutes?\\s+)?(?:past|to)\\s+)?\\d{1,2}(?:[:.\\s]\\d{2})?\\s*(?:am|pm)?)';

/**
 * Parts of the day as [start, end) in minutes after midnight. "first thing" and "after lunch"
 * sit inside morning and afternoon; said together, the narrower one wins.
 */
export const PARTS = {
  morning: [8 * 60, 12 * 60],
  firstthing: [8 * 60, 10 * 60],
  lunchtime: [12 * 60, 14 * 60],
  afternoon: [12 * 60, 17 * 60],
  afterlunch: [13 * 60, 17 * 60],
  evening: [17 * 60, 21 * 60],
} as const;
export type Part = keyof typeof PARTS;
/** How a part of the day is named in a question back to the caller. */
export const partName = (p: Part): string => (p === 'firstthing' ? 'first thing' : p === 'afterlunch' ? 'after lunch' : p);

/** Words that carry no time information. */
export const FILLER = new Set(
  'at on the of in around about approximately roughly say maybe perhaps or so please for a an is it be would could can how what ish sometime anytime any time like then ok okay um uh well yes yeah lets do does work works good fine book call meeting me us we i im am you that and same day based here instead better suits suit prefer preferably there from calling if'.split(
    ' ',
  ),
);

/** Words with which a caller takes back what they just said: what follows replaces it. */
export const CORRECTION = /\b(?:no(?!\s+(?:later|earlier)\b)|nope|sorry|actually|i mean|or rather|rather|make (?:it|that)|scratch that|wait)\b/g;

/** Lower case, spelled-out numbers as digits, "p.m." as "pm", punctuation dropped. */
export function normalize(phrase: string): string {
  let s = ` ${phrase.normalize('NFKC').toLowerCase()} `
    .replace(/[’‘`']/g, '')
    .replace(/\bo\s?clock\b/g, ' ')
    .replace(/(\d{4}-\d{2}-\d{2})t(\d)/g, '$1 $2')
    .replace(/[,;!?()"]/g, ' ')
    .replace(/\.(?!\d)/g, ' ')
    .replace(/([a-z])-(?=[a-z])/g, '$1 ');
  s = numberWords(s)
    .replace(/(\d)\s*([ap])\s?m(?![a-z])/g, '$1$2m')
    .replace(/\b(?:12\s+)?(noon|mid\s?day)\b/g, 'noon')
    .replace(/\b(?:12\s+)?midnight\b/g, 'midnight')
    .replace(/\b(?:in\s+the\s+)?first\s+thing(?:\s+in\s+the\s+morning)?\b/g, ' firstthing ')
    .replace(/\b(?:right\s+|straight\s+)?after\s+lunch(?:\s?time)?\b/g, ' afterlunch ')
    .replace(/\b(?:at\s+|over\s+|around\s+)?lunch(?:\s?time)?\b/g, ' lunchtime ');
  return s.replace(/\s+/g, ' ').trim();
}

const SMALL = 'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(' ');
const ORDINALS = 'zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth'.split(' ');
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, twentieth: 20, thirtieth: 30 };

/** "three thirty" → "3 30", "twenty first" → "21st", "nine oh five" → "9 05"; "first thing" stays words. */
function numberWords(s: string): string {
  const value = (w: string): { n: number; ord: boolean } | undefined => {
    if (SMALL.includes(w)) return { n: SMALL.indexOf(w), ord: false };
    if (ORDINALS.includes(w)) return { n: ORDINALS.indexOf(w), ord: true };
    if (w in TENS) return { n: TENS[w], ord: w.endsWith('th') };
  };
  const units = [...SMALL.slice(1, 10), ...ORDINALS.slice(1, 10)].join('|');
  const words = [...SMALL, ...ORDINALS.slice(1), ...Object.keys(TENS)].join('|');
  return s
    .replace(new RegExp(`\\boh\\s+(${SMALL.slice(1, 10).join('|')})\\b`, 'g'), (_, u: string) => `0${SMALL.indexOf(u)}`)
    .replace(new RegExp(`\\b(twenty|thirty|forty|fifty)\\s+(${units})\\b|\\b(${words})\\b(?!\\s+thing)`, 'g'), (_, tens?: string, unit?: string, single?: string) => {
      const parts = (single ? [single] : [tens!, unit!]).map((w) => value(w)!);
      const n = parts.reduce((sum, p) => sum + p.n, 0);
      return parts.at(-1)!.ord ? ordinal(n) : String(n);
    });
}

/** 1 → "1st", 22 → "22nd", 13 → "13th". */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "tuesday" → "Tuesday". */
export const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** 1–7 for a weekday word or its abbreviation. */
export function weekdayIndex(word: string): number {
  return WEEKDAYS.findIndex((d) => d.startsWith(word.slice(0, 3))) + 1;
}

/** The words of `s` that say nothing about time. */
export function leftovers(s: string): string[] {
  return s.split(/\s+/).filter((w) => w && !FILLER.has(w));
}
