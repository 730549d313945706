// The statements that ask, per language ("I'm interested in…", "interesuje mnie…"). The session
// reads a turn holding one as a question (src/session/question-words.ts); retrieval drops them
// from what the turn asks about, so "interested" or "interesuje" is never a word the documents
// lack. Kept here, below both, so the two read the same list.
import type { KnownLanguage } from '../util/language.ts';

/**
 * Per language, the statements that count as asking: said anywhere in a turn, they make it a
 * question, so strict knowledge declines it when the documents do not cover what it names
 * ("Interesuje mnie audyt finansowy." for an office that offers no audits). Any other statement
 * goes to the model. Lower case, apostrophes dropped, as a recogniser's words are read; docs/knowledge.md
 * lists them (test/docs/asking-statements.test.ts keeps the two equal).
 */
export const ASKING_STATEMENTS: Record<KnownLanguage, string> = {
  en: `tell me | i wonder | wondering | curious | any idea | want to know | need to know | like to know | hoping to know | interested in`,
  pl: `chciałbym wiedzieć | chciałabym wiedzieć | chcę wiedzieć | chciałem zapytać | chciałam zapytać | chciałbym zapytać | chciałabym zapytać
    | mam pytanie | pytanie | proszę powiedzieć | powiedzcie | powiedzieć mi | powie mi | powiedz mi | powiecie mi | interesuje mnie | interesują mnie
    | ciekawi mnie | jestem zainteresowany | jestem zainteresowana | jesteśmy zainteresowani`,
  de: `möchte wissen | gerne wissen | gern wissen | wollte fragen | hätte eine frage | habe eine frage | sagen sie mir | interessiere mich | interessiert mich | mich interessiert`,
  fr: `voudrais savoir | jaimerais savoir | dites moi | je me demande | je suis intéressé | je suis intéressée | mintéresse | mintéressent`,
  es: `me puede decir | me gustaría saber | quisiera saber | quiero saber | necesito saber | me interesa | me interesan | estoy interesado | estoy interesada`,
  it: `vorrei sapere | mi può dire | mi puo dire | mi interessa | mi interessano | sono interessato | sono interessata`,
  pt: `gostaria de saber | queria saber | quero saber | me diga | pode me dizer | tenho interesse | estou interessado | estou interessada | me interessa`,
  nl: `wil weten | graag weten | ik vroeg me af | ik ben benieuwd | interesse in | geïnteresseerd in`,
};

const phrases = (list: string) => list.split(/\s\|\s/).map((w) => w.trim()).filter(Boolean);
const cache = new Map<KnownLanguage, RegExp>();

/** The statements that ask in a language and in English (callers mix), as one regular expression for replacing every one in a turn's words. */
export function askingStatementsOf(language: KnownLanguage): RegExp {
  let re = cache.get(language);
  if (!re) {
    const all = [...phrases(ASKING_STATEMENTS[language]), ...(language === 'en' ? [] : phrases(ASKING_STATEMENTS.en))];
    cache.set(language, (re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${all.join('|')})(?![\\p{L}\\p{N}])`, 'gu')));
  }
  return re;
}
