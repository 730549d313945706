// Everyday English words that rarely name what a question is about: verbs of doing and getting,
// adverbs, vague nouns and adjectives ("put", "whole", "along", "happens", "stuff"). A caller's
// word of this kind that no document holds weighs little in the strict decision, where a word
// like "bitcoin" or "founder" that no document holds weighs a lot.

const WORDS = `
  accept add added adding ago ahead allow allowed along already anymore anyone anywhere apart around ask asked asking
  away back bad basic be became become becomes better big bigger biggest bring brings built busy buy call came care carry
  case change changed check close come comes coming consider couldnt course deal decide different do doing dont done
  down each early easy end ended enough entire even ever every exact example expect fair far feel few fine find finish
  first fit follow forward front full get gets getting give go goes going gone good got great guess guy half handle
  happen happened happens happy hard have hear heard help here high hold hope huge idea if important include included
  includes including instead interested involve involved involves job just keep kind knew know large last later least
  leave left less let level like likely little live long look looking looks lose lot love low main make makes making
  matter mean means mind mine miss moment more most move much near need new next nice normal number often old once
  only open order other others out over own part pass past pick place plan plus point possible pretty probably problem
  problems process put quite rather ready real really reason right run running same say see seem seen send sent set
  several short should show side simple since small something sometimes soon sort speak start stay still stop stuff
  such suppose sure take talk talking tell thing things think though through till time today together told too top
  total tried true try trying turn type understand unless until usually use used want way week well went whole wish
  work working works worry wrong year years yet
`;

const COMMON = new Set(WORDS.split(/\s+/).filter(Boolean));

/** Whether a lower-case word is everyday English that seldom names the subject of a question. */
export function isCommonWord(word: string): boolean {
  return COMMON.has(word);
}
