// End-of-turn words for the languages other than English that Parley knows: what a caller who is
// still mid-thought ends on (a conjunction, a preposition, an article, a filler), the short
// answers that are a whole turn, and what closes one. English has its fuller rules in
// text-end-of-turn.ts; these are the same idea at the size that matters most — the trailing word.
import type { KnownLanguage } from '../../util/language.ts';
import { questionWordsOf } from '../question-words.ts';

/** One language's end-of-turn words. */
interface TurnWords {
  /** Words a caller ends on only mid-thought. */
  trailing: string;
  /** Whole turns that are complete answers. */
  short: string;
}

// Space-separated; multi-word entries joined with "_".
const WORDS: Record<Exclude<KnownLanguage, 'en'>, TurnWords> = {
  pl: {
    trailing: 'i a ale albo lub czy że żeby bo ponieważ więc to no yyy eee hmm em znaczy w we z ze do na o od po przy dla za przez pod nad bez u jest są był była mój moja moje nasz nasza mam mamy który która które gdy kiedy jeśli jak też oraz tak_że',
    short: 'tak nie no_tak dobrze okej ok jasne zgadza_się dokładnie oczywiście proszę dziękuję dzięki świetnie super pasuje to_wszystko nie_wiem może_być w_porządku do_widzenia cześć dzień_dobry',
  },
  de: {
    trailing: 'und aber oder also weil dass denn wenn ob äh ähm hm der die das den dem des ein eine einen einem zu mit von für auf an in im bei nach aus ist sind war mein meine unser unsere ich wir wie als auch noch',
    short: 'ja nein genau richtig stimmt okay ok gut super danke danke_schön bitte gerne passt das_passt perfekt alles_klar klar natürlich tschüss hallo ich_weiß_nicht',
  },
  fr: {
    trailing: 'et mais ou donc parce_que que qui car si euh hum le la les un une des du de à au aux pour avec dans sur par en est sont mon ma mes notre je nous comme aussi',
    short: 'oui non exactement voilà d_accord ok okay merci merci_beaucoup parfait très_bien bien sûr bien_sûr super ça_marche c_est_tout je_ne_sais_pas au_revoir bonjour',
  },
  es: {
    trailing: 'y e pero o u porque que si pues eh em este el la los las un una de del a al en con para por sobre es son mi mis nuestro nuestra yo nosotros como también cuando',
    short: 'sí no claro vale exacto correcto perfecto bueno muy_bien gracias muchas_gracias de_acuerdo por_favor eso_es nada_más no_sé adiós hola',
  },
  it: {
    trailing: 'e ed ma o oppure perché che se quindi ehm cioè il lo la i gli le un una di del della a al alla da in con per su è sono mio mia nostro nostra io noi come anche quando',
    short: 'sì no certo esatto giusto va_bene ok okay perfetto grazie grazie_mille bene benissimo d_accordo per_favore basta_così non_lo_so arrivederci ciao',
  },
  pt: {
    trailing: 'e mas ou porque que se então né hum ahn o a os as um uma de do da dos das em no na com para por é são meu minha nosso nossa eu nós como também quando',
    short: 'sim não claro exato certo isso perfeito beleza tá ok okay obrigado obrigada muito_obrigado tudo_bem de_acordo por_favor só_isso não_sei tchau olá',
  },
  nl: {
    trailing: 'en maar of dus omdat want dat als eh uhm hm de het een van voor met op aan in bij naar uit is zijn was mijn onze ik wij hoe ook nog',
    short: 'ja nee precies klopt oké ok goed prima prima_hoor dank_je bedankt alstublieft graag perfect helemaal_goed dat_is_alles weet_ik_niet doei hallo',
  },
};

const split = (s: string) => new Set(s.split(' ').map((w) => w.replace(/_/g, ' ')));
const TABLES = new Map(Object.entries(WORDS).map(([lang, w]) => [lang, { trailing: split(w.trailing), short: split(w.short) }]));

/** Lower-case words, letters and digits only (the recogniser's punctuation is not evidence). */
const wordsOf = (text: string) => text.normalize('NFC').toLowerCase().replace(/[’']/g, ' ').replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean);

/** The verdict for a language other than English, or undefined when Parley has no words for it. */
export function languageVerdict(text: string, language: KnownLanguage): 'done' | 'unfinished' | 'unsure' | undefined {
  const table = TABLES.get(language);
  if (!table) return undefined;
  const ws = wordsOf(text);
  if (ws.length === 0) return 'unsure';
  const joined = ws.join(' ');
  if (table.trailing.has(ws.at(-1)!) || table.trailing.has(ws.slice(-2).join(' '))) return 'unfinished';
  if (table.short.has(joined) || (ws.length <= 3 && table.short.has(ws[0]!))) return 'done';
  const q = questionWordsOf(language);
  const unfilled = joined.replace(q.fillerStart, '');
  if (/\?\s*$/.test(text) || (ws.length >= 3 && q.questionStart.test(unfilled))) return 'done';
  return 'unsure';
}
