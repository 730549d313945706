import type { AgentFileData, FixedLineName } from '../agent/schema.ts';
import { knownLanguage, type KnownLanguage } from '../util/language.ts';

// The lines the code says without the model (reprompt, wrap-up, limits, fillers…), kept per base
// language: the owner's own line (agent.yaml `lines:`) first, then persona.language's table, then
// English. Fillers are written without their trailing space; the voice session adds it.

/** Every fixed line, by name, in one language. */
export type FixedLines = Record<FixedLineName, string>;

const EN: FixedLines = {
  stillThere: 'Are you still there?',
  silenceGoodbye: "I haven't heard anything for a while, so I'll end the call here. Thanks for calling, goodbye!",
  cannotHear: "Sorry, I'm having trouble hearing you right now. Please try again a little later. Goodbye!",
  wrapUp: "We're almost out of time for this call, so let's wrap up.",
  timeUp: "We've reached the time limit for this call. Thank you for calling, goodbye!",
  costLimit: "I'm sorry, this conversation has reached its limit, so I have to stop here. Thank you for calling, goodbye!",
  overBudget: "I'm sorry, I can't take this conversation any further today. Please try again tomorrow. Goodbye!",
  troubleAnswering: "Sorry, I'm having trouble answering right now. Could you say that again in a moment?",
  cannotShareSetup: "Sorry, I can't share how I'm set up. What else can I help you with?",
  notTakingCalls: "Sorry, we can't take your call right now. Please try again later. Goodbye.",
  oneMoment: 'One moment.',
  checkingCalendar: "One moment, I'm checking the calendar.",
  bookingCall: "One moment, I'm booking that for you.",
  lookingUp: 'Let me look that up.',
};

const TABLES: Record<KnownLanguage, FixedLines> = {
  en: EN,
  pl: {
    stillThere: 'Halo, czy nadal mnie słychać?',
    silenceGoodbye: 'Od dłuższej chwili nic nie słyszę, więc zakończę teraz rozmowę. Dziękuję i do widzenia!',
    cannotHear: 'Przepraszam, niestety teraz nic nie słyszę. Proszę spróbować ponownie nieco później. Do widzenia!',
    wrapUp: 'Kończy się nam czas tej rozmowy, więc pora ją powoli zakończyć.',
    timeUp: 'Czas tej rozmowy dobiegł końca. Dziękuję za rozmowę, do widzenia!',
    costLimit: 'Przepraszam, ta rozmowa osiągnęła swój limit, więc muszę ją tu zakończyć. Dziękuję za rozmowę, do widzenia!',
    overBudget: 'Przepraszam, dziś nie mogę już dalej prowadzić tej rozmowy. Proszę spróbować jutro. Do widzenia!',
    troubleAnswering: 'Przepraszam, mam teraz kłopot z odpowiedzią. Proszę powtórzyć za chwilę.',
    cannotShareSetup: 'Przepraszam, nie mogę udzielać informacji o swojej konfiguracji. W czym jeszcze mogę pomóc?',
    notTakingCalls: 'Przepraszamy, nie możemy teraz odebrać połączenia. Proszę spróbować później. Do widzenia.',
    oneMoment: 'Chwileczkę.',
    checkingCalendar: 'Chwileczkę, sprawdzam kalendarz.',
    bookingCall: 'Chwileczkę, już rezerwuję termin.',
    lookingUp: 'Już sprawdzam.',
  },
  de: {
    stillThere: 'Sind Sie noch da?',
    silenceGoodbye: 'Ich habe eine Weile nichts gehört, daher beende ich das Gespräch jetzt. Vielen Dank, auf Wiederhören!',
    cannotHear: 'Entschuldigung, ich kann Sie gerade leider nicht gut hören. Bitte versuchen Sie es etwas später noch einmal. Auf Wiederhören!',
    wrapUp: 'Unsere Zeit für dieses Gespräch ist fast um, also kommen wir langsam zum Schluss.',
    timeUp: 'Die Zeit für dieses Gespräch ist abgelaufen. Vielen Dank für Ihren Anruf, auf Wiederhören!',
    costLimit: 'Es tut mir leid, dieses Gespräch hat sein Limit erreicht, daher muss ich hier aufhören. Vielen Dank, auf Wiederhören!',
    overBudget: 'Es tut mir leid, ich kann dieses Gespräch heute nicht weiterführen. Bitte versuchen Sie es morgen wieder. Auf Wiederhören!',
    troubleAnswering: 'Entschuldigung, ich kann gerade nicht antworten. Könnten Sie das gleich noch einmal sagen?',
    cannotShareSetup: 'Entschuldigung, wie ich eingerichtet bin, kann ich nicht verraten. Wobei kann ich Ihnen sonst helfen?',
    notTakingCalls: 'Es tut uns leid, wir können Ihren Anruf gerade nicht annehmen. Bitte versuchen Sie es später noch einmal. Auf Wiederhören.',
    oneMoment: 'Einen Moment.',
    checkingCalendar: 'Einen Moment, ich schaue im Kalender nach.',
    bookingCall: 'Einen Moment, ich buche das für Sie.',
    lookingUp: 'Ich schaue kurz nach.',
  },
  fr: {
    stillThere: 'Vous êtes toujours là ?',
    silenceGoodbye: "Je n'entends plus rien depuis un moment, je vais donc mettre fin à l'appel. Merci de votre appel, au revoir !",
    cannotHear: "Désolé, j'ai du mal à vous entendre pour le moment. Merci de réessayer un peu plus tard. Au revoir !",
    wrapUp: 'Le temps prévu pour cet appel est presque écoulé, alors concluons.',
    timeUp: 'Nous avons atteint la durée maximale de cet appel. Merci de votre appel, au revoir !',
    costLimit: "Je suis désolé, cette conversation a atteint sa limite, je dois donc m'arrêter ici. Merci de votre appel, au revoir !",
    overBudget: "Je suis désolé, je ne peux pas poursuivre cette conversation aujourd'hui. Merci de réessayer demain. Au revoir !",
    troubleAnswering: "Désolé, j'ai du mal à répondre pour le moment. Pourriez-vous répéter dans un instant ?",
    cannotShareSetup: 'Désolé, je ne peux pas dévoiler ma configuration. Puis-je vous aider autrement ?',
    notTakingCalls: 'Désolé, nous ne pouvons pas prendre votre appel pour le moment. Merci de réessayer plus tard. Au revoir.',
    oneMoment: 'Un instant.',
    checkingCalendar: "Un instant, je consulte l'agenda.",
    bookingCall: 'Un instant, je fais la réservation.',
    lookingUp: 'Je vérifie.',
  },
  es: {
    stillThere: '¿Sigue ahí?',
    silenceGoodbye: 'Hace un rato que no oigo nada, así que voy a terminar la llamada. Gracias por llamar, ¡adiós!',
    cannotHear: 'Lo siento, ahora mismo tengo problemas para oírle. Por favor, inténtelo de nuevo un poco más tarde. ¡Adiós!',
    wrapUp: 'Nos queda poco tiempo para esta llamada, así que vamos terminando.',
    timeUp: 'Hemos llegado al tiempo máximo de esta llamada. Gracias por llamar, ¡adiós!',
    costLimit: 'Lo siento, esta conversación ha llegado a su límite, así que tengo que terminar aquí. Gracias por llamar, ¡adiós!',
    overBudget: 'Lo siento, hoy no puedo continuar con esta conversación. Por favor, inténtelo mañana. ¡Adiós!',
    troubleAnswering: 'Lo siento, ahora mismo tengo problemas para responder. ¿Podría repetirlo en un momento?',
    cannotShareSetup: 'Lo siento, no puedo compartir cómo estoy configurado. ¿En qué más puedo ayudarle?',
    notTakingCalls: 'Lo sentimos, ahora mismo no podemos atender su llamada. Por favor, inténtelo más tarde. Adiós.',
    oneMoment: 'Un momento.',
    checkingCalendar: 'Un momento, estoy consultando el calendario.',
    bookingCall: 'Un momento, se lo estoy reservando.',
    lookingUp: 'Déjeme comprobarlo.',
  },
  it: {
    stillThere: 'È ancora in linea?',
    silenceGoodbye: "Non sento nulla da un po', quindi chiudo la chiamata. Grazie per aver chiamato, arrivederci!",
    cannotHear: "Mi scusi, in questo momento ho difficoltà a sentirla. La prego di riprovare un po' più tardi. Arrivederci!",
    wrapUp: 'Il tempo per questa chiamata sta per finire, quindi avviamoci alla conclusione.',
    timeUp: 'Abbiamo raggiunto il tempo massimo per questa chiamata. Grazie per aver chiamato, arrivederci!',
    costLimit: 'Mi dispiace, questa conversazione ha raggiunto il suo limite, quindi devo fermarmi qui. Grazie per aver chiamato, arrivederci!',
    overBudget: 'Mi dispiace, oggi non posso proseguire questa conversazione. La prego di riprovare domani. Arrivederci!',
    troubleAnswering: 'Mi scusi, in questo momento ho difficoltà a rispondere. Può ripetere tra un attimo?',
    cannotShareSetup: "Mi dispiace, non posso dire come sono configurato. In cos'altro posso aiutarla?",
    notTakingCalls: 'Ci dispiace, al momento non possiamo rispondere alla sua chiamata. La preghiamo di riprovare più tardi. Arrivederci.',
    oneMoment: 'Un attimo.',
    checkingCalendar: 'Un attimo, controllo il calendario.',
    bookingCall: 'Un attimo, prenoto subito.',
    lookingUp: 'Verifico subito.',
  },
  pt: {
    stillThere: 'Ainda está aí?',
    silenceGoodbye: 'Não ouço nada há algum tempo, por isso vou terminar a chamada. Obrigado pela sua chamada, até logo!',
    cannotHear: 'Desculpe, estou com dificuldade em ouvir neste momento. Por favor, tente novamente um pouco mais tarde. Até logo!',
    wrapUp: 'Estamos quase sem tempo para esta chamada, por isso vamos concluir.',
    timeUp: 'Atingimos o tempo máximo desta chamada. Obrigado pela sua chamada, até logo!',
    costLimit: 'Lamento, esta conversa atingiu o seu limite, por isso tenho de terminar aqui. Obrigado pela sua chamada, até logo!',
    overBudget: 'Lamento, hoje não posso continuar esta conversa. Por favor, tente novamente amanhã. Até logo!',
    troubleAnswering: 'Desculpe, estou com dificuldade em responder neste momento. Pode repetir daqui a pouco?',
    cannotShareSetup: 'Desculpe, não posso dizer como estou configurado. Em que mais posso ajudar?',
    notTakingCalls: 'Lamentamos, neste momento não podemos atender a sua chamada. Por favor, tente mais tarde. Até logo.',
    oneMoment: 'Um momento.',
    checkingCalendar: 'Um momento, vou verificar a agenda.',
    bookingCall: 'Um momento, vou fazer a reserva.',
    lookingUp: 'Vou verificar.',
  },
  nl: {
    stillThere: 'Bent u er nog?',
    silenceGoodbye: 'Ik hoor al een tijdje niets, dus ik beëindig het gesprek. Bedankt voor uw telefoontje, tot ziens!',
    cannotHear: 'Sorry, ik kan u op dit moment slecht verstaan. Probeer het straks nog eens. Tot ziens!',
    wrapUp: 'De tijd voor dit gesprek is bijna om, dus laten we afronden.',
    timeUp: 'De maximale tijd voor dit gesprek is bereikt. Bedankt voor uw telefoontje, tot ziens!',
    costLimit: 'Het spijt me, dit gesprek heeft zijn limiet bereikt, dus ik moet hier stoppen. Bedankt voor uw telefoontje, tot ziens!',
    overBudget: 'Het spijt me, ik kan dit gesprek vandaag niet verder voeren. Probeer het morgen opnieuw. Tot ziens!',
    troubleAnswering: 'Sorry, ik kan nu even niet antwoorden. Kunt u dat zo nog eens zeggen?',
    cannotShareSetup: 'Sorry, ik kan niet vertellen hoe ik ben ingesteld. Waarmee kan ik u verder helpen?',
    notTakingCalls: 'Het spijt ons, we kunnen uw oproep nu niet aannemen. Probeer het later nog eens. Tot ziens.',
    oneMoment: 'Een moment.',
    checkingCalendar: 'Een moment, ik kijk even in de agenda.',
    bookingCall: 'Een moment, ik boek het voor u.',
    lookingUp: 'Ik zoek het even op.',
  },
};

/** The English lines: what a session without an agent (tests, fakes) says. */
export const ENGLISH_LINES: FixedLines = EN;

/** The agent's fixed lines: its own `lines:` first, then its language's table, then English. */
export function fixedLines(config: Pick<AgentFileData, 'persona'> & Partial<Pick<AgentFileData, 'lines'>>): FixedLines {
  const table = TABLES[knownLanguage(config.persona.language)];
  const own = Object.fromEntries(Object.entries(config.lines ?? {}).filter(([, v]) => v));
  return { ...EN, ...table, ...own };
}

/** The filler for a slow tool, '' when that tool gets none (transfer and press_keys: Twilio plays its own). */
export function fillerFor(tool: string, lines: FixedLines): string {
  const line = FILLER_OF[tool] === null ? '' : lines[FILLER_OF[tool] ?? 'oneMoment'];
  return line ? `${line} ` : '';
}

// The caller hears Twilio's hold message during a transfer or keypress; a filler would only be cut off.
const FILLER_OF: Record<string, FixedLineName | null> = {
  check_availability: 'checkingCalendar',
  book_call: 'bookingCall',
  search_knowledge: 'lookingUp',
  transfer: null,
  press_keys: null,
};
