import type { KnownLanguage } from '../../util/language.ts';

// The caller's words and the scripted replies of the scenarios `parley init` writes, in the
// agent's language, so a freshly written Polish agent is tested with a Polish caller. Each
// language's lines were run through `parley test` (test/cli/init-languages.test.ts): the time
// phrase, the spelled read-back and the yes are read in that language by the code under test.

/** One language's lines for the two first scenarios; `slot` is how the replies say 15:00. */
export interface FirstTestWords {
  question(business: string): string;
  askToBook: string;
  /** What the model passes to check_availability: the caller's own words for when. */
  when: string;
  offer: string;
  slot: string;
  pick(name: string, email: string): string;
  /** `spelled`: "J-a-n-e, D-o-e, j-a-n-e … e-x-a-m-p-l-e … com" with the language's at and dot. */
  spellBack(spelled: string): string;
  at: string;
  dot: string;
  yes: string;
  booked: string;
}

/** The lines per known language. */
export const FIRST_TEST_WORDS: Record<KnownLanguage, FirstTestWords> = {
  en: {
    question: (b) => `What does ${b} do?`,
    askToBook: "I'd like to book a call tomorrow afternoon.",
    when: 'tomorrow afternoon',
    offer: 'I have tomorrow at 3 PM or tomorrow at 3:30 PM. Which suits you?',
    slot: '3 PM',
    pick: (name, email) => `3 PM works. I'm ${name}, ${email}.`,
    spellBack: (s) => `Let me spell that back: ${s}. Is that right?`,
    at: 'at',
    dot: 'dot',
    yes: "Yes, that's right.",
    booked: "You're booked for tomorrow at 3 PM.",
  },
  pl: {
    question: (b) => `Czym zajmuje się ${b}?`,
    askToBook: 'Chciałbym umówić rozmowę jutro po południu.',
    when: 'jutro po południu',
    offer: 'Mam jutro o 15:00 albo jutro o 15:30. Który termin pasuje?',
    slot: '15:00',
    pick: (name, email) => `15:00 pasuje. Nazywam się ${name}, ${email}.`,
    spellBack: (s) => `Przeliteruję: ${s}. Czy wszystko się zgadza?`,
    at: 'małpa',
    dot: 'kropka',
    yes: 'Tak, zgadza się.',
    booked: 'Rozmowa umówiona na jutro o 15:00.',
  },
  de: {
    question: (b) => `Was macht ${b}?`,
    askToBook: 'Ich möchte gern morgen Nachmittag ein Gespräch vereinbaren.',
    when: 'morgen Nachmittag',
    offer: 'Ich habe morgen um 15:00 Uhr oder morgen um 15:30 Uhr. Was passt Ihnen?',
    slot: '15:00',
    pick: (name, email) => `15:00 Uhr passt. Ich bin ${name}, ${email}.`,
    spellBack: (s) => `Ich buchstabiere: ${s}. Stimmt das?`,
    at: 'at',
    dot: 'Punkt',
    yes: 'Ja, das stimmt.',
    booked: 'Sie sind für morgen um 15:00 Uhr gebucht.',
  },
  fr: {
    question: (b) => `Que fait ${b} ?`,
    askToBook: 'Je voudrais prendre rendez-vous demain après-midi.',
    when: 'demain après-midi',
    offer: "J'ai demain à 15:00 ou demain à 15:30. Lequel vous convient ?",
    slot: '15:00',
    pick: (name, email) => `15:00, c'est parfait. Je suis ${name}, ${email}.`,
    spellBack: (s) => `Je vous l'épelle : ${s}. C'est bien ça ?`,
    at: 'arobase',
    dot: 'point',
    yes: 'Oui, exactement.',
    booked: "C'est réservé pour demain à 15:00.",
  },
  es: {
    question: (b) => `¿A qué se dedica ${b}?`,
    askToBook: 'Quisiera reservar una llamada mañana por la tarde.',
    when: 'mañana por la tarde',
    offer: 'Tengo mañana a las 15:00 o mañana a las 15:30. ¿Cuál le viene mejor?',
    slot: '15:00',
    pick: (name, email) => `A las 15:00 me va bien. Soy ${name}, ${email}.`,
    spellBack: (s) => `Se lo deletreo: ${s}. ¿Es correcto?`,
    at: 'arroba',
    dot: 'punto',
    yes: 'Sí, correcto.',
    booked: 'Queda reservado para mañana a las 15:00.',
  },
  it: {
    question: (b) => `Di cosa si occupa ${b}?`,
    askToBook: 'Vorrei prenotare una chiamata domani pomeriggio.',
    when: 'domani pomeriggio',
    offer: 'Ho domani alle 15:00 o domani alle 15:30. Quale preferisce?',
    slot: '15:00',
    pick: (name, email) => `Alle 15:00 va bene. Sono ${name}, ${email}.`,
    spellBack: (s) => `Glielo compito: ${s}. È corretto?`,
    at: 'chiocciola',
    dot: 'punto',
    yes: 'Sì, esatto.',
    booked: 'È prenotato per domani alle 15:00.',
  },
  pt: {
    question: (b) => `O que faz ${b}?`,
    askToBook: 'Queria marcar uma chamada amanhã à tarde.',
    when: 'amanhã à tarde',
    offer: 'Tenho amanhã às 15:00 ou amanhã às 15:30. Qual prefere?',
    slot: '15:00',
    pick: (name, email) => `Às 15:00 está bem. Sou ${name}, ${email}.`,
    spellBack: (s) => `Vou soletrar: ${s}. Está correto?`,
    at: 'arroba',
    dot: 'ponto',
    yes: 'Sim, isso mesmo.',
    booked: 'Fica marcado para amanhã às 15:00.',
  },
  nl: {
    question: (b) => `Wat doet ${b}?`,
    askToBook: 'Ik wil graag morgenmiddag een gesprek inplannen.',
    when: 'morgenmiddag',
    offer: 'Ik heb morgen om 15:00 of morgen om 15:30. Wat komt u het best uit?',
    slot: '15:00',
    pick: (name, email) => `15:00 is goed. Ik ben ${name}, ${email}.`,
    spellBack: (s) => `Ik spel het even: ${s}. Klopt dat?`,
    at: 'apenstaartje',
    dot: 'punt',
    yes: 'Ja, dat klopt.',
    booked: 'U staat ingepland voor morgen om 15:00.',
  },
};
