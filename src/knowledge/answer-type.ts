// What kind of answer a question wants, and whether a passage holds that kind at all: "how much"
// wants an amount, "who" a person, "how many" a number, "where" a place. A passage about the
// right topic without an amount cannot answer "how much is composite bonding", however many of
// the question's words it shares — the classic question-answering check, done on the text.

/** The kind of answer a question asks for, when its wording says. */
export type AnswerType = 'amount' | 'person' | 'number' | 'place';

const ASKS: [RegExp, AnswerType][] = [
  [/\b(?:how much|what (?:does|do|would|will) (?:it|that|this|they|\w+) cost|what(?:s| is| are) the (?:price|cost|fee|rate|charge)s?|what do you charge|set (?:me|us) back|how expensive)\b/, 'amount'],
  [/^(?:(?:um|uh|so|and|ok|okay)\s+)*(?:who|whom|whose)\b/, 'person'],
  [/\bhow many\b/, 'number'],
  [/^(?:(?:um|uh|so|and|ok|okay)\s+)*where\b/, 'place'],
];

/** The answer type a question's words ask for, if any (words lower case, space-separated). */
export function answerTypeOf(spoken: string): AnswerType | undefined {
  return ASKS.find(([re]) => re.test(spoken))?.[1];
}

const HOLDS: Record<AnswerType, RegExp> = {
  // £45, 45 zł, PLN 1,200, 30 euros, free of charge
  amount: /[£$€¥]\s?\d|\d[\d,.]*\s?(?:zł|pln|eur|euros?|gbp|usd|dollars?|pounds?|p\b)|\b(?:pln|eur|gbp|usd)\s?\d|\bfree\b|\bno (?:charge|cost|fee)\b|\bincluded\b/i,
  // Titles and roles (capitalised word pairs are products and places as often as people)
  person: /\b(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.? [A-Z]|\b(?:founder|founders|founded|owner|owners|director|ceo|manager|principal|partner|partners|leads|runs|heads|manages|team|staff|consultant|consultants|dentist|dentists|hygienist|engineer|engineers)\b/i,
  number: /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|unlimited|single|dozen)\b/i,
  place: /\b(?:street|st|road|rd|avenue|lane|floor|building|square|park|city|centre|center|office|offices|based|located|near|opposite)\b|\b[A-Z][a-z]+(?:,| [A-Z]{1,2}\d)/,
};

/** Whether a passage holds any answer of the type. */
export function holdsAnswerType(text: string, type: AnswerType): boolean {
  return HOLDS[type].test(text);
}
