// How a caller's turn reads as a question, and which turns are about the agent's own tasks, in
// each language Parley knows. A recogniser writes no question marks, so a question shows in how it
// starts (after the filler callers open with) or in an asking phrase anywhere in it. Own tasks are
// what the agent does rather than facts in the documents: booking and times, the caller giving
// their details, talk about the call itself; English's words count in every language (callers mix).
import { ASKING_STATEMENTS } from '../knowledge/asking-statements.ts';
import type { KnownLanguage } from '../util/language.ts';

/** The statements that ask, per language: src/knowledge/asking-statements.ts (retrieval reads them too). */
export { ASKING_STATEMENTS };

/** One language's words for reading a turn (a statement that asks is in `statements`; those said at the start are in `questionStart` too, which the turn detector reads). */
export interface QuestionWords {
  fillerStart: RegExp;
  questionStart: RegExp;
  asking: RegExp;
  /** Statements that ask for information ("I'm interested in…", "interesuje mnie…"), anywhere in the turn. */
  statements: RegExp;
  /** Those statements negated ("I'm not interested in…", "nie interesuje mnie…"): they decline, so they do not ask (global, for replacing). */
  negatedStatements: RegExp;
  ownTask: RegExp;
}

/**
 * Per language, the negations that make a statement that asks decline instead ("I'm not
 * interested in solar panels", "nie interesuje mnie to", "das interessiert mich nicht"): one of
 * `before` right before the phrase, or one of `after` right after it (German, French and
 * Portuguese put it there), with up to two of `between` in the middle ("not really interested
 * in", "interessiert mich gar nicht"). A negation followed by one of `only` says "not only"
 * ("interessiert mich nicht nur der Preis", "ça m'intéresse pas seulement") and negates nothing.
 * Read clause by clause, so "No, me interesa el precio" still asks. docs/knowledge.md lists them
 * (test/docs/asking-statements.test.ts keeps the two equal).
 */
export const ASKING_NEGATIONS: Record<KnownLanguage, { before: string; between: string; after: string; only: string }> = {
  en: {
    before: `not | never | no longer | dont | doesnt | didnt | isnt | arent | wasnt | werent | wont | wouldnt`,
    between: `really | at all | even | that | too | very | so | particularly | remotely | currently | actually | honestly | be | have`,
    after: ``,
    only: `only | just | merely`,
  },
  pl: { before: `nie | niezbyt | niespecjalnie`, between: `już | wcale | bardzo | za bardzo | specjalnie | szczególnie | zbytnio | w ogóle`, after: ``, only: `tylko` },
  de: {
    before: ``,
    between: `gar | überhaupt | wirklich | eigentlich | absolut | besonders | sonderlich | so | mehr | auch | dafür | daran | das | es`,
    after: `nicht | kein | keine | keinen | keinerlei | nie | niemals`,
    only: `nur | bloß | bloss | allein`,
  },
  fr: { before: `ne`, between: `vraiment | trop | tellement | franchement | absolument | spécialement | particulièrement`, after: `pas | jamais | guère | point | nullement`, only: `seulement | uniquement` },
  es: { before: `no | nunca | tampoco | ni`, between: ``, after: ``, only: `solo | sólo | solamente | únicamente` },
  it: { before: `non | neanche | nemmeno | neppure`, between: ``, after: ``, only: `solo | soltanto | solamente` },
  pt: { before: `não | nao | nunca | nem`, between: ``, after: `não | nao`, only: `só | so | apenas | somente` },
  nl: { before: `niet | geen | nooit`, between: `echt | echte | meer | zo | erg | helemaal | enkele | bijzonder | speciaal | totaal`, after: ``, only: `alleen | enkel` },
};

// Alternatives separated by " | " (a "|" inside a group has no spaces), across lines; boundaries
// are any non-letter (`\b` knows only ASCII letters).
const alt = (words: string) => words.split(/\s\|\s/).map((w) => w.trim()).filter(Boolean).join('|');
const fillers = (w: string) => new RegExp(`^(?:(?:${alt(w)})\\s+)+`, 'u');
const starts = (w: string) => new RegExp(`^(?:${alt(w)})(?![\\p{L}\\p{N}])`, 'u');
const anywhere = (w: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alt(w)})(?![\\p{L}\\p{N}])`, 'u');

/** Alternatives separated by " | " as one regular expression that matches anywhere, bounded by non-letters. */
export const phrasesRegExp = anywhere;

/** A language's statements that ask, with a negation before or after them (ASKING_NEGATIONS), anywhere in a turn; not one that says "not only". */
function negatedStatements(language: KnownLanguage): RegExp {
  const { before, between, after, only } = ASKING_NEGATIONS[language];
  const statements = `(?:${alt(ASKING_STATEMENTS[language])})`;
  const middle = alt(between) ? `(?: (?:${alt(between)})){0,2}` : '';
  const onlyWord = alt(only) ? ` (?:${alt(only)})(?![\\p{L}\\p{N}])` : '(?!)';
  // "ne m'intéresse pas seulement": the `after` half of a split negation can carry the "only" too.
  const notOnlyAfter = alt(after) ? `(?!${middle} (?:${alt(after)})${onlyWord})` : '';
  const forms = [
    ...(alt(before) ? [`(?:${alt(before)})(?!${onlyWord})${middle} ${statements}${notOnlyAfter}`] : []),
    ...(alt(after) ? [`${statements}${middle} (?:${alt(after)})(?!${onlyWord})`] : []),
  ];
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${forms.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

// People a caller may ask to speak to, by role (after "speak to a/the/your …"); plurals too.
const PERSON_EN = [
  'someone', 'somebody', 'anyone', 'anybody', 'person', 'people', 'human', 'humans', 'human being', 'sales', 'support',
  'agents?', 'reps?', 'representatives?', 'salesperson', 'salespeople', 'salesman', 'salesmen', 'saleswoman', 'sales reps?',
  'sales representatives?', 'sales team', 'sales department', 'support team', 'managers?', 'owner', 'boss', 'office', 'team',
  'department', 'staff', 'member of (?:staff|the team|your team)', 'colleagues?', 'consultants?', 'advisors?', 'advisers?',
  'specialists?', 'experts?', 'technicians?', 'engineers?', 'installers?', 'fitters?', 'electricians?', 'plumbers?', 'surveyors?',
  'accountants?', 'bookkeepers?', 'doctors?', 'dentists?', 'nurses?', 'therapists?', 'lawyers?', 'solicitors?', 'attorneys?',
  'receptionists?', 'reception', 'front desk', 'operator', 'supervisor', 'director', 'person in charge', 'someone in charge',
  'customer (?:service|support)',
].join('|');

const ENGLISH: QuestionWords = {
  fillerStart: /^(?:(?:um|uh|erm|er|hmm|so|and|ok|okay|oh|well|yeah|hi|hey|hello|right|alright|also|like|actually|sorry|quick question|one more thing|just)\s+)+/,
  questionStart:
    /^(?:what|whats|who|whom|whose|which|when|where|why|how|hows|do|does|did|dont|doesnt|is|isnt|are|arent|was|were (?:you|u|ya|they|there|we|those|these)|can|cant|could|will|would|should|shall|may|might|have|has|any|tell me|i wonder|wondering|curious|i was wondering|id like to know|i want to know|i need to know|i was hoping to know)\b/,
  asking: /\b(?:do|does|can|could|will|would|is|are) (?:you|your|u|ya|they|it|there|i|we)\b|\b(?:how much|how long|or not)\b/,
  statements: anywhere(ASKING_STATEMENTS.en),
  negatedStatements: negatedStatements('en'),
  ownTask: new RegExp(
    [
      String.raw`\b(?:book|booking|schedule|scheduling|reschedule|appointment|appointments|meeting|slot|slots|availability|available|calendar|intro call|a call|call me|call back|callback|put me down|put me in|pencil me in|sign me up for|o ?clock|\d+ ?(?:am|pm))\b`,
      String.raw`\b(?:today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|next week|this week)\b`,
      String.raw`\b(?:january|february|march|april|june|july|august|september|october|november|december|may \d{1,2}|(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?|in |on |for |by |until |early |late |mid |end of |next |this )may)\b`,
      String.raw`\b(?:the|on) \d{1,2}(?:st|nd|rd|th)\b(?! (?:floor|century|anniversary|birthday|edition|year|grade|generation|place))`,
      String.raw`\bmy (?:name|email|e mail|phone|number|company|address)\b`,
      // Asking for a person is the agent's business (a transfer tool, a callback), whoever the
      // documents name: a verb of speaking and a person or a role ("speak to a salesperson"), not
      // the role alone, so "what does a salesperson earn" is still a question on the documents.
      String.raw`\b(?:speak|speaking|talk|talking|chat|chatting) (?:to|with) (?:(?:a|an|the|your|one of your|one of the|someone from|somebody from|someone in|somebody in|someone on|a member of|any of your) )?(?:(?:real|live|actual|human|qualified|senior|sales|support|solar|tax|customer|technical) )?(?:${PERSON_EN})\b`,
      String.raw`\b(?:someone|somebody|anyone|anybody|a (?:real |live )?(?:person|human)) (?:i|we) (?:can|could|may|should) (?:speak|talk|chat) (?:to|with)|\bwho (?:can|could|should|do|would) (?:i|we) (?:speak|talk) (?:to|with)|\b(?:have|get) (?:someone|somebody|a person|one of your (?:\w+)) (?:to )?(?:call|ring|phone|contact) (?:me|us)\b|\b(?:ring|phone|contact) me back\b|put me through|transfer me|connect me (?:to|with)|representative|operator|live agent\b`,
      String.raw`\b(?:spell|repeat|say that again|you there|hear me|bye|goodbye|thanks|thank you|real person|human|robot|bot|machine|recording|recorded|are you an? ai|artificial|your name|who am i talking|who is this|who are you)\b`,
    ].join('|'),
  ),
};

// Polish days and times in all their inflections ("w czwartek", "w czwartki", "do czwartku", "w środę").
const PL_DAYS = `poniedział\\p{L}* | wtor\\p{L}* | środa | środę | środy | środzie | środą | środach | środami | środ
  | czwart\\p{L}* | piąt\\p{L}* | sobot\\p{L}* | sobocie | niedziel\\p{L}* | weekend\\p{L}*
  | dziś | dzisiaj | jutro | jutra | pojutrze | rano | po południu | wieczorem | przyszłym tygodniu | przyszły tydzień
  | tym tygodniu | za tydzień | o \\d+ | o (?:pierwszej|drugiej|trzeciej|czwartej|piątej|szóstej|siódmej|ósmej|dziewiątej|dziesiątej|jedenastej|dwunastej|trzynastej|czternastej|piętnastej|szesnastej|siedemnastej)`;

// Polish months as dates are said ("24 grudnia", "ósmego stycznia", "w styczniu", "styczeń").
const PL_MONTHS = `styczeń | stycznia | styczniu | styczniem | luty | lutego | lutym | marzec | marca | marcu | marcem | kwiecień | kwietnia
  | kwietniu | kwietniem | maj | maja | maju | majem | czerwiec | czerwca | czerwcu | czerwcem | lipiec | lipca | lipcu | lipcem
  | sierpień | sierpnia | sierpniu | sierpniem | wrzesień | września | wrześniu | wrześniem | październik | października
  | październiku | październikiem | listopad | listopada | listopadzie | listopadem | grudzień | grudnia | grudniu | grudniem`;

// People a Polish caller asks for, in any case ("z handlowcem", "poproszę księgową", "z kimś z biura").
const PL_PEOPLE = [
  'handlowc', 'sprzedawc', 'doradc', 'doradczyn', 'konsultant', 'księgow', 'właściciel', 'kierownik', 'kierowniczk', 'szef', 'prezes',
  'dyrektor', 'specjalist', 'ekspert', 'technik', 'inżynier', 'instalator', 'monter', 'serwisant', 'pracowni', 'opiekun', 'lekarz',
  'lekark', 'prawni', 'recepcj', 'sekretariat', 'człowiek', 'osob',
].map((stem) => `${stem}\\p{L}*`).concat('kimś', 'kogoś', 'ktoś').join('|');

// People by role in the other languages, as the stem of each form ("Verkäufer", "asesora", "commerciale").
const people = (stems: string) => stems.split(/\s+/).filter(Boolean).map((stem) => `${stem}\\p{L}*`).join('|');
const DE_PEOPLE = people(`verkäufer berater mitarbeiter techniker monteur installateur steuerberater buchhalter ansprechpartner verantwortlich
  chef inhaber geschäftsführer menschen mensch fachmann fachleute experte expertin kundendienst kundenservice vertrieb verkauf arzt ärztin
  anwalt anwältin empfang spezialist kollege kollegin jemand person`);
const FR_PEOPLE = people(`commercia conseill vendeu technicien ingénieur installateur comptable médecin avocat responsable directeur directrice
  gérant secrétaire standard accueil spécialiste expert collègue membre humain personne agent opérat quelquun service`);
const ES_PEOPLE = people(`vendedor comercial asesor técnico ingenier instalador contable contador médic abogad recepci encargad gerente
  responsable dueñ especialista expert compañer alguien persona humano agente operador departamento ventas soporte atención`);
const IT_PEOPLE = people(`venditor commercial consulent tecnic ingegner installator contabil medic avvocat reception segreteri responsabil
  titolar specialist espert collega qualcuno persona umano operator servizio assistenza vendite`);
const PT_PEOPLE = people(`vendedor comercial consultor técnic engenheir instalador contabilist contador médic advogad receção recepção
  rececionist recepcionist responsável gerente don especialista alguém pessoa humano atendente colega operador setor departamento vendas suporte`);
const NL_PEOPLE = people(`verkoper verkoopster adviseur medewerker monteur installateur technicus boekhouder accountant arts dokter advocaat
  receptie receptionist manager eigenaar specialist deskundige iemand mens persoon collega klantenservice verkoop support`);

const WORDS: Record<Exclude<KnownLanguage, 'en'>, QuestionWords> = {
  pl: {
    fillerStart: fillers(`yyy | eee | emm | hmm | a | i | no | to | dobra | dobrze | okej | ok | okay | aha | acha | tak | dzień dobry | dobry wieczór
      | cześć | witam | halo | przepraszam | proszę pani | proszę pana | jeszcze jedno | jeszcze | szybkie pytanie | właściwie
      | słuchaj | słuchajcie | proszę | ale | więc | wiec | zatem | a więc`),
    questionStart: starts(`czy | co | kto | kogo | komu | kim | czym | czego | jak | jaki | jaka | jakie | jakich | jakiej | jakim | jakimi | jaką
      | który | która | które | którego | której | których | którym | którą | ile | ilu | gdzie | skąd | dokąd | kiedy
      | dlaczego | czemu | po co | od kiedy | do kiedy | na ile | za ile | o której | w jakich | w jaki | w jakim | w którym
      | w której | na czym | macie | masz | ma pan | ma pani | mają państwo | jest | są | można | mogę | moglibyście | możecie
      | może pan | może pani | prowadzicie | przyjmujecie | oferujecie | robicie | zajmujecie się | obsługujecie
      | chciałbym wiedzieć | chciałabym wiedzieć | chcę wiedzieć | chciałem zapytać | chciałam zapytać | chciałbym zapytać
      | chciałabym zapytać | mam pytanie | pytanie | proszę powiedzieć | powie mi pan | powie mi pani | powiedzcie | interesuje mnie`),
    asking: anywhere(`czy | ile kosztuje | ile kosztują | ile to | ile trwa | jak długo`),
    statements: anywhere(ASKING_STATEMENTS.pl),
    negatedStatements: negatedStatements('pl'),
    ownTask: anywhere(`umówić | umówię | umówmy | umówienie | umówienia | umawiać | umawiam | spotkanie | spotkania | spotkaniu | spotkać
      | rozmow\\p{L}* | rozmawiać | termin | terminy | terminu | terminie | terminów | terminach | wolny | wolne | wolnego | wolnych
      | wolnym | wolna | wolną | wolnej | wolnego miejsca | wolne miejsce | miejsce | miejsca | rezerwacj\\p{L}* | zarezerwować
      | zarezerwuję | wizyt\\p{L}* | konsultacj\\p{L}* | kalendarz\\p{L}* | przełożyć | przesunąć | odwołać | zadzwonić | oddzwonić
      | ${PL_DAYS} | ${PL_MONTHS}
      | porozmawiać | porozmawiam | pogadać | połącz\\p{L}* (?:mnie|z|ze) | przełącz\\p{L}* (?:mnie|do|z|ze) | z kimś | z człowiekiem
      | z osobą | z żywą osobą | z kierownikiem | z szefem | z handlowcem | z działem \\p{L}+ | ze sprzedażą | z obsługą klienta
      | (?:mówić|pomówić|rozmawiać|porozmawiać|pogadać|skontaktować się|skontaktuję się|kontakt|kontaktu|połączyć|połączy|przełączyć|przełączy) (?:\\p{L}+ ){0,2}(?:z|ze) (?:${PL_PEOPLE})
      | (?:poproszę|proszę o|poprosić) (?:\\p{L}+ )?(?:${PL_PEOPLE}) | (?:za|od)dzwoni\\p{L}*
      | mój (?:email|e mail|mail|mejl|adres|numer|telefon|nip) | moje (?:imię|nazwisko|dane) | moja firma | nazywam się | mam na imię
      | na imię mam | moje imię | przeliteruj\\p{L}* | przeliterować | literuj\\p{L}* | powtórz\\p{L}* | słyszy mnie | słyszysz mnie
      | słychać | do widzenia | do usłyszenia | dziękuję | dzięki | człowiek\\p{L}* | konsultant\\p{L}* | prawdziw\\p{L}* osob\\p{L}*
      | robot\\p{L}* | bot | botem | automat\\p{L}* | sztuczn\\p{L}* inteligencj\\p{L}* | nagryw\\p{L}* | nagranie | jak się nazywasz
      | z kim rozmawiam | kim jesteś | kim pan jest | kim pani jest`),
  },
  de: {
    fillerStart: fillers(`ähm | äh | ehm | hm | also | ja | na | naja | okay | ok | gut | hallo | hi | guten tag | entschuldigung | eine frage
      | kurze frage | noch eine frage | und | aber | genau | übrigens | sagen sie mal | sag mal`),
    questionStart: starts(`wie | was | wann | wo | woher | wohin | warum | weshalb | wieso | wer | wen | wem | wessen | welche | welcher | welches
      | welchen | welchem | wieviel | gibt es | gibts | habt ihr | haben sie | hast du | kann ich | kann man | können sie | könnt ihr
      | kannst du | ist | sind | bietet | bieten sie | machen sie | macht ihr | nehmen sie | akzeptieren sie | muss ich | darf ich
      | soll ich | brauche ich | braucht man | ich möchte wissen | ich wollte fragen | ich hätte eine frage | sagen sie mir`),
    asking: anywhere(`gibt es | kann ich | kann man | können sie | könnt ihr | haben sie | habt ihr | wie viel | wieviel | wie lange
      | wissen sie | oder nicht`),
    statements: anywhere(ASKING_STATEMENTS.de),
    negatedStatements: negatedStatements('de'),
    ownTask: anywhere(`termin\\p{L}* | buchen | buchung | reservieren | reservierung | vereinbaren | ausmachen | besprechung | gespräch
      | rückruf | zurückrufen | anrufen | frei | freie | freien | freier | verfügbar | kalender | uhr | heute | morgen | übermorgen
      | montag\\p{L}* | dienstag\\p{L}* | mittwoch\\p{L}* | donnerstag\\p{L}* | freitag\\p{L}* | samstag\\p{L}* | sonntag\\p{L}*
      | nächste woche | nächsten woche | diese woche | mein name | meine e mail | meine email | meine nummer | meine telefonnummer
      | ich heiße | buchstabieren | wiederholen | tschüss | auf wiederhören | auf wiedersehen | danke | mensch\\p{L}* | roboter
      | bot | ki | künstliche intelligenz | aufgenommen | aufnahme
      | januar | jänner | februar | märz | april | mai | juni | juli | august | september | oktober | november | dezember
      | am \\d{1,2} | \\d{1,2} ?(?:ten|sten)
      | mit jemandem | mit (?:\\p{L}+ ){0,2}(?:sprechen|reden) | verbinden sie mich | mich verbinden | verbunden werden | durchstellen
      | weiterleiten | weiterverbinden | (?:mit|einen|eine|den|die|ihren|ihre|jemanden) (?:\\p{L}+ ){0,2}(?:${DE_PEOPLE}) (?:\\p{L}+ )?(?:sprechen|reden|erreichen)
      | zurückgerufen | ruft mich (?:\\p{L}+ ){0,2}an`),
  },
  fr: {
    fillerStart: fillers(`euh | bah | ben | bon | alors | donc | et | mais | oui | ok | okay | bonjour | salut | excusez moi | pardon
      | une question | petite question | juste | voilà`),
    questionStart: starts(`que | quoi | quel | quelle | quels | quelles | qui | combien | quand | où | comment | pourquoi | est ce | estce
      | quest ce | avez vous | vous avez | vous faites | vous acceptez | acceptez vous | faites vous | proposez vous | peut on
      | puis je | pouvez vous | est il | y a t il | il y a | cest | je voudrais savoir | jaimerais savoir | dites moi`),
    asking: anywhere(`est ce que | est ce quil | combien | avez vous | pouvez vous | puis je | peut on | y a t il | ou pas | ou non`),
    statements: anywhere(ASKING_STATEMENTS.fr),
    negatedStatements: negatedStatements('fr'),
    ownTask: anywhere(`rendez vous | rdv | réserver | réservation | prendre rendez | créneau | créneaux | disponible | disponibles
      | disponibilité | disponibilités | calendrier | agenda | rappeler | rappel | appel | aujourdhui | demain | après demain
      | lundi | mardi | mercredi | jeudi | vendredi | samedi | dimanche | semaine prochaine | cette semaine | \\d+ ?h(?:\\d+)?
      | mon nom | mon email | mon e mail | mon mail | mon adresse | mon numéro | je mappelle | épeler | répéter | au revoir | merci
      | humain | personne réelle | vraie personne | robot | bot | ia | intelligence artificielle | enregistré | enregistrée
      | janvier | février | mars | avril | mai | juin | juillet | août | septembre | octobre | novembre | décembre
      | le \\d{1,2}(?:er)? | le premier
      | parler (?:à|a|avec) (?:quelquun|une personne|un humain|un conseiller|une conseillère|un responsable|le responsable|la responsable|le directeur|la directrice|le gérant|un commercial|un agent|un opérateur|le service \\p{L}+|au service \\p{L}+|votre \\p{L}+)
      | parler (?:à|a|au|aux|avec) (?:\\p{L}+ ){0,2}(?:${FR_PEOPLE}) | être rappelé\\p{L}*
      | me passer | passez moi | me mettre en relation | mettre en relation | me transférer | transférez moi | opérateur | opératrice`),
  },
  es: {
    fillerStart: fillers(`eh | este | pues | bueno | vale | ok | okay | oye | mira | hola | buenas | buenos días | disculpe | perdón
      | una pregunta | otra pregunta | y | pero | sí | entonces`),
    questionStart: starts(`qué | que | quién | quien | quiénes | cuál | cual | cuáles | cuánto | cuanto | cuánta | cuántos | cuántas | cuándo
      | cuando | dónde | donde | adónde | cómo | como | por qué | hay | tienen | tienes | tiene usted | puedo | puede | pueden
      | podría | podrían | se puede | aceptan | hacen | ofrecen | trabajan | es | son | está | están | me puede decir
      | me gustaría saber | quisiera saber | quiero saber | necesito saber`),
    asking: anywhere(`se puede | puedo | pueden | hay | tienen | cuánto | cuánta | cuántos | cuántas | o no`),
    statements: anywhere(ASKING_STATEMENTS.es),
    negatedStatements: negatedStatements('es'),
    ownTask: anywhere(`cita | citas | reservar | reserva | agendar | programar | reunión | llamada | hueco | huecos | disponible | disponibles
      | disponibilidad | calendario | agenda | hoy | mañana | pasado mañana | lunes | martes | miércoles | jueves | viernes
      | sábado | domingo | próxima semana | esta semana | a las \\d+ | mi nombre | mi correo | mi email | mi número | me llamo
      | deletrear | repetir | adiós | gracias | humano | persona real | robot | bot | ia | inteligencia artificial | grabando | grabada
      | enero | febrero | marzo | abril | mayo | junio | julio | agosto | septiembre | setiembre | octubre | noviembre | diciembre
      | día \\d{1,2}
      | hablar con (?:alguien|una persona|un humano|un agente|un asesor|una asesora|el encargado|la encargada|el gerente|el responsable|un responsable|un comercial|ventas|soporte|atención al cliente|el departamento \\p{L}+|su \\p{L}+)
      | hablar con (?:\\p{L}+ ){0,2}(?:${ES_PEOPLE}) | (?:me|nos) llame\\p{L}* | llamarme | devolver(?:me)? la llamada
      | pasarme con | pásame con | páseme con | me pasa con | me puede pasar | transferir | transfiérame | comunicarme con | ponerme con
      | operador | operadora`),
  },
  it: {
    fillerStart: fillers(`ehm | eh | allora | cioè | beh | senta | scusi | scusa | buongiorno | salve | ciao | una domanda | e | ma | sì
      | ok | okay | dunque | quindi`),
    questionStart: starts(`che | cosa | che cosa | chi | quale | quali | quanto | quanta | quanti | quante | quando | dove | come | perché
      | perche | cè | ci sono | avete | fate | accettate | offrite | posso | può | puo | potete | si può | si puo | è | sono
      | vorrei sapere | mi può dire | mi puo dire`),
    asking: anywhere(`posso | potete | si può | si puo | avete | cè | ci sono | quanto costa | quanto tempo | o no`),
    statements: anywhere(ASKING_STATEMENTS.it),
    negatedStatements: negatedStatements('it'),
    ownTask: anywhere(`appuntament\\p{L}* | prenotare | prenotazione | prenotazioni | fissare | incontro | chiamata | richiamare
      | disponibile | disponibili | disponibilità | calendario | agenda | oggi | domani | dopodomani | lunedì | martedì
      | mercoledì | giovedì | venerdì | sabato | domenica | prossima settimana | questa settimana | alle \\d+ | mi chiamo
      | il mio nome | la mia email | la mia mail | il mio numero | ripetere | arrivederci | grazie | umano | persona vera
      | persona reale | robot | bot | intelligenza artificiale | registrata | registrando
      | gennaio | febbraio | marzo | aprile | maggio | giugno | luglio | agosto | settembre | ottobre | novembre | dicembre
      | parlare con (?:qualcuno|una persona|un umano|un operatore|unoperatrice|un consulente|il responsabile|un responsabile|il titolare|le vendite|lassistenza|il commerciale|un commerciale|il servizio \\p{L}+|il vostro \\p{L}+)
      | parlare con (?:\\p{L}+ ){0,2}(?:${IT_PEOPLE}) | richiam\\p{L}* | (?:mi|ci) chiami\\p{L}*
      | passarmi | mi passa | mi può passare | mi puo passare | trasferire | trasferirmi | mettermi in contatto | operatore | operatrice`),
  },
  pt: {
    fillerStart: fillers(`hum | bom | então | entao | olha | tipo | olá | ola | oi | bom dia | boa tarde | com licença | desculpe
      | uma pergunta | e | mas | sim | ok | okay`),
    questionStart: starts(`que | o que | quem | qual | quais | quanto | quanta | quantos | quantas | quando | onde | como | por que | porque
      | porquê | há | tem | têm | vocês têm | voces tem | posso | pode | podem | poderia | aceitam | fazem | oferecem | trabalham
      | é | são | está | estão | gostaria de saber | queria saber | quero saber | me diga | pode me dizer`),
    asking: anywhere(`posso | podem | tem como | há | quanto custa | quanto tempo | ou não`),
    statements: anywhere(ASKING_STATEMENTS.pt),
    negatedStatements: negatedStatements('pt'),
    ownTask: anywhere(`marcar | agendar | agendamento | reserva | reservar | consulta | reunião | chamada | disponível | disponíveis
      | disponibilidade | vaga | vagas | calendário | agenda | hoje | amanhã | depois de amanhã | segunda feira | terça feira
      | quarta feira | quinta feira | sexta feira | segunda | terça | quarta | quinta | sexta | sábado | domingo
      | próxima semana | esta semana | às \\d+ | meu nome | meu email | meu e mail | meu número | me chamo | chamo me | soletrar
      | repetir | tchau | obrigado | obrigada | humano | pessoa real | robô | robo | bot | inteligência artificial | gravado | gravada
      | janeiro | fevereiro | março | abril | maio | junho | julho | agosto | setembro | outubro | novembro | dezembro | dia \\d{1,2}
      | falar com (?:alguém|uma pessoa|um humano|um atendente|uma atendente|um consultor|uma consultora|o responsável|um responsável|o gerente|o comercial|vendas|o suporte|o setor \\p{L}+|o departamento \\p{L}+)
      | falar com (?:\\p{L}+ ){0,2}(?:${PT_PEOPLE}) | (?:me|nos) lig\\p{L}* | ligar me | ligue me | liguem me
      | me passar | me passa | me transferir | transferir | atendente | operador | operadora`),
  },
  nl: {
    fillerStart: fillers(`eh | ehm | uh | nou | dus | ja | oké | okay | ok | hallo | hoi | goedemorgen | goedemiddag | sorry | pardon
      | even | nog een vraag | een vraag | en | maar | trouwens | zeg`),
    questionStart: starts(`wat | wie | wanneer | waar | waarom | hoe | hoeveel | welke | welk | is | zijn | heeft | hebben | hebt | heb je
      | kan ik | kunnen | kunt u | kun je | mag ik | moet ik | doen jullie | doet u | bieden jullie | accepteren jullie
      | werken jullie | ik wil graag weten | ik vroeg me af | weet u | weet je`),
    asking: anywhere(`kan ik | kunt u | kun je | kunnen jullie | hebben jullie | heeft u | is er | zijn er | hoeveel | hoe lang | wat kost
      | of niet`),
    statements: anywhere(ASKING_STATEMENTS.nl),
    negatedStatements: negatedStatements('nl'),
    ownTask: anywhere(`afspraak | afspraken | boeken | reserveren | reservering | inplannen | plannen | gesprek | terugbellen | bellen
      | beschikbaar | vrij | vrije | agenda | kalender | vandaag | morgen | overmorgen | maandag | dinsdag | woensdag | donderdag
      | vrijdag | zaterdag | zondag | volgende week | deze week | \\d+ uur | mijn naam | mijn email | mijn e mail | mijn nummer
      | ik heet | spellen | herhalen | doei | tot ziens | bedankt | dank je | dank u | mens | robot | bot | kunstmatige intelligentie
      | opgenomen | januari | februari | maart | april | mei | juni | juli | augustus | september | oktober | november | december
      | \\d{1,2}(?:e|ste|de)
      | (?:spreken|praten) met (?:iemand|een mens|een persoon|een medewerker|een medewerkster|de manager|de eigenaar|verkoop|de verkoop|support|de klantenservice)
      | (?:spreken|praten) met (?:\\p{L}+ ){0,2}(?:${NL_PEOPLE}) | (?:met|een|de|het|uw|jullie|iemand van de) (?:\\p{L}+ ){0,2}(?:${NL_PEOPLE}) (?:\\p{L}+ )?(?:spreken|praten)
      | teruggebeld | iemand spreken | met iemand | doorverbinden | doorverbonden | verbinden met | doorzetten`),
  },
};

/** The words a turn is read by in a language (English for English). */
export function questionWordsOf(language: KnownLanguage): QuestionWords {
  return language === 'en' ? ENGLISH : WORDS[language];
}

/** English's words: an own task in English counts in every language. */
export const ENGLISH_QUESTION_WORDS = ENGLISH;
