import { knownLanguage, type KnownLanguage } from '../../util/language.ts';
import { MONTH_NAMES } from './vocabulary.ts';

// A caller's time words in the agent's language, put into the English words the phrase reader
// knows ("w środę rano" → "wednesday morning", "demain à 15h" → "tomorrow at 15"), so one reader
// keeps one set of rules for every language. English words pass through untouched: callers mix.
// Only the agent's language is read, because the same word means different things in different
// languages (German "morgen" is tomorrow, Dutch "om" is at, Spanish "mañana" is both).

type Rule = [pattern: string, replacement: string | ((...groups: string[]) => string)];

const N = String.raw`(\d{1,2})`;
/** "10 h 30", "15h", "15h30": French and Portuguese clock times. */
const H_CLOCK: Rule[] = [
  [String.raw`${N}\s*h\s*(\d{2})`, '$1:$2'],
  [String.raw`${N}\s*h(?:eures?|oras?)?`, '$1'],
];
const before = (n: string): string => String(((Number(n) + 22) % 24) + 1);
/** "halb drei", "half drie": half an hour before the hour named. */
const half = (word: string): Rule => [String.raw`${word}\s+${N}`, (_m, h) => `${before(h)}:30`];

/**
 * Month names (every form callers use, "|"-separated, 1st entry January) as English ones; a day
 * number before them keeps its place, dropping the German/Polish ordinal dot ("8." → "8") and the
 * Romance "de" ("8 de enero" → "8 january"). `day` is what may sit between the day and the month.
 */
function months(forms: string[], day = ''): Rule[] {
  return forms.map((f, i) => [String.raw`(?:(\d{1,2})(?:\.|er|º|°)?\s*${day})?(?:${f})`, (_m, d) => ` ${d ?? ''} ${MONTH_NAMES[i].toLowerCase()} `]);
}

/** An English month name, as `months` leaves it: a "first" before it is the 1st of the month. */
const ENGLISH_MONTH = `(?:${MONTH_NAMES.join('|').toLowerCase()})`;

/** Day-of-month ordinals (Polish "ósmego"): the 1st word is "1st"; 21st–31st as "dwudziestego pierwszego". */
function dayOrdinals(units: string[], twenty: string, thirty: string): Rule[] {
  const unit = units.slice(0, 9).join('|');
  const compound: Rule = [String.raw`(${twenty}|${thirty})\s+(${unit})`, (_m, tens, u) => ` ${(tens === twenty ? 20 : 30) + units.indexOf(u) + 1}th `];
  return [compound, [thirty, ' 30th '], [twenty, ' 20th '], ...units.map((w, i): Rule => [w, ` ${i + 1}th `])];
}

const RULES: Record<Exclude<KnownLanguage, 'en'>, Rule[]> = {
  pl: [
    ...months(['styczeń|stycznia|styczniu', 'luty|lutego|lutym', 'marzec|marca|marcu', 'kwiecień|kwietnia|kwietniu', 'maj|maja|maju', 'czerwiec|czerwca|czerwcu', 'lipiec|lipca|lipcu', 'sierpień|sierpnia|sierpniu', 'wrzesień|września|wrześniu', 'październik|października|październiku', 'listopad|listopada|listopadzie', 'grudzień|grudnia|grudniu']),
    ...dayOrdinals(['pierwszego', 'drugiego', 'trzeciego', 'czwartego', 'piątego', 'szóstego', 'siódmego', 'ósmego', 'dziewiątego', 'dziesiątego', 'jedenastego', 'dwunastego', 'trzynastego', 'czternastego', 'piętnastego', 'szesnastego', 'siedemnastego', 'osiemnastego', 'dziewiętnastego'], 'dwudziestego', 'trzydziestego'),
    ...ordinals(['pierwszej', 'drugiej', 'trzeciej', 'czwartej', 'piątej', 'szóstej', 'siódmej', 'ósmej', 'dziewiątej', 'dziesiątej', 'jedenastej', 'dwunastej', 'trzynastej', 'czternastej', 'piętnastej', 'szesnastej', 'siedemnastej', 'osiemnastej', 'dziewiętnastej', 'dwudziestej']),
    [String.raw`wpół\s+do\s+${N}`, (_m, h) => `${before(h)}:30`],
    [String.raw`po\s*południu|popołudniu|popołudniem`, ' afternoon '],
    [String.raw`przed\s*południem|przedpołudniem|z\s+rana|rano|rankiem|ranem`, ' morning '],
    [String.raw`(?:w\s+)?południe`, ' noon '],
    [String.raw`(?:o\s+)?północy|północ`, ' midnight '],
    [String.raw`wieczorem|wieczór|wieczora|wieczorkiem`, ' evening '],
    [String.raw`dziś|dzisiaj`, ' today '],
    [String.raw`pojutrze`, ' day after tomorrow '],
    [String.raw`jutro`, ' tomorrow '],
    [String.raw`poniedziałek|poniedziałku|poniedziałki|poniedzialek`, ' monday '],
    [String.raw`wtorek|wtorku|wtorki`, ' tuesday '],
    [String.raw`środa|środę|środy|środzie|środą|sroda|srode|srody`, ' wednesday '],
    [String.raw`czwartek|czwartku|czwartki`, ' thursday '],
    [String.raw`piątek|piątku|piątki|piatek|piatku`, ' friday '],
    [String.raw`sobota|sobotę|soboty|sobocie|sobote`, ' saturday '],
    [String.raw`niedziela|niedzielę|niedzieli|niedziele`, ' sunday '],
    [String.raw`przyszły|przyszłą|przyszłym|przyszłego|przyszła|następny|następną|następnym|następnego|następna|kolejny|kolejną`, ' next '],
    [String.raw`najbliższy|najbliższą|najbliższym|najbliższa`, ' coming '],
    [String.raw`ten|tę|ta|tym|tego|ta`, ' this '],
    [String.raw`weekend|weekendzie|weekendu`, ' weekend '],
    [String.raw`tydzień|tygodniu|tygodnia`, ' week '],
    [String.raw`między|pomiędzy`, ' between '],
    [String.raw`od`, ' from '],
    [String.raw`do`, ' until '],
    [String.raw`po`, ' after '],
    [String.raw`przed`, ' before '],
    [String.raw`o`, ' at '],
    [String.raw`a|i`, ' and '],
    [String.raw`około|koło|ok|godzinie|godz|godzina|godzinę|w|we|na|proszę|poproszę|może|najlepiej|pasuje|pasowałby|pasowałaby|mi|by|byłoby|dobrze|jakoś|dzień|termin|rozmowę|spotkanie|chciałbym|chciałabym|tak|no`, ' '],
  ],
  de: [
    ...months(['januar|jänner', 'februar|feber', 'märz|maerz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember']),
    [String.raw`(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)(vormittag|nachmittag|abend|morgen|mittag)`, (_m, d, p) => `${d} ${p === 'morgen' ? 'vormittag' : p}`],
    [String.raw`ein(?=\s+uhr)`, '1'],
    ...cardinals(['eins', 'zwei', 'drei', 'vier', 'fünf', 'sechs', 'sieben', 'acht', 'neun', 'zehn', 'elf', 'zwölf']),
    half('halb'),
    [String.raw`${N}\s*uhr\s*(\d{2})`, '$1:$2'],
    [String.raw`(?:heute\s+)?morgen\s+früh`, ' tomorrow morning '],
    [String.raw`heute\s+morgen`, ' today morning '],
    [String.raw`am\s+morgen`, ' morning '],
    [String.raw`übermorgen`, ' day after tomorrow '],
    [String.raw`heute`, ' today '],
    [String.raw`morgen`, ' tomorrow '],
    [String.raw`vormittags?|morgens|früh`, ' morning '],
    [String.raw`nachmittags?`, ' afternoon '],
    [String.raw`abends?`, ' evening '],
    [String.raw`mittags?`, ' noon '],
    [String.raw`mitternacht`, ' midnight '],
    [String.raw`montags?`, ' monday '],
    [String.raw`dienstags?`, ' tuesday '],
    [String.raw`mittwochs?`, ' wednesday '],
    [String.raw`donnerstags?`, ' thursday '],
    [String.raw`freitags?`, ' friday '],
    [String.raw`samstags?|sonnabends?`, ' saturday '],
    [String.raw`sonntags?`, ' sunday '],
    [String.raw`nächste[nmrs]?|kommende[nmrs]?`, ' next '],
    [String.raw`diese[nmrs]?`, ' this '],
    [String.raw`wochenende`, ' weekend '],
    [String.raw`woche`, ' week '],
    [String.raw`zwischen`, ' between '],
    [String.raw`und`, ' and '],
    [String.raw`nach|ab`, ' after '],
    [String.raw`vor`, ' before '],
    [String.raw`bis`, ' until '],
    [String.raw`von`, ' from '],
    [String.raw`um`, ' at '],
    // "am" is English too ("10 am"): only a German "am" before a word is "on".
    [String.raw`(?<!\d\s*)am`, ' on '],
    [String.raw`uhr|gegen|ungefähr|etwa|im|in|der|den|die|das|bitte|vielleicht|geht|es|gerne|gern|wäre|passt|mir|ihnen|termin|so|lieber|also|ja`, ' '],
  ],
  fr: [
    ...months(['janvier', 'février|fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août|aout', 'septembre', 'octobre', 'novembre', 'décembre|decembre']),
    [String.raw`(?:premier|1er)(?=\s+${ENGLISH_MONTH})`, ' 1 '],
    ...H_CLOCK,
    [String.raw`(?:dans\s+l['’]|l['’]|cet\s+|en\s+)?apr[eè]s[-\s]midi|aprem`, ' afternoon '],
    [String.raw`apr[eè]s[-\s]demain`, ' day after tomorrow '],
    [String.raw`aujourd['’]\s?hui`, ' today '],
    [String.raw`demain`, ' tomorrow '],
    [String.raw`(?:dans\s+la\s+|en\s+|le\s+|ce\s+)?(?:matin|matinée)`, ' morning '],
    [String.raw`(?:dans\s+la\s+|en\s+|le\s+|ce\s+)?(?:soir|soirée)`, ' evening '],
    [String.raw`midi`, ' noon '],
    [String.raw`minuit`, ' midnight '],
    [String.raw`(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+prochain`, 'next $1'],
    [String.raw`la\s+semaine\s+prochaine|semaine\s+prochaine`, ' next week '],
    [String.raw`lundi`, ' monday '],
    [String.raw`mardi`, ' tuesday '],
    [String.raw`mercredi`, ' wednesday '],
    [String.raw`jeudi`, ' thursday '],
    [String.raw`vendredi`, ' friday '],
    [String.raw`samedi`, ' saturday '],
    [String.raw`dimanche`, ' sunday '],
    [String.raw`prochaine?`, ' next '],
    [String.raw`week[-\s]?end`, ' weekend '],
    [String.raw`semaine`, ' week '],
    [String.raw`cette|ce`, ' this '],
    [String.raw`(?:de|entre)\s+(\S+)\s+(?:à|a|et)\s+(\S+)`, ' between $1 and $2 '],
    [String.raw`entre`, ' between '],
    [String.raw`et`, ' and '],
    [String.raw`apr[eè]s`, ' after '],
    [String.raw`avant`, ' before '],
    [String.raw`jusqu['’]\s?à`, ' until '],
    [String.raw`à`, ' at '],
    [String.raw`une?(?=\s+heure)`, '1'],
    ...cardinals(['un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze']).slice(1),
    [String.raw`heures?|vers|le|la|les|l|du|des|de|d|s['’]il\s+vous\s+plaît|plutôt|peut[-\s]être|ça|me|va|convient|pour|moi|je|voudrais|disons|dans|oui|alors`, ' '],
  ],
  es: [
    ...months(['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre|setiembre', 'octubre', 'noviembre', 'diciembre'], String.raw`(?:de\s+)?`),
    [String.raw`(?:primero)(?=\s+(?:de\s+)?${ENGLISH_MONTH})`, ' 1 '],
    [String.raw`pasado\s+mañana`, ' day after tomorrow '],
    [String.raw`(?:por|de|en)\s+la\s+mañana`, ' morning '],
    [String.raw`(?:por|de|en)\s+la\s+tarde|tarde`, ' afternoon '],
    [String.raw`(?:por|de|en)\s+la\s+noche|noche`, ' evening '],
    [String.raw`mañana`, ' tomorrow '],
    [String.raw`hoy`, ' today '],
    [String.raw`mediod[ií]a`, ' noon '],
    [String.raw`medianoche`, ' midnight '],
    [String.raw`(lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\s+(?:que\s+viene|pr[oó]ximo)`, 'next $1'],
    [String.raw`(?:la\s+)?semana\s+que\s+viene|(?:la\s+)?pr[oó]xima\s+semana|(?:la\s+)?semana\s+pr[oó]xima`, ' next week '],
    [String.raw`lunes`, ' monday '],
    [String.raw`martes`, ' tuesday '],
    [String.raw`mi[eé]rcoles`, ' wednesday '],
    [String.raw`jueves`, ' thursday '],
    [String.raw`viernes`, ' friday '],
    [String.raw`s[aá]bado`, ' saturday '],
    [String.raw`domingo`, ' sunday '],
    [String.raw`pr[oó]xim[oa]`, ' next '],
    [String.raw`fin\s+de\s+semana`, ' weekend '],
    [String.raw`semana`, ' week '],
    [String.raw`est[ea]`, ' this '],
    [String.raw`(?:a\s+)?la\s+una`, ' at 1 '],
    ...cardinals(['uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce']),
    [String.raw`(\d{1,2})\s+y\s+media`, '$1:30'],
    [String.raw`(\d{1,2})\s+y\s+cuarto`, '$1:15'],
    [String.raw`despu[eé]s\s+de(?:\s+las?)?`, ' after '],
    [String.raw`antes\s+de(?:\s+las?)?`, ' before '],
    [String.raw`desde(?:\s+las?)?`, ' from '],
    [String.raw`hasta(?:\s+las?)?`, ' until '],
    [String.raw`entre`, ' between '],
    [String.raw`y`, ' and '],
    [String.raw`a\s+las?|a`, ' at '],
    [String.raw`d[ií]a|sobre|hacia|alrededor\s+de|el|la|los|las|de|por|favor|puede|ser|mejor|me|viene|bien|va|en|para|quizás|quizas|sí|si|pues|horas?`, ' '],
  ],
  it: [
    [String.raw`l['’](\d{1,2})`, ' $1 '],
    ...months(['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre']),
    [String.raw`(?:primo)(?=\s+${ENGLISH_MONTH})`, ' 1 '],
    [String.raw`dopodomani`, ' day after tomorrow '],
    [String.raw`domani`, ' tomorrow '],
    [String.raw`oggi`, ' today '],
    [String.raw`(?:di\s+|la\s+|in\s+)?(?:mattina|mattino|mattinata)`, ' morning '],
    [String.raw`(?:di\s+|il\s+|nel\s+)?pomeriggio`, ' afternoon '],
    [String.raw`(?:di\s+|la\s+|in\s+)?(?:sera|serata)`, ' evening '],
    [String.raw`mezzogiorno`, ' noon '],
    [String.raw`mezzanotte`, ' midnight '],
    [String.raw`(luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica)\s+prossim[oa]`, 'next $1'],
    [String.raw`(?:la\s+)?settimana\s+prossima|(?:la\s+)?prossima\s+settimana`, ' next week '],
    [String.raw`luned[iì]`, ' monday '],
    [String.raw`marted[iì]`, ' tuesday '],
    [String.raw`mercoled[iì]`, ' wednesday '],
    [String.raw`gioved[iì]`, ' thursday '],
    [String.raw`venerd[iì]`, ' friday '],
    [String.raw`sabato`, ' saturday '],
    [String.raw`domenica`, ' sunday '],
    [String.raw`prossim[oa]`, ' next '],
    [String.raw`fine\s+settimana`, ' weekend '],
    [String.raw`settimana`, ' week '],
    [String.raw`quest[oa]`, ' this '],
    [String.raw`all['’]\s?una`, ' at 1 '],
    ...cardinals(['uno', 'due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci', 'undici', 'dodici']),
    [String.raw`(\d{1,2})\s+e\s+mezz[ao]`, '$1:30'],
    [String.raw`(\d{1,2})\s+e\s+un\s+quarto`, '$1:15'],
    [String.raw`dalle\s+(\S+)\s+alle\s+(\S+)`, ' from $1 to $2 '],
    [String.raw`dopo\s+le`, ' after '],
    [String.raw`prima\s+delle`, ' before '],
    [String.raw`tra|fra`, ' between '],
    [String.raw`e`, ' and '],
    [String.raw`alle|all|ore|a`, ' at '],
    [String.raw`verso|le|il|la|lo|di|del|della|nel|nella|in|per|favore|va|bene|meglio|mi|andrebbe|magari|sì|si`, ' '],
  ],
  pt: [
    ...months(['janeiro', 'fevereiro', 'março|marco', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'], String.raw`(?:de\s+)?`),
    [String.raw`(?:primeiro|1º)(?=\s+(?:de\s+)?${ENGLISH_MONTH})`, ' 1 '],
    ...H_CLOCK,
    [String.raw`depois\s+de\s+amanh[ãa]`, ' day after tomorrow '],
    [String.raw`(?:de|pela|na)\s+manh[ãa]`, ' morning '],
    [String.raw`amanh[ãa]`, ' tomorrow '],
    [String.raw`hoje`, ' today '],
    [String.raw`(?:à|a|pela|de|na)\s+tarde`, ' afternoon '],
    [String.raw`(?:à|a|pela|de|na)\s+noite`, ' evening '],
    [String.raw`meio[-\s]dia`, ' noon '],
    [String.raw`meia[-\s]noite`, ' midnight '],
    [String.raw`(segunda|ter[çc]a|quarta|quinta|sexta)(?:[-\s]feira)?\s+que\s+vem`, 'next $1'],
    [String.raw`(?:a\s+)?semana\s+que\s+vem|(?:a\s+)?pr[oó]xima\s+semana`, ' next week '],
    [String.raw`segunda(?:[-\s]feira)?`, ' monday '],
    [String.raw`ter[çc]a(?:[-\s]feira)?`, ' tuesday '],
    [String.raw`quarta(?:[-\s]feira)?`, ' wednesday '],
    [String.raw`quinta(?:[-\s]feira)?`, ' thursday '],
    [String.raw`sexta(?:[-\s]feira)?`, ' friday '],
    [String.raw`s[aá]bado`, ' saturday '],
    [String.raw`domingo`, ' sunday '],
    [String.raw`pr[oó]xim[oa]`, ' next '],
    [String.raw`fim\s+de\s+semana`, ' weekend '],
    [String.raw`semana`, ' week '],
    [String.raw`n?est[ea]`, ' this '],
    [String.raw`(?:à|a)\s+uma|uma(?=\s+hora)`, ' at 1 '],
    ...cardinals(['um', 'dois', 'três', 'quatro', 'cinco', 'seis', 'sete', 'oito', 'nove', 'dez', 'onze', 'doze']).slice(1),
    [String.raw`duas`, '2'],
    [String.raw`(\d{1,2})\s+e\s+meia`, '$1:30'],
    [String.raw`das\s+(\S+)\s+às\s+(\S+)`, ' from $1 to $2 '],
    [String.raw`depois\s+das?`, ' after '],
    [String.raw`antes\s+das?`, ' before '],
    [String.raw`at[eé]\s+[àa]s?`, ' until '],
    [String.raw`entre`, ' between '],
    [String.raw`e`, ' and '],
    [String.raw`às|as|à`, ' at '],
    [String.raw`por\s+volta\s+das?|dia|o|a|os|de|da|do|na|no|em|por|favor|pode|ser|melhor|para|mim|sim|horas?`, ' '],
  ],
  nl: [
    ...months(['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december']),
    [String.raw`(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)(ochtend|middag|avond)`, '$1 $2'],
    [String.raw`(?:om\s+)?(?:een|één)(?=\s+uur)|om\s+(?:een|één)`, ' at 1 '],
    ...cardinals(['een', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen', 'tien', 'elf', 'twaalf']).slice(1),
    half('half'),
    [String.raw`morgen\s*ochtend|morgenochtend|morgenvroeg|morgen\s+vroeg`, ' tomorrow morning '],
    [String.raw`morgen\s*middag`, ' tomorrow afternoon '],
    [String.raw`morgen\s*avond`, ' tomorrow evening '],
    [String.raw`vanochtend|vanmorgen`, ' today morning '],
    [String.raw`vanmiddag`, ' today afternoon '],
    [String.raw`vanavond`, ' today evening '],
    [String.raw`overmorgen`, ' day after tomorrow '],
    [String.raw`morgen`, ' tomorrow '],
    [String.raw`vandaag`, ' today '],
    [String.raw`['’]s\s*(?:ochtends|morgens)|(?:in\s+de\s+)?ochtend`, ' morning '],
    [String.raw`['’]s\s*middags|(?:in\s+de\s+)?middag`, ' afternoon '],
    [String.raw`['’]s\s*avonds|(?:in\s+de\s+)?avond`, ' evening '],
    [String.raw`middernacht`, ' midnight '],
    [String.raw`maandag`, ' monday '],
    [String.raw`dinsdag`, ' tuesday '],
    [String.raw`woensdag`, ' wednesday '],
    [String.raw`donderdag`, ' thursday '],
    [String.raw`vrijdag`, ' friday '],
    [String.raw`zaterdag`, ' saturday '],
    [String.raw`zondag`, ' sunday '],
    [String.raw`volgende|komende`, ' next '],
    [String.raw`deze`, ' this '],
    [String.raw`${N}\s*uur\s*(\d{2})`, '$1:$2'],
    [String.raw`tussen`, ' between '],
    [String.raw`en`, ' and '],
    [String.raw`na`, ' after '],
    [String.raw`voor`, ' before '],
    [String.raw`tot`, ' until '],
    [String.raw`van(?:af)?`, ' from '],
    [String.raw`om`, ' at '],
    [String.raw`uur|rond|omstreeks|op|de|het|in|graag|misschien|liefst|is|goed|mij|me|uitkomen|komt|ja`, ' '],
  ],
};

/** Hour words said as ordinals (Polish "o dziesiątej"): the 1st word is 1 o'clock. */
function ordinals(words: string[]): Rule[] {
  return words.map((w, i) => [w, ` ${i + 1} `]);
}

/** Number words 1–12: the 1st word is 1. */
function cardinals(words: string[]): Rule[] {
  return words.map((w, i) => [w, ` ${i + 1} `]);
}

const compiled = new Map<KnownLanguage, [RegExp, Rule[1]][]>();

/** The caller's words for a time with the agent's language (`language`, BCP-47) put into English; English words stay as they are. */
export function timeWordsInEnglish(phrase: string, language?: string): string {
  const lang = knownLanguage(language);
  if (lang === 'en') return phrase;
  let rules = compiled.get(lang);
  if (!rules) {
    rules = RULES[lang].map(([p, r]) => [new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${p})(?![\p{L}\p{N}])`, 'giu'), r]);
    compiled.set(lang, rules);
  }
  let s = ` ${phrase.normalize('NFC').toLowerCase().replace(/[,;!?()"]/g, ' ')} `;
  for (const [re, r] of rules) s = s.replace(re, r as string);
  return s.replace(/\s+/g, ' ').trim();
}
