// Numbers and sums of money as callers say them: "about 180 bucks", "two hundred dollars",
// "1,250.50", "€1.250,50", "2.5k" become an amount (and the currency named, if any), so a monthly
// bill is stored as 180 and not as "about 180 bucks".

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, one: 1, a: 1, an: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, grand: 1000, k: 1000, million: 1_000_000, m: 1_000_000 };
/** Words and signs that name a currency; "dollars" and "bucks" are whichever dollar the field is in. */
const CURRENCY_WORDS: [RegExp, string][] = [
  [/\$|\b(?:dollars?|bucks?)\b/iu, 'dollar'],
  [/€|\b(?:euros?|eur)\b/iu, 'EUR'],
  [/£|\b(?:pounds?|quid|gbp)\b/iu, 'GBP'],
  [/\bzł\b|zł|\b(?:zlot(?:y|ys|e|ych)|złot(?:y|ych|e)|pln)\b/iu, 'PLN'],
  [/\b(?:francs?|chf)\b/iu, 'CHF'],
  [/¥|\b(?:yen|jpy)\b/iu, 'JPY'],
];
const HEDGES = /\b(?:about|around|roughly|approximately|approx|maybe|like|some|nearly|almost|just under|just over|over|under|give or take|or so|ish|per month|a month|monthly|each month)\b|~/giu;

/** A number as said or written, or undefined: digits with , or . separators, "2.5k", or English number words. */
export function parseNumber(text: string): number | undefined {
  const t = text.normalize('NFKC').toLowerCase().replace(/\u00a0/g, ' ').trim();
  const digits = /(-?\d[\d\s,.'’]*)(\s*(?:k|m|thousand|million|grand)\b)?/u.exec(t);
  if (digits) {
    const n = readDigits(digits[1].trim().replace(/[\s'’]/g, ''));
    if (n === undefined) return undefined;
    const scale = digits[2]?.trim();
    return scale ? n * (SCALES[scale] ?? 1) : n;
  }
  return readWords(t);
}

/** "1,250.50", "1.250,50", "1250,5", "180" → the number; ambiguous or malformed separators → undefined. */
function readDigits(s: string): number | undefined {
  const clean = s.replace(/[.,]$/, '');
  if (/^-?\d+$/.test(clean)) return Number(clean);
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(clean) || /^-?\d+\.\d+$/.test(clean)) return Number(clean.replace(/,/g, ''));
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(clean)) return Number(clean.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d+,\d{1,2}$/.test(clean)) return Number(clean.replace(',', '.'));
  return undefined;
}

/** English number words: "two hundred and fifty", "a thousand two hundred", "twelve point five". */
function readWords(t: string): number | undefined {
  const words = t.replace(/-/g, ' ').split(/[^\p{L}\p{N}.]+/u).filter(Boolean);
  let total = 0;
  let current = 0;
  let seen = false;
  let fraction: string | undefined;
  let last: 'unit' | 'teen' | 'tens' | 'scale' | undefined;
  for (const w of words) {
    if (fraction !== undefined) {
      if (UNITS[w] !== undefined && UNITS[w] < 10) fraction += String(UNITS[w]);
      continue;
    }
    if (w === 'and' && seen) continue;
    if (w === 'point' && seen) {
      fraction = '';
      continue;
    }
    if (UNITS[w] !== undefined && !((w === 'a' || w === 'an') && !/^(hundred|thousand|million|grand)/.test(words[words.indexOf(w) + 1] ?? ''))) {
      const kind = UNITS[w] < 10 ? 'unit' : UNITS[w] < 20 ? 'teen' : 'tens';
      // "one fifty", "twenty thirty": two numbers said together, not one — ask again rather than guess.
      if (last === 'unit' || last === 'teen' || (last === 'tens' && kind !== 'unit')) return undefined;
      current += UNITS[w];
      last = kind;
      seen = true;
    } else if (SCALES[w] !== undefined && w.length > 1 && seen) {
      last = 'scale';
      if (SCALES[w] === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * SCALES[w];
        current = 0;
      }
    } else if (seen) break;
  }
  if (!seen) return undefined;
  const whole = total + current;
  return fraction ? Number(`${whole}.${fraction}`) : whole;
}

/** An amount of money as said: the number, and the currency it names ('dollar' for any dollar), if any. */
export function parseMoney(text: string): { amount: number; currency?: string } | undefined {
  const named = CURRENCY_WORDS.find(([re]) => re.test(text))?.[1];
  const codes = /\b([A-Z]{3})\b/.exec(text)?.[1];
  const bare = text.replace(HEDGES, ' ').replace(/[$€£¥]/g, ' ');
  const amount = parseNumber(bare);
  if (amount === undefined) return undefined;
  return { amount, ...(named ? { currency: named } : codes ? { currency: codes } : {}) };
}

/** Whether a currency the caller named is the field's: "dollars" fits USD, CAD, AUD… */
export function sameCurrency(named: string, field: string): boolean {
  return named === field || (named === 'dollar' && field.endsWith('D') && ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD'].includes(field));
}

/** How a number is written for the ear and the record: "1,250.5". */
export function sayNumber(n: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 }).format(n);
}

/** How a sum is said: "1,250.50 US dollars". */
export function sayMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'name' }).format(amount);
}

/** The numbers an agent's turn says, in digits or in words, for checking a read-back. */
export function numbersSaid(text: string): number[] {
  const found: number[] = [];
  for (const m of text.matchAll(/\d[\d,.]*\d|\d/g)) {
    const n = readDigits(m[0]);
    if (n !== undefined) found.push(n);
  }
  const words = readWordsAll(text.toLowerCase());
  return [...found, ...words];
}

/** Each run of number words in a text, read as one number. */
function readWordsAll(t: string): number[] {
  const runs = t.replace(/-/g, ' ').split(/[^\p{L}]+/u).filter(Boolean);
  const out: number[] = [];
  let run: string[] = [];
  const flush = () => {
    const n = run.length ? readWords(run.join(' ')) : undefined;
    if (n !== undefined) out.push(n);
    run = [];
  };
  for (const w of runs) {
    if (UNITS[w] !== undefined || (SCALES[w] !== undefined && w.length > 1) || ((w === 'and' || w === 'point') && run.length)) run.push(w);
    else flush();
  }
  flush();
  return out;
}
